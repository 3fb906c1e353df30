/*
 * test_tokenize.c -- tok_split(): words, contractions with and without
 * apostrophes, squeezed letter runs, stop words, caps; and the stems the
 * analyser caches (libstemmer, English).
 */
#include <string.h>

#include <libstemmer.h>

#include "check.h"
#include "intents.h"
#include "internal.h"

static struct tok_list tl;

/* The stop words (tokenize.c), and words that look like them. */
static const char *const stopw[] = {
	"a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with",
	"from", "and", "or", "is", "are", "am", "be", "been", "was", "were",
	"it", "its", "this", "that", "these", "those", "i", "me", "my", "you",
	"your", "we", "our", "us", "he", "she", "they", "them", "his", "her",
	"their", "do", "does", "did", "so", "just", "please", "hi", "hello",
	"hey", "um", "uh", "some", "any", "there", "about", "as", "if",
	"would", "could", "also", "really", "very", "ok", "okay", "thanks",
	"thank",
};
static const char *const notstop[] = {
	"b", "o", "ab", "ot", "not", "how", "what", "why", "no", "never",
	"thee", "tha", "yours", "pleased", "thankful", "reallyy", "klonopin",
	"x", "xanax", "themselves",
};

/* The tokens of s joined by single spaces. */
static const char *
toks(const char *s)
{
	static char buf[TOK_MAX * (TOK_WORD_MAX + 1) + 1];
	size_t i, n = 0;

	tok_split(s, strlen(s), &tl);
	buf[0] = '\0';
	for (i = 0; i < tl.n; i++) {
		if (i > 0)
			buf[n++] = ' ';
		memcpy(buf + n, tl.t[i].text, tl.t[i].len);
		n += tl.t[i].len;
		buf[n] = '\0';
	}
	return buf;
}

/* Stems of the analysed text joined by spaces. */
static const char *
stems(const struct analyzer *a, const char *s)
{
	static char buf[4096];
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

int
main(void)
{
	struct analyzer a;
	struct sb_stemmer *st;
	char err[128], w[16];
	char longw[200];
	size_t i;

	CHECK_STR(toks("is klonopin, an antidepressant?"),
	    "is klonopin an antidepressant");
	CHECK_STR(toks("self-harm 24/7"), "self harm 24 7");
	CHECK_STR(toks(""), "");
	CHECK_STR(toks("  ?!  "), "");
	/* contractions */
	CHECK_STR(toks("don't"), "do not");
	CHECK_STR(toks("i can't sleep"), "i can not sleep");
	CHECK_STR(toks("it won't work"), "it will not work");
	CHECK_STR(toks("i'm scared, you're right, we'll see"),
	    "i am scared you are right we will see");
	CHECK_STR(toks("i've, i'd, it's, john's"),
	    "i have i would it is john");
	CHECK_STR(toks("dont doesnt im ive cant"),
	    "do not does not i am i have can not");
	CHECK_STR(toks("whats u r ur pls"), "what is you are your please");
	CHECK_STR(toks("'quoted' word"), "quoted word");
	/* repeated letters: runs of three or more cut to two */
	CHECK_STR(toks("sooo pleeeease helllp"), "soo pleease hellp");
	CHECK(tl.t[0].squeezed && tl.t[1].squeezed);
	CHECK_STR(toks("sleep coffee"), "sleep coffee");
	CHECK(!tl.t[0].squeezed && !tl.t[1].squeezed);
	memcpy(w, "pleease", 8);
	CHECK_INT(tok_squeeze_all(w, 7), 6);
	CHECK_STR(w, "please");
	/* stop words flagged, question words and negations kept */
	toks("what is the dose of xanax not");
	CHECK(!tl.t[0].stop && tl.t[1].stop && tl.t[2].stop);
	CHECK(!tl.t[3].stop && tl.t[4].stop && !tl.t[5].stop);
	CHECK(!tl.t[6].stop);
	CHECK(tok_is_stop("the", 3) && !tok_is_stop("how", 3));
	/* every stop word of every length, and near misses that are not */
	for (i = 0; i < sizeof(stopw) / sizeof(stopw[0]); i++)
		CHECK(tok_is_stop(stopw[i], strlen(stopw[i])));
	for (i = 0; i < sizeof(notstop) / sizeof(notstop[0]); i++)
		CHECK(!tok_is_stop(notstop[i], strlen(notstop[i])));
	CHECK(!tok_is_stop("the", 2) && !tok_is_stop("", 0));
	/* every bare contraction of every length */
	CHECK_STR(toks("u r im ur ive pls plz thx wat"),
	    "you are i am your i have please please thanks what");
	CHECK_STR(toks("dont cant wont isnt aint weve hows whos itll"),
	    "do not can not will not is not is not we have how is who is "
	    "it will");
	CHECK_STR(toks("didnt arent wasnt hasnt hadnt youre youve youll"),
	    "did not are not was not has not had not you are you have you "
	    "will");
	CHECK_STR(toks("whats thats gonna wanna gotta"),
	    "what is that is going to want to got to");
	CHECK_STR(toks("doesnt cannot werent havent mustnt theyre theyve"),
	    "does not can not were not have not must not they are they have");
	CHECK_STR(toks("wheres theres wouldnt couldnt shouldnt"),
	    "where is there is would not could not should not");
	CHECK_STR(toks("uu rr imm donts wat wats shouldntt"),
	    "uu rr imm donts what wats shouldntt");
	/* caps: long words cut, token count bounded, no split characters */
	for (i = 0; i < sizeof(longw) - 1; i++)
		longw[i] = 'a' + (char)(i % 2);
	longw[sizeof(longw) - 1] = '\0';
	toks(longw);
	CHECK_INT(tl.n, 1);
	CHECK_INT(tl.t[0].len, TOK_WORD_MAX);
	for (i = 0; i < sizeof(longw) - 1; i++)
		longw[i] = (i % 2) ? ' ' : 'x';
	toks(longw);
	CHECK_INT(tl.n, TOK_MAX);
	memset(longw, 0, sizeof(longw));
	for (i = 0; i + 2 < 60; i += 2)
		memcpy(longw + i, "\xc3\xa9", 2);
	toks(longw);
	CHECK_INT(tl.n, 1);
	CHECK(tl.t[0].len % 2 == 0);
	/* stems through the analyser: cached for known words, computed for
	 * unknown ones */
	st = sb_stemmer_new("english", NULL);
	CHECK(st != NULL);
	CHECK_INT(ana_init(&a, NULL, 0, st, err, sizeof(err)), 0);
	CHECK_INT(ana_learn(&a, "running sleeping pills", 22, st), 0);
	CHECK_INT(ana_finish(&a), 0);
	CHECK_STR(stems(&a, "running sleeping pills"), "run sleep pill");
	CHECK_STR(stems(&a, "walked quickly"), "walk quick");
	CHECK_STR(stems(&a, "Don't"), "do not");
	ana_free(&a);
	sb_stemmer_delete(st);
	return CHECK_DONE();
}
