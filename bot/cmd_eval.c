/*
 * cmd_eval.c -- `faqbot eval` (placeholder until the knowledge base loader
 * lands; prints its usage for --help).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int
cmd_eval(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		printf("usage: faqbot eval [OPTIONS]\n");
		return CMD_OK;
	}
	fprintf(stderr, "faqbot eval: not implemented yet\n");
	return CMD_FAIL;
}
