/*
 * model_io.c -- trained models to and from bytes, for the daemon's model
 * cache: the cache container (magic, format version, the caller's key,
 * parts, checksum) and the linear model of model.c with the parameters it
 * was trained with.  Pure functions over memory buffers, little-endian
 * whatever the host.  A reader checks every field (lengths, ranges,
 * duplicate rows, finite floats) and refuses the whole buffer on the
 * first problem: a corrupt or foreign cache is never half trusted.  File
 * I/O is the caller's (bot/modelcache.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intents.h"
#include "internal.h"

#define MIO_MAGIC	"FAQBOTMC"	/* container, 8 bytes */
#define MIO_MAX_KEY	4096
#define MODEL_TAG	0x4c444f4du	/* "MODL" */
#define MODEL_VERSION	1u
#define MODEL_MAX_CLASS	200000

/* ---- growing output buffer ---- */

struct wbuf {
	unsigned char	*p;
	size_t		 len, cap;
	int		 oom;
};

static void
put_bytes(struct wbuf *w, const void *src, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n > w->cap) {
		size_t ncap = w->cap ? w->cap : 4096;
		unsigned char *np;

		while (ncap < w->len + n)
			ncap *= 2;
		if ((np = realloc(w->p, ncap)) == NULL) {
			w->oom = 1;
			return;
		}
		w->p = np;
		w->cap = ncap;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void
put_u32(struct wbuf *w, uint32_t x)
{
	unsigned char b[4] = { (unsigned char)x, (unsigned char)(x >> 8),
	    (unsigned char)(x >> 16), (unsigned char)(x >> 24) };

	put_bytes(w, b, 4);
}

static void
put_u64(struct wbuf *w, uint64_t x)
{
	put_u32(w, (uint32_t)x);
	put_u32(w, (uint32_t)(x >> 32));
}

static void
put_f32(struct wbuf *w, float f)
{
	uint32_t x;

	memcpy(&x, &f, sizeof(x));
	put_u32(w, x);
}

/* ---- bounded input reader: any read past the end marks it bad ---- */

struct rbuf {
	const unsigned char	*p;
	size_t			 len, pos;
	int			 bad;
};

static const unsigned char *
get_bytes(struct rbuf *r, size_t n)
{
	const unsigned char *s;

	if (r->bad || n > r->len - r->pos) {
		r->bad = 1;
		return NULL;
	}
	s = r->p + r->pos;
	r->pos += n;
	return s;
}

static uint32_t
get_u32(struct rbuf *r)
{
	const unsigned char *b = get_bytes(r, 4);

	if (b == NULL)
		return 0;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
}

static uint64_t
get_u64(struct rbuf *r)
{
	uint64_t lo = get_u32(r);

	return lo | (uint64_t)get_u32(r) << 32;
}

/* A finite float; a NaN or infinity marks r bad. */
static float
get_f32(struct rbuf *r)
{
	uint32_t x = get_u32(r);
	float f;

	memcpy(&f, &x, sizeof(f));
	if (!isfinite(f)) {
		r->bad = 1;
		return 0;
	}
	return f;
}

/* ---- container ---- */

uint64_t
mio_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t
mio_hash_str(uint64_t h, const char *s)
{
	uint64_t n = s != NULL ? strlen(s) : UINT64_MAX;
	unsigned char len[8];
	int k;

	/* the length first, so that ("ab", "c") and ("a", "bc") differ and
	 * NULL differs from "" */
	for (k = 0; k < 8; k++)
		len[k] = (unsigned char)(n >> (8 * k));
	h = mio_hash(h, len, 8);
	return s != NULL ? mio_hash(h, s, (size_t)n) : h;
}

uint64_t
mio_checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)n;
	size_t i;

	/* FNV-1a over 64-bit little-endian words, then a final mix: any
	 * change of one word changes the result (each step is a bijection
	 * of the state) */
	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t w = 0;
		int k;

		for (k = 7; k >= 0; k--)
			w = w << 8 | p[i + (size_t)k];
		h = (h ^ w) * 0x100000001b3ULL;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

int
mio_seal(const char *key, const struct mio_part *parts, size_t nparts,
    unsigned char **out, size_t *outlen)
{
	struct wbuf w = { NULL, 0, 0, 0 };
	size_t i, klen = strlen(key);

	*out = NULL;
	*outlen = 0;
	if (klen > MIO_MAX_KEY || nparts > MIO_MAX_PARTS)
		return -1;
	for (i = 0; i < nparts; i++)
		if (parts[i].len > UINT32_MAX)
			return -1;
	put_bytes(&w, MIO_MAGIC, 8);
	put_u32(&w, MIO_VERSION);
	put_u32(&w, (uint32_t)klen);
	put_bytes(&w, key, klen);
	put_u32(&w, (uint32_t)nparts);
	for (i = 0; i < nparts; i++) {
		put_u32(&w, (uint32_t)parts[i].len);
		put_bytes(&w, parts[i].data, parts[i].len);
	}
	if (!w.oom)
		put_u64(&w, mio_checksum(w.p, w.len));
	if (w.oom) {
		free(w.p);
		return -1;
	}
	*out = w.p;
	*outlen = w.len;
	return 0;
}

enum mio_status
mio_open(const unsigned char *buf, size_t len, const char *key,
    struct mio_part *parts, size_t nparts, char *err, size_t errlen)
{
	struct rbuf r = { buf, len, 0, 0 };
	const unsigned char *magic, *k;
	uint32_t version, klen, n, plen;
	size_t i;

	if (len < 8 + 4 + 4 + 4 + 8) {
		snprintf(err, errlen, "truncated (%zu bytes)", len);
		return MIO_CORRUPT;
	}
	magic = get_bytes(&r, 8);
	if (memcmp(magic, MIO_MAGIC, 8) != 0) {
		snprintf(err, errlen, "not a model cache (bad magic)");
		return MIO_CORRUPT;
	}
	if ((version = get_u32(&r)) != MIO_VERSION) {
		snprintf(err, errlen, "format version %u, expected %u",
		    (unsigned)version, (unsigned)MIO_VERSION);
		return MIO_CORRUPT;
	}
	/* the checksum covers everything before its own 8 bytes */
	r.len = len - 8;
	{
		struct rbuf t = { buf + len - 8, 8, 0, 0 };

		if (get_u64(&t) != mio_checksum(buf, len - 8)) {
			snprintf(err, errlen, "checksum mismatch (corrupt "
			    "or truncated)");
			return MIO_CORRUPT;
		}
	}
	klen = get_u32(&r);
	if (klen > MIO_MAX_KEY || (k = get_bytes(&r, klen)) == NULL) {
		snprintf(err, errlen, "bad key length %u", (unsigned)klen);
		return MIO_CORRUPT;
	}
	if (klen != strlen(key) || memcmp(k, key, klen) != 0) {
		snprintf(err, errlen, "key mismatch (built for another "
		    "knowledge base or program version)");
		return MIO_OTHER_KEY;
	}
	if ((n = get_u32(&r)) != nparts) {
		snprintf(err, errlen, "%u parts, expected %zu", (unsigned)n,
		    nparts);
		return MIO_CORRUPT;
	}
	for (i = 0; i < nparts; i++) {
		plen = get_u32(&r);
		parts[i].data = get_bytes(&r, plen);
		parts[i].len = plen;
		if (r.bad) {
			snprintf(err, errlen, "part %zu: length %u past the "
			    "end", i + 1, (unsigned)plen);
			return MIO_CORRUPT;
		}
	}
	if (r.pos != r.len) {
		snprintf(err, errlen, "%zu stray bytes after the last part",
		    r.len - r.pos);
		return MIO_CORRUPT;
	}
	return MIO_OK;
}

/* ---- the linear model ---- */

static void
put_params(struct wbuf *w, const struct feat_params *fp,
    const struct model_params *mp)
{
	put_f32(w, fp->word_weight);
	put_f32(w, fp->char_weight);
	put_u32(w, (uint32_t)fp->bigrams);
	put_u32(w, (uint32_t)fp->char_min);
	put_u32(w, (uint32_t)fp->char_max);
	put_u32(w, (uint32_t)fp->stop_unigrams);
	put_u32(w, (uint32_t)fp->char_span);
	put_u32(w, (uint32_t)mp->epochs);
	put_f32(w, mp->eta);
	put_f32(w, mp->lambda);
	put_u32(w, (uint32_t)mp->min_df);
	put_u32(w, (uint32_t)mp->folds);
	put_u32(w, mp->seed);
	put_f32(w, mp->dropout);
}

/* 1 when the stored parameters are exactly fp and mp. */
static int
same_params(struct rbuf *r, const struct feat_params *fp,
    const struct model_params *mp)
{
	int same = 1;

	same &= get_f32(r) == fp->word_weight;
	same &= get_f32(r) == fp->char_weight;
	same &= get_u32(r) == (uint32_t)fp->bigrams;
	same &= get_u32(r) == (uint32_t)fp->char_min;
	same &= get_u32(r) == (uint32_t)fp->char_max;
	same &= get_u32(r) == (uint32_t)fp->stop_unigrams;
	same &= get_u32(r) == (uint32_t)fp->char_span;
	same &= get_u32(r) == (uint32_t)mp->epochs;
	same &= get_f32(r) == mp->eta;
	same &= get_f32(r) == mp->lambda;
	same &= get_u32(r) == (uint32_t)mp->min_df;
	same &= get_u32(r) == (uint32_t)mp->folds;
	same &= get_u32(r) == mp->seed;
	same &= get_f32(r) == mp->dropout;
	return same;
}

int
model_io_write(const struct model *m, const struct feat_params *fp,
    const struct model_params *mp, const struct model_io_check *chk,
    unsigned char **out, size_t *outlen)
{
	struct wbuf w = { NULL, 0, 0, 0 };
	size_t i;
	int c;

	*out = NULL;
	*outlen = 0;
	put_u32(&w, MODEL_TAG);
	put_u32(&w, MODEL_VERSION);
	put_params(&w, fp, mp);
	put_u32(&w, chk->ntexts);
	put_u32(&w, chk->nwords);
	put_u32(&w, (uint32_t)m->nclass);
	put_u32(&w, (uint32_t)m->nrows);
	put_f32(&w, m->temp);
	put_f32(&w, m->unseen_idf);
	put_u32(&w, (uint32_t)m->nfold_preds);
	/* rows in row order: hashed index, idf */
	{
		uint32_t *idx = calloc(m->nrows + 1, sizeof(*idx));

		if (idx == NULL) {
			free(w.p);
			return -1;
		}
		for (i = 0; i < m->rowcap; i++)
			if (m->rowtab[i].row >= 0)
				idx[m->rowtab[i].row] = m->rowtab[i].idx;
		for (i = 0; i < m->nrows; i++) {
			put_u32(&w, idx[i]);
			put_f32(&w, m->rowidf[i]);
		}
		free(idx);
	}
	for (c = 0; c < m->nclass; c++)
		put_f32(&w, m->bias[c]);
	for (i = 0; i < m->nrows; i++)
		for (c = 0; c < m->nclass; c++)
			put_f32(&w, m->w[i * (size_t)m->stride + (size_t)c]);
	if (w.oom) {
		free(w.p);
		return -1;
	}
	*out = w.p;
	*outlen = w.len;
	return 0;
}

int
model_io_read(struct model *m, const struct feat_params *fp,
    const struct model_params *mp, const struct model_io_check *chk,
    int nclass, const unsigned char *buf, size_t len, char *err,
    size_t errlen)
{
	struct rbuf r = { buf, len, 0, 0 };
	uint32_t nrows, ncls, i, idx;
	size_t need;
	int c;

	memset(m, 0, sizeof(*m));
	if (get_u32(&r) != MODEL_TAG || get_u32(&r) != MODEL_VERSION) {
		snprintf(err, errlen, "model: bad tag or version");
		return -1;
	}
	if (!same_params(&r, fp, mp) || r.bad) {
		snprintf(err, errlen, "model: trained with other parameters");
		return -1;
	}
	if (get_u32(&r) != chk->ntexts || get_u32(&r) != chk->nwords) {
		snprintf(err, errlen, "model: trained on other texts");
		return -1;
	}
	ncls = get_u32(&r);
	nrows = get_u32(&r);
	if (r.bad || ncls != (uint32_t)nclass || nclass < 1 ||
	    nclass > MODEL_MAX_CLASS || nrows > FEAT_DIM) {
		snprintf(err, errlen, "model: %u classes (expected %d) or %u "
		    "rows", (unsigned)ncls, nclass, (unsigned)nrows);
		return -1;
	}
	/* exact size, before allocating anything */
	need = 4 + 4 + 4 * 14 + 4 * 2 + 4 * 2 + 4 * 3 + (size_t)nrows * 8 +
	    (size_t)ncls * 4 + (size_t)nrows * ncls * 4;
	if (len != need) {
		snprintf(err, errlen, "model: %zu bytes, expected %zu", len,
		    need);
		return -1;
	}
	m->nclass = nclass;
	m->stride = (nclass + 7) & ~7;
	m->nrows = nrows;
	m->temp = get_f32(&r);
	m->unseen_idf = get_f32(&r);
	m->nfold_preds = get_u32(&r);
	if (r.bad || !(m->temp > 0)) {
		snprintf(err, errlen, "model: bad temperature or idf");
		goto fail;
	}
	if (model_rows_alloc(m, nrows) == -1 ||
	    (m->rowidf = malloc(((size_t)nrows + 1) * sizeof(float))) ==
	    NULL ||
	    (m->w = malloc(((size_t)nrows + 1) * (size_t)m->stride *
	    sizeof(float))) == NULL ||
	    (m->bias = calloc((size_t)m->stride, sizeof(float))) == NULL) {
		snprintf(err, errlen, "model: out of memory");
		goto fail;
	}
	for (i = 0; i < nrows; i++) {
		idx = get_u32(&r);
		m->rowidf[i] = get_f32(&r);
		if (r.bad || model_row_add(m, idx, (int32_t)i) == -1) {
			snprintf(err, errlen, "model: row %u: bad or repeated "
			    "feature index, or bad idf", (unsigned)i);
			goto fail;
		}
	}
	for (c = 0; c < nclass; c++)
		m->bias[c] = get_f32(&r);
	/* every float of w is written once: the weights, then zeros in the
	 * padding up to the stride and in the spare last row */
	for (i = 0; i < nrows; i++) {
		float *row = m->w + (size_t)i * (size_t)m->stride;

		for (c = 0; c < nclass; c++)
			row[c] = get_f32(&r);
		for (; c < m->stride; c++)
			row[c] = 0;
	}
	memset(m->w + (size_t)nrows * (size_t)m->stride, 0,
	    (size_t)m->stride * sizeof(float));
	if (r.bad || r.pos != len) {
		snprintf(err, errlen, "model: bad weight (not finite)");
		goto fail;
	}
	return 0;
fail:
	model_free(m);
	return -1;
}
