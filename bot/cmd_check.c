/*
 * cmd_check.c -- `faqbot check` (placeholder until the knowledge base loader
 * lands; prints its usage for --help).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int
cmd_check(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		printf("usage: faqbot check [OPTIONS]\n");
		return CMD_OK;
	}
	fprintf(stderr, "faqbot check: not implemented yet\n");
	return CMD_FAIL;
}
