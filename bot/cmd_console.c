/*
 * cmd_console.c -- `faqbot console [--kb DIR] [--region XX] [--hotlines
 * FILE]`: chat with the bot in this terminal.  A thin wrapper: it builds
 * a configuration with the console platform alone (config_console()) and
 * runs the daemon's loop with it, so the console answers exactly as in
 * `faqbot run` (same router, pipeline, crisis replies).  Prompts only
 * when stdin is a terminal, so piped questions work too.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdutil.h"
#include "commands.h"
#include "config.h"
#include "diag.h"
#include "xmalloc.h"

static void
console_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faqbot console [--kb DIR] [--region XX] [--hotlines FILE]\n"
	    "\n"
	    "Chat with the bot in this terminal (one question per line;\n"
	    "/quit or end of input leaves).  Escalations for moderators are\n"
	    "printed to stderr as lines starting \"*** escalation\".\n"
	    "  --kb DIR        knowledge base directory (default faq)\n"
	    "  --region XX     hotline region (default US)\n"
	    "  --hotlines FILE hotlines file (default config/hotlines.json)\n");
}

int
cmd_console(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kb", required_argument, NULL, 'k' },
		{ "region", required_argument, NULL, 'r' },
		{ "hotlines", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kbdir = "faq", *hotlines = NULL, *region = NULL;
	const char *crisis = NULL;
	struct config *cfg;
	struct diag d;
	char *path;
	size_t i;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hk:r:H:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'k':
			kbdir = optarg;
			break;
		case 'r':
			region = optarg;
			break;
		case 'H':
			hotlines = optarg;
			break;
		case 'h':
			console_usage(stdout);
			return CMD_OK;
		default:
			console_usage(stderr);
			return CMD_USAGE;
		}
	}
	if (optind != argc) {
		console_usage(stderr);
		return CMD_USAGE;
	}
	/* the same fallbacks as the other commands (cmdutil.c) */
	if (strcmp(kbdir, "faq") == 0 && access("faq", F_OK) == -1 &&
	    access(CMD_SHARE_DIR "/faq", F_OK) == 0) {
		kbdir = CMD_SHARE_DIR "/faq";
		if (hotlines == NULL && access(CMD_DEFAULT_HOTLINES, F_OK) == -1)
			hotlines = CMD_SHARE_DIR "/hotlines.json";
	}
	path = xasprintf("%s/crisis.json", kbdir);
	if (access(path, F_OK) == -1 && access(CMD_DEFAULT_CRISIS, F_OK) == 0)
		crisis = CMD_DEFAULT_CRISIS;
	free(path);
	diag_init(&d);
	cfg = config_console(kbdir, hotlines, crisis, region, &d);
	for (i = 0; cfg == NULL && i < d.n; i++)
		fprintf(stderr, "faqbot console: %s\n", d.msgs[i]);
	diag_free(&d);
	if (cfg == NULL)
		return CMD_FAIL;
	return cmd_run_config(cfg);
}
