/*
 * test_workspace.c -- the caller-owned workspace (struct matcher_ws): with
 * one, the matcher, the analyser and the crisis detector give exactly the
 * results they give without one (a stemmer per call), however many words
 * pass through its stem cache (collisions included), for the matcher and
 * for the crisis detector's learned backstop, and when two analysers
 * share the tokens it keeps of the last text; and freeing NULL is fine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "check.h"
#include "crisis.h"
#include "crisis_load.h"
#include "diag.h"
#include "intents.h"
#include "internal.h"

static char *ex_tea[] = { "how do i brew green tea", "green tea steeping",
	"what temperature for tea leaves", "loose leaf tea help" };
static char *ex_bike[] = { "my bike chain keeps slipping",
	"how to oil a bicycle chain", "bike gears skip", "fix a loose chain" };
static struct kb_intent intents[] = {
	{ "tea.brew", "How do I brew tea?", ex_tea, 4, "a", NULL, 0, NULL,
	    0 },
	{ "bike.chain", "How do I fix my bike chain?", ex_bike, 4, "b", NULL,
	    0, NULL, 0 },
};
static const struct kb kb = { .intents = intents, .nintents = 2 };

/* Questions with words the tiny KB never saw, so they are stemmed. */
static const char *const questions[] = {
	"brewing oolong teas quickly",
	"chains slipping while cycling uphill",
	"steeped leaves tasting bitterly",
	"oiled gears squeaking constantly",
	"",
	"zzzz qqqq",
};

static void
check_matcher(void)
{
	struct matcher_ws *ws = matcher_ws_new();
	struct matcher *m;
	char err[256];
	size_t i, k;
	int round;

	CHECK(ws != NULL);
	m = matcher_new(&kb, NULL, err, sizeof(err));
	CHECK(m != NULL);
	if (m == NULL || ws == NULL)
		goto out;
	/* round 1 fills the stem cache, round 2 reads it */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < sizeof(questions) / sizeof(questions[0]); i++) {
			struct match_result a, b;
			const char *q = questions[i];

			matcher_match(m, q, strlen(q), &a);
			matcher_match_ws(m, ws, q, strlen(q), &b);
			CHECK(a.intent == b.intent);
			CHECK(a.confidence == b.confidence);
			CHECK(a.nalts == b.nalts);
			for (k = 0; k < a.nalts && k < b.nalts; k++)
				CHECK(a.alts[k].intent == b.alts[k].intent &&
				    a.alts[k].confidence ==
				    b.alts[k].confidence);
		}
	}
	matcher_match_ws(m, ws, NULL, 0, &(struct match_result){ 0 });
out:
	matcher_free(m);
	matcher_ws_free(ws);
	matcher_ws_free(NULL);
}

static char *ex_rain[] = { "will it rain tomorrow", "rain forecast",
	"do i need an umbrella today", "is a storm coming" };
static char *ex_bread[] = { "how long to proof bread dough",
	"my bread is too dense", "sourdough starter help", "bake a loaf" };
static struct kb_intent intents2[] = {
	{ "weather.rain", "Will it rain?", ex_rain, 4, "c", NULL, 0, NULL,
	    0 },
	{ "bake.bread", "How do I bake bread?", ex_bread, 4, "d", NULL, 0,
	    NULL, 0 },
};
static const struct kb kb2 = { .intents = intents2, .nintents = 2 };

static int
same_match(const struct match_result *a, const struct match_result *b)
{
	size_t k;

	if (a->intent != b->intent || a->confidence != b->confidence ||
	    a->nalts != b->nalts)
		return 0;
	for (k = 0; k < a->nalts; k++)
		if (a->alts[k].intent != b->alts[k].intent ||
		    a->alts[k].confidence != b->alts[k].confidence)
			return 0;
	return 1;
}

/*
 * One workspace through two matchers of different vocabularies, the same
 * text twice in a row (the second reuses the first's tokens), texts that
 * differ only in their last byte or length, and a text too long to keep:
 * every result equals the one without a workspace.
 */
static void
check_shared_tokens(void)
{
	static char longq[WS_TEXT_MAX + 64];
	const char *qs[] = { "will my bike chain rain", "will my bike chain",
	    "will my bike chain rais", "Bread tea!", "", "bread tea", longq,
	    longq, "bake a loaf of green tea" };
	struct matcher_ws *ws = matcher_ws_new();
	struct matcher *m1, *m2;
	char err[256];
	size_t i, bad = 0;

	for (i = 0; i + 1 < sizeof(longq); i++)
		longq[i] = "how do i fix my bike chain "[i % 27];
	m1 = matcher_new(&kb, NULL, err, sizeof(err));
	m2 = matcher_new(&kb2, NULL, err, sizeof(err));
	CHECK(ws != NULL && m1 != NULL && m2 != NULL);
	if (ws == NULL || m1 == NULL || m2 == NULL)
		goto out;
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		struct match_result a1, a2, b1, b2, c1;
		size_t len = strlen(qs[i]);

		matcher_match(m1, qs[i], len, &a1);
		matcher_match(m2, qs[i], len, &a2);
		matcher_match_ws(m1, ws, qs[i], len, &b1);
		matcher_match_ws(m2, ws, qs[i], len, &b2);
		matcher_match_ws(m1, ws, qs[i], len, &c1);
		bad += !same_match(&a1, &b1) + !same_match(&a2, &b2) +
		    !same_match(&a1, &c1);
	}
	CHECK(bad == 0);
	/* the workspace kept the tokens of a text of the last length it can */
	memset(longq, 'x', WS_TEXT_MAX);
	longq[WS_TEXT_MAX] = '\0';
	{
		struct match_result a, b;

		matcher_match(m2, longq, WS_TEXT_MAX, &a);
		matcher_match_ws(m1, ws, longq, WS_TEXT_MAX, &b);
		matcher_match_ws(m2, ws, longq, WS_TEXT_MAX, &b);
		CHECK(ws->have_toks && ws->textlen == WS_TEXT_MAX);
		CHECK(same_match(&a, &b));
	}
out:
	matcher_free(m1);
	matcher_free(m2);
	matcher_ws_free(ws);
}

/*
 * Many more distinct unknown words than the cache has slots, twice: every
 * stem equals the one a fresh stemmer gives, so a slot reused by another
 * word never hands back the wrong stem.
 */
static void
check_stem_cache(void)
{
	static const char *const roots[] = { "walk", "jump", "paint",
	    "climb", "sing", "read", "cook", "swim", "build", "drift" };
	static const char *const ends[] = { "ing", "ed", "er", "ers", "s",
	    "ings", "ingly", "ful", "ness", "ment" };
	struct matcher_ws *ws = matcher_ws_new();
	struct sb_stemmer *st = sb_stemmer_new("english", NULL);
	struct analyzer a;
	char err[256], text[64];
	size_t r, e, pass, bad = 0, n = 0;

	CHECK(ws != NULL && st != NULL);
	if (ws == NULL || st == NULL)
		goto out;
	CHECK(ana_init(&a, NULL, 0, st, err, sizeof(err)) == 0);
	CHECK(ana_learn(&a, "nothing here", 12, st) == 0);
	CHECK(ana_finish(&a) == 0);
	for (pass = 0; pass < 2; pass++)
		for (r = 0; r < sizeof(roots) / sizeof(roots[0]); r++)
			for (e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
				struct sb_stemmer *own = NULL;
				struct terms t1, t2;
				int k;

				for (k = 0; k < 3; k++) {
					/* "walkingx", "walkingxx" ... */
					snprintf(text, sizeof(text), "%s%s%.*s",
					    roots[r], ends[e], k, "xyz");
					ana_terms(&a, text, strlen(text), &own,
					    &t1);
					ana_terms_ws(&a, text, strlen(text), ws,
					    &t2);
					n++;
					if (t1.n != 1 || t2.n != 1 ||
					    strcmp(t1.t[0].stem,
					    t2.t[0].stem) != 0)
						bad++;
				}
				sb_stemmer_delete(own);
			}
	CHECK(n > 2 * WS_STEMS);
	CHECK(bad == 0);
	ana_free(&a);
out:
	if (st != NULL)
		sb_stemmer_delete(st);
	matcher_ws_free(ws);
}

/* The shipped rules and backstop: same results with and without ws. */
static void
check_crisis(void)
{
	static const char *const msgs[] = {
		"i've said my goodbyes to everyone who matters",
		"how long does klonopin withdrawal last",
		"this commute is killing me",
		"i want to die",
		"my roommate swallowed a whole bottle of tablets",
		"what does sewerslide mean",
		"grandpa's tomatoes are thriving this summer",
	};
	struct matcher_ws *ws = matcher_ws_new();
	struct matcher *m;
	struct crisis *c;
	struct diag d;
	char err[256];
	size_t i, k;
	int round, raised = 0;

	diag_init(&d);
	c = crisis_load("faq/crisis.json", &d);
	m = matcher_new(&kb, NULL, err, sizeof(err));
	CHECK(c != NULL && crisis_get_model(c) != NULL);
	CHECK(ws != NULL && m != NULL);
	if (c == NULL || ws == NULL || m == NULL)
		goto out;
	for (round = 0; round < 2; round++) {
		for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
			struct crisis_result a, b;
			struct crisis_memory ma, mb;

			memset(&ma, 0, sizeof(ma));
			memset(&mb, 0, sizeof(mb));
			crisis_check(c, msgs[i], strlen(msgs[i]), &ma, 10, &a);
			crisis_check_ws(c, ws, msgs[i], strlen(msgs[i]), &mb,
			    10, &b);
			CHECK(a.level == b.level && a.kind == b.kind);
			CHECK(a.nmatched == b.nmatched);
			for (k = 0; k < a.nmatched && k < b.nmatched; k++)
				CHECK_STR(a.matched[k], b.matched[k]);
			CHECK(memcmp(&ma, &mb, sizeof(ma)) == 0);
			raised += a.nmatched > 0 &&
			    strncmp(a.matched[0], "model:", 6) == 0;
			/* then the matcher on the same message and ws, as
			 * in the pipeline: it reuses the backstop's tokens */
			{
				struct match_result x, y;

				matcher_match(m, msgs[i], strlen(msgs[i]), &x);
				matcher_match_ws(m, ws, msgs[i],
				    strlen(msgs[i]), &y);
				CHECK(same_match(&x, &y));
			}
		}
	}
	/* the backstop took part (the first message is its catch) */
	CHECK(raised >= 2);
out:
	matcher_free(m);
	crisis_free(c);
	diag_free(&d);
	matcher_ws_free(ws);
}

int
main(void)
{
	check_matcher();
	check_shared_tokens();
	check_stem_cache();
	check_crisis();
	return CHECK_DONE();
}
