/*
 * crisis_norm.c -- turns one window of a message into canonical tokens for
 * the crisis phrases: Unicode folded, markdown and spoilers dropped,
 * leetspeak ("k1ll mys3lf", "s*icide") undone, repeated letters squeezed,
 * one-edit misspellings of listed words repaired ("sucidal"), spaced
 * ("s u i c i d e") and glued ("killmyself") words rejoined or split, and
 * aliases ("kms", "wanna") expanded.  Sentence boundaries and question
 * openings are kept for the combining rules.  It does not decide anything.
 */
#include <string.h>

#include "crisis_int.h"
#include "intents.h"

#define FOLD_CAP	(CWIN_BYTES * 2 + 16)

static int
is_alpha(int ch)
{
	return ch >= 'a' && ch <= 'z';
}

static int
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
is_alnum(int ch)
{
	return is_alpha(ch) || is_digit(ch);
}

/*
 * Copies text (len bytes) to out (cap bytes), replacing the emoji that
 * stand for a means or for blood by their word between spaces ("took
 * 20 💊" reads "took 20 pills"); stops early rather than overflow.
 * Returns the bytes written.
 */
static size_t
emoji_words(const char *text, size_t len, char *out, size_t cap)
{
	static const struct { const char *utf8, *word; } map[] = {
		{ "\xf0\x9f\x92\x8a", " pills " },	/* U+1F48A pill */
		{ "\xf0\x9f\x94\xaa", " knife " },	/* U+1F52A knife */
		{ "\xf0\x9f\x94\xab", " gun " },	/* U+1F52B pistol */
		{ "\xf0\x9f\xa9\xb8", " blood " },	/* U+1FA78 drop of blood */
		{ "\xf0\x9f\xaa\xa2", " rope " },	/* U+1FAA2 knot */
	};
	size_t i = 0, o = 0, k;

	while (i < len && o + 8 < cap) {
		for (k = 0; k < sizeof(map) / sizeof(map[0]); k++)
			if (len - i >= 4 && memcmp(text + i, map[k].utf8, 4) == 0)
				break;
		if (k < sizeof(map) / sizeof(map[0])) {
			size_t wl = strlen(map[k].word);

			memcpy(out + o, map[k].word, wl);
			o += wl;
			i += 4;
		} else
			out[o++] = text[i++];
	}
	return o;
}

/* Folds text (len bytes) to lower-case ASCII-ish bytes in out. */
static size_t
fold(const char *text, size_t len, char *out, size_t cap)
{
	size_t i;
	long n;

	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] >= 0x80)
			break;
	if (i == len) {
		/* ASCII fast path; keeps newlines as sentence ends */
		if (len >= cap)
			len = cap - 1;
		for (i = 0; i < len; i++) {
			char ch = text[i];

			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch + ('a' - 'A'));
			else if (ch == '\0')
				ch = ' ';
			out[i] = ch;
		}
		out[len] = '\0';
		return len;
	}
	if (memchr(text, 0xf0, len) != NULL) {
		/* a few emoji stand for words the rules know */
		char tmp[CWIN_BYTES * 3 + 16];
		size_t tl = emoji_words(text, len, tmp, sizeof(tmp));

		n = norm_fold(tmp, tl, out, cap);
	} else
		n = norm_fold(text, len, out, cap);
	return n < 0 ? 0 : (size_t)n;
}

/* ---- spelling ---- */

/*
 * One edit (insert, delete, substitute, swap neighbours) or less between
 * a (la) and b (lb)?  '?' in a matches any letter.
 */
static int
within_one(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0;

	if (la > lb + 1 || lb > la + 1)
		return 0;
	while (i < la && i < lb && (a[i] == b[i] || a[i] == '?'))
		i++;
	if (i == la && i == lb)
		return 1;
	if (la == lb) {
		/* substitution or transposition */
		if (strncmp(a + i + 1, b + i + 1, la - i - 1) == 0)
			return 1;
		return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		    strncmp(a + i + 2, b + i + 2, la - i - 2) == 0;
	}
	if (la > lb)	/* a has an extra letter */
		return strncmp(a + i + 1, b + i, lb - i) == 0;
	return strncmp(a + i, b + i + 1, la - i) == 0;
}

/* Same length, two neighbouring letters swapped? */
static int
swapped(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0;

	if (la != lb)
		return 0;
	while (i < la && a[i] == b[i])
		i++;
	return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	    strncmp(a + i + 2, b + i + 2, la - i - 2) == 0;
}

/* Equal letter for letter, a '?' in a matching any letter? */
static int
wild_equal(const char *a, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i] && a[i] != '?')
			return 0;
	return 1;
}

/* More than two bits set in x? (Each x &= x - 1 clears the lowest.) */
static int
over_two_bits(uint32_t x)
{
	x &= x - 1;
	x &= x - 1;
	return x != 0;
}

/*
 * One-edit spelling repair against every word of the rules ("sucidal",
 * "swalowed", "xanex", "lfie"), keeping the first letter.  Words of four
 * letters only gain a letter or swap two ("pils", "pian"), and so do
 * words becoming one of five letters or fewer; shorter ones
 * are never repaired ("diet" stays "diet").  A '?' (from "s*icide")
 * matches any letter.  Returns the entry, or -1.
 */
static int
fuzzy_find(const struct crisis *c, const char *w, size_t len)
{
	uint32_t mask;
	size_t tl;
	int l, k;

	if (len < 4 || len + 1 >= CW_MAX)
		return -1;
	if (w[0] == '?') {
		/* a wildcard first letter: try each bucket, same length */
		for (l = 0; l < 26; l++)
			for (k = 0; k < c->nfz[l][len]; k++) {
				const struct centry *e = &c->ents[c->fz[l][len][k]];

				if (strncmp(e->w + 1, w + 1, len - 1) == 0)
					return c->fz[l][len][k];
			}
		return -1;
	}
	if (w[0] < 'a' || w[0] > 'z')
		return -1;
	l = w[0] - 'a';
	/* a '?' inside matches any letter: no letter-set prefilter then */
	mask = memchr(w, '?', len) != NULL ? 0 : crisis_letter_mask(w, len);
	for (tl = len - 1; tl <= len + 1; tl++) {
		if (tl < 4 || (len == 4 && tl == 3))
			continue;
		/* every target of bucket tl has tl letters */
		if (tl < 5 && !(len == 4 && tl == 4))
			continue;
		for (k = 0; k < c->nfz[l][tl]; k++) {
			const struct centry *e;

			if (mask != 0 && over_two_bits(mask ^
			    c->fzmask[l][tl][k]))
				continue;
			e = &c->ents[c->fz[l][tl][k]];
			if (len == 4 && tl == 4) {
				/* four letters: only two swapped */
				size_t i = 0;

				while (i < 4 && e->w[i] == w[i])
					i++;
				if (i < 3 && e->w[i] == w[i + 1] &&
				    e->w[i + 1] == w[i] &&
				    strncmp(e->w + i + 2, w + i + 2, 2 - i) == 0)
					return c->fz[l][tl][k];
				continue;
			}
			/* short words only lose a letter ("rapd") or swap
			 * two: "rated" and "rapid" are not "raped"; a '?'
			 * stands for exactly one letter ("r*ped") */
			if (e->len <= 5 && tl <= len && !swapped(w, len, e->w,
			    e->len) && !(mask == 0 && tl == len &&
			    within_one(w, len, e->w, e->len) &&
			    wild_equal(w, e->w, len)))
				continue;
			if (within_one(w, len, e->w, e->len))
				return c->fz[l][tl][k];
		}
	}
	return -1;
}

/* Leet digits to letters where a digit sits inside a word. */
static void
unleet(char *w, size_t len, char one)
{
	static const char map[10] = { 'o', 'i', 0, 'e', 'a', 's', 0, 't',
	    'b', 'g' };
	size_t k, letters;

	for (k = 0; k < len; k++) {
		int d;

		if (!is_digit(w[k]))
			continue;
		d = w[k] - '0';
		if (map[d] == 0)
			continue;
		if (k > 0 && (is_alpha(w[k - 1]) || w[k - 1] == '?')) {
			w[k] = d == 1 ? one : map[d];
			continue;
		}
		if (k > 0 && is_digit(w[k - 1]))
			continue;
		for (letters = 0; k + 1 + letters < len &&
		    is_alpha(w[k + 1 + letters]); letters++)
			;
		if (letters >= 3)
			w[k] = d == 1 ? one : map[d];
	}
}

/* Squeezes runs of 3+ equal letters to keep (1 or 2).  Returns length. */
static size_t
squeeze(const char *w, size_t len, char *out, int keep)
{
	size_t i = 0, o = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && w[j] == w[i])
			j++;
		if (j - i >= 3) {
			out[o++] = w[i];
			if (keep == 2)
				out[o++] = w[i];
		} else {
			memcpy(out + o, w + i, j - i);
			o += j - i;
		}
		i = j;
	}
	out[o] = '\0';
	return o;
}

/*
 * The entry for one word, trying in turn: as typed, without apostrophes,
 * with repeated letters squeezed, then one-edit repair.  -1 if unknown.
 * buf receives the form that was found (or the plain form).
 */
static int
canon_word(const struct crisis *c, const char *w, size_t len, char *buf,
    size_t *blen)
{
	char tmp[CW_MAX], sq[CW_MAX];
	size_t i, n = 0, sl;
	int e, has_q = 0, has_d = 0;

	if ((e = crisis_lookup(c, w, len)) >= 0)
		goto found_w;
	for (i = 0; i < len; i++) {
		if (w[i] != '\'')
			tmp[n++] = w[i];
		if (w[i] == '?')
			has_q = 1;
		if (is_digit(w[i]))
			has_d = 1;
	}
	tmp[n] = '\0';
	memcpy(buf, tmp, n + 1);
	*blen = n;
	if (n != len && (e = crisis_lookup(c, tmp, n)) >= 0)
		return e;
	sl = squeeze(tmp, n, sq, 2);
	if (sl != n) {
		if ((e = crisis_lookup(c, sq, sl)) >= 0)
			goto found_sq;
		sl = squeeze(tmp, n, sq, 1);
		if ((e = crisis_lookup(c, sq, sl)) >= 0)
			goto found_sq;
	}
	{
		/* "cuttin" -> "cutting"; "cvt" -> "cut" */
		char g[CW_MAX];
		const char *b = sl != n ? sq : tmp;
		size_t bl = sl != n ? sl : n, i2;

		if (bl >= 4 && bl + 1 < CW_MAX && b[bl - 2] == 'i' &&
		    b[bl - 1] == 'n') {
			memcpy(g, b, bl);
			g[bl] = 'g';
			g[bl + 1] = '\0';
			if ((e = crisis_lookup(c, g, bl + 1)) >= 0)
				goto found_e;
		}
		if (memchr(b, 'v', bl) != NULL) {
			memcpy(g, b, bl + 1);
			for (i2 = 0; i2 < bl; i2++)
				if (g[i2] == 'v')
					g[i2] = 'u';
			if ((e = crisis_lookup(c, g, bl)) >= 0)
				goto found_e;
		}
	}
	if (!has_d && (e = fuzzy_find(c, sl != n ? sq : tmp,
	    sl != n ? sl : n)) >= 0) {
		memcpy(buf, c->ents[e].w, (size_t)c->ents[e].len + 1);
		*blen = c->ents[e].len;
		return e;
	}
	(void)has_q;
	return -1;
found_e:
	memcpy(buf, c->ents[e].w, (size_t)c->ents[e].len + 1);
	*blen = c->ents[e].len;
	return e;
found_w:
	memcpy(buf, w, len);
	buf[len] = '\0';
	*blen = len;
	return e;
found_sq:
	memcpy(buf, sq, sl + 1);
	*blen = sl;
	return e;
}

/*
 * A piece of two letters or fewer that is only an alias ("od", "sh",
 * "rn") is not a word of a glued compound: "goodnight" is not "go od
 * night", "gosh" not "go self harm".
 */
static int
short_alias(const struct crisis *c, int e, size_t len)
{
	return len <= 2 && c->ents[e].alias >= 0;
}

/*
 * Splits w into known words (at most 4), the first one a phrase head when
 * heads_only.  Fills ids and returns their count, or 0.
 */
static int
split_word(const struct crisis *c, const char *w, size_t len, int *ids,
    int depth, int heads_only)
{
	size_t k;
	int l, h;

	if (len == 0)
		return 0;
	if (depth > 0 && (ids[0] = crisis_lookup(c, w, len)) >= 0 &&
	    !short_alias(c, ids[0], len))
		return 1;
	if (depth >= 3 || !is_alpha(w[0]))
		return 0;
	if (heads_only) {
		l = w[0] - 'a';
		for (h = 0; h < c->nheads[l]; h++) {
			const struct chead *hd = &c->heads[l][h];
			int n;

			/* heads have two letters or more */
			if (hd->len >= len || hd->c1 != w[1] ||
			    len - hd->len < 2 ||
			    strncmp(c->ents[hd->id].w, w, hd->len) != 0)
				continue;
			n = split_word(c, w + hd->len, len - hd->len, ids + 1,
			    depth + 1, 0);
			if (n > 0) {
				ids[0] = hd->id;
				return n + 1;
			}
		}
		return 0;
	}
	for (k = len - 1; k >= 1; k--) {
		int n;

		if ((ids[0] = crisis_lookup(c, w, k)) < 0 ||
		    short_alias(c, ids[0], k))
			continue;
		if (k == 1 && w[0] != 'i' && w[0] != 'a')
			continue;
		n = split_word(c, w + k, len - k, ids + 1, depth + 1, 0);
		if (n > 0)
			return n + 1;
	}
	return 0;
}

/* ---- raw tokens ---- */

struct rawtok {
	char	 w[CW_MAX];
	uint8_t	 len;
	uint8_t	 brk;
	uint8_t	 long_;
};

static size_t
raw_tokens(const char *s, size_t n, struct rawtok *out, size_t cap)
{
	size_t i, nt = 0;
	int brk = BRK_NONE;
	struct rawtok cur;

	memset(&cur, 0, sizeof(cur));
	for (i = 0; i <= n && nt < cap; i++) {
		int ch = i < n ? (unsigned char)s[i] : ' ';
		int next = i + 1 < n ? (unsigned char)s[i + 1] : ' ';
		int add = 0, sep_brk = BRK_NONE;

		if (is_alnum(ch))
			add = ch;
		else if (ch == '\'' && cur.len > 0 && is_alpha(next))
			add = '\'';
		else if ((ch == '*' || ch == '?') && cur.len > 0 &&
		    is_alpha(next))
			add = '?';
		else if (ch == '!' && cur.len > 0 && is_alpha(next) &&
		    is_alpha(cur.w[cur.len - 1]))
			add = 'i';
		else if (ch == '$' && is_alpha(next))
			add = 's';
		else if (ch == '@' && cur.len > 0 && is_alpha(next))
			add = 'a';
		else if (ch == '.' || ch == '!' || ch == '?')
			sep_brk = is_alnum(next) ? BRK_NONE : BRK_STRONG;
		else if (ch == ';' || ch == '\n' || ch == ':')
			sep_brk = BRK_STRONG;
		else if (ch == ',')
			sep_brk = BRK_WEAK;
		if (add) {
			if (cur.len + 1 < CW_MAX)
				cur.w[cur.len++] = (char)add;
			else
				cur.long_ = 1;
			continue;
		}
		if (cur.len > 0) {
			cur.w[cur.len] = '\0';
			cur.brk = (uint8_t)brk;
			out[nt++] = cur;
			memset(&cur, 0, sizeof(cur));
			brk = BRK_NONE;
		}
		if (sep_brk > brk)
			brk = sep_brk;
	}
	return nt;
}

/* ---- assembling ---- */

static void
tok_set(struct ctok *t, const char *w, size_t len, int brk, int e)
{
	memset(t, 0, sizeof(*t));
	if (len >= CW_MAX)
		len = CW_MAX - 1;
	memcpy(t->w, w, len);
	t->w[len] = '\0';
	t->len = (uint8_t)len;
	t->brk = (uint8_t)brk;
	t->e = e;
	t->num = -1;
}

static void
tok_entry(const struct crisis *c, struct ctok *t, int e, int brk)
{
	tok_set(t, c->ents[e].w, c->ents[e].len, brk, e);
}

/* Canonicalises one raw token into out (1..4 tokens).  Returns count. */
static size_t
canon_token(const struct crisis *c, const struct rawtok *r, struct ctok *out,
    size_t room)
{
	char w[CW_MAX], buf[CW_MAX];
	size_t len = r->len, i, blen;
	int e, has_d = 0, has_a = 0, ids[5], n;

	if (room == 0)
		return 0;
	memcpy(w, r->w, len + 1);
	for (i = 0; i < len; i++) {
		if (is_digit(w[i]))
			has_d = 1;
		else if (is_alpha(w[i]))
			has_a = 1;
	}
	if (r->long_) {
		tok_set(out, w, len, r->brk, -1);
		return 1;
	}
	if (has_d && !has_a && strchr(w, '?') == NULL &&
	    strchr(w, '\'') == NULL) {
		long v = 0;

		for (i = 0; i < len && v < 1000000; i++)
			v = v * 10 + (w[i] - '0');
		tok_set(out, w, len, r->brk, crisis_lookup(c, w, len));
		out->num = v;
		return 1;
	}
	if (has_d) {
		char w2[CW_MAX];

		memcpy(w2, w, len + 1);
		unleet(w, len, 'i');
		if ((e = canon_word(c, w, len, buf, &blen)) < 0 &&
		    strchr(w2, '1') != NULL) {
			unleet(w2, len, 'l');
			if ((e = canon_word(c, w2, len, buf, &blen)) >= 0)
				memcpy(w, w2, len + 1);
		}
	} else
		e = canon_word(c, w, len, buf, &blen);
	if (e >= 0) {
		tok_entry(c, out, e, r->brk);
		out->single = (r->len == 1);
		return 1;
	}
	if (blen >= 5 && room >= 2 &&
	    (n = split_word(c, buf, blen, ids, 0, 1)) > 1) {
		size_t k;

		for (k = 0; k < (size_t)n && k < room; k++)
			tok_entry(c, &out[k], ids[k], k == 0 ? r->brk : 0);
		return k;
	}
	tok_set(out, buf, blen, r->brk, -1);
	out->single = (r->len == 1);
	return 1;
}

/*
 * Joins runs of three or more single letters ("s u i c i d e") and pairs
 * of unknown fragments ("sui cide") when the result is a known word or
 * splits into known words.  Works in place; returns the new count.
 */
static size_t
rejoin(const struct crisis *c, struct ctok *t, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		size_t j = i;

		if (t[i].len == 1 && is_alpha(t[i].w[0]) &&
		    (t[i].single || t[i].e < 0 || t[i].w[0] == 'i' ||
		    t[i].w[0] == 'u'))
			while (j < n && t[j].len == 1 && is_alpha(t[j].w[0]) &&
			    (j == i || t[j].brk == BRK_NONE) && j - i < CW_MAX - 1)
				j++;
		if (j - i >= 3) {
			char w[CW_MAX], buf[CW_MAX];
			size_t k, blen, len = j - i;
			int ids[5], m, e;

			for (k = 0; k < len; k++)
				w[k] = t[i + k].w[0];
			w[len] = '\0';
			e = canon_word(c, w, len, buf, &blen);
			if (e >= 0) {
				int brk = t[i].brk;

				tok_entry(c, &t[o++], e, brk);
				i = j;
				continue;
			}
			m = split_word(c, buf, blen, ids, 0, 0);
			if (m > 0 && o + (size_t)m <= i + len) {
				int brk = t[i].brk;

				for (k = 0; k < (size_t)m; k++)
					tok_entry(c, &t[o++], ids[k],
					    k == 0 ? brk : 0);
				i = j;
				continue;
			}
		}
		if (i + 1 < n && t[i].e < 0 && t[i + 1].brk == BRK_NONE &&
		    t[i].num < 0 && t[i + 1].num < 0 &&
		    (size_t)t[i].len + t[i + 1].len < CW_MAX) {
			char w[CW_MAX], buf[CW_MAX];
			size_t blen, len = (size_t)t[i].len + t[i + 1].len;
			int e;

			memcpy(w, t[i].w, t[i].len);
			memcpy(w + t[i].len, t[i + 1].w, t[i + 1].len);
			w[len] = '\0';
			if ((e = canon_word(c, w, len, buf, &blen)) >= 0) {
				int brk = t[i].brk;

				tok_entry(c, &t[o++], e, brk);
				i += 2;
				continue;
			}
		}
		if (o != i)
			t[o] = t[i];
		o++;
		i++;
	}
	return o;
}

/* Expands aliases from in (n) to out (cap).  Returns the count. */
static size_t
expand_aliases(const struct crisis *c, const struct ctok *in, size_t n,
    struct ctok *out, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < n && o < cap) {
		const struct calias *a = NULL;
		size_t used = 1;
		int e = in[i].e, k;

		if (e >= 0 && c->ents[e].pair && i + 1 < n &&
		    in[i + 1].e >= 0 && in[i + 1].brk == BRK_NONE) {
			char key[2 * CW_MAX + 2];
			size_t kl = (size_t)in[i].len + 1 + in[i + 1].len;
			int ai;

			memcpy(key, in[i].w, in[i].len);
			key[in[i].len] = ' ';
			memcpy(key + in[i].len + 1, in[i + 1].w, in[i + 1].len);
			key[kl] = '\0';
			ai = crisis_map_get(&c->pairs, key, kl);
			if (ai >= 0) {
				a = &c->aliases[ai];
				used = 2;
			}
		}
		/* "10 kms" are kilometres, "20 klonopins" are pills */
		if (a == NULL && e >= 0 && c->ents[e].alias >= 0 &&
		    !(i > 0 && in[i - 1].num >= 0 && in[i].brk == BRK_NONE &&
		    c->ents[e].len <= 3))
			a = &c->aliases[c->ents[e].alias];
		if (a == NULL) {
			out[o++] = in[i++];
			continue;
		}
		for (k = 0; k < a->nto && o < cap; k++)
			tok_entry(c, &out[o++], a->to[k], k == 0 ? in[i].brk : 0);
		i += used;
	}
	return o;
}

/*
 * Words that may open a sentence before the question word: fillers[n]
 * holds those of n letters, each followed by a space, so that a token is
 * compared only with words of its length.
 */
static int
is_filler(const struct ctok *t)
{
	static const char *const fillers[] = { "", "q ", "hi so um ok yo ",
	    "hey hmm but and pls ", "okay also well just ", "hello quick ",
	    "please ", "", "question " };
	const char *p;

	if (t->len >= sizeof(fillers) / sizeof(fillers[0]))
		return 0;
	for (p = fillers[t->len]; *p != '\0'; p += t->len + 1)
		if (memcmp(p, t->w, t->len) == 0)
			return 1;
	return 0;
}

static int
is_but(const struct ctok *t)
{
	return t->len == 3 && memcmp(t->w, "but", 3) == 0;
}

/*
 * Numbers the sentences and marks clauses (between any boundaries or
 * "but"/"and") that open like a question ("can", "does", "how").
 */
static void
mark_sentences(const struct crisis *c, struct ctok *t, size_t n)
{
	size_t i = 0;
	int sent = 0;

	for (i = 0; i < n; i++) {
		if (i > 0 && t[i].brk == BRK_STRONG)
			sent++;
		t[i].sent = sent;
	}
	i = 0;
	while (i < n) {
		size_t j = i, k;
		int q = 0;

		while (j < n && (j == i || (t[j].brk == BRK_NONE &&
		    !is_but(&t[j]))))
			j++;
		for (k = i; k < j && k < i + 4; k++) {
			if (is_filler(&t[k]) || (t[k].e >= 0 &&
			    (c->ents[t[k].e].flags & WF_SCOPE)))
				continue;
			q = t[k].e >= 0 && (c->ents[t[k].e].flags & WF_QSTART);
			break;
		}
		for (k = i; k < j; k++)
			t[k].question = (uint8_t)q;
		i = j;
	}
}

size_t
crisis_norm_tokens(const struct crisis *c, const char *text, size_t len,
    struct ctok *out, size_t cap)
{
	char buf[FOLD_CAP];
	struct rawtok raw[CT_MAX];
	struct ctok mid[CT_MAX];
	size_t fl, nr, i, n = 0;

	if (len > CWIN_BYTES)
		len = CWIN_BYTES;
	fl = fold(text, len, buf, sizeof(buf));
	nr = raw_tokens(buf, fl, raw, CT_MAX);
	for (i = 0; i < nr && n < CT_MAX; i++)
		n += canon_token(c, &raw[i], mid + n, CT_MAX - n);
	n = rejoin(c, mid, n);
	n = expand_aliases(c, mid, n, out, cap);
	mark_sentences(c, out, n);
	return n;
}
