/*
 * tokenize.c -- splits folded text into word tokens: contractions
 * expanded, letter runs squeezed, stop words flagged.  Stemming is not
 * done here (the matcher owns the stemmer and caches stems); neither is
 * spelling correction (fuzzy.c) nor synonyms (lexicon in matcher.c).
 */
#include <string.h>

#include "internal.h"

/* A word with its length, for tables compared without strlen(). */
struct word {
	const char	*s;
	size_t		 len;
};
#define W(lit)	{ lit, sizeof(lit) - 1 }

/* Contractions written without the apostrophe, as people type them. */
static const struct {
	struct word	 from;
	const char	*to;
} bare[] = {
	{ W("dont"), "do not" },
	{ W("doesnt"), "does not" },
	{ W("didnt"), "did not" },
	{ W("cant"), "can not" },
	{ W("cannot"), "can not" },
	{ W("wont"), "will not" },
	{ W("isnt"), "is not" },
	{ W("arent"), "are not" },
	{ W("wasnt"), "was not" },
	{ W("werent"), "were not" },
	{ W("havent"), "have not" },
	{ W("hasnt"), "has not" },
	{ W("hadnt"), "had not" },
	{ W("shouldnt"), "should not" },
	{ W("wouldnt"), "would not" },
	{ W("couldnt"), "could not" },
	{ W("mustnt"), "must not" },
	{ W("aint"), "is not" },
	{ W("im"), "i am" },
	{ W("ive"), "i have" },
	{ W("youre"), "you are" },
	{ W("youve"), "you have" },
	{ W("youll"), "you will" },
	{ W("theyre"), "they are" },
	{ W("theyve"), "they have" },
	{ W("weve"), "we have" },
	{ W("whats"), "what is" },
	{ W("thats"), "that is" },
	{ W("hows"), "how is" },
	{ W("wheres"), "where is" },
	{ W("whos"), "who is" },
	{ W("theres"), "there is" },
	{ W("itll"), "it will" },
	{ W("u"), "you" },
	{ W("ur"), "your" },
	{ W("r"), "are" },
	{ W("pls"), "please" },
	{ W("plz"), "please" },
	{ W("thx"), "thanks" },
	{ W("wat"), "what" },
	{ W("gonna"), "going to" },
	{ W("wanna"), "want to" },
	{ W("gotta"), "got to" },
};

/* Words ending in 's whose 's means "is" (otherwise it is possessive). */
static const char *is_words[] = {
	"it", "what", "that", "he", "she", "there", "where", "how", "who",
	"here", "when", "why", "this",
};

/*
 * Stop words: articles, pronouns, auxiliaries, prepositions.  Question
 * words and negations are deliberately kept: they tell intents apart.
 */
static const struct word stops[] = {
	W("a"), W("an"), W("the"), W("of"), W("to"), W("in"), W("on"),
	W("at"), W("for"), W("by"), W("with"), W("from"), W("and"), W("or"),
	W("is"), W("are"), W("am"), W("be"), W("been"), W("was"), W("were"),
	W("it"), W("its"), W("this"), W("that"), W("these"), W("those"),
	W("i"), W("me"), W("my"), W("you"), W("your"), W("we"), W("our"),
	W("us"), W("he"), W("she"), W("they"), W("them"), W("his"), W("her"),
	W("their"), W("do"), W("does"), W("did"), W("so"), W("just"),
	W("please"), W("hi"), W("hello"), W("hey"), W("um"), W("uh"),
	W("some"), W("any"), W("there"), W("about"), W("as"), W("if"),
	W("would"), W("could"), W("also"), W("really"), W("very"), W("ok"),
	W("okay"), W("thanks"), W("thank"),
};

int
tok_is_stop(const char *w, size_t len)
{
	size_t i;

	if (len == 0 || len > 6)
		return 0;
	for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		if (stops[i].len == len && stops[i].s[0] == w[0] &&
		    memcmp(stops[i].s, w, len) == 0)
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
	for (i = 0; i < sizeof(bare) / sizeof(bare[0]) && len <= 8; i++) {
		if (bare[i].from.len == len && bare[i].from.s[0] == w[0] &&
		    memcmp(bare[i].from.s, w, len) == 0) {
			push_words(tl, bare[i].to);
			return;
		}
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
