/*
 * cmd_check.c -- `faqbot check [--hotlines FILE] [DIR]`: load and
 * validate a knowledge base directory (default faq) the way the daemon
 * does, print every problem, exit 1; or print a one-line summary, exit 0.
 */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "diag.h"
#include "kbset.h"

static void
check_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faqbot check [--hotlines FILE] [DIR]\n"
	    "\n"
	    "Validate the knowledge base in DIR (default faq): JSON syntax,\n"
	    "fields, source and related ids, duplicates, answer length,\n"
	    "examples, required intents, crisis phrases and the hotlines\n"
	    "file (default config/hotlines.json).  Prints every problem as\n"
	    "file:line:col: message or file: intent-id: message; exit 1.\n");
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "hotlines", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = "faq", *hotlines = NULL;
	struct kbset *ks;
	struct diag d;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hH:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			hotlines = optarg;
			break;
		case 'h':
			check_usage(stdout);
			return CMD_OK;
		default:
			check_usage(stderr);
			return CMD_USAGE;
		}
	}
	if (argc - optind > 1) {
		check_usage(stderr);
		return CMD_USAGE;
	}
	if (argc - optind == 1)
		dir = argv[optind];
	diag_init(&d);
	ks = kbset_load(dir, hotlines, &d);
	if (ks == NULL) {
		diag_print(&d, stdout);
		fprintf(stdout, "%zu problem%s found\n", d.n,
		    d.n == 1 ? "" : "s");
		diag_free(&d);
		return CMD_FAIL;
	}
	printf("knowledge base OK (%zu intents, %zu examples)\n",
	    kbset_kb(ks)->nintents, kbset_nexamples(ks));
	if (kbset_kb(ks)->ntopics > 0) {
		size_t i, n = 0;

		for (i = 0; i < kbset_kb(ks)->ntopics; i++)
			n += kbset_kb(ks)->topics[i].nexamples;
		printf("out-of-scope topics: %zu (%zu examples)\n",
		    kbset_kb(ks)->ntopics, n);
	}
	diag_free(&d);
	kbset_unref(ks);
	return CMD_OK;
}
