/*
 * cmd_console.c -- `faqbot console` (placeholder until the knowledge base loader
 * lands; prints its usage for --help).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int
cmd_console(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		printf("usage: faqbot console [OPTIONS]\n");
		return CMD_OK;
	}
	fprintf(stderr, "faqbot console: not implemented yet\n");
	return CMD_FAIL;
}
