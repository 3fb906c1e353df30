/*
 * test_fuzzy.c -- bounded Damerau-Levenshtein distance and the spelling
 * correction of unknown words against the training vocabulary, through
 * the deletion index and through the plain scan (same answers).
 */
#include <stdint.h>
#include <stdio.h>
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

/* xorshift32, for reproducible made-up words */
static uint32_t
rnd(uint32_t *st)
{
	uint32_t x = *st;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *st = x;
}

/* A made-up word of 3-16 letters from a small alphabet (many neighbours). */
static size_t
made_up(uint32_t *st, char *w)
{
	static const char letters[] = "aeioulnrstkm";
	size_t len = 3 + rnd(st) % 14, i;

	for (i = 0; i < len; i++)
		w[i] = letters[rnd(st) % (sizeof(letters) - 1)];
	w[len] = '\0';
	return len;
}

/* w with one or two random edits (delete, insert, substitute, swap). */
static void
mutate(uint32_t *st, char *w)
{
	int k, nedits = 1 + (int)(rnd(st) % 2);
	size_t len = strlen(w), i;

	for (k = 0; k < nedits && len > 1; k++) {
		i = rnd(st) % len;
		switch (rnd(st) % 4) {
		case 0:
			memmove(w + i, w + i + 1, len - i);
			len--;
			break;
		case 1:
			memmove(w + i + 1, w + i, len - i + 1);
			w[i] = "aeioulnrstkm"[rnd(st) % 12];
			len++;
			break;
		case 2:
			w[i] = "aeioulnrstkm"[rnd(st) % 12];
			break;
		default:
			if (i + 1 < len) {
				char c = w[i];
				w[i] = w[i + 1];
				w[i + 1] = c;
			}
		}
	}
}

/*
 * The deletion index must give exactly what scanning the vocabulary
 * gives, ties included: a vocabulary of made-up neighbouring words (half
 * of them learnt twice, so that frequencies tie and differ) and their
 * misspellings.
 */
static void
index_matches_scan(struct sb_stemmer *st)
{
	static char text[200000];
	struct analyzer a;
	char err[128], w[64], ref[2048];
	uint32_t rs = 12345;
	size_t n = 0, i, fixed = 0, same = 0, total = 3000;

	for (i = 0; i < 4000; i++) {
		n += made_up(&rs, text + n);
		text[n++] = ' ';
	}
	text[n] = '\0';
	CHECK_INT(ana_init(&a, NULL, 0, st, err, sizeof(err)), 0);
	CHECK_INT(ana_learn(&a, text, n, st), 0);
	CHECK_INT(ana_learn(&a, text, n / 2, st), 0);	/* frequencies 1-2 */
	CHECK_INT(ana_finish(&a), 0);
	CHECK(a.delcap > 0 && a.npost > a.nwords);
	rs = 999;
	for (i = 0; i < total; i++) {
		const char *got;

		if (i % 5 == 4) {
			made_up(&rs, w);	/* most are nowhere near */
		} else {
			const struct vword *v = &a.words[rnd(&rs) % a.nwords];
			memcpy(w, a.pool + v->off, v->len);
			w[v->len] = '\0';
			mutate(&rs, w);
		}
		a.delscan = 1;
		snprintf(ref, sizeof(ref), "%s", corrected(&a, w));
		a.delscan = 0;
		got = corrected(&a, w);
		same += strcmp(got, ref) == 0;
		fixed += strcmp(ref, w) != 0;
	}
	CHECK(same == total);
	CHECK(fixed > total / 3);	/* the comparison is not vacuous */
	ana_free(&a);
}

/* The optimal string alignment distance over the whole table, unbounded:
 * what fuzzy_dist() must equal whenever it is at most max. */
static int
full_dist(const char *a, size_t alen, const char *b, size_t blen)
{
	int d[20][20];
	size_t i, j;

	for (i = 0; i <= alen; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= blen; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= alen; i++)
		for (j = 1; j <= blen; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[alen][blen];
}

/*
 * fuzzy_dist() (which fills only a band of the table) against the whole
 * table, on random strings over three letters (many transpositions and
 * near misses), every bound from 0 to 3.
 */
static void
check_band(void)
{
	uint32_t st = 12345;
	char a[20], b[20];
	size_t i, la, lb, bad = 0, n = 0;
	int max;

	while (n < 200000) {
		la = rnd(&st) % 16;
		lb = la + rnd(&st) % 5 - 2;
		if (lb > 16)
			lb = rnd(&st) % 16;
		for (i = 0; i < la; i++)
			a[i] = (char)('a' + rnd(&st) % 3);
		for (i = 0; i < lb; i++)
			b[i] = (char)('a' + rnd(&st) % 3);
		if (rnd(&st) % 2 && la == lb && la > 1) {
			/* b: a with two neighbours swapped */
			memcpy(b, a, la);
			i = rnd(&st) % (la - 1);
			b[i] = a[i + 1];
			b[i + 1] = a[i];
		}
		for (max = 0; max <= 3; max++) {
			int full = full_dist(a, la, b, lb);
			int want = full > max ? max + 1 : full;

			bad += fuzzy_dist(a, la, b, lb, max) != want;
			n++;
		}
	}
	CHECK_INT((int)bad, 0);
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
	index_matches_scan(st);
	sb_stemmer_delete(st);
	check_band();
	return CHECK_DONE();
}
