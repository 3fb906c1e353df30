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

#define DEFAULT_THRESHOLD	MATCHER_DEFAULT_THRESHOLD
#define DEFAULT_COV_POWER	1.0

struct matcher {
	const struct kb		*kb;
	struct analyzer		 ana;
	struct feat_params	 fp;
	struct model_params	 mp;
	struct model		 model;
	double			 threshold;
	double			 cov_power;	/* confidence *= term_cov^this */
	size_t			 ntexts;	/* training texts */
};

static const struct feat_params default_params = {
	.word_weight = 1.0f,
	.char_weight = 2.0f,
	.bigrams = 2,
	.char_min = 3,
	.char_max = 4,
	.stop_unigrams = 1,
	.char_span = 0,
};

static const struct model_params default_model = {
	.epochs = 10,
	.eta = 2.0f,
	.lambda = 1e-5f,
	.min_df = 2,
	.folds = 0,
	.seed = 0,
	.dropout = 0.25f,
};

/*
 * adapt_params() sizes training to the KB: small KBs get more SGD passes
 * (at least MIN_STEPS updates in all) and a softmax temperature fitted by
 * cross-validation; large ones (CLINC150: 15,000 examples) keep T = 1 so
 * that training stays well under a second.
 */
static size_t	nclasses(const struct kb *);
static size_t	class_ntexts(const struct kb *, size_t);

#define MIN_STEPS	40000
#define CV_MAX_EXAMPLES	4000
#define CV_FOLDS	5

static void
adapt_params(struct model_params *mp, const struct kb *kb)
{
	size_t i, n = 0;

	for (i = 0; i < nclasses(kb); i++)
		n += class_ntexts(kb, i);
	if (n == 0)
		return;
	while (mp->epochs < 50 && (size_t)mp->epochs * n < MIN_STEPS)
		mp->epochs++;
	if (n <= CV_MAX_EXAMPLES)
		mp->folds = CV_FOLDS;
}

/* Number of classes: the intents, then the out-of-scope topics. */
static size_t
nclasses(const struct kb *kb)
{
	return kb->nintents + (kb->topics != NULL ? kb->ntopics : 0);
}

/* Number of training texts of class c (intents: + the canonical). */
static size_t
class_ntexts(const struct kb *kb, size_t c)
{
	if (c < kb->nintents)
		return kb->intents[c].nexamples + 1;
	return kb->topics[c - kb->nintents].nexamples;
}

/*
 * Text of training example j of class c: for an intent, j == 0 is the
 * canonical question and j >= 1 its examples; for a topic, its examples.
 * NULL when absent.
 */
static const char *
example(const struct kb *kb, size_t c, size_t j)
{
	const struct kb_topic *t;

	if (c < kb->nintents) {
		const struct kb_intent *in = &kb->intents[c];
		if (j == 0)
			return in->question;
		return in->examples != NULL ? in->examples[j - 1] : NULL;
	}
	t = &kb->topics[c - kb->nintents];
	return t->examples != NULL ? t->examples[j] : NULL;
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
	for (i = 0; i < nclasses(kb); i++)
		n += class_ntexts(kb, i);
	if ((t = malloc(sizeof(*t))) == NULL ||
	    (v = malloc(sizeof(*v))) == NULL ||
	    (ts->off = malloc((n + 1) * sizeof(*ts->off))) == NULL ||
	    (ts->y = malloc(n * sizeof(*ts->y))) == NULL ||
	    (ts->idx = malloc(4096 * sizeof(*ts->idx))) == NULL ||
	    (ts->val = malloc(4096 * sizeof(*ts->val))) == NULL)
		goto oom;
	cap = n;
	capnnz = 4096;
	ts->off[0] = 0;
	for (i = 0; i < nclasses(kb); i++) {
		for (j = 0; j < class_ntexts(kb, i); j++) {
			const char *s = example(kb, i, j);
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
			if (v->n > 0) {
				memcpy(ts->idx + nnz, v->idx,
				    v->n * sizeof(*v->idx));
				memcpy(ts->val + nnz, v->val,
				    v->n * sizeof(*v->val));
				nnz += v->n;
			}
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
	return matcher_new_tuned(kb, opts, NULL, NULL, err, errlen);
}

void
matcher_stats(const struct matcher *m, size_t *nrows, double *temp)
{
	*nrows = m->model.nrows;
	*temp = m->model.temp;
}

/* Number of training texts of kb (the non-NULL ones). */
static size_t
count_texts(const struct kb *kb)
{
	size_t i, j, n = 0;

	for (i = 0; i < nclasses(kb); i++)
		for (j = 0; j < class_ntexts(kb, i); j++)
			n += example(kb, i, j) != NULL;
	return n;
}

/*
 * matcher_setup() allocates a matcher for kb with its parameters (fp, mp:
 * NULL for the defaults sized to kb) and builds its analyser from kb's
 * texts and lexicon; the stemmer it used is left in *stp for the caller
 * to delete.  NULL with a message in err.
 */
static struct matcher *
matcher_setup(const struct kb *kb, const struct matcher_opts *opts,
    const struct feat_params *fp, const struct model_params *mp,
    struct sb_stemmer **stp, char *err, size_t errlen)
{
	struct matcher *m = NULL;
	size_t i, j;

	*stp = NULL;
	if (kb == NULL || kb->nintents == 0) {
		snprintf(err, errlen, "matcher: the knowledge base has no "
		    "intents");
		return NULL;
	}
	if (kb->nintents > 100000 || (kb->topics != NULL &&
	    kb->ntopics > 100000)) {
		snprintf(err, errlen, "matcher: too many intents (%zu) or "
		    "topics (%zu)", kb->nintents, kb->ntopics);
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto oom;
	m->kb = kb;
	m->fp = fp != NULL ? *fp : default_params;
	m->mp = mp != NULL ? *mp : default_model;
	if (mp == NULL)
		adapt_params(&m->mp, kb);
	m->cov_power = DEFAULT_COV_POWER;
	m->threshold = opts != NULL && opts->threshold >= 0 ?
	    opts->threshold : DEFAULT_THRESHOLD;
	m->ntexts = count_texts(kb);
	if ((*stp = sb_stemmer_new("english", NULL)) == NULL)
		goto oom;
	if (ana_init(&m->ana, kb->concepts, kb->nconcepts, *stp, err,
	    errlen) == -1)
		goto fail;
	for (i = 0; i < nclasses(kb); i++) {
		for (j = 0; j < class_ntexts(kb, i); j++) {
			const char *s = example(kb, i, j);
			if (s != NULL &&
			    ana_learn(&m->ana, s, strlen(s), *stp) == -1)
				goto oom;
		}
	}
	if (ana_finish(&m->ana) == -1)
		goto oom;
	return m;
oom:
	snprintf(err, errlen, "matcher: out of memory");
fail:
	matcher_free(m);
	return NULL;
}

struct matcher *
matcher_new_tuned(const struct kb *kb, const struct matcher_opts *opts,
    const struct feat_params *fp, const struct model_params *mp, char *err,
    size_t errlen)
{
	struct matcher *m;
	struct sb_stemmer *st = NULL;
	struct train_set ts;

	memset(&ts, 0, sizeof(ts));
	if ((m = matcher_setup(kb, opts, fp, mp, &st, err, errlen)) == NULL)
		goto fail;
	if (build_train_set(m, st, &ts) == -1) {
		snprintf(err, errlen, "matcher: out of memory");
		goto fail;
	}
	if (ts.n == 0) {
		snprintf(err, errlen, "matcher: the knowledge base has no "
		    "questions");
		goto fail;
	}
	if (model_train(&m->model, &m->fp, &m->mp, &ts, (int)nclasses(kb),
	    err, errlen) == -1)
		goto fail;
	train_set_free(&ts);
	sb_stemmer_delete(st);
	return m;
fail:
	train_set_free(&ts);
	if (st != NULL)
		sb_stemmer_delete(st);
	matcher_free(m);
	return NULL;
}

struct matcher *
matcher_load(const struct kb *kb, const struct matcher_opts *opts,
    const unsigned char *buf, size_t len, char *err, size_t errlen)
{
	return matcher_load_tuned(kb, opts, NULL, NULL, buf, len, err,
	    errlen);
}

struct matcher *
matcher_load_tuned(const struct kb *kb, const struct matcher_opts *opts,
    const struct feat_params *fp, const struct model_params *mp,
    const unsigned char *buf, size_t len, char *err, size_t errlen)
{
	struct matcher *m;
	struct sb_stemmer *st = NULL;
	struct model_io_check chk;

	if ((m = matcher_setup(kb, opts, fp, mp, &st, err, errlen)) == NULL)
		goto fail;
	chk.ntexts = (uint32_t)m->ntexts;
	chk.nwords = (uint32_t)m->ana.nwords;
	if (m->ntexts == 0) {
		snprintf(err, errlen, "matcher: the knowledge base has no "
		    "questions");
		goto fail;
	}
	if (model_io_read(&m->model, &m->fp, &m->mp, &chk,
	    (int)nclasses(kb), buf, len, err, errlen) == -1)
		goto fail;
	sb_stemmer_delete(st);
	return m;
fail:
	if (st != NULL)
		sb_stemmer_delete(st);
	matcher_free(m);
	return NULL;
}

uint64_t
matcher_digest(const struct kb *kb)
{
	uint64_t h = MIO_HASH_INIT;
	size_t i, j;
	char sep[2] = { 'C', 'L' };

	h = mio_hash(h, "matcher", 7);
	h = mio_hash(h, &kb->nintents, sizeof(kb->nintents));
	for (i = 0; i < nclasses(kb); i++) {
		h = mio_hash(h, &sep[0], 1);
		for (j = 0; j < class_ntexts(kb, i); j++)
			h = mio_hash_str(h, example(kb, i, j));
	}
	for (i = 0; i < kb->nconcepts; i++) {
		h = mio_hash(h, &sep[1], 1);
		h = mio_hash_str(h, kb->concepts[i].canonical);
		for (j = 0; j < kb->concepts[i].nvariants; j++)
			h = mio_hash_str(h, kb->concepts[i].variants[j]);
	}
	return h;
}

int
matcher_save(const struct matcher *m, unsigned char **out, size_t *len)
{
	struct model_io_check chk;

	chk.ntexts = (uint32_t)m->ntexts;
	chk.nwords = (uint32_t)m->ana.nwords;
	return model_io_write(&m->model, &m->fp, &m->mp, &chk, out, len);
}

/* Softmax of the first n scores at the model's temperature, in place. */
static void
softmax_t(const struct matcher *m, float *s, int n)
{
	float mx = s[0], sum = 0, T = m->model.temp;
	int c;

	for (c = 1; c < n; c++)
		if (s[c] > mx)
			mx = s[c];
	for (c = 0; c < n; c++) {
		s[c] = expf((s[c] - mx) / T);
		sum += s[c];
	}
	for (c = 0; c < n; c++)
		s[c] /= sum;
}

/*
 * term_coverage() is the share of content words (all words when there are
 * only stop words) that the analyser knows: training vocabulary, lexicon,
 * or a spelling correction of either.  0 for gibberish.
 */
static double
term_coverage(const struct terms *t)
{
	size_t i, nk = 0, nn = 0;
	int pass;

	for (pass = 0; pass < 2 && nn == 0; pass++) {
		for (i = 0; i < t->n; i++) {
			if (pass == 0 && t->t[i].stop)
				continue;
			nn++;
			nk += t->t[i].known;
		}
	}
	return nn ? (double)nk / (double)nn : 0;
}

/*
 * score_text() analyses text and fills s (model.stride floats) with the
 * class probabilities and d with the evidence (word count, coverage).
 */
static void
score_text(const struct matcher *m, struct matcher_ws *ws, const char *text,
    size_t len, float *s, struct match_detail *d)
{
	struct terms t;
	struct fvec v;

	ana_terms_ws(&m->ana, text, len, ws, &t);
	feat_extract(&m->fp, &t, &v);
	feat_weight(&m->fp, &m->model, &v);
	d->nterms = t.n;
	d->term_cov = term_coverage(&t);
	model_scores(&m->model, &v, s);
	softmax_t(m, s, m->model.nclass);
}

void
matcher_detail(const struct matcher *m, const char *text, size_t len,
    struct match_detail *d)
{
	float sbuf[256], *s = sbuf;
	int c;

	memset(d, 0, sizeof(*d));
	d->top = -1;
	if (m->model.stride > (int)(sizeof(sbuf) / sizeof(sbuf[0])) &&
	    (s = malloc((size_t)m->model.stride * sizeof(*s))) == NULL)
		return;
	score_text(m, NULL, text, len, s, d);
	for (c = 0; c < (int)m->kb->nintents; c++)
		if (d->top < 0 || s[c] > s[d->top])
			d->top = c;
	d->pmax = s[d->top];
	if (s != sbuf)
		free(s);
}

/* The confidence reported for probability p and evidence d. */
static double
confidence(const struct matcher *m, double p, const struct match_detail *d)
{
	/* pow(x, 1) is x: skip the call for the default power */
	double c = p * (m->cov_power == 1.0 ? d->term_cov :
	    pow(d->term_cov, m->cov_power));

	return c < 0 ? 0 : c > 1 ? 1 : c;
}

void
matcher_match(const struct matcher *m, const char *text, size_t len,
    struct match_result *res)
{
	matcher_match_ws(m, NULL, text, len, res);
}

void
matcher_match_ws(const struct matcher *m, struct matcher_ws *ws,
    const char *text, size_t len, struct match_result *res)
{
	struct match_detail d;
	float sbuf[256], *s = sbuf;
	int top[MATCH_MAX_ALTS + 1] = { 0 };
	double conf[MATCH_MAX_ALTS + 1] = { 0 };
	int n, ni, c, k, ntop = 0, besttopic = -1;

	memset(res, 0, sizeof(*res));
	res->intent = -1;
	if (m == NULL)
		return;
	if (text == NULL)
		len = 0;
	n = m->model.nclass;
	ni = (int)m->kb->nintents;
	if (m->model.stride > (int)(sizeof(sbuf) / sizeof(sbuf[0])) &&
	    (s = malloc((size_t)m->model.stride * sizeof(*s))) == NULL)
		return;
	memset(&d, 0, sizeof(d));
	score_text(m, ws, text != NULL ? text : "", len, s, &d);
	if (d.nterms == 0) {
		if (s != sbuf)
			free(s);
		return;
	}
	/* best MATCH_MAX_ALTS + 1 intents, insertion into a short list */
	for (c = 0; c < ni; c++) {
		if (ntop == MATCH_MAX_ALTS + 1 && s[c] <= s[top[ntop - 1]])
			continue;
		k = ntop < MATCH_MAX_ALTS + 1 ? ntop++ : ntop - 1;
		while (k > 0 && s[top[k - 1]] < s[c]) {
			top[k] = top[k - 1];
			k--;
		}
		top[k] = c;
	}
	/* the best out-of-scope topic, if the KB has any */
	for (c = ni; c < n; c++)
		if (besttopic < 0 || s[c] > s[besttopic])
			besttopic = c;
	for (k = 0; k < ntop; k++)
		conf[k] = confidence(m, s[top[k]], &d);
	if (besttopic >= 0 && (ntop == 0 || s[besttopic] > s[top[0]])) {
		/* an out-of-scope topic beats every intent: reject with it
		 * (its probability unweighted by coverage: unknown words
		 * make a question no more answerable) */
		res->topic = besttopic - ni + 1;
		res->topic_confidence = s[besttopic] < 0 ? 0 :
		    s[besttopic] > 1 ? 1 : s[besttopic];
	}
	if (s != sbuf)
		free(s);
	if (res->topic == 0 && ntop > 0 && conf[0] >= m->threshold) {
		res->intent = top[0];
		res->confidence = conf[0];
		for (k = 1; k < ntop; k++) {
			res->alts[res->nalts].intent = top[k];
			res->alts[res->nalts].confidence = conf[k];
			res->nalts++;
		}
	} else {
		/* no match: the best candidates become the suggestions */
		res->confidence = conf[0];
		for (k = 0; k < ntop && k < MATCH_MAX_ALTS; k++) {
			res->alts[res->nalts].intent = top[k];
			res->alts[res->nalts].confidence = conf[k];
			res->nalts++;
		}
	}
}

void
matcher_set_fuzzy(struct matcher *m, int on)
{
	m->ana.fuzzy = on != 0;
	if (!on)	/* its memory is better spent elsewhere */
		ana_drop_index(&m->ana);
}

int
matcher_probs(const struct matcher *m, struct matcher_ws *ws,
    const char *text, size_t len, double *p, size_t np, double *cov)
{
	struct match_detail d;
	float sbuf[256], *s = sbuf;
	int c;

	if (m == NULL || np < (size_t)m->model.nclass)
		return -1;
	if (m->model.stride > (int)(sizeof(sbuf) / sizeof(sbuf[0])) &&
	    (s = malloc((size_t)m->model.stride * sizeof(*s))) == NULL)
		return -1;
	memset(&d, 0, sizeof(d));
	score_text(m, ws, text != NULL ? text : "", text != NULL ? len : 0,
	    s, &d);
	for (c = 0; c < m->model.nclass; c++)
		p[c] = d.nterms > 0 ? s[c] : 0;
	if (cov != NULL)
		*cov = d.term_cov;
	if (s != sbuf)
		free(s);
	return d.nterms > 0 ? 0 : -1;
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
