/*
 * main.c -- faqbot's entry point: dispatches to a subcommand.
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "faqbot: no commands yet\n");
	return 1;
}
