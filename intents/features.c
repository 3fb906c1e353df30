/*
 * features.c -- hashed sparse features of analysed terms: word unigrams
 * and bigrams of stems (the "word block", lower half of the hash space)
 * and character n-grams of each corrected word padded with spaces (the
 * "char block", upper half), weighted by sublinear tf * idf with each
 * block L2-normalised.  Hashing keeps memory fixed whatever the KB.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "intents.h"
#include "internal.h"

#define HALF	(FEAT_DIM / 2)

static void
add(struct fvec *v, uint32_t idx)
{
	if (v->n < FVEC_MAX) {
		v->idx[v->n] = idx;
		v->val[v->n] = 1.0f;
		v->n++;
	}
}

static uint32_t
mix(uint32_t a, uint32_t b)
{
	uint32_t h = a * 0x9e3779b1u ^ (b + 0x7f4a7c15u + (a << 6) + (a >> 2));

	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

/*
 * merge_dups() merges repeated indices of v (counts add up) with a small
 * open-addressing table sized to the vector; the order of first
 * occurrence is kept.
 */
static void
merge_dups(struct fvec *v)
{
	int32_t slot[2 * FVEC_MAX];
	size_t cap = 16, i, j, n = 0;

	while (cap < 2 * v->n)
		cap *= 2;
	memset(slot, 0xff, cap * sizeof(*slot));
	for (i = 0; i < v->n; i++) {
		uint32_t x = v->idx[i];
		j = (x * 0x9e3779b1u) & (cap - 1);
		while (slot[j] >= 0 && v->idx[slot[j]] != x)
			j = (j + 1) & (cap - 1);
		if (slot[j] >= 0) {
			v->val[slot[j]] += 1.0f;
			continue;
		}
		slot[j] = (int32_t)n;
		v->idx[n] = x;
		v->val[n] = 1.0f;
		n++;
	}
	v->n = n;
}

/* Adds the char_min..char_max-grams of w. */
static void
char_grams(const struct feat_params *p, const char *w, size_t wl,
    struct fvec *out)
{
	size_t j, k;

	for (j = 0; j < wl; j++) {
		uint32_t h = 2166136261u;
		for (k = j; k < wl && k - j < (size_t)p->char_max; k++) {
			h = (h ^ (uint8_t)w[k]) * 16777619u;
			if (k - j + 1 >= (size_t)p->char_min)
				add(out, HALF + mix(h, (uint32_t)(k - j)) %
				    HALF);
		}
	}
}

void
feat_extract(const struct feat_params *p, const struct terms *t,
    struct fvec *out)
{
	uint32_t prev = 0;
	size_t i;
	int nprev = 0;

	out->n = 0;
	for (i = 0; i < t->n; i++) {
		const struct term *tm = &t->t[i];
		uint32_t h = smap_hash(tm->stem, tm->stemlen, 1);

		if (!tm->stop || p->stop_unigrams)
			add(out, h % HALF);
		if (p->bigrams && (!tm->stop || p->bigrams == 2)) {
			if (nprev)
				add(out, mix(prev, h) % HALF);
			prev = h;
			nprev = 1;
		}
	}
	if (p->char_max > 0 && p->char_span) {
		/* n-grams over the whole text, across word boundaries */
		char w[TERM_MAX * (TOK_WORD_MAX + 1) + 2];
		size_t wl = 0;

		w[wl++] = ' ';
		for (i = 0; i < t->n; i++) {
			const struct term *tm = &t->t[i];
			if (tm->stop && !p->stop_unigrams)
				continue;
			memcpy(w + wl, tm->surf, tm->surflen);
			wl += tm->surflen;
			w[wl++] = ' ';
		}
		char_grams(p, w, wl, out);
	} else if (p->char_max > 0) {
		for (i = 0; i < t->n; i++) {
			const struct term *tm = &t->t[i];
			char w[TOK_WORD_MAX + 3];
			size_t wl = (size_t)tm->surflen + 2;

			w[0] = ' ';
			memcpy(w + 1, tm->surf, tm->surflen);
			w[wl - 1] = ' ';
			char_grams(p, w, wl, out);
		}
	}
	merge_dups(out);
}

void
feat_weight_raw(const struct feat_params *p, const struct model *m,
    const uint32_t *idx, float *val, int32_t *rows, size_t n)
{
	double nw = 0, nc = 0;
	float sw, sc;
	size_t i;

	for (i = 0; i < n; i++) {
		int32_t r = model_row(m, idx[i]);
		/* most counts are 1, and 1 + logf(1) is exactly 1 */
		float tf = val[i] == 1.0f ? 1.0f : 1.0f + logf(val[i]);
		float x = tf * (r >= 0 ? m->rowidf[r] : m->unseen_idf);

		if (rows != NULL)
			rows[i] = r;
		val[i] = x;
		if (idx[i] < HALF)
			nw += (double)x * x;
		else
			nc += (double)x * x;
	}
	sw = nw > 0 ? (float)(p->word_weight / sqrt(nw)) : 0;
	sc = nc > 0 ? (float)(p->char_weight / sqrt(nc)) : 0;
	for (i = 0; i < n; i++)
		val[i] *= idx[i] < HALF ? sw : sc;
}

void
feat_weight(const struct feat_params *p, const struct model *m,
    struct fvec *v)
{
	feat_weight_raw(p, m, v->idx, v->val, v->row, v->n);
}
