/*
 * cmd_crisis_cv.c -- `faqbot crisis-cv`: cross-validation of the crisis
 * backstop on its own training file, to choose its thresholds.
 *
 * Each example of KBDIR/crisis-examples.tsv is scored by a model trained
 * without its fold; the rules (KBDIR/crisis.json, without backstop) check
 * it too.  For a grid of thresholds the combined detector's escalation
 * recall (concern/acute flagged concern+), acute recall and false
 * escalation (none/mention flagged concern+) are printed, plus the model
 * training time.  The last line is JSON for the default thresholds.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "crisis.h"
#include "crisis_load.h"
#include "diag.h"
#include "xmalloc.h"

struct cv_fig {
	int	esc_n, esc_hit, acute_n, acute_hit, low_n, low_false;
	int	none_n, none_false, raised_acute_false;
};

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
pct(int a, int b)
{
	return b > 0 ? 100.0 * a / b : 0;
}

/* Figures of rules + model at thresholds (tc, ta). */
static void
figures(const struct crisis_example *ex, size_t n,
    const struct crisis_model_score *s, const enum crisis_level *rule,
    double tc, double ta, struct cv_fig *f)
{
	enum crisis_level lv;
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++) {
		lv = rule[i];
		if (lv < CRISIS_CONCERN && (lv == CRISIS_NONE ||
		    s[i].escalate >= CRISIS_MODEL_MENTION)) {
			if (s[i].acute >= ta)
				lv = CRISIS_ACUTE;
			else if (s[i].escalate >= tc)
				lv = CRISIS_CONCERN;
			if (lv == CRISIS_ACUTE && ex[i].level != CRISIS_ACUTE)
				f->raised_acute_false++;
		}
		if (ex[i].level >= CRISIS_CONCERN) {
			f->esc_n++;
			f->esc_hit += lv >= CRISIS_CONCERN;
		} else {
			f->low_n++;
			f->low_false += lv >= CRISIS_CONCERN;
		}
		if (ex[i].level == CRISIS_ACUTE) {
			f->acute_n++;
			f->acute_hit += lv == CRISIS_ACUTE;
		}
		if (ex[i].level == CRISIS_NONE) {
			f->none_n++;
			f->none_false += lv >= CRISIS_CONCERN;
		}
	}
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faqbot crisis-cv [--kb DIR] [--folds N]\n"
	    "\n"
	    "Cross-validates the crisis backstop on DIR/crisis-examples.tsv\n"
	    "(default faq, 10 folds) together with the rules of\n"
	    "DIR/crisis.json and prints recall and false escalation per\n"
	    "threshold pair; the last line is JSON for the defaults.\n");
}

int
cmd_crisis_cv(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "kb", required_argument, NULL, 'k' },
		{ "folds", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const double grid[] = { 0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99 };
	const char *kbdir = "faq";
	struct crisis_example *ex = NULL;
	struct crisis_model_score *s = NULL;
	enum crisis_level *rule = NULL;
	struct crisis_result r;
	struct crisis_rules rules;
	struct crisis_model_opts mo;
	struct crisis_class sel[CRISIS_MAX_CLASSES];
	struct crisis *c = NULL;
	struct cv_fig f;
	struct diag d;
	char *path = NULL, *expath = NULL, err[256], *end;
	size_t n = 0, i, a, b;
	int ch, folds = 10, rc = CMD_FAIL;
	double t0, t1;
	long v;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			kbdir = optarg;
			break;
		case 'f':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 2 || v > 100) {
				fprintf(stderr, "faqbot crisis-cv: bad --folds: "
				    "%s\n", optarg);
				return CMD_USAGE;
			}
			folds = (int)v;
			break;
		case 'h':
			usage(stdout);
			return CMD_OK;
		default:
			usage(stderr);
			return CMD_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return CMD_USAGE;
	}
	diag_init(&d);
	memset(&rules, 0, sizeof(rules));
	path = xasprintf("%s/crisis.json", kbdir);
	expath = crisis_examples_path(path);
	t0 = mono();
	if ((c = crisis_load(path, &d)) == NULL ||
	    crisis_examples_load(expath, &ex, &n, &d) == -1) {
		diag_print(&d, stderr);
		goto done;
	}
	t1 = mono();
	crisis_set_model(c, NULL);	/* the rules alone */
	s = xcalloc(n, sizeof(*s));
	rule = xcalloc(n, sizeof(*rule));
	for (i = 0; i < n; i++) {
		crisis_check(c, ex[i].text, strlen(ex[i].text), NULL, 0, &r);
		rule[i] = r.level;
	}
	if (crisis_rules_load(path, &rules, &d) == -1) {
		diag_print(&d, stderr);
		goto done;
	}
	crisis_model_opts_init(&mo, &rules, sel, CRISIS_MAX_CLASSES);
	if (crisis_model_cv(ex, n, &mo, folds, s, err, sizeof(err)) == -1) {
		fprintf(stderr, "faqbot crisis-cv: %s: %s\n", expath, err);
		goto done;
	}
	printf("crisis backstop %d-fold cross-validation: %s (%zu messages); "
	    "rules + backstop load %.0f ms\n", folds, expath, n,
	    (t1 - t0) * 1000);
	figures(ex, n, s, rule, 2, 2, &f);
	printf("rules alone: escalation recall %.2f%%, acute recall %.2f%%, "
	    "false escalation %.2f%%\n", pct(f.esc_hit, f.esc_n),
	    pct(f.acute_hit, f.acute_n), pct(f.low_false, f.low_n));
	printf("%7s %7s %9s %9s %10s %10s %12s\n", "concern", "acute",
	    "esc-rec%", "acute-rec%", "false-esc%", "none-false%",
	    "raised-acute-wrong");
	for (a = 0; a < sizeof(grid) / sizeof(grid[0]); a++)
		for (b = 0; b < sizeof(grid) / sizeof(grid[0]); b++) {
			if (grid[b] < grid[a])
				continue;
			figures(ex, n, s, rule, grid[a], grid[b], &f);
			printf("%7.2f %7.2f %9.2f %9.2f %10.2f %10.2f %12d\n",
			    grid[a], grid[b], pct(f.esc_hit, f.esc_n),
			    pct(f.acute_hit, f.acute_n),
			    pct(f.low_false, f.low_n),
			    pct(f.none_false, f.none_n), f.raised_acute_false);
		}
	figures(ex, n, s, rule, CRISIS_MODEL_CONCERN, CRISIS_MODEL_ACUTE, &f);
	printf("{\"folds\":%d,\"messages\":%zu,\"concern_threshold\":%.2f,"
	    "\"acute_threshold\":%.2f,\"escalation_recall\":%.2f,"
	    "\"acute_recall\":%.2f,\"false_escalation\":%.2f,"
	    "\"load_ms\":%.1f}\n", folds, n, CRISIS_MODEL_CONCERN,
	    CRISIS_MODEL_ACUTE, pct(f.esc_hit, f.esc_n),
	    pct(f.acute_hit, f.acute_n), pct(f.low_false, f.low_n),
	    (t1 - t0) * 1000);
	rc = CMD_OK;
done:
	crisis_rules_free(&rules);
	crisis_free(c);
	crisis_examples_free(ex, n);
	free(s);
	free(rule);
	free(path);
	free(expath);
	diag_free(&d);
	return rc;
}
