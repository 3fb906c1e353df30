/*
 * test_fuzzy.c -- bounded Damerau-Levenshtein distance and the spelling
 * correction of unknown words against the training vocabulary.
 */
#include <string.h>

#include <libstemmer.h>

#include "check.h"
#include "intents.h"
#include "internal.h"

static int
dist(const char *a, const char *b, int max)
{
	return fuzzy_dist(a, strlen(a), b, strlen(b), max);
}

/* The corrected surface words of s, joined by spaces. */
static const char *
corrected(const struct analyzer *a, const char *s)
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
		memcpy(buf + n, t.t[i].surf, t.t[i].surflen);
		n += t.t[i].surflen;
		buf[n] = '\0';
	}
	return buf;
}

int
main(void)
{
	static const char *vocab = "klonopin xanax melatonin clonazepam "
	    "alprazolam insomnia anxiety depression hello sleep help please "
	    "dose doze";
	struct analyzer a;
	struct sb_stemmer *st;
	char err[128];

	CHECK_INT(dist("kitten", "kitten", 2), 0);
	CHECK_INT(dist("kitten", "sitten", 2), 1);
	CHECK_INT(dist("kitten", "sitting", 3), 3);
	CHECK_INT(dist("xanax", "xnaax", 2), 1);	/* transposition */
	CHECK_INT(dist("abc", "", 3), 3);
	CHECK_INT(dist("", "", 0), 0);
	CHECK_INT(dist("klonopin", "clonazepam", 2), 3);	/* > max */
	CHECK_INT(dist("abcdefgh", "hgfedcba", 1), 2);
	CHECK_INT(fuzzy_budget(3), 0);
	CHECK_INT(fuzzy_budget(5), 1);
	CHECK_INT(fuzzy_budget(10), 2);
	CHECK_INT(fuzzy_popcount(0), 0);
	CHECK_INT(fuzzy_popcount(0xffffffffu), 32);
	CHECK_INT(fuzzy_popcount(fuzzy_mask("abca", 4)), 3);

	st = sb_stemmer_new("english", NULL);
	CHECK(st != NULL);
	CHECK_INT(ana_init(&a, NULL, 0, st, err, sizeof(err)), 0);
	CHECK_INT(ana_learn(&a, vocab, strlen(vocab), st), 0);
	CHECK_INT(ana_finish(&a), 0);
	CHECK_STR(corrected(&a, "klonapin"), "klonopin");
	CHECK_STR(corrected(&a, "xanex"), "xanax");
	CHECK_STR(corrected(&a, "melatonine"), "melatonin");
	CHECK_STR(corrected(&a, "clonazapam"), "clonazepam");
	CHECK_STR(corrected(&a, "alprazolaam"), "alprazolam");
	CHECK_STR(corrected(&a, "ansiety"), "anxiety");
	CHECK_STR(corrected(&a, "helllo"), "hello");
	CHECK_STR(corrected(&a, "pleeeease"), "please");
	/* short words are never corrected; far words stay unknown */
	CHECK_STR(corrected(&a, "dos"), "dos");
	CHECK_STR(corrected(&a, "ibuprofen"), "ibuprofen");
	CHECK_STR(corrected(&a, "1234"), "1234");
	ana_free(&a);
	sb_stemmer_delete(st);
	return CHECK_DONE();
}
