/*
 * tokenize.c -- splits folded text into word tokens: contractions
 * expanded, letter runs squeezed, stop words flagged.  Stemming is not
 * done here (the matcher owns the stemmer and caches stems); neither is
 * spelling correction (fuzzy.c) nor synonyms (lexicon in matcher.c).
 */
#include <string.h>

#include "internal.h"

/*
 * Contractions written without the apostrophe, as people type them,
 * one table per length (bare_by_len[n]: the words of n letters, ended
 * by a NULL entry) so that a word is compared only with its peers.
 */
struct bare {
	const char	*from;
	const char	*to;
};

static const struct bare bare1[] = {
	{ "u", "you" },
	{ "r", "are" },
	{ NULL, NULL },
};
static const struct bare bare2[] = {
	{ "im", "i am" },
	{ "ur", "your" },
	{ NULL, NULL },
};
static const struct bare bare3[] = {
	{ "ive", "i have" },
	{ "pls", "please" },
	{ "plz", "please" },
	{ "thx", "thanks" },
	{ "wat", "what" },
	{ NULL, NULL },
};
static const struct bare bare4[] = {
	{ "dont", "do not" },
	{ "cant", "can not" },
	{ "wont", "will not" },
	{ "isnt", "is not" },
	{ "aint", "is not" },
	{ "weve", "we have" },
	{ "hows", "how is" },
	{ "whos", "who is" },
	{ "itll", "it will" },
	{ NULL, NULL },
};
static const struct bare bare5[] = {
	{ "didnt", "did not" },
	{ "arent", "are not" },
	{ "wasnt", "was not" },
	{ "hasnt", "has not" },
	{ "hadnt", "had not" },
	{ "youre", "you are" },
	{ "youve", "you have" },
	{ "youll", "you will" },
	{ "whats", "what is" },
	{ "thats", "that is" },
	{ "gonna", "going to" },
	{ "wanna", "want to" },
	{ "gotta", "got to" },
	{ NULL, NULL },
};
static const struct bare bare6[] = {
	{ "doesnt", "does not" },
	{ "cannot", "can not" },
	{ "werent", "were not" },
	{ "havent", "have not" },
	{ "mustnt", "must not" },
	{ "theyre", "they are" },
	{ "theyve", "they have" },
	{ "wheres", "where is" },
	{ "theres", "there is" },
	{ NULL, NULL },
};
static const struct bare bare7[] = {
	{ "wouldnt", "would not" },
	{ "couldnt", "could not" },
	{ NULL, NULL },
};
static const struct bare bare8[] = {
	{ "shouldnt", "should not" },
	{ NULL, NULL },
};
static const struct bare *const bare_by_len[] = {
	NULL, bare1, bare2, bare3, bare4, bare5, bare6, bare7, bare8,
};

/* Words ending in 's whose 's means "is" (otherwise it is possessive). */
static const char *is_words[] = {
	"it", "what", "that", "he", "she", "there", "where", "how", "who",
	"here", "when", "why", "this",
};

/*
 * Stop words: articles, pronouns, auxiliaries, prepositions.  Question
 * words and negations are deliberately kept: they tell intents apart.
 * stops[n] holds the words of n letters, each followed by one space, so
 * that a word is compared only with words of its length.
 */
static const char *const stops[] = {
	"",
	"a i ",
	"an of to in on at by or is am be it me my we us he do so hi um uh "
	    "as if ok ",
	"the for and are was its you our she his her did hey any ",
	"with from been were this that your they them does just some also "
	    "very okay ",
	"these those their hello there about would could thank ",
	"please really thanks ",
};

int
tok_is_stop(const char *w, size_t len)
{
	const char *p;

	if (len == 0 || len >= sizeof(stops) / sizeof(stops[0]))
		return 0;
	for (p = stops[len]; *p != '\0'; p += len + 1)
		if (p[0] == w[0] && memcmp(p, w, len) == 0)
			return 1;
	return 0;
}

size_t
tok_squeeze_all(char *w, size_t len)
{
	size_t i, j = 0;

	for (i = 0; i < len; i++)
		if (j == 0 || w[j - 1] != w[i] ||
		    !(w[i] >= 'a' && w[i] <= 'z'))
			w[j++] = w[i];
	w[j] = '\0';
	return j;
}

/* Appends one token (already cut to TOK_WORD_MAX). */
static void
push(struct tok_list *tl, const char *w, size_t len, int squeezed)
{
	struct tok *t;

	if (tl->n >= TOK_MAX || len == 0)
		return;
	if (len > TOK_WORD_MAX)
		len = TOK_WORD_MAX;
	t = &tl->t[tl->n++];
	memcpy(t->text, w, len);
	t->text[len] = '\0';
	t->len = (uint8_t)len;
	t->squeezed = (uint8_t)squeezed;
	t->stop = (uint8_t)tok_is_stop(w, len);
}

/* Appends the space-separated words of s. */
static void
push_words(struct tok_list *tl, const char *s)
{
	const char *sp;

	while (*s != '\0') {
		sp = strchr(s, ' ');
		if (sp == NULL) {
			push(tl, s, strlen(s), 0);
			return;
		}
		push(tl, s, (size_t)(sp - s), 0);
		s = sp + 1;
	}
}

static int
ends_with(const char *w, size_t len, const char *suf)
{
	size_t n = strlen(suf);

	return len >= n && memcmp(w + len - n, suf, n) == 0;
}

/* Emits word w (apostrophes possibly inside) with contractions expanded. */
static void
emit_word(struct tok_list *tl, char *w, size_t len, int squeezed)
{
	const struct bare *b;
	size_t i, base, n0;
	char tmp[TOK_WORD_MAX + 1];

	if (memchr(w, '\'', len) != NULL) {
		if (len == 5 && memcmp(w, "won't", 5) == 0) {
			push_words(tl, "will not");
			return;
		}
		if (len == 5 && memcmp(w, "can't", 5) == 0) {
			push_words(tl, "can not");
			return;
		}
		if (len == 5 && memcmp(w, "ain't", 5) == 0) {
			push_words(tl, "is not");
			return;
		}
		if (ends_with(w, len, "n't")) {
			push(tl, w, len - 3, squeezed);
			push(tl, "not", 3, 0);
			return;
		}
		base = (size_t)((char *)memchr(w, '\'', len) - w);
		if (base == 0) {		/* leading quote */
			emit_word(tl, w + 1, len - 1, squeezed);
			return;
		}
		n0 = tl->n;
		push(tl, w, base, squeezed);
		if (ends_with(w, len, "'re"))
			push(tl, "are", 3, 0);
		else if (ends_with(w, len, "'m"))
			push(tl, "am", 2, 0);
		else if (ends_with(w, len, "'ll"))
			push(tl, "will", 4, 0);
		else if (ends_with(w, len, "'ve"))
			push(tl, "have", 4, 0);
		else if (ends_with(w, len, "'d"))
			push(tl, "would", 5, 0);
		else if (ends_with(w, len, "'s")) {
			for (i = 0; i < sizeof(is_words) / sizeof(*is_words);
			    i++)
				if (strlen(is_words[i]) == base &&
				    memcmp(is_words[i], w, base) == 0)
					push(tl, "is", 2, 0);
		} else if (base + 1 < len) {	/* o'clock, rock'n'roll */
			size_t j, k = 0;
			tl->n = n0;
			for (j = 0; j < len && k < TOK_WORD_MAX; j++)
				if (w[j] != '\'')
					tmp[k++] = w[j];
			push(tl, tmp, k, squeezed);
		}
		return;
	}
	if (len > 0 && len < sizeof(bare_by_len) / sizeof(bare_by_len[0]))
		for (b = bare_by_len[len]; b->from != NULL; b++)
			if (b->from[0] == w[0] && memcmp(b->from, w, len) == 0) {
				push_words(tl, b->to);
				return;
			}
	push(tl, w, len, squeezed);
}

static int
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Length of w without an incomplete UTF-8 character at its end. */
static size_t
utf8_cut(const char *w, size_t k)
{
	size_t j = k, need;
	unsigned char lead;

	while (j > 0 && ((unsigned char)w[j - 1] & 0xc0) == 0x80)
		j--;
	if (j == 0)
		return k;
	lead = (unsigned char)w[j - 1];
	if (lead < 0xc0)
		return k;
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	return k - (j - 1) >= need ? k : j - 1;
}

void
tok_split(const char *text, size_t len, struct tok_list *tl)
{
	char w[TOK_WORD_MAX + 1];
	size_t i = 0, k;
	int squeezed;

	tl->n = 0;
	while (i < len && tl->n < TOK_MAX) {
		unsigned char c = (unsigned char)text[i];

		if (!is_word_byte(c)) {
			i++;
			continue;
		}
		k = 0;
		squeezed = 0;
		while (i < len) {
			c = (unsigned char)text[i];
			if (c == '\'' && k > 0 && i + 1 < len &&
			    is_word_byte((unsigned char)text[i + 1])) {
				/* apostrophe inside a word */
			} else if (!is_word_byte(c)) {
				break;
			}
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + ('a' - 'A'));
			/* a third identical letter in a row is dropped */
			if (c >= 'a' && c <= 'z' && k >= 2 &&
			    w[k - 1] == (char)c && w[k - 2] == (char)c) {
				squeezed = 1;
				i++;
				continue;
			}
			if (k < TOK_WORD_MAX)
				w[k++] = (char)c;
			i++;
		}
		k = utf8_cut(w, k);
		w[k] = '\0';
		if (k > 0)
			emit_word(tl, w, k, squeezed);
	}
}
