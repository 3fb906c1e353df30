/*
 * cmd_eval.c -- `faqbot eval [--kb DIR] [--json] FILE`: how well the
 * matcher answers a file of text<TAB>expected lines (expected: an intent
 * id, ids joined by "|" when either is right, or "none" for questions the
 * bot must not answer; "#" starts a comment line).  Prints in-scope
 * accuracy, out-of-scope rejection, every error, and a last JSON line.
 * Crisis handling is evaluated separately (eval-crisis).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmdutil.h"
#include "commands.h"
#include "kbset.h"
#include "xmalloc.h"

struct eval_stats {
	long	in_total, in_correct;
	long	oos_total, oos_rejected;
	long	bad_lines;
};

static void
eval_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faqbot eval [--kb DIR] [--json] [--min-accuracy PCT]\n"
	    "                   [--min-rejection PCT] FILE\n"
	    "\n"
	    "Evaluate the matcher on FILE: lines text<TAB>expected, where\n"
	    "expected is an intent id, ids joined by | (either is right) or\n"
	    "none (out of scope: must not be answered); # starts a comment.\n"
	    "Prints in-scope accuracy, out-of-scope rejection, the errors,\n"
	    "and a last line of JSON.\n"
	    "  --kb DIR             knowledge base directory (default faq)\n"
	    "  --json               print only the JSON line\n"
	    "  --min-accuracy PCT   exit 1 if in-scope accuracy is lower\n"
	    "  --min-rejection PCT  exit 1 if out-of-scope rejection is lower\n");
}

/* Is id one of the |-separated ids of expected? */
static int
expected_has(const char *expected, const char *id)
{
	size_t n = strlen(id);
	const char *p = expected, *bar;

	for (;;) {
		bar = strchr(p, '|');
		if ((bar != NULL ? (size_t)(bar - p) : strlen(p)) == n &&
		    strncmp(p, id, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

/* Every id of expected exists in the KB (or expected is "none"). */
static int
expected_valid(const struct kbset *ks, const char *expected, char *bad,
    size_t badlen)
{
	const char *p = expected, *bar;
	char id[256];
	size_t n;

	if (strcmp(expected, "none") == 0)
		return 1;
	for (;;) {
		bar = strchr(p, '|');
		n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (n == 0 || n >= sizeof(id)) {
			snprintf(bad, badlen, "empty or overlong id");
			return 0;
		}
		memcpy(id, p, n);
		id[n] = '\0';
		if (kbset_intent_index(ks, id) < 0) {
			snprintf(bad, badlen, "unknown intent id \"%s\"", id);
			return 0;
		}
		if (bar == NULL)
			return 1;
		p = bar + 1;
	}
}

static double
pct(long num, long den)
{
	return den > 0 ? 100.0 * (double)num / (double)den : 0.0;
}

/* Run every line of fp; errors printed unless quiet.  -1 on bad lines. */
static int
eval_file(const struct kbset *ks, FILE *fp, const char *path, int quiet,
    struct eval_stats *st)
{
	const struct kb *kb = kbset_kb(ks);
	const struct matcher *m = kbset_matcher(ks);
	struct matcher_ws *ws = xmatcher_ws_new();
	struct match_result res;
	char *buf = xmalloc(CMD_MAX_LINE + 1), *tab, bad[300];
	const char *got;
	long len, lineno = 0;
	int toolong, inscope, ok;

	while ((len = cmd_read_line(fp, buf, &toolong)) >= 0) {
		lineno++;
		if (len == 0 || buf[0] == '#')
			continue;
		tab = memchr(buf, '\t', (size_t)len);
		if (toolong || tab == NULL || tab == buf || tab[1] == '\0') {
			fprintf(stderr, "%s:%ld: expected text<TAB>expected\n",
			    path, lineno);
			st->bad_lines++;
			continue;
		}
		*tab = '\0';
		if (!expected_valid(ks, tab + 1, bad, sizeof(bad))) {
			fprintf(stderr, "%s:%ld: %s\n", path, lineno, bad);
			st->bad_lines++;
			continue;
		}
		matcher_match_ws(m, ws, buf, (size_t)(tab - buf), &res);
		got = res.intent >= 0 ? kb->intents[res.intent].id : "none";
		inscope = strcmp(tab + 1, "none") != 0;
		ok = inscope ? expected_has(tab + 1, got) :
		    res.intent < 0;
		if (inscope) {
			st->in_total++;
			st->in_correct += ok;
		} else {
			st->oos_total++;
			st->oos_rejected += ok;
		}
		if (!ok && !quiet)
			printf("  %s:%ld: \"%s\" -> %s (%.2f), expected %s\n",
			    path, lineno, buf, got, res.confidence, tab + 1);
	}
	free(buf);
	matcher_ws_free(ws);
	return st->bad_lines > 0 ? -1 : 0;
}

static int
parse_pct(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return end != s && *end == '\0' && *out >= 0 && *out <= 100 ? 0 : -1;
}

int
cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kb", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "min-accuracy", required_argument, NULL, 'a' },
		{ "min-rejection", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct eval_stats st;
	struct kbset *ks;
	const char *kbdir = "faq", *path;
	double min_acc = -1, min_rej = -1, acc, rej;
	FILE *fp;
	cJSON *o;
	char *s;
	int ch, json = 0, rc = CMD_OK;

	memset(&st, 0, sizeof(st));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "hjk:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			kbdir = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'a':
		case 'o':
			if (parse_pct(optarg, ch == 'a' ? &min_acc :
			    &min_rej) == -1) {
				fprintf(stderr, "faqbot eval: %s: not a "
				    "percentage\n", optarg);
				return CMD_USAGE;
			}
			break;
		case 'h':
			eval_usage(stdout);
			return CMD_OK;
		default:
			eval_usage(stderr);
			return CMD_USAGE;
		}
	}
	if (argc - optind != 1) {
		eval_usage(stderr);
		return CMD_USAGE;
	}
	path = argv[optind];
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return CMD_FAIL;
	}
	if ((ks = cmd_load_kb("eval", kbdir, NULL)) == NULL) {
		fclose(fp);
		return CMD_FAIL;
	}
	if (!json)
		printf("errors:\n");
	if (eval_file(ks, fp, path, json, &st) == -1)
		rc = CMD_FAIL;
	fclose(fp);
	acc = pct(st.in_correct, st.in_total);
	rej = pct(st.oos_rejected, st.oos_total);
	if (!json) {
		printf("in-scope accuracy:     %6.2f%% (%ld/%ld)\n", acc,
		    st.in_correct, st.in_total);
		printf("out-of-scope rejection: %6.2f%% (%ld/%ld)\n", rej,
		    st.oos_rejected, st.oos_total);
	}
	if ((o = cJSON_CreateObject()) == NULL) {
		fprintf(stderr, "faqbot eval: out of memory\n");
		exit(1);
	}
	cJSON_AddStringToObject(o, "file", path);
	cJSON_AddStringToObject(o, "kb", kbdir);
	cJSON_AddStringToObject(o, "kb_version", kbset_version(ks));
	cJSON_AddNumberToObject(o, "in_scope_total", (double)st.in_total);
	cJSON_AddNumberToObject(o, "in_scope_correct", (double)st.in_correct);
	cJSON_AddNumberToObject(o, "in_scope_accuracy",
	    (double)(long)(acc * 100 + 0.5) / 100);
	cJSON_AddNumberToObject(o, "oos_total", (double)st.oos_total);
	cJSON_AddNumberToObject(o, "oos_rejected", (double)st.oos_rejected);
	cJSON_AddNumberToObject(o, "oos_rejection",
	    (double)(long)(rej * 100 + 0.5) / 100);
	cJSON_AddNumberToObject(o, "errors",
	    (double)(st.in_total - st.in_correct + st.oos_total -
	    st.oos_rejected));
	cJSON_AddNumberToObject(o, "bad_lines", (double)st.bad_lines);
	if ((s = cJSON_PrintUnformatted(o)) == NULL) {
		fprintf(stderr, "faqbot eval: out of memory\n");
		exit(1);
	}
	printf("%s\n", s);
	free(s);
	cJSON_Delete(o);
	if (min_acc >= 0 && acc < min_acc) {
		fprintf(stderr, "faqbot eval: in-scope accuracy %.2f%% below "
		    "the floor %.2f%%\n", acc, min_acc);
		rc = CMD_FAIL;
	}
	if (min_rej >= 0 && rej < min_rej) {
		fprintf(stderr, "faqbot eval: out-of-scope rejection %.2f%% "
		    "below the floor %.2f%%\n", rej, min_rej);
		rc = CMD_FAIL;
	}
	kbset_unref(ks);
	return rc;
}
