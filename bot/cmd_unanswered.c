/*
 * cmd_unanswered.c -- `faqbot unanswered [-c FILE] [--days N] [--top N]`:
 * group the questions of the unanswered log (state_dir/unanswered.jsonl)
 * and count them, most asked first.  Read-only; works while the daemon
 * runs.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "config.h"
#include "strbuf.h"
#include "unanswered.h"
#include "xmalloc.h"

static int
number(const char *s, long max, long *out)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int
cmd_unanswered(int argc, char **argv)
{
	static const char usage[] =
	    "usage: faqbot unanswered [-c FILE] [--days N] [--top N]\n"
	    "Group and count the questions the bot could not answer (from\n"
	    "the unanswered log in state_dir), most asked first.  --days N\n"
	    "keeps the last N days (default: all), --top N the N largest\n"
	    "groups (default: all).\n";
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "days", required_argument, NULL, 'd' },
		{ "top", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL;
	char err[512], *log;
	struct config *cfg;
	struct strbuf out;
	long days = 0, top = 0, n;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:d:t:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'd':
			if (number(optarg, 36500, &days) == -1) {
				fprintf(stderr, "faqbot unanswered: --days: "
				    "expected a number of days\n");
				return CMD_USAGE;
			}
			break;
		case 't':
			if (number(optarg, 1000000, &top) == -1) {
				fprintf(stderr, "faqbot unanswered: --top: "
				    "expected a number\n");
				return CMD_USAGE;
			}
			break;
		case 'h':
			printf("%s", usage);
			return CMD_OK;
		default:
			fprintf(stderr, "%s", usage);
			return CMD_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s", usage);
		return CMD_USAGE;
	}
	if ((cfg = cmd_load_config(file)) == NULL)
		return CMD_FAIL;
	if (!cfg->unanswered_enabled) {
		printf("The unanswered-question log is off (set "
		    "unanswered.enabled in %s to keep one).\n", cfg->file);
		config_free(cfg);
		return CMD_OK;
	}
	log = xasprintf("%s/%s", cfg->state_dir, UNANSWERED_FILE);
	sb_init(&out);
	n = unanswered_report(log, days > 0 ? time(NULL) - days * 86400 : 0,
	    (size_t)top, &out, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "faqbot unanswered: %s\n", err);
		free(log);
		sb_free(&out);
		config_free(cfg);
		return CMD_FAIL;
	}
	printf("%ld unanswered question%s", n, n == 1 ? "" : "s");
	if (days > 0)
		printf(" in the last %ld days", days);
	printf("%s\n", n > 0 ? " (count, question):" : ".");
	if (out.s != NULL)
		fputs(out.s, stdout);
	free(log);
	sb_free(&out);
	config_free(cfg);
	return CMD_OK;
}
