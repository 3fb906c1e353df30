/*
 * model.c -- the linear intent model: a row for every hashed feature seen
 * in training (its idf and one weight per intent), trained as multinomial
 * logistic regression by SGD, with a softmax temperature fitted on held-out
 * cross-validation folds so that confidences are calibrated.  No I/O, no
 * clock; deterministic (fixed shuffling seed).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intents.h"
#include "internal.h"

/* Slot of idx in the row table: its own, or the empty one to fill. */
static size_t
row_slot(const struct model *m, uint32_t idx)
{
	size_t j = (idx * 0x9e3779b1u) & (m->rowcap - 1);

	while (m->rowtab[j].row >= 0 && m->rowtab[j].idx != idx)
		j = (j + 1) & (m->rowcap - 1);
	return j;
}

int32_t
model_row(const struct model *m, uint32_t idx)
{
	return m->rowtab[row_slot(m, idx)].row;
}

int
model_rows_alloc(struct model *m, size_t nrows)
{
	size_t cap = 16, i;

	while (cap < 2 * nrows + 2)
		cap *= 2;
	if ((m->rowtab = malloc(cap * sizeof(*m->rowtab))) == NULL)
		return -1;
	for (i = 0; i < cap; i++) {
		m->rowtab[i].idx = 0;
		m->rowtab[i].row = -1;
	}
	m->rowcap = cap;
	return 0;
}

int
model_row_add(struct model *m, uint32_t idx, int32_t row)
{
	size_t j;

	if (idx >= FEAT_DIM || row < 0 || (size_t)row >= m->rowcap / 2)
		return -1;
	j = row_slot(m, idx);
	if (m->rowtab[j].row >= 0)
		return -1;	/* already there */
	m->rowtab[j].idx = idx;
	m->rowtab[j].row = row;
	return 0;
}

/*
 * sort_idx() sorts n hashed indices (< FEAT_DIM) in place: an LSD radix
 * sort, two passes of half FEAT_BITS each, through tmp (n entries).
 */
static void
sort_idx(uint32_t *a, uint32_t *tmp, size_t n)
{
	enum { BITS = (FEAT_BITS + 1) / 2, NB = 1 << BITS };
	size_t count[NB], i, sum, c;
	uint32_t *src = a, *dst = tmp, *t;
	int shift;

	for (shift = 0; shift < 2 * BITS; shift += BITS) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(src[i] >> shift) & (NB - 1)]++;
		for (i = 0, sum = 0; i < NB; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & (NB - 1)]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	/* an even number of passes: the result is back in a */
}

/*
 * build_rows() gives a row to every hashed index found in at least min_df
 * examples of ts (rows in increasing index order) and fills their idf.
 * Memory is proportional to the training data, not to FEAT_DIM.
 */
static int
build_rows(struct model *m, const struct train_set *ts, int min_df)
{
	size_t i, j, nnz = ts->off[ts->n], nd = 0;
	uint32_t *sorted, *tmp;
	double n = (double)ts->n;

	/* an example's indices are distinct (feat_extract merges them), so
	 * an index's run length in the sorted list is its document count */
	if ((sorted = malloc((nnz + 1) * sizeof(*sorted))) == NULL)
		return -1;
	if ((tmp = malloc((nnz + 1) * sizeof(*tmp))) == NULL) {
		free(sorted);
		return -1;
	}
	memcpy(sorted, ts->idx, nnz * sizeof(*sorted));
	sort_idx(sorted, tmp, nnz);
	free(tmp);
	for (i = 0; i < nnz; i = j) {
		for (j = i; j < nnz && sorted[j] == sorted[i]; j++)
			;
		if (j - i >= (size_t)min_df)
			nd++;
	}
	if (model_rows_alloc(m, nd) == -1 ||
	    (m->rowidf = malloc((nd + 1) * sizeof(float))) == NULL) {
		free(sorted);
		return -1;
	}
	m->nrows = 0;
	for (i = 0; i < nnz; i = j) {
		for (j = i; j < nnz && sorted[j] == sorted[i]; j++)
			;
		if (j - i < (size_t)min_df)
			continue;
		m->rowidf[m->nrows] = (float)(log((1 + n) / (1 + (double)(j -
		    i))) + 1);
		(void)model_row_add(m, sorted[i], (int32_t)m->nrows);
		m->nrows++;
	}
	m->unseen_idf = (float)(log(1 + n) + 1);
	free(sorted);
	return 0;
}

/* xorshift32: deterministic shuffling. */
static uint32_t
rnd(uint32_t *st)
{
	uint32_t x = *st;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *st = x;
}

static void
shuffle(size_t *a, size_t n, uint32_t *st)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = rnd(st) % i;
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Softmax of s (n) in place. */
static void
softmax(float *s, int n)
{
	float mx = s[0], sum = 0;
	int c;

	for (c = 1; c < n; c++)
		if (s[c] > mx)
			mx = s[c];
	for (c = 0; c < n; c++) {
		s[c] = expf(s[c] - mx);
		sum += s[c];
	}
	for (c = 0; c < n; c++)
		s[c] /= sum;
}

/* Training data with features mapped to rows (dropped ones removed). */
struct rows_set {
	int32_t		*row;
	float		*val;
	size_t		*off;
	const int	*y;
	size_t		 n;
};

/* s += x * w over stride floats (a multiple of 8, unrolled so that the
 * compiler's straight-line vectoriser handles it at -O2). */
static void
axpy(float *restrict s, const float *restrict w, float x, int stride)
{
	int c;

	for (c = 0; c < stride; c += 8) {
		s[c] += x * w[c];
		s[c + 1] += x * w[c + 1];
		s[c + 2] += x * w[c + 2];
		s[c + 3] += x * w[c + 3];
		s[c + 4] += x * w[c + 4];
		s[c + 5] += x * w[c + 5];
		s[c + 6] += x * w[c + 6];
		s[c + 7] += x * w[c + 7];
	}
}

/* Logits of example i under (w, b) scaled by scale, into s. */
static void
logits(const struct rows_set *rs, size_t i, const float *w, const float *b,
    float scale, int nc, float *s)
{
	size_t j;

	memcpy(s, b, (size_t)nc * sizeof(*s));
	for (j = rs->off[i]; j < rs->off[i + 1]; j++)
		axpy(s, w + (size_t)rs->row[j] * nc, rs->val[j] * scale, nc);
}

/* logits() over the features of example i marked in keep. */
static void
logits_masked(const struct rows_set *rs, size_t i, const uint8_t *keep,
    const float *w, const float *b, float scale, int nc, float *s)
{
	size_t j, o = rs->off[i];

	memcpy(s, b, (size_t)nc * sizeof(*s));
	for (j = o; j < rs->off[i + 1]; j++)
		if (j - o >= FVEC_MAX || keep[j - o])
			axpy(s, w + (size_t)rs->row[j] * nc,
			    rs->val[j] * scale, nc);
}

/*
 * sgd() fits multinomial logistic regression with L2 by SGD over the
 * examples listed in ex (n of them) into w (nrows * nc, zeroed) and b;
 * ncls classes, rows padded to nc floats.
 * The weight decay is kept as one scale factor so that an update only
 * touches the example's rows; classes whose gradient is negligible are
 * skipped.  Returns 0 or -1 (OOM).
 */
static int
sgd(const struct rows_set *rs, const size_t *ex, size_t n,
    const struct model_params *mp, size_t nrows, int ncls, int nc, float *w,
    float *b)
{
	float *s = NULL, *g = NULL, scale = 1;
	int *live = NULL;
	uint8_t keep[FVEC_MAX];
	size_t *order = NULL, t = 0, i, j, r;
	uint32_t st = mp->seed ? mp->seed : 2463534242u;
	int ep, c, nl;

	if ((s = malloc((size_t)nc * sizeof(*s))) == NULL ||
	    (g = malloc((size_t)nc * sizeof(*g))) == NULL ||
	    (live = malloc((size_t)nc * sizeof(*live))) == NULL ||
	    (order = malloc((n + 1) * sizeof(*order))) == NULL) {
		free(s);
		free(g);
		free(live);
		return -1;
	}
	memcpy(order, ex, n * sizeof(*order));
	for (ep = 0; ep < mp->epochs; ep++) {
		shuffle(order, n, &st);
		for (i = 0; i < n; i++) {
			size_t e = order[i];
			float eta = mp->eta * (1.0f - (float)t / (float)
			    ((size_t)mp->epochs * n + 1)) + 1e-3f * mp->eta, k;

			if (mp->dropout > 0) {
				/* feature dropout: a random share of the
				 * example's features is left out of this step */
				size_t ne = rs->off[e + 1] - rs->off[e];
				uint32_t cut = (uint32_t)(mp->dropout *
				    4294967295.0);
				if (ne > FVEC_MAX)
					ne = FVEC_MAX;
				for (j = 0; j < ne; j++)
					keep[j] = rnd(&st) >= cut;
				logits_masked(rs, e, keep, w, b, scale, nc, s);
			} else {
				memset(keep, 1, FVEC_MAX);
				logits(rs, e, w, b, scale, nc, s);
			}
			softmax(s, ncls);
			nl = 0;
			for (c = 0; c < ncls; c++) {
				float gc = s[c] - (c == rs->y[e] ? 1.0f : 0);
				if (gc > 1e-4f || gc < -1e-4f) {
					g[nl] = gc;
					live[nl++] = c;
				}
			}
			scale *= 1 - eta * mp->lambda;
			if (scale < 1e-4f) {
				for (r = 0; r < nrows * (size_t)nc; r++)
					w[r] *= scale;
				scale = 1;
			}
			k = eta / scale;
			for (j = rs->off[e]; j < rs->off[e + 1]; j++) {
				float *wr = w + (size_t)rs->row[j] * nc;
				float x = k * rs->val[j];
				if (j - rs->off[e] < FVEC_MAX &&
				    !keep[j - rs->off[e]])
					continue;
				for (c = 0; c < nl; c++)
					wr[live[c]] -= x * g[c];
			}
			for (c = 0; c < nl; c++)
				b[live[c]] -= eta * g[c];
			t++;
		}
	}
	for (r = 0; r < nrows * (size_t)nc; r++)
		w[r] *= scale;
	free(s);
	free(g);
	free(live);
	free(order);
	return 0;
}

/* Mean negative log-likelihood of the held-out logits at temperature T. */
static double
nll(const float *lg, const int *y, size_t n, int ncls, int nc, float T)
{
	double sum = 0;
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		const float *s = lg + i * (size_t)nc;
		float mx = s[0];
		double z = 0;
		for (c = 1; c < ncls; c++)
			if (s[c] > mx)
				mx = s[c];
		for (c = 0; c < ncls; c++)
			z += exp((s[c] - mx) / T);
		sum += log(z) - (s[y[i]] - mx) / T;
	}
	return n ? sum / (double)n : 0;
}

/* Temperature grid: TEMP_GRID + 1 points from 0.02 to 50, log scale. */
#define TEMP_GRID	80
#define TEMP_STEP	4

/* Tries grid point c: keeps it in m->temp when its NLL beats *best (the
 * lower index wins a tie, as in a scan of the whole grid). */
static void
try_temp(struct model *m, const float *lg, const int *y, size_t nh, int nc,
    int c, double *best, int *bestc)
{
	float T = (float)exp(log(0.02) + c * (log(50.0) - log(0.02)) /
	    TEMP_GRID);
	double v = nll(lg, y, nh, m->nclass, nc, T);

	if (v < *best || (v == *best && c < *bestc)) {
		*best = v;
		*bestc = c;
		m->temp = T;
	}
}

/*
 * fit_temperature() trains mp->folds models, each without one fold, keeps
 * the held-out logits and picks the temperature minimising their NLL (a
 * grid on a log scale).  Leaves m->temp at 1 when folds < 2.
 */
static int
fit_temperature(struct model *m, const struct rows_set *rs,
    const struct model_params *mp)
{
	int nc = m->stride, f, c;
	size_t n = rs->n, i, ntr, nte;
	size_t *perm = NULL, *tr = NULL, *te = NULL;
	float *w = NULL, *b = NULL, *lg = NULL;
	int *y = NULL;
	double best = 1e300;
	uint32_t st = 12345;
	size_t nh = 0;
	int bestc = TEMP_GRID + 1, lo, hi;

	m->temp = 1;
	if (mp->folds < 2 || n < (size_t)mp->folds * 2)
		return 0;
	if ((perm = malloc(n * sizeof(*perm))) == NULL ||
	    (tr = malloc(n * sizeof(*tr))) == NULL ||
	    (te = malloc(n * sizeof(*te))) == NULL ||
	    (lg = malloc(n * (size_t)nc * sizeof(*lg))) == NULL ||
	    (y = malloc(n * sizeof(*y))) == NULL ||
	    (w = malloc(m->nrows * (size_t)nc * sizeof(*w))) == NULL ||
	    (b = malloc((size_t)nc * sizeof(*b))) == NULL)
		goto oom;
	for (i = 0; i < n; i++)
		perm[i] = i;
	shuffle(perm, n, &st);
	for (f = 0; f < mp->folds; f++) {
		ntr = nte = 0;
		for (i = 0; i < n; i++) {
			if ((int)(i % (size_t)mp->folds) == f)
				te[nte++] = perm[i];
			else
				tr[ntr++] = perm[i];
		}
		memset(w, 0, m->nrows * (size_t)nc * sizeof(*w));
		memset(b, 0, (size_t)nc * sizeof(*b));
		if (sgd(rs, tr, ntr, mp, m->nrows, m->nclass, nc, w, b) ==
		    -1)
			goto oom;
		for (i = 0; i < nte; i++) {
			logits(rs, te[i], w, b, 1, nc, lg + nh * (size_t)nc);
			y[nh++] = rs->y[te[i]];
		}
	}
	/*
	 * The held-out NLL is convex in 1/T, so over the grid (monotone in
	 * T) it falls then rises: the best of every TEMP_STEP-th point is
	 * within TEMP_STEP points of the grid's best, and only those are
	 * tried next.  Same point as the whole grid, a third of the work.
	 */
	for (c = 0; c <= TEMP_GRID; c += TEMP_STEP)
		try_temp(m, lg, y, nh, nc, c, &best, &bestc);
	lo = bestc - TEMP_STEP + 1 < 0 ? 0 : bestc - TEMP_STEP + 1;
	hi = bestc + TEMP_STEP - 1 > TEMP_GRID ? TEMP_GRID :
	    bestc + TEMP_STEP - 1;
	for (c = lo; c <= hi; c++)
		if (c % TEMP_STEP != 0)
			try_temp(m, lg, y, nh, nc, c, &best, &bestc);
	m->nfold_preds = nh;
	free(perm);
	free(tr);
	free(te);
	free(lg);
	free(y);
	free(w);
	free(b);
	return 0;
oom:
	free(perm);
	free(tr);
	free(te);
	free(lg);
	free(y);
	free(w);
	free(b);
	return -1;
}

int
model_train(struct model *m, const struct feat_params *fp,
    const struct model_params *mp, struct train_set *ts, int nclass,
    char *err, size_t errlen)
{
	struct rows_set rs;
	size_t i, j, k, *all = NULL;

	memset(m, 0, sizeof(*m));
	memset(&rs, 0, sizeof(rs));
	m->nclass = nclass;
	m->stride = (nclass + 7) & ~7;
	m->temp = 1.0f;
	if (build_rows(m, ts, mp->min_df) == -1)
		goto oom;
	for (i = 0; i < ts->n; i++)
		feat_weight_raw(fp, m, ts->idx + ts->off[i],
		    ts->val + ts->off[i], NULL,
		    ts->off[i + 1] - ts->off[i]);
	/* map to rows in place, dropping features without one */
	if ((rs.row = malloc((ts->off[ts->n] + 1) * sizeof(*rs.row))) ==
	    NULL || (rs.off = malloc((ts->n + 1) * sizeof(*rs.off))) == NULL)
		goto oom;
	rs.val = ts->val;
	rs.y = ts->y;
	rs.n = ts->n;
	for (i = 0, k = 0; i < ts->n; i++) {
		rs.off[i] = k;
		for (j = ts->off[i]; j < ts->off[i + 1]; j++) {
			int32_t r = model_row(m, ts->idx[j]);
			if (r < 0)
				continue;
			rs.row[k] = r;
			rs.val[k] = ts->val[j];
			k++;
		}
	}
	rs.off[ts->n] = k;
	if ((m->w = calloc((m->nrows + 1) * (size_t)m->stride,
	    sizeof(float))) ==
	    NULL || (m->bias = calloc((size_t)m->stride, sizeof(float))) ==
	    NULL ||
	    (all = malloc((ts->n + 1) * sizeof(*all))) == NULL)
		goto oom;
	for (i = 0; i < ts->n; i++)
		all[i] = i;
	if (fit_temperature(m, &rs, mp) == -1)
		goto oom;
	if (sgd(&rs, all, ts->n, mp, m->nrows, nclass, m->stride, m->w,
	    m->bias) == -1)
		goto oom;
	free(all);
	free(rs.row);
	free(rs.off);
	return 0;
oom:
	free(all);
	free(rs.row);
	free(rs.off);
	snprintf(err, errlen, "matcher: out of memory training the model");
	model_free(m);
	return -1;
}

void
model_scores(const struct model *m, const struct fvec *v, float *s)
{
	size_t i;

	memcpy(s, m->bias, (size_t)m->stride * sizeof(*s));
	for (i = 0; i < v->n; i++)
		if (v->row[i] >= 0)
			axpy(s, m->w + (size_t)v->row[i] * m->stride,
			    v->val[i], m->stride);
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	free(m->rowtab);
	free(m->rowidf);
	free(m->w);
	free(m->bias);
	memset(m, 0, sizeof(*m));
}
