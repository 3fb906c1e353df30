/*
 * matcher.c -- the public matcher API: trains the analyser and the model
 * from a struct kb, then classifies questions into the top intents with a
 * confidence in [0, 1], or "no match" below the threshold.  Read-only after
 * matcher_new(), so matcher_match() may run concurrently.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "intents.h"
#include "internal.h"

#define DEFAULT_THRESHOLD	0.30

struct matcher {
	const struct kb		*kb;
	struct analyzer		 ana;
	struct feat_params	 fp;
	struct model		 model;
	double			 threshold;
};

static const struct feat_params default_params = {
	.word_weight = 1.0f,
	.char_weight = 1.0f,
	.bigrams = 1,
	.char_min = 3,
	.char_max = 5,
	.stop_unigrams = 1,
};

/* Text of training example j of intent i (j == 0: canonical question). */
static const char *
example(const struct kb_intent *in, size_t j)
{
	return j == 0 ? in->question : in->examples[j - 1];
}

/* Builds the training vectors of every example; 0 or -1 (OOM). */
static int
build_train_set(struct matcher *m, struct sb_stemmer *st,
    struct train_set *ts)
{
	const struct kb *kb = m->kb;
	struct terms *t = NULL;
	struct fvec *v = NULL;
	size_t i, j, n = 0, cap = 0, nnz = 0, capnnz = 0;

	memset(ts, 0, sizeof(*ts));
	for (i = 0; i < kb->nintents; i++)
		n += kb->intents[i].nexamples + 1;
	if ((t = malloc(sizeof(*t))) == NULL ||
	    (v = malloc(sizeof(*v))) == NULL ||
	    (ts->off = malloc((n + 1) * sizeof(*ts->off))) == NULL ||
	    (ts->y = malloc(n * sizeof(*ts->y))) == NULL)
		goto oom;
	cap = n;
	ts->off[0] = 0;
	for (i = 0; i < kb->nintents; i++) {
		const struct kb_intent *in = &kb->intents[i];
		for (j = 0; j <= in->nexamples; j++) {
			const char *s = example(in, j);
			if (s == NULL || ts->n >= cap)
				continue;
			ana_terms(&m->ana, s, strlen(s), &st, t);
			feat_extract(&m->fp, t, v);
			if (nnz + v->n > capnnz) {
				size_t nc = capnnz ? capnnz * 2 : 65536;
				void *a, *b;
				while (nc < nnz + v->n)
					nc *= 2;
				a = realloc(ts->idx, nc * sizeof(*ts->idx));
				if (a == NULL)
					goto oom;
				ts->idx = a;
				b = realloc(ts->val, nc * sizeof(*ts->val));
				if (b == NULL)
					goto oom;
				ts->val = b;
				capnnz = nc;
			}
			memcpy(ts->idx + nnz, v->idx, v->n * sizeof(*v->idx));
			memcpy(ts->val + nnz, v->val, v->n * sizeof(*v->val));
			nnz += v->n;
			ts->y[ts->n] = (int)i;
			ts->off[++ts->n] = nnz;
		}
	}
	free(t);
	free(v);
	return 0;
oom:
	free(t);
	free(v);
	return -1;
}

static void
train_set_free(struct train_set *ts)
{
	free(ts->idx);
	free(ts->val);
	free(ts->off);
	free(ts->y);
	memset(ts, 0, sizeof(*ts));
}

struct matcher *
matcher_new(const struct kb *kb, const struct matcher_opts *opts,
    char *err, size_t errlen)
{
	struct matcher *m = NULL;
	struct sb_stemmer *st = NULL;
	struct train_set ts;
	size_t i, j;

	memset(&ts, 0, sizeof(ts));
	if (kb == NULL || kb->nintents == 0) {
		snprintf(err, errlen, "matcher: the knowledge base has no "
		    "intents");
		return NULL;
	}
	if (kb->nintents > 100000) {
		snprintf(err, errlen, "matcher: too many intents (%zu)",
		    kb->nintents);
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto oom;
	m->kb = kb;
	m->fp = default_params;
	m->threshold = opts != NULL && opts->threshold >= 0 ?
	    opts->threshold : DEFAULT_THRESHOLD;
	if ((st = sb_stemmer_new("english", NULL)) == NULL)
		goto oom;
	if (ana_init(&m->ana, kb->concepts, kb->nconcepts, st, err,
	    errlen) == -1)
		goto fail;
	for (i = 0; i < kb->nintents; i++) {
		const struct kb_intent *in = &kb->intents[i];
		for (j = 0; j <= in->nexamples; j++) {
			const char *s = example(in, j);
			if (s != NULL &&
			    ana_learn(&m->ana, s, strlen(s), st) == -1)
				goto oom;
		}
	}
	if (build_train_set(m, st, &ts) == -1)
		goto oom;
	if (ts.n == 0) {
		snprintf(err, errlen, "matcher: the knowledge base has no "
		    "questions");
		goto fail;
	}
	if (model_train(&m->model, &m->fp, &ts, (int)kb->nintents, err,
	    errlen) == -1)
		goto fail;
	train_set_free(&ts);
	sb_stemmer_delete(st);
	return m;
oom:
	snprintf(err, errlen, "matcher: out of memory");
fail:
	train_set_free(&ts);
	if (st != NULL)
		sb_stemmer_delete(st);
	matcher_free(m);
	return NULL;
}

/* Confidence of each class from raw scores, in place. */
static void
confidences(const struct matcher *m, float *s, int n)
{
	int c;

	for (c = 0; c < n; c++)
		s[c] = s[c] < 0 ? 0 : s[c] > 1 ? 1 : s[c];
	(void)m;
}

void
matcher_match(const struct matcher *m, const char *text, size_t len,
    struct match_result *res)
{
	struct sb_stemmer *st = NULL;
	struct terms t;
	struct fvec v;
	float sbuf[256], *s = sbuf;
	int n, c, k;

	memset(res, 0, sizeof(*res));
	res->intent = -1;
	if (m == NULL)
		return;
	n = m->model.nclass;
	if (n > (int)(sizeof(sbuf) / sizeof(sbuf[0])) &&
	    (s = malloc((size_t)n * sizeof(*s))) == NULL)
		return;
	ana_terms(&m->ana, text != NULL ? text : "", text != NULL ? len : 0,
	    &st, &t);
	if (st != NULL)
		sb_stemmer_delete(st);
	feat_extract(&m->fp, &t, &v);
	feat_weight(&m->fp, m->model.row, m->model.rowidf,
	    m->model.unseen_idf, &v);
	model_scores(&m->model, &v, s);
	confidences(m, s, n);
	/* top MATCH_MAX_ALTS + 1 by selection (ties: lower index first) */
	for (k = 0; k <= MATCH_MAX_ALTS && k < n; k++) {
		int best = -1;
		for (c = 0; c < n; c++) {
			int taken = 0, q;
			for (q = 0; q < k && !taken; q++)
				taken = (q == 0 ? res->intent :
				    res->alts[q - 1].intent) == c;
			if (taken && k > 0)
				continue;
			if (best < 0 || s[c] > s[best])
				best = c;
		}
		if (best < 0)
			break;
		if (k == 0) {
			res->intent = best;
			res->confidence = s[best];
		} else {
			res->alts[k - 1].intent = best;
			res->alts[k - 1].confidence = s[best];
			res->nalts++;
		}
	}
	if (s != sbuf)
		free(s);
	if (t.n == 0 || res->confidence < m->threshold) {
		/* keep the runners-up as suggestions: the best goes first */
		if (res->intent >= 0 && res->confidence > 0) {
			struct match_alt a[MATCH_MAX_ALTS];
			size_t i, na = 0;
			a[na].intent = res->intent;
			a[na].confidence = res->confidence;
			na++;
			for (i = 0; i < res->nalts && na < MATCH_MAX_ALTS; i++)
				a[na++] = res->alts[i];
			memcpy(res->alts, a, sizeof(a));
			res->nalts = na;
		}
		res->intent = -1;
	}
}

void
matcher_free(struct matcher *m)
{
	if (m == NULL)
		return;
	ana_free(&m->ana);
	model_free(&m->model);
	free(m);
}
