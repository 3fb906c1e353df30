/*
 * cmd_cv.c -- `faqbot cv [--kb DIR] [--folds K] [--per-intent] [--errors]
 * [--json]`: cross-validated
 * figures of the matcher on the KB's own data, so that choices (threshold,
 * out-of-scope topics, matcher signals) are made without touching the
 * held-out evaluation set.  Two protocols:
 *   folds:  every intent's and topic's examples split into K folds; train
 *           on K-1, classify the held-out fold (in-scope accuracy on
 *           intent examples, rejection of topic examples), at a sweep of
 *           thresholds;
 *   unseen: for each topic, train on everything but that topic and count
 *           how many of its examples are still rejected (out-of-scope
 *           kinds the KB does not list).
 * Per intent, the share of its held-out examples answered right shows
 * which intents need more varied examples (--per-intent lists them);
 * --errors lists the held-out examples themselves that were answered
 * wrong, to show which classes are confused.
 * It reads the KB only; it trains K + ntopics matchers.
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

#define CV_NTHR	9
static const double cv_thr[CV_NTHR] = {
	0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70,
};

/* One held-out prediction: what the matcher said at threshold 0. */
struct cv_pred {
	const char *text;	/* the example, borrowed from the KB */
	int	truth;		/* intent index, or -1 - topic index */
	int	intent;		/* best intent (-1: none) */
	int	topic;		/* 1 + topic index that rejected it, or 0 */
	double	conf;		/* best intent's confidence */
};

struct cv_run {
	struct cv_pred	*p;
	size_t		 n, cap;
};

static void
cv_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faqbot cv [--kb DIR] [--folds K] [--per-intent] "
	    "[--errors]\n"
	    "                 [--json]\n"
	    "\n"
	    "Cross-validate the matcher on the KB's own examples: K folds of\n"
	    "every intent's and out-of-scope topic's examples (in-scope\n"
	    "accuracy, rejection of held-out topic examples, at a sweep of\n"
	    "thresholds), then each topic left out of training entirely.\n"
	    "  --kb DIR     knowledge base directory (default faq)\n"
	    "  --folds K    number of folds, 2..20 (default 5)\n"
	    "  --per-intent list every intent's in-scope accuracy, weakest "
	    "first\n"
	    "  --errors     list the held-out examples answered wrong\n"
	    "  --json       print only a JSON line\n");
}

static void
run_add(struct cv_run *r, const char *text, int truth,
    const struct match_result *m)
{
	struct cv_pred *p;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->p = xreallocarray(r->p, r->cap, sizeof(*r->p));
	}
	p = &r->p[r->n++];
	p->text = text;
	p->truth = truth;
	p->topic = m->topic;
	p->intent = m->topic > 0 ? -1 : m->intent;
	p->conf = m->confidence;
}

/* At threshold t: *acc over intent examples, *rej over topic ones. */
static void
run_score(const struct cv_run *r, double t, double *acc, double *rej,
    long *nin, long *noos)
{
	long in = 0, ok = 0, oos = 0, rejected = 0;
	size_t i;

	/* answered: no topic won and the confidence reaches t */
	for (i = 0; i < r->n; i++) {
		const struct cv_pred *p = &r->p[i];
		int answered = p->topic == 0 && p->intent >= 0 && p->conf >= t;

		if (p->truth >= 0) {
			in++;
			ok += answered && p->intent == p->truth;
		} else {
			oos++;
			rejected += !answered;
		}
	}
	*acc = in ? 100.0 * (double)ok / (double)in : 0;
	*rej = oos ? 100.0 * (double)rejected / (double)oos : 0;
	*nin = in;
	*noos = oos;
}

/* One intent's cross-validated figure, for the per-intent list. */
struct cv_intent {
	size_t	idx;		/* into kb->intents */
	long	n, ok;		/* held-out examples, answered right */
};

static int
cmp_intent(const void *a, const void *b)
{
	const struct cv_intent *x = a, *y = b;
	double fx = x->n ? (double)x->ok / (double)x->n : 1;
	double fy = y->n ? (double)y->ok / (double)y->n : 1;

	if (fx != fy)
		return fx < fy ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * intent_scores() counts, per intent of kb, its held-out examples in r
 * and those answered right at threshold t; returns an array of
 * kb->nintents entries sorted weakest first (caller frees).
 */
static struct cv_intent *
intent_scores(const struct cv_run *r, const struct kb *kb, double t)
{
	struct cv_intent *ci = xcalloc(kb->nintents + 1, sizeof(*ci));
	size_t i;

	for (i = 0; i < kb->nintents; i++)
		ci[i].idx = i;
	for (i = 0; i < r->n; i++) {
		const struct cv_pred *p = &r->p[i];
		if (p->truth < 0 || (size_t)p->truth >= kb->nintents)
			continue;
		ci[p->truth].n++;
		ci[p->truth].ok += p->topic == 0 && p->intent == p->truth &&
		    p->conf >= t;
	}
	qsort(ci, kb->nintents, sizeof(*ci), cmp_intent);
	return ci;
}

/* Share of in-scope examples that an out-of-scope topic rejected. */
static double
run_topic_lost(const struct cv_run *r)
{
	long in = 0, lost = 0;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->p[i].truth >= 0) {
			in++;
			lost += r->p[i].topic > 0;
		}
	return in ? 100.0 * (double)lost / (double)in : 0;
}

/* A class's id: intent index c >= 0, or topic -1 - c. */
static const char *
class_id(const struct kb *kb, int c)
{
	return c >= 0 ? kb->intents[c].id : kb->topics[-1 - c].id;
}

/*
 * Prints every held-out example of r answered wrong at threshold t, as
 * `  expected <- "text" -> got (confidence)`, where got is an intent id,
 * "topic:ID" or "none" (below the threshold), in the order classified.
 */
static void
print_errors(const struct cv_run *r, const struct kb *kb, double t)
{
	size_t i;
	long n = 0;

	printf("held-out examples answered wrong (threshold %.2f):\n", t);
	for (i = 0; i < r->n; i++) {
		const struct cv_pred *p = &r->p[i];
		int answered = p->topic == 0 && p->intent >= 0 && p->conf >= t;
		char got[300];

		if (p->truth >= 0 ? answered && p->intent == p->truth :
		    !answered)
			continue;
		if (p->topic > 0)
			snprintf(got, sizeof(got), "topic:%s",
			    kb->topics[p->topic - 1].id);
		else if (answered)
			snprintf(got, sizeof(got), "%s",
			    kb->intents[p->intent].id);
		else
			snprintf(got, sizeof(got), "none (best %s)",
			    p->intent >= 0 ? kb->intents[p->intent].id : "-");
		printf("  %s%s <- \"%s\" -> %s (%.2f)\n", p->truth < 0 ?
		    "topic:" : "", class_id(kb, p->truth), p->text, got,
		    p->conf);
		n++;
	}
	printf("  %ld error(s)\n", n);
}

/*
 * Builds in sub a shallow copy of kb keeping, of every class's examples,
 * those whose fold ((index + class) % k) is not f (f < 0: all), and no
 * topic skip (index; -1: none) at all.  sub's arrays are freed by
 * sub_free(); the strings stay kb's.
 */
static void
sub_build(struct kb *sub, const struct kb *kb, int k, int f, long skip)
{
	size_t c, j;

	memset(sub, 0, sizeof(*sub));
	sub->sources = kb->sources;
	sub->nsources = kb->nsources;
	sub->concepts = kb->concepts;
	sub->nconcepts = kb->nconcepts;
	sub->intents = xcalloc(kb->nintents + 1, sizeof(*sub->intents));
	sub->nintents = kb->nintents;
	for (c = 0; c < kb->nintents; c++) {
		const struct kb_intent *in = &kb->intents[c];
		struct kb_intent *o = &sub->intents[c];

		*o = *in;
		o->examples = xcalloc(in->nexamples + 1, sizeof(char *));
		o->nexamples = 0;
		for (j = 0; j < in->nexamples; j++)
			if (f < 0 || (int)((j + c) % (size_t)k) != f)
				o->examples[o->nexamples++] = in->examples[j];
	}
	sub->topics = xcalloc(kb->ntopics + 1, sizeof(*sub->topics));
	for (c = 0; c < kb->ntopics; c++) {
		const struct kb_topic *t = &kb->topics[c];
		struct kb_topic *o;
		size_t cls = kb->nintents + c;

		if ((long)c == skip)
			continue;
		o = &sub->topics[sub->ntopics++];
		*o = *t;
		o->examples = xcalloc(t->nexamples + 1, sizeof(char *));
		o->nexamples = 0;
		for (j = 0; j < t->nexamples; j++)
			if (f < 0 || (int)((j + cls) % (size_t)k) != f)
				o->examples[o->nexamples++] = t->examples[j];
	}
}

static void
sub_free(struct kb *sub)
{
	size_t i;

	for (i = 0; i < sub->nintents; i++)
		free(sub->intents[i].examples);
	for (i = 0; i < sub->ntopics; i++)
		free(sub->topics[i].examples);
	free(sub->intents);
	free(sub->topics);
	memset(sub, 0, sizeof(*sub));
}

static struct matcher *
train(const struct kb *sub)
{
	struct matcher_opts mo = { 0.0 };
	struct matcher *m;
	char err[256];

	if ((m = matcher_new(sub, &mo, err, sizeof(err))) == NULL)
		fprintf(stderr, "faqbot cv: %s\n", err);
	return m;
}

static void
classify(const struct matcher *m, const char *s, int truth,
    struct cv_run *r)
{
	struct match_result res;

	matcher_match(m, s, strlen(s), &res);
	run_add(r, s, truth, &res);
}

/* The K-fold protocol into r; -1 if a matcher cannot be trained. */
static int
cv_folds(const struct kb *kb, int k, struct cv_run *r)
{
	struct kb sub;
	struct matcher *m;
	size_t c, j;
	int f;

	for (f = 0; f < k; f++) {
		sub_build(&sub, kb, k, f, -1);
		if ((m = train(&sub)) == NULL) {
			sub_free(&sub);
			return -1;
		}
		for (c = 0; c < kb->nintents; c++)
			for (j = 0; j < kb->intents[c].nexamples; j++)
				if ((int)((j + c) % (size_t)k) == f)
					classify(m, kb->intents[c].examples[j],
					    (int)c, r);
		for (c = 0; c < kb->ntopics; c++)
			for (j = 0; j < kb->topics[c].nexamples; j++)
				if ((int)((j + kb->nintents + c) %
				    (size_t)k) == f)
					classify(m, kb->topics[c].examples[j],
					    -1 - (int)c, r);
		matcher_free(m);
		sub_free(&sub);
	}
	return 0;
}

int
cmd_cv(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kb", required_argument, NULL, 'k' },
		{ "folds", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "per-intent", no_argument, NULL, 'p' },
		{ "errors", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kbset *ks;
	const struct kb *kb;
	const char *kbdir = "faq";
	struct cv_run r = { NULL, 0, 0 };
	cJSON *o, *sweep, *unseen, *it, *per;
	struct cv_intent *ci;
	char *end, *s;
	long folds = 5, nin, noos;
	double acc, rej, dt = MATCHER_DEFAULT_THRESHOLD;
	size_t t, i, tot_un = 0, rej_un = 0;
	int ch, json = 0, per_intent = 0, errors = 0, rc = CMD_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hjpek:f:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'k':
			kbdir = optarg;
			break;
		case 'f':
			folds = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || folds < 2 ||
			    folds > 20) {
				fprintf(stderr, "faqbot cv: --folds: 2..20\n");
				return CMD_USAGE;
			}
			break;
		case 'j':
			json = 1;
			break;
		case 'p':
			per_intent = 1;
			break;
		case 'e':
			errors = 1;
			break;
		case 'h':
			cv_usage(stdout);
			return CMD_OK;
		default:
			cv_usage(stderr);
			return CMD_USAGE;
		}
	}
	if (argc - optind != 0) {
		cv_usage(stderr);
		return CMD_USAGE;
	}
	if ((ks = cmd_load_kb("cv", kbdir, NULL)) == NULL)
		return CMD_FAIL;
	kb = kbset_kb(ks);
	if ((o = cJSON_CreateObject()) == NULL)
		goto oom;
	cJSON_AddStringToObject(o, "kb", kbdir);
	cJSON_AddNumberToObject(o, "folds", (double)folds);
	cJSON_AddNumberToObject(o, "topics", (double)kb->ntopics);
	if (cv_folds(kb, (int)folds, &r) == -1) {
		rc = CMD_FAIL;
		goto done;
	}
	if (!json)
		printf("%ld-fold cross-validation (%zu intents, %zu topics)\n"
		    "threshold  in-scope acc.  topic rejection\n", folds,
		    kb->nintents, kb->ntopics);
	sweep = cJSON_AddArrayToObject(o, "sweep");
	for (i = 0; i < CV_NTHR; i++) {
		run_score(&r, cv_thr[i], &acc, &rej, &nin, &noos);
		if (!json)
			printf("  %.2f%s     %6.2f%%        %6.2f%%\n",
			    cv_thr[i], cv_thr[i] == dt ? "*" : " ", acc, rej);
		if ((it = cJSON_CreateObject()) == NULL)
			goto oom;
		cJSON_AddNumberToObject(it, "threshold", cv_thr[i]);
		cJSON_AddNumberToObject(it, "in_scope_accuracy",
		    (double)(long)(acc * 100 + 0.5) / 100);
		cJSON_AddNumberToObject(it, "topic_rejection",
		    (double)(long)(rej * 100 + 0.5) / 100);
		cJSON_AddItemToArray(sweep, it);
	}
	run_score(&r, dt, &acc, &rej, &nin, &noos);
	cJSON_AddNumberToObject(o, "in_scope_total", (double)nin);
	cJSON_AddNumberToObject(o, "topic_total", (double)noos);
	cJSON_AddNumberToObject(o, "in_scope_accuracy",
	    (double)(long)(acc * 100 + 0.5) / 100);
	cJSON_AddNumberToObject(o, "topic_rejection",
	    (double)(long)(rej * 100 + 0.5) / 100);
	acc = run_topic_lost(&r);
	if (!json)
		printf("in-scope examples rejected by a topic: %.2f%%\n", acc);
	cJSON_AddNumberToObject(o, "in_scope_lost_to_topics",
	    (double)(long)(acc * 100 + 0.5) / 100);

	/* per intent, weakest first */
	ci = intent_scores(&r, kb, dt);
	per = cJSON_AddObjectToObject(o, "per_intent");
	if (!json && per_intent)
		printf("in-scope accuracy per intent (threshold %.2f), weakest "
		    "first:\n", dt);
	for (i = 0; i < kb->nintents; i++) {
		const struct cv_intent *x = &ci[i];
		double a = x->n ? 100.0 * (double)x->ok / (double)x->n : 100;

		if (!json && per_intent)
			printf("  %6.2f%% (%ld/%ld)  %s\n", a, x->ok, x->n,
			    kb->intents[x->idx].id);
		cJSON_AddNumberToObject(per, kb->intents[x->idx].id,
		    (double)(long)(a * 100 + 0.5) / 100);
	}
	free(ci);
	if (!json && errors)
		print_errors(&r, kb, dt);

	/* unseen topics: each left out of training entirely */
	unseen = cJSON_AddObjectToObject(o, "unseen_topic_rejection");
	if (!json && kb->ntopics > 0)
		printf("each topic left out of training (threshold %.2f):\n",
		    dt);
	for (t = 0; t < kb->ntopics; t++) {
		struct kb sub;
		struct matcher *m;
		struct cv_run u = { NULL, 0, 0 };

		sub_build(&sub, kb, 2, -1, (long)t);
		if ((m = train(&sub)) == NULL) {
			sub_free(&sub);
			rc = CMD_FAIL;
			goto done;
		}
		for (i = 0; i < kb->topics[t].nexamples; i++)
			classify(m, kb->topics[t].examples[i], -1, &u);
		run_score(&u, dt, &acc, &rej, &nin, &noos);
		tot_un += (size_t)noos;
		rej_un += (size_t)(rej * (double)noos / 100 + 0.5);
		if (!json)
			printf("  %-20s %6.2f%% (%ld examples)\n",
			    kb->topics[t].id, rej, noos);
		cJSON_AddNumberToObject(unseen, kb->topics[t].id,
		    (double)(long)(rej * 100 + 0.5) / 100);
		free(u.p);
		matcher_free(m);
		sub_free(&sub);
	}
	if (tot_un > 0) {
		rej = 100.0 * (double)rej_un / (double)tot_un;
		if (!json)
			printf("  %-20s %6.2f%% (%zu examples)\n", "all", rej,
			    tot_un);
		cJSON_AddNumberToObject(o, "unseen_rejection",
		    (double)(long)(rej * 100 + 0.5) / 100);
	}
	if ((s = cJSON_PrintUnformatted(o)) == NULL)
		goto oom;
	printf("%s\n", s);
	free(s);
done:
	cJSON_Delete(o);
	free(r.p);
	kbset_unref(ks);
	return rc;
oom:
	fprintf(stderr, "faqbot cv: out of memory\n");
	exit(1);
}
