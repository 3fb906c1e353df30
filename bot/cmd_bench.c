/*
 * cmd_bench.c -- `faqbot bench` (placeholder until the knowledge base loader
 * lands; prints its usage for --help).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int
cmd_bench(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		printf("usage: faqbot bench [OPTIONS]\n");
		return CMD_OK;
	}
	fprintf(stderr, "faqbot bench: not implemented yet\n");
	return CMD_FAIL;
}
