/*
 * test_lexicon.c -- lexicon concepts: every variant (multi-word ones too,
 * longest first) becomes the concept's canonical term before features,
 * also after spelling correction; and the matcher treats brand and
 * generic names alike.
 */
#include <string.h>

#include <libstemmer.h>

#include "check.h"
#include "intents.h"
#include "internal.h"

static char *v_clon[] = { "klonopin", "rivotril" };
static char *v_sleep[] = { "sleeping pill", "sleeping pills",
	"sleep aid" };
static char *v_benzo[] = { "benzo", "benzos" };
static char *v_long[] = { "panic attack disorder" };
static struct kb_concept concepts[] = {
	{ "clonazepam", v_clon, 2 },
	{ "hypnotic", v_sleep, 3 },
	{ "benzodiazepine", v_benzo, 2 },
	{ "panic disorder", v_long, 1 },
};

static const char *
terms(const struct analyzer *a, const char *s)
{
	static char buf[2048];
	struct sb_stemmer *st = NULL;
	struct terms t;
	size_t i, n = 0;

	ana_terms(a, s, strlen(s), &st, &t);
	if (st != NULL)
		sb_stemmer_delete(st);
	buf[0] = '\0';
	for (i = 0; i < t.n; i++) {
		if (i > 0)
			buf[n++] = ' ';
		memcpy(buf + n, t.t[i].stem, t.t[i].stemlen);
		n += t.t[i].stemlen;
		buf[n] = '\0';
	}
	return buf;
}

static char *ex_a[] = { "is clonazepam a benzodiazepine",
	"what kind of drug is clonazepam", "clonazepam drug class" };
static char *ex_b[] = { "are sleeping pills safe", "is a hypnotic safe",
	"hypnotic safety" };
static struct kb_intent intents[] = {
	{ "a.class", "What is clonazepam?", ex_a, 3, "a", NULL, 0, NULL, 0 },
	{ "b.safe", "Are hypnotics safe?", ex_b, 3, "b", NULL, 0, NULL, 0 },
};

int
main(void)
{
	struct kb kb = { .intents = intents, .nintents = 2,
	    .concepts = concepts, .nconcepts = 4 };
	struct match_result r;
	struct analyzer a;
	struct sb_stemmer *st;
	struct matcher *m;
	char err[128];

	st = sb_stemmer_new("english", NULL);
	CHECK(st != NULL);
	CHECK_INT(ana_init(&a, concepts, 4, st, err, sizeof(err)), 0);
	CHECK_INT(ana_finish(&a), 0);
	CHECK_STR(terms(&a, "is Klonopin safe"), "is clonazepam safe");
	CHECK_STR(terms(&a, "rivotril"), "clonazepam");
	CHECK_STR(terms(&a, "clonazepam"), "clonazepam");
	CHECK_STR(terms(&a, "klonapin"), "clonazepam");	/* corrected */
	CHECK_STR(terms(&a, "a sleeping pill tonight"),
	    "a hypnotic tonight");
	CHECK_STR(terms(&a, "two sleeping pills"), "two hypnotic");
	CHECK_STR(terms(&a, "sleeping badly"), "sleep bad");
	CHECK_STR(terms(&a, "benzos and a sleep aid"),
	    "benzodiazepine and a hypnotic");
	CHECK_STR(terms(&a, "panic attack disorder"), "panic_disorder");
	CHECK_STR(terms(&a, "panic disorder"), "panic_disorder");
	CHECK_STR(terms(&a, "panic attack"), "panic attack");
	ana_free(&a);
	sb_stemmer_delete(st);

	m = matcher_new(&kb, NULL, err, sizeof(err));
	CHECK(m != NULL);
	if (m != NULL) {
		matcher_match(m, "what kind of drug is klonopin", 29, &r);
		CHECK_INT(r.intent, 0);
		matcher_match(m, "is rivotril a benzo", 19, &r);
		CHECK_INT(r.intent, 0);
		matcher_match(m, "are sleep aids safe", 19, &r);
		CHECK_INT(r.intent, 1);
		matcher_free(m);
	}
	return CHECK_DONE();
}
