/*
 * crisis_model.c -- the crisis detector's learned backstop: a classifier
 * trained on labelled messages (faq/crisis-examples.tsv) that catches
 * wordings the phrase rules do not know ("everyone would be better off
 * without me").  crisis_check() consults it only to raise a none or
 * mention result; it never lowers what the rules found.
 *
 * DESIGN: no new learner.  Each level.kind of the examples becomes one
 * "intent" of a plain struct kb (every mention one class, none one
 * class) and the library's own matcher (matcher.c: hashed word and
 * character n-grams, a linear softmax model, fuzzy spelling) learns it.
 * A message's escalation score is the summed probability of the concern
 * and acute classes, its acute score that of the acute classes; the
 * thresholds were chosen by cross-validation (README, crisis section).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crisis.h"
#include "intents.h"
#include "internal.h"

#define CM_MAX_CLASSES	32
#define CM_NAME_MAX	48
#define CM_TEXT_MAX	2048	/* bytes of a message the model reads */

struct cm_class {
	enum crisis_level	 level;	/* MENTION stands for every mention */
	enum crisis_kind	 kind;
	char			 name[CM_NAME_MAX];	/* "model:acute.suicide" */
};

struct crisis_model {
	struct kb		 kb;		/* one intent per class (owned) */
	struct cm_class		 cls[CM_MAX_CLASSES];
	size_t			 ncls;
	size_t			 nexamples;
	struct matcher		*matcher;	/* borrows kb */
	double			 concern, acute, mention;
};

/*
 * The matcher's learner with settings chosen by cross-validation
 * (`faqbot crisis-cv`): word unigrams and bigrams only (character
 * n-grams made "killing me" look like "kill me"), no temperature fit
 * (it cost 0.4 s of load for nothing here), 10 SGD passes, no spelling
 * correction of unknown words (same CV figures, lower latency).
 */
static const struct feat_params cm_feat = {
	.word_weight = 1.0f,
	.char_weight = 0.0f,
	.bigrams = 2,
	.char_min = 0,
	.char_max = 0,
	.stop_unigrams = 1,
	.char_span = 0,
};

static const struct model_params cm_model = {
	.epochs = 10,
	.eta = 2.0f,
	.lambda = 1e-5f,
	.min_df = 2,
	.folds = 0,
	.seed = 0,
	.dropout = 0.25f,
};

static char *
dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

/* The class of an example: mention and none ignore the kind. */
static int
class_of(struct crisis_model *m, const struct crisis_example *e, int add)
{
	enum crisis_kind k = e->level >= CRISIS_CONCERN ? e->kind :
	    CRISIS_KIND_NONE;
	size_t i;
	int r;

	for (i = 0; i < m->ncls; i++)
		if (m->cls[i].level == e->level && m->cls[i].kind == k)
			return (int)i;
	if (!add || m->ncls == CM_MAX_CLASSES)
		return -1;
	m->cls[i].level = e->level;
	m->cls[i].kind = k;
	if (e->level >= CRISIS_CONCERN)
		r = snprintf(m->cls[i].name, sizeof(m->cls[i].name),
		    "model:%s.%s", crisis_level_str(e->level),
		    crisis_kind_str(k));
	else
		r = snprintf(m->cls[i].name, sizeof(m->cls[i].name),
		    "model:%s", crisis_level_str(e->level));
	if (r < 0 || (size_t)r >= sizeof(m->cls[i].name))
		return -1;
	m->ncls++;
	return (int)i;
}

static void
kb_release(struct kb *kb)
{
	size_t i, j;

	for (i = 0; i < kb->nintents; i++) {
		struct kb_intent *in = &kb->intents[i];

		free(in->id);
		free(in->question);
		for (j = 0; j < in->nexamples; j++)
			free(in->examples[j]);
		free(in->examples);
	}
	free(kb->intents);
	for (i = 0; i < kb->nconcepts; i++) {
		struct kb_concept *c = &kb->concepts[i];

		free(c->canonical);
		for (j = 0; j < c->nvariants; j++)
			free(c->variants[j]);
		free(c->variants);
	}
	free(kb->concepts);
	memset(kb, 0, sizeof(*kb));
}

void
crisis_model_free(struct crisis_model *m)
{
	if (m == NULL)
		return;
	matcher_free(m->matcher);
	kb_release(&m->kb);
	free(m);
}

/* Adds text to intent in (question first, then examples); 0 or -1. */
static int
intent_add(struct kb_intent *in, const char *text)
{
	char *s, **v;

	if ((s = dupstr(text)) == NULL)
		return -1;
	if (in->question == NULL) {
		in->question = s;
		return 0;
	}
	if ((v = realloc(in->examples, (in->nexamples + 1) *
	    sizeof(*v))) == NULL) {
		free(s);
		return -1;
	}
	in->examples = v;
	v[in->nexamples++] = s;
	return 0;
}

/*
 * The rules' word classes as lexicon concepts: class "med" becomes the
 * concept "xcmed" with the class' words as variants.  0 or -1 (OOM).
 */
static int
add_concepts(struct kb *kb, const struct crisis_model_opts *o)
{
	size_t i, j;

	if (o == NULL || o->classes == NULL || o->nclasses == 0)
		return 0;
	if ((kb->concepts = calloc(o->nclasses,
	    sizeof(*kb->concepts))) == NULL)
		return -1;
	for (i = 0; i < o->nclasses; i++) {
		const struct crisis_class *cl = &o->classes[i];
		struct kb_concept *c = &kb->concepts[kb->nconcepts++];
		size_t len = strlen(cl->name) + 3;

		if ((c->canonical = malloc(len)) == NULL)
			return -1;
		snprintf(c->canonical, len, "xc%s", cl->name);
		if (cl->nwords == 0)
			continue;
		if ((c->variants = calloc(cl->nwords,
		    sizeof(*c->variants))) == NULL)
			return -1;
		for (j = 0; j < cl->nwords; j++) {
			if ((c->variants[j] = dupstr(cl->words[j])) == NULL)
				return -1;
			c->nvariants++;
		}
	}
	return 0;
}

/*
 * Trains on the examples outside fold (folds <= 1: all of them), or, when
 * buf is not NULL, reads the trained model from buf (matcher_save()
 * bytes) instead.
 */
static struct crisis_model *
model_build(const struct crisis_example *ex, size_t n, int folds, int fold,
    const struct crisis_model_opts *o, const unsigned char *buf, size_t len,
    char *err, size_t errlen)
{
	struct crisis_model *m;
	struct matcher_opts mo = { 0.0 };
	size_t i;
	int c, have_none = 0, have_esc = 0;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto oom;
	m->concern = o != NULL && o->concern >= 0 ? o->concern :
	    CRISIS_MODEL_CONCERN;
	m->acute = o != NULL && o->acute >= 0 ? o->acute : CRISIS_MODEL_ACUTE;
	if (add_concepts(&m->kb, o) == -1)
		goto oom;
	m->mention = o != NULL && o->mention >= 0 ? o->mention :
	    CRISIS_MODEL_MENTION;
	for (i = 0; i < n; i++) {
		if (folds > 1 && (int)(i % (size_t)folds) == fold)
			continue;
		if (ex[i].text == NULL || ex[i].text[0] == '\0' ||
		    ex[i].level > CRISIS_ACUTE) {
			snprintf(err, errlen, "crisis model: example %zu: "
			    "empty text or bad level", i + 1);
			goto fail;
		}
		if ((c = class_of(m, &ex[i], 1)) < 0) {
			snprintf(err, errlen, "crisis model: more than %d "
			    "classes", CM_MAX_CLASSES);
			goto fail;
		}
		if ((size_t)c == m->kb.nintents) {
			struct kb_intent *v = realloc(m->kb.intents,
			    (m->kb.nintents + 1) * sizeof(*v));

			if (v == NULL)
				goto oom;
			m->kb.intents = v;
			memset(&v[c], 0, sizeof(v[c]));
			m->kb.nintents++;
			if ((v[c].id = dupstr(m->cls[c].name + 6)) == NULL)
				goto oom;
		}
		if (intent_add(&m->kb.intents[c], ex[i].text) == -1)
			goto oom;
		m->nexamples++;
		have_none |= ex[i].level == CRISIS_NONE;
		have_esc |= ex[i].level >= CRISIS_CONCERN;
	}
	if (!have_none || !have_esc) {
		snprintf(err, errlen, "crisis model: the examples need level "
		    "none and at least one concern or acute message");
		goto fail;
	}
	if (buf != NULL)
		m->matcher = matcher_load_tuned(&m->kb, &mo, &cm_feat,
		    &cm_model, buf, len, err, errlen);
	else
		m->matcher = matcher_new_tuned(&m->kb, &mo, &cm_feat,
		    &cm_model, err, errlen);
	if (m->matcher == NULL)
		goto fail;
	/* the rules repair spelling already; this halves the p99 cost */
	matcher_set_fuzzy(m->matcher, 0);
	return m;
oom:
	snprintf(err, errlen, "crisis model: out of memory");
fail:
	crisis_model_free(m);
	return NULL;
}

struct crisis_model *
crisis_model_new(const struct crisis_example *ex, size_t n,
    const struct crisis_model_opts *opts, char *err, size_t errlen)
{
	return model_build(ex, n, 0, -1, opts, NULL, 0, err, errlen);
}

struct crisis_model *
crisis_model_load(const struct crisis_example *ex, size_t n,
    const struct crisis_model_opts *opts, const unsigned char *buf,
    size_t len, char *err, size_t errlen)
{
	if (buf == NULL) {
		snprintf(err, errlen, "crisis model: no bytes to read");
		return NULL;
	}
	return model_build(ex, n, 0, -1, opts, buf, len, err, errlen);
}

uint64_t
crisis_model_digest(const struct crisis_example *ex, size_t n,
    const struct crisis_model_opts *opts)
{
	uint64_t h = MIO_HASH_INIT;
	size_t i, j;
	int lk[2];

	h = mio_hash(h, "crisis", 6);
	for (i = 0; i < n; i++) {
		lk[0] = (int)ex[i].level;
		lk[1] = (int)ex[i].kind;
		h = mio_hash(h, lk, sizeof(lk));
		h = mio_hash_str(h, ex[i].text);
	}
	if (opts != NULL && opts->classes != NULL)
		for (i = 0; i < opts->nclasses; i++) {
			const struct crisis_class *c = &opts->classes[i];

			h = mio_hash_str(h, c->name);
			h = mio_hash(h, &c->nwords, sizeof(c->nwords));
			for (j = 0; j < c->nwords; j++)
				h = mio_hash_str(h, c->words[j]);
		}
	return h;
}

int
crisis_model_save(const struct crisis_model *m, unsigned char **out,
    size_t *len)
{
	return matcher_save(m->matcher, out, len);
}

void
crisis_model_score(const struct crisis_model *m, struct matcher_ws *ws,
    const char *text, size_t len, struct crisis_model_score *out)
{
	double p[CM_MAX_CLASSES], best = -1, besta = -1;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (m == NULL || text == NULL)
		return;
	if (len > CM_TEXT_MAX)
		len = CM_TEXT_MAX;
	if (matcher_probs(m->matcher, ws, text, len, p, CM_MAX_CLASSES,
	    NULL) == -1)
		return;
	for (i = 0; i < m->ncls; i++) {
		if (m->cls[i].level < CRISIS_CONCERN)
			continue;
		out->escalate += p[i];
		if (p[i] > best) {
			best = p[i];
			out->kind = m->cls[i].kind;
			out->name = m->cls[i].name;
		}
		if (m->cls[i].level == CRISIS_ACUTE) {
			out->acute += p[i];
			if (p[i] > besta) {
				besta = p[i];
				out->acute_kind = m->cls[i].kind;
				out->acute_name = m->cls[i].name;
			}
		}
	}
}

enum crisis_level
crisis_model_level(const struct crisis_model *m,
    const struct crisis_model_score *s, enum crisis_level rules,
    enum crisis_kind *kind, const char **name)
{
	*kind = CRISIS_KIND_NONE;
	*name = NULL;
	if (m == NULL || rules >= CRISIS_CONCERN)
		return CRISIS_NONE;
	if (rules == CRISIS_MENTION && s->escalate < m->mention)
		return CRISIS_NONE;
	if (s->acute >= m->acute && s->acute_name != NULL) {
		*kind = s->acute_kind;
		*name = s->acute_name;
		return CRISIS_ACUTE;
	}
	if (s->escalate >= m->concern && s->name != NULL) {
		*kind = s->kind;
		*name = s->name;
		return CRISIS_CONCERN;
	}
	return CRISIS_NONE;
}

size_t
crisis_model_nclasses(const struct crisis_model *m)
{
	return m != NULL ? m->ncls : 0;
}

size_t
crisis_model_nexamples(const struct crisis_model *m)
{
	return m != NULL ? m->nexamples : 0;
}

int
crisis_model_cv(const struct crisis_example *ex, size_t n,
    const struct crisis_model_opts *opts, int folds,
    struct crisis_model_score *out, char *err, size_t errlen)
{
	struct crisis_model *m;
	struct matcher_ws *ws;
	size_t i;
	int f;

	if (folds < 2 || (size_t)folds > n) {
		snprintf(err, errlen, "crisis model: %d folds for %zu "
		    "examples", folds, n);
		return -1;
	}
	if ((ws = matcher_ws_new()) == NULL) {
		snprintf(err, errlen, "crisis model: out of memory");
		return -1;
	}
	for (f = 0; f < folds; f++) {
		if ((m = model_build(ex, n, folds, f, opts, NULL, 0, err,
		    errlen)) == NULL) {
			matcher_ws_free(ws);
			return -1;
		}
		for (i = (size_t)f; i < n; i += (size_t)folds) {
			crisis_model_score(m, ws, ex[i].text,
			    strlen(ex[i].text), &out[i]);
			out[i].name = out[i].acute_name = NULL;
		}
		crisis_model_free(m);
	}
	matcher_ws_free(ws);
	return 0;
}
