/*
 * cmd_console.c -- `faqbot console [--kb DIR] [--region XX]`: chat with
 * the bot in this terminal through the same pipeline the daemon uses.
 * Prompts only when stdin is a terminal, so piped questions work too.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdutil.h"
#include "commands.h"
#include "console.h"
#include "kbset.h"
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
	struct pipeline_opts po;
	struct console *c;
	struct kbset *ks;
	const char *kbdir = "faq", *hotlines = NULL;
	char *buf;
	long len;
	int ch, tty, toolong;

	memset(&po, 0, sizeof(po));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "hk:r:H:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'k':
			kbdir = optarg;
			break;
		case 'r':
			po.region = optarg;
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
	if ((ks = cmd_load_kb("console", kbdir, hotlines)) == NULL)
		return CMD_FAIL;
	cmd_check_region("console", ks, po.region);
	c = console_new(&po);
	tty = isatty(STDIN_FILENO);
	console_greet(ks, stdout);
	buf = xmalloc(CMD_MAX_LINE + 1);
	for (;;) {
		if (tty) {
			fputs("> ", stdout);
			fflush(stdout);
		}
		if ((len = cmd_read_line(stdin, buf, &toolong)) < 0)
			break;
		if (toolong) {
			printf("That message is too long for me (the limit is "
			    "%d bytes).\n\n", CMD_MAX_LINE);
			continue;
		}
		if (console_line(c, ks, buf, (size_t)len, cmd_now(), stdout,
		    stderr))
			break;
	}
	if (tty)
		fputs("\n", stdout);
	free(buf);
	console_free(c);
	kbset_unref(ks);
	return CMD_OK;
}
