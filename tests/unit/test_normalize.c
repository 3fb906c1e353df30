/*
 * test_normalize.c -- norm_fold(): case, accents, compatibility forms,
 * Unicode punctuation, zero-width and control characters, look-alike
 * letters, invalid UTF-8, NUL bytes, truncation and huge input.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "intents.h"

static char out[4096];

static const char *
fold(const char *s)
{
	norm_fold(s, strlen(s), out, sizeof(out));
	return out;
}

int
main(void)
{
	char small[8];
	char *big;
	long n;
	size_t i;

	/* ASCII fast path */
	CHECK_STR(fold("Is KLONOPIN an Antidepressant?"),
	    "is klonopin an antidepressant?");
	CHECK_STR(fold("  many   spaces\tand\nlines  "),
	    "many spaces and lines");
	CHECK_STR(fold(""), "");
	CHECK_STR(fold("`quoted`"), "'quoted'");
	/* accents, case folding, compatibility forms */
	CHECK_STR(fold("Mélatonine à l'école"), "melatonine a l'ecole");
	CHECK_STR(fold("ÇA ÜBER Straße"), "ca uber strasse");
	CHECK_STR(fold("\xef\xbc\xb8\xef\xbd\x81\xef\xbd\x8e\xef\xbd\x81"
	    "\xef\xbd\x98"), "xanax");			/* fullwidth */
	CHECK_STR(fold("\xef\xac\x81ne"), "fine");	/* fi ligature */
	CHECK_STR(fold("e\xcc\x81t\xc3\xa9"), "ete");	/* combining acute */
	/* punctuation */
	CHECK_STR(fold("don\xe2\x80\x99t \xe2\x80\x9cstop\xe2\x80\x9d"),
	    "don't \"stop\"");
	CHECK_STR(fold("a\xe2\x80\x94" "b\xe2\x80\x93" "c"), "a-b-c");
	CHECK_STR(fold("wait\xe2\x80\xa6"), "wait.");
	CHECK_STR(fold("a\xc2\xa0" "b\xe2\x80\x83" "c"), "a b c");
	CHECK_STR(fold("\xc2\xbfQu\xc3\xa9?"), "que?");
	/* zero-width, soft hyphen, BOM, controls */
	CHECK_STR(fold("klo\xe2\x80\x8bno\xe2\x80\x8dpin"), "klonopin");
	CHECK_STR(fold("\xef\xbb\xbfxa\xc2\xadnax"), "xanax");
	CHECK_STR(fold("a\x01" "b\x7f" "c\xc2\x85" "d"), "abcd");
	/* look-alikes: Cyrillic and Greek letters */
	CHECK_STR(fold("\xd0\xa5\xd0\xb0nax"), "xanax");	/* Ха */
	CHECK_STR(fold("kl\xd0\xbe" "n\xce\xbf" "pin"), "klonopin");
	CHECK_STR(fold("\xd0\x9c\xd0\x95LATONIN"), "melatonin");
	/* invalid UTF-8 becomes a space */
	CHECK_STR(fold("ab\xff" "cd"), "ab cd");
	CHECK_STR(fold("\xc3"), "");
	CHECK_STR(fold("x\xe2\x82" "y"), "x y");
	CHECK_STR(fold("\xed\xa0\x80z"), "z");	/* surrogate */
	/* other scripts pass through folded */
	CHECK_STR(fold("\xce\x94\xce\x97\xce\x9b"), "\xce\xb4n\xce\xbb");
	CHECK_STR(fold("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac");
	/* NUL bytes inside the length are dropped */
	n = norm_fold("a\0b", 3, out, sizeof(out));
	CHECK_INT(n, 2);
	CHECK_STR(out, "ab");
	/* bounds */
	CHECK_INT(norm_fold("abc", 3, out, 0), -1);
	n = norm_fold("abcdefghijkl", 12, small, sizeof(small));
	CHECK_INT(n, 7);
	CHECK_STR(small, "abcdefg");
	n = norm_fold("abcdef\xc3\xa9\xc3\xa9", 10, small, sizeof(small));
	CHECK(n <= 7 && small[n] == '\0');
	n = norm_fold("\xe6\x97\xa5\xe6\x9c\xac\xe6\x97\xa5", 9, small,
	    sizeof(small));
	CHECK_INT(n, 6);	/* never half a character */
	n = norm_fold(NULL, 5, out, sizeof(out));
	CHECK_INT(n, 0);
	/* huge input: bounded output, no crash */
	big = malloc(100 * 1024);
	CHECK(big != NULL);
	if (big != NULL) {
		for (i = 0; i < 100 * 1024; i++)
			big[i] = (char)("A\xc3\xa9\xff\0 \xe2\x80\x8b"[i % 9]);
		n = norm_fold(big, 100 * 1024, out, sizeof(out));
		CHECK(n > 0 && (size_t)n < sizeof(out));
		CHECK_INT(strlen(out), n);
		for (i = 0; i < 100 * 1024; i++)
			big[i] = (char)(i * 7 + 3);
		n = norm_fold(big, 100 * 1024, out, sizeof(out));
		CHECK(n >= 0 && (size_t)n < sizeof(out));
		free(big);
	}
	return CHECK_DONE();
}
