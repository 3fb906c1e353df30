/*
 * analyze.c -- turns a question into terms: Unicode folding, tokens,
 * spelling correction of unknown words against the training vocabulary,
 * lexicon concepts (multi-word variants included) and stems.
 *
 * DESIGN: the vocabulary is every word of the training text and of the
 * lexicon, each with its stem computed once at training time.  At match
 * time a known word costs one hash lookup.  An unknown word is tried with
 * doubled letters squeezed, then against every vocabulary word within its
 * edit budget; only a word that is still unknown is stemmed, with a
 * stemmer the caller provides (libstemmer objects are stateful, so a
 * shared one would not be thread-safe): a struct matcher_ws, created once
 * per thread or caller.  Vocabulary words within the budget are found
 * through a deletion index (two words within edit distance d share a
 * string made by deleting at most d letters from each), so the cost of a
 * misspelling does not grow with the vocabulary; every candidate is then
 * checked with the exact distance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "intents.h"
#include "internal.h"

#define FOLD_MAX	2048	/* bytes of folded text analysed */

/* Copies s into the pool; returns its offset or -1 on out-of-memory. */
static long
pool_add(struct analyzer *a, const char *s, size_t len)
{
	long off;

	if (a->poollen + len + 1 > a->poolcap) {
		size_t ncap = a->poolcap ? a->poolcap * 2 : 16384;
		char *np;
		while (ncap < a->poollen + len + 1)
			ncap *= 2;
		if ((np = realloc(a->pool, ncap)) == NULL)
			return -1;
		a->pool = np;
		a->poolcap = ncap;
	}
	memcpy(a->pool + a->poollen, s, len);
	a->pool[a->poollen + len] = '\0';
	off = (long)a->poollen;
	a->poollen += len + 1;
	return off;
}

/* Stems w into out (TOK_WORD_MAX + 1 bytes); returns the stem length. */
static size_t
stem_word(struct sb_stemmer *st, const char *w, size_t len, char *out)
{
	const sb_symbol *s;
	int n;

	if (st == NULL || len < 3 || (unsigned char)w[0] >= 0x80 ||
	    (s = sb_stemmer_stem(st, (const sb_symbol *)w, (int)len)) == NULL) {
		memcpy(out, w, len);
		out[len] = '\0';
		return len;
	}
	n = sb_stemmer_length(st);
	if (n <= 0 || n > TOK_WORD_MAX)
		n = (int)len;
	memcpy(out, s, (size_t)n);
	out[n] = '\0';
	return (size_t)n;
}

/* Index of word w, adding it (with its stem) when new; -1 on OOM. */
static int
word_add(struct analyzer *a, const char *w, size_t len,
    struct sb_stemmer *st)
{
	char stem[TOK_WORD_MAX + 1];
	struct vword *vw;
	long off, soff;
	size_t sl;
	int idx;

	if ((idx = smap_get(a->map, w, len)) >= 0) {
		a->words[idx].freq++;
		return idx;
	}
	if (a->nwords == a->capwords) {
		size_t ncap = a->capwords ? a->capwords * 2 : 1024;
		struct vword *nw = realloc(a->words, ncap * sizeof(*nw));
		if (nw == NULL)
			return -1;
		a->words = nw;
		a->capwords = ncap;
	}
	sl = stem_word(st, w, len, stem);
	if ((off = pool_add(a, w, len)) < 0 ||
	    (soff = pool_add(a, stem, sl)) < 0)
		return -1;
	idx = (int)a->nwords;
	if (smap_put(a->map, w, len, idx) != idx)
		return -1;
	vw = &a->words[a->nwords++];
	vw->off = (uint32_t)off;
	vw->stem = (uint32_t)soff;
	vw->len = (uint16_t)len;
	vw->stemlen = (uint16_t)sl;
	vw->mask = fuzzy_mask(w, len);
	vw->phrase = -1;
	vw->freq = 1;
	vw->stop = (uint8_t)tok_is_stop(w, len);
	return idx;
}

static void
fold_tokens(const char *text, size_t len, struct tok_list *tl)
{
	char buf[FOLD_MAX];
	long n;

	n = norm_fold(text, len, buf, sizeof(buf));
	tok_split(buf, n > 0 ? (size_t)n : 0, tl);
}

int
ana_learn(struct analyzer *a, const char *text, size_t len,
    struct sb_stemmer *st)
{
	struct tok_list tl;
	size_t i;

	fold_tokens(text, len, &tl);
	for (i = 0; i < tl.n; i++)
		if (word_add(a, tl.t[i].text, tl.t[i].len, st) < 0)
			return -1;
	return 0;
}

int
ana_init(struct analyzer *a, const struct kb_concept *c, size_t nc,
    struct sb_stemmer *st, char *err, size_t errlen)
{
	struct tok_list tl;
	char buf[FOLD_MAX];
	size_t i, j, k;
	long n;

	memset(a, 0, sizeof(*a));
	a->fuzzy = 1;
	if ((a->map = smap_new()) == NULL)
		goto oom;
	if (nc > 0 && (a->canon = calloc(nc, sizeof(*a->canon))) == NULL)
		goto oom;
	a->ncanon = nc;
	for (i = 0; i < nc; i++) {
		size_t total = c[i].variants != NULL ? c[i].nvariants + 1 : 1;
		const char *canon = c[i].canonical ? c[i].canonical : "";

		n = norm_fold(canon, strlen(canon), buf, sizeof(buf));
		for (k = 0; k < (size_t)n; k++)
			if (buf[k] == ' ')
				buf[k] = '_';
		if (n > TOK_WORD_MAX)
			n = TOK_WORD_MAX;
		if ((a->canon[i] = malloc((size_t)n + 1)) == NULL)
			goto oom;
		memcpy(a->canon[i], buf, (size_t)n);
		a->canon[i][n] = '\0';
		for (j = 0; j < total; j++) {
			const char *v = j == 0 ? canon : c[i].variants[j - 1];
			struct phrase *p;

			if (v == NULL)
				continue;
			fold_tokens(v, strlen(v), &tl);
			if (tl.n == 0 || tl.n > PHRASE_MAX_WORDS)
				continue;
			p = realloc(a->phrases,
			    (a->nphrases + 1) * sizeof(*p));
			if (p == NULL)
				goto oom;
			a->phrases = p;
			p = &a->phrases[a->nphrases];
			p->nwords = (int)tl.n;
			p->concept = (int32_t)i;
			for (k = 0; k < tl.n; k++) {
				int w = word_add(a, tl.t[k].text, tl.t[k].len,
				    st);
				if (w < 0)
					goto oom;
				p->word[k] = w;
			}
			p->next = a->words[p->word[0]].phrase;
			a->words[p->word[0]].phrase = (int32_t)a->nphrases;
			a->nphrases++;
		}
	}
	return 0;
oom:
	snprintf(err, errlen, "matcher: out of memory building the lexicon");
	ana_free(a);
	return -1;
}

/*
 * del_strings() writes to out every string made by deleting up to k (at
 * most 2) letters of w (len <= DEL_MAXLEN + 2), w itself first, and
 * returns how many (some may repeat).  Each string is len + 1 bytes apart
 * in out; lens[i] is the length of string i.
 */
#define DEL_MAXSTR	(1 + (DEL_MAXLEN + 2) + \
			 (DEL_MAXLEN + 2) * (DEL_MAXLEN + 1) / 2)

static size_t
del_strings(const char *w, size_t len, int k, char *out, uint8_t *lens)
{
	size_t n = 0, i, j, stride = len + 1;
	char *o;

	memcpy(out, w, len);
	lens[n++] = (uint8_t)len;
	for (i = 0; k >= 1 && i < len; i++) {
		o = out + n * stride;
		memcpy(o, w, i);
		memcpy(o + i, w + i + 1, len - i - 1);
		lens[n++] = (uint8_t)(len - 1);
		for (j = i + 1; k >= 2 && j < len; j++) {
			o = out + n * stride;
			memcpy(o, w, i);
			memcpy(o + i, w + i + 1, j - i - 1);
			memcpy(o + j - 1, w + j + 1, len - j - 1);
			lens[n++] = (uint8_t)(len - 2);
		}
	}
	return n;
}

/* The slot of hash h in the index (the empty one where it would go). */
static size_t
del_slot(const struct analyzer *a, uint32_t h)
{
	size_t j = (h * 0x9e3779b1u) & (a->delcap - 1);

	while (a->delhead[j] >= 0 && a->delkey[j] != h)
		j = (j + 1) & (a->delcap - 1);
	return j;
}

/* 1 if vocabulary word v goes into the spelling index. */
static int
del_indexed(const struct vword *v)
{
	return fuzzy_budget(v->len) > 0 && v->len <= DEL_MAXLEN + 2;
}

/* Builds the spelling index of every vocabulary word; 0 or -1 (OOM). */
static int
del_build(struct analyzer *a)
{
	char buf[DEL_MAXSTR * (DEL_MAXLEN + 3)];
	uint8_t lens[DEL_MAXSTR];
	size_t i, k, n, total = 0;

	for (i = 0; i < a->nwords; i++)
		if (del_indexed(&a->words[i]))
			total += del_strings(a->pool + a->words[i].off,
			    a->words[i].len, fuzzy_budget(a->words[i].len),
			    buf, lens);
	a->delcap = 16;		/* keys <= total: at most 2/3 full */
	while (a->delcap < total + total / 2)
		a->delcap *= 2;
	if ((a->delkey = malloc(a->delcap * sizeof(*a->delkey))) == NULL ||
	    (a->delhead = malloc(a->delcap * sizeof(*a->delhead))) == NULL ||
	    (a->postword = malloc((total + 1) * sizeof(*a->postword))) ==
	    NULL ||
	    (a->postnext = malloc((total + 1) * sizeof(*a->postnext))) == NULL)
		return -1;
	memset(a->delhead, 0xff, a->delcap * sizeof(*a->delhead));
	a->npost = 0;
	for (i = 0; i < a->nwords; i++) {
		const struct vword *v = &a->words[i];

		if (!del_indexed(v))
			continue;
		n = del_strings(a->pool + v->off, v->len, fuzzy_budget(v->len),
		    buf, lens);
		for (k = 0; k < n; k++) {
			uint32_t h = smap_hash(buf + k * ((size_t)v->len + 1),
			    lens[k], 7);
			size_t j = del_slot(a, h);

			a->delkey[j] = h;
			a->postword[a->npost] = (int32_t)i;
			a->postnext[a->npost] = a->delhead[j];
			a->delhead[j] = (int32_t)a->npost++;
		}
	}
	return 0;
}

int
ana_finish(struct analyzer *a)
{
	size_t i, cnt[TOK_WORD_MAX + 2], pos[TOK_WORD_MAX + 2];

	free(a->bylen);
	if ((a->bylen = malloc((a->nwords + 1) * sizeof(*a->bylen))) == NULL)
		return -1;
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < a->nwords; i++)
		cnt[a->words[i].len]++;
	a->lenstart[0] = 0;
	for (i = 0; i <= TOK_WORD_MAX; i++)
		a->lenstart[i + 1] = a->lenstart[i] + cnt[i];
	memcpy(pos, a->lenstart, sizeof(pos));
	for (i = 0; i < a->nwords; i++)
		a->bylen[pos[a->words[i].len]++] = (int32_t)i;
	ana_drop_index(a);
	if (del_build(a) == -1)
		return -1;
	return 0;
}

void
ana_drop_index(struct analyzer *a)
{
	free(a->delkey);
	free(a->delhead);
	free(a->postword);
	free(a->postnext);
	a->delkey = NULL;
	a->delhead = a->postword = a->postnext = NULL;
	a->delcap = a->npost = 0;
}

void
ana_free(struct analyzer *a)
{
	size_t i;

	if (a == NULL)
		return;
	smap_free(a->map);
	free(a->words);
	free(a->pool);
	free(a->phrases);
	free(a->bylen);
	ana_drop_index(a);
	for (i = 0; i < a->ncanon; i++)
		free(a->canon[i]);
	free(a->canon);
	memset(a, 0, sizeof(*a));
}

/* The best correction so far: distance, then frequency, then the shorter
 * word, then the earlier one. */
struct fix {
	int		word, d;
	uint32_t	freq;
	size_t		len;
};

/* Considers vocabulary word x as a correction of w (budget: its own). */
static void
consider(const struct analyzer *a, const char *w, size_t len, int budget,
    uint32_t mask, int32_t x, struct fix *f)
{
	const struct vword *v = &a->words[x];
	int lim = budget < fuzzy_budget(v->len) ? budget :
	    fuzzy_budget(v->len), d;

	if (lim == 0 || (v->len > len ? v->len - len : len - v->len) >
	    (size_t)lim || fuzzy_popcount(mask ^ v->mask) > 2 * lim)
		return;
	d = fuzzy_dist(w, len, a->pool + v->off, v->len, lim < f->d ? lim :
	    f->d);
	if (d > lim)
		return;
	if (d < f->d || (d == f->d && (v->freq > f->freq ||
	    (v->freq == f->freq && (v->len < f->len ||
	    (v->len == f->len && x < f->word)))))) {
		f->word = x;
		f->d = d;
		f->freq = v->freq;
		f->len = v->len;
	}
}

/* Candidates correct() remembers, so as to measure each only once. */
#define CAND_SEEN	64

/*
 * correct() finds the vocabulary word closest to the unknown word w within
 * its edit budget; ties go to the most frequent word, then the shorter,
 * then the one learnt first.  Short words go through the spelling index,
 * long ones through the words of similar length.  Returns its index or
 * -1.
 */
static int
correct(const struct analyzer *a, const char *w, size_t len)
{
	char buf[DEL_MAXSTR * (DEL_MAXLEN + 1)];
	uint8_t lens[DEL_MAXSTR];
	int budget = fuzzy_budget(len);
	struct fix f = { -1, 99, 0, 0 };
	uint32_t mask;
	size_t l, i, n;

	if (budget == 0 || !a->fuzzy || a->bylen == NULL)
		return -1;
	mask = fuzzy_mask(w, len);
	if (len <= DEL_MAXLEN && a->delcap > 0 && !a->delscan) {
		/* a word reached through several deletion strings is
		 * measured once: considering it again cannot change f */
		int32_t seen[CAND_SEEN];
		size_t nseen = 0, k;

		n = del_strings(w, len, budget, buf, lens);
		for (i = 0; i < n; i++) {
			uint32_t h = smap_hash(buf + i * (len + 1), lens[i], 7);
			int32_t p = a->delhead[del_slot(a, h)];

			for (; p >= 0; p = a->postnext[p]) {
				int32_t x = a->postword[p];

				for (k = 0; k < nseen && seen[k] != x; k++)
					;
				if (k < nseen)
					continue;
				if (nseen < CAND_SEEN)
					seen[nseen++] = x;
				consider(a, w, len, budget, mask, x, &f);
			}
		}
		return f.word;
	}
	for (l = len - (size_t)budget; l <= len + (size_t)budget &&
	    l <= TOK_WORD_MAX; l++)
		for (i = a->lenstart[l]; i < a->lenstart[l + 1]; i++)
			consider(a, w, len, budget, mask, a->bylen[i], &f);
	return f.word;
}

/* Vocabulary index of token t after squeezing and correction, or -1. */
static int
resolve(const struct analyzer *a, const struct tok *t)
{
	char tmp[TOK_WORD_MAX + 1];
	size_t n;
	int w;

	if ((w = smap_get(a->map, t->text, t->len)) >= 0)
		return w;
	if (t->squeezed) {
		memcpy(tmp, t->text, (size_t)t->len + 1);
		n = tok_squeeze_all(tmp, t->len);
		if ((w = smap_get(a->map, tmp, n)) >= 0)
			return w;
	}
	if (t->len >= 2 && t->text[0] >= '0' && t->text[0] <= '9')
		return -1;	/* numbers are not misspelt words */
	return correct(a, t->text, t->len);
}

static void
set_text(char *dst, uint8_t *dlen, const char *src, size_t len)
{
	if (len > TOK_WORD_MAX)
		len = TOK_WORD_MAX;
	memcpy(dst, src, len);
	dst[len] = '\0';
	*dlen = (uint8_t)len;
}

/*
 * The stem of unknown word w into out, through the workspace's cache when
 * there is one; the stemmer *stp is created on first need.
 */
static size_t
stem_unknown(struct sb_stemmer **stp, struct matcher_ws *ws, const char *w,
    size_t len, char *out)
{
	struct ws_stem *c = NULL;
	size_t n;

	if (ws != NULL && len >= 3) {
		c = &ws->stems[smap_hash(w, len, 0) & (WS_STEMS - 1)];
		if (c->len == len && memcmp(c->w, w, len) == 0) {
			memcpy(out, c->stem, (size_t)c->stemlen + 1);
			return c->stemlen;
		}
	}
	if (*stp == NULL)
		*stp = sb_stemmer_new("english", NULL);
	n = stem_word(*stp, w, len, out);
	if (c != NULL) {
		memcpy(c->w, w, len);
		c->w[len] = '\0';
		memcpy(c->stem, out, n + 1);
		c->len = (uint8_t)len;
		c->stemlen = (uint8_t)n;
	}
	return n;
}

/*
 * The tokens of text: those ws keeps when they are of the same text
 * (the previous analysis with ws, by another analyser perhaps), else
 * folded and split into ws (texts it cannot keep: into own).
 */
static const struct tok_list *
text_tokens(struct matcher_ws *ws, const char *text, size_t len,
    struct tok_list *own)
{
	if (ws == NULL || len > WS_TEXT_MAX) {
		fold_tokens(text, len, own);
		return own;
	}
	if (ws->have_toks && ws->textlen == len &&
	    (len == 0 || memcmp(ws->text, text, len) == 0))
		return &ws->toks;
	fold_tokens(text, len, &ws->toks);
	if (len > 0)
		memcpy(ws->text, text, len);
	ws->textlen = len;
	ws->have_toks = 1;
	return &ws->toks;
}

static void
terms(const struct analyzer *a, const char *text, size_t len,
    struct sb_stemmer **stp, struct matcher_ws *ws, struct terms *out)
{
	struct tok_list own;
	const struct tok_list *tl = text_tokens(ws, text, len, &own);
	int wid[TOK_MAX];
	size_t i, k;

	for (i = 0; i < tl->n; i++)
		wid[i] = resolve(a, &tl->t[i]);
	out->n = 0;
	for (i = 0; i < tl->n; i++) {
		struct term *t = &out->t[out->n];
		int best = -1, bestn = 0;

		/* longest lexicon phrase starting here */
		if (wid[i] >= 0) {
			int p = a->words[wid[i]].phrase;
			for (; p >= 0; p = a->phrases[p].next) {
				const struct phrase *ph = &a->phrases[p];
				int ok = ph->nwords > bestn &&
				    i + (size_t)ph->nwords <= tl->n;
				for (k = 1; ok && k < (size_t)ph->nwords; k++)
					ok = wid[i + k] == ph->word[k];
				if (ok) {
					best = ph->concept;
					bestn = ph->nwords;
				}
			}
		}
		t->concept = 0;
		t->known = wid[i] >= 0;
		if (best >= 0) {
			const char *c = a->canon[best];
			set_text(t->surf, &t->surflen, c, strlen(c));
			set_text(t->stem, &t->stemlen, c, strlen(c));
			t->concept = 1;
			t->known = 1;
			t->stop = 0;
			i += (size_t)bestn - 1;
		} else if (wid[i] >= 0) {
			const struct vword *v = &a->words[wid[i]];
			set_text(t->surf, &t->surflen, a->pool + v->off,
			    v->len);
			set_text(t->stem, &t->stemlen, a->pool + v->stem,
			    v->stemlen);
			t->stop = v->stop;
		} else {
			set_text(t->surf, &t->surflen, tl->t[i].text,
			    tl->t[i].len);
			t->stemlen = (uint8_t)stem_unknown(stp, ws, t->surf,
			    t->surflen, t->stem);
			t->stop = tl->t[i].stop;
		}
		out->n++;
	}
}

void
ana_terms(const struct analyzer *a, const char *text, size_t len,
    struct sb_stemmer **stp, struct terms *out)
{
	terms(a, text, len, stp, NULL, out);
}

void
ana_terms_ws(const struct analyzer *a, const char *text, size_t len,
    struct matcher_ws *ws, struct terms *out)
{
	struct sb_stemmer *own = NULL;

	if (ws != NULL) {
		terms(a, text, len, &ws->st, ws, out);
		return;
	}
	terms(a, text, len, &own, NULL, out);
	if (own != NULL)
		sb_stemmer_delete(own);
}

struct matcher_ws *
matcher_ws_new(void)
{
	struct matcher_ws *ws = calloc(1, sizeof(*ws));

	if (ws == NULL)
		return NULL;
	if ((ws->st = sb_stemmer_new("english", NULL)) == NULL) {
		free(ws);
		return NULL;
	}
	return ws;
}

void
matcher_ws_free(struct matcher_ws *ws)
{
	if (ws == NULL)
		return;
	sb_stemmer_delete(ws->st);
	free(ws);
}
