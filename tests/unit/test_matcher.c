/*
 * test_matcher.c -- the intent matcher on a tiny synthetic KB: right
 * intent, confidence in [0, 1], no match for gibberish, alternatives
 * ordered, and robustness (empty, invalid UTF-8, NUL bytes, 100 KB).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intents.h"
#include "internal.h"
#include "toykb.h"

static const struct kb kb = { .intents = intents, .nintents = 3,
    .concepts = concepts, .nconcepts = 1 };

static int
match(const struct matcher *m, const char *q, struct match_result *r)
{
	matcher_match(m, q, strlen(q), r);
	return r->intent;
}

static void
check_result(const struct match_result *r)
{
	size_t i;

	CHECK(r->confidence >= 0 && r->confidence <= 1);
	CHECK(r->nalts <= MATCH_MAX_ALTS);
	for (i = 0; i < r->nalts; i++) {
		CHECK(r->alts[i].confidence >= 0 && r->alts[i].confidence <= 1);
		CHECK(r->alts[i].intent >= 0 && r->alts[i].intent < 3);
		if (i > 0)
			CHECK(r->alts[i].confidence <=
			    r->alts[i - 1].confidence);
	}
}

int
main(void)
{
	struct match_result r;
	struct matcher *m;
	struct kb empty = { 0 };
	char err[256];
	char *big;

	err[0] = '\0';
	CHECK(matcher_new(&empty, NULL, err, sizeof(err)) == NULL);
	CHECK(err[0] != '\0');
	m = matcher_new(&kb, NULL, err, sizeof(err));
	CHECK(m != NULL);
	if (m == NULL)
		return CHECK_DONE();

	CHECK_INT(match(m, "what food should my cat get", &r), 0);
	check_result(&r);
	CHECK(r.nalts >= 1 && r.alts[0].confidence <= r.confidence);
	CHECK_INT(match(m, "I have a flat tyre on my car", &r), 1);
	check_result(&r);
	CHECK_INT(match(m, "WHEN is my TAX RETURN due??", &r), 2);
	check_result(&r);
	/* lexicon variant and misspelling */
	CHECK_INT(match(m, "what should i feed my kitty", &r), 0);
	CHECK_INT(match(m, "deadlline for fileing taxes", &r), 2);
	/* gibberish and unrelated text: no match */
	CHECK_INT(match(m, "qwzx vbnm plok", &r), -1);
	check_result(&r);
	CHECK_INT(match(m, "", &r), -1);
	CHECK(r.confidence >= 0 && r.confidence <= 1);
	/* robustness */
	matcher_match(m, "\xff\xfe\xc3", 3, &r);
	CHECK_INT(r.intent, -1);
	matcher_match(m, "cat\0food", 8, &r);
	check_result(&r);
	matcher_match(m, NULL, 0, &r);
	CHECK_INT(r.intent, -1);
	big = malloc(100 * 1024);
	CHECK(big != NULL);
	if (big != NULL) {
		size_t i;
		for (i = 0; i < 100 * 1024; i++)
			big[i] = "cat food \xe2\x80\x99 \xff"[i % 14];
		matcher_match(m, big, 100 * 1024, &r);
		check_result(&r);
		free(big);
	}
	/* confidence evidence: share of known content words */
	{
		struct match_detail d;
		struct matcher *m2;
		struct match_result r2;

		matcher_detail(m, "cat food", 8, &d);
		CHECK(d.term_cov == 1.0);
		CHECK_INT(d.top, 0);
		CHECK(d.pmax > 0 && d.pmax <= 1);
		matcher_detail(m, "qwzx vbnm", 9, &d);
		CHECK(d.term_cov == 0.0);
		matcher_detail(m, "the cat zyxwv", 13, &d);
		CHECK(d.term_cov == 0.5);
		/* an unknown word lowers the confidence */
		matcher_match(m, "what food should my cat get", 27, &r);
		matcher_match(m, "what food should my zyxwv get", 29, &r2);
		CHECK(r2.confidence < r.confidence);
		/* training is deterministic */
		m2 = matcher_new(&kb, NULL, err, sizeof(err));
		CHECK(m2 != NULL);
		if (m2 != NULL) {
			matcher_match(m2, "what food should my cat get", 27,
			    &r2);
			CHECK(r2.intent == r.intent &&
			    r2.confidence == r.confidence);
			matcher_free(m2);
		}
	}
	/* threshold option: 0 accepts anything with words, > 1 nothing */
	{
		struct matcher_opts o = { .threshold = 0 };
		struct matcher *m3 = matcher_new(&kb, &o, err, sizeof(err));
		CHECK(m3 != NULL);
		if (m3 != NULL) {
			CHECK(match(m3, "qwzx vbnm plok", &r) >= 0);
			matcher_free(m3);
		}
		o.threshold = 1.5;
		m3 = matcher_new(&kb, &o, err, sizeof(err));
		CHECK(m3 != NULL);
		if (m3 != NULL) {
			CHECK_INT(match(m3, "how do i feed my cat", &r), -1);
			CHECK(r.nalts >= 1 && r.alts[0].intent == 0);
			matcher_free(m3);
		}
	}
	/* questions without words: trains, never matches them */
	{
		static char *none[] = { "", "?!", "" };
		static char *words[] = { "tax deadline", "", "tax date" };
		struct kb_intent in2[2] = {
			{ "x.none", "", none, 3, "a", NULL, 0, NULL, 0 },
			{ "x.tax", "...", words, 3, "b", NULL, 0, NULL, 0 },
		};
		struct kb k2 = { .intents = in2, .nintents = 2 };
		struct matcher *m4 = matcher_new(&k2, NULL, err, sizeof(err));
		CHECK(m4 != NULL);
		if (m4 != NULL) {
			CHECK_INT(match(m4, "?!", &r), -1);
			match(m4, "tax deadline", &r);
			check_result(&r);
			matcher_free(m4);
		}
		in2[1].examples = none;
		m4 = matcher_new(&k2, NULL, err, sizeof(err));
		CHECK(m4 != NULL);
		if (m4 != NULL) {
			CHECK_INT(match(m4, "tax deadline", &r), -1);
			matcher_free(m4);
		}
	}
	matcher_free(m);
	matcher_free(NULL);
	return CHECK_DONE();
}
