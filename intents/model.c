/*
 * model.c -- the linear intent model: TF-IDF rows for every hashed feature
 * seen in training and one weight per (feature, intent).  Training here is
 * nearest centroid (each intent's mean TF-IDF vector, L2-normalised), so
 * scores are cosine similarities.  No I/O; deterministic.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intents.h"
#include "internal.h"

/* Assigns a row to every hashed index seen in ts; fills idf. */
static int
build_rows(struct model *m, const struct train_set *ts)
{
	size_t i, nnz = ts->off[ts->n];
	uint32_t *df;
	double n = (double)ts->n;

	if ((m->row = malloc(FEAT_DIM * sizeof(*m->row))) == NULL)
		return -1;
	if ((df = calloc(FEAT_DIM, sizeof(*df))) == NULL)
		return -1;
	for (i = 0; i < nnz; i++)
		df[ts->idx[i]]++;
	m->nrows = 0;
	for (i = 0; i < FEAT_DIM; i++)
		m->row[i] = df[i] > 0 ? (int32_t)m->nrows++ : -1;
	if ((m->rowidf = malloc((m->nrows + 1) * sizeof(float))) == NULL) {
		free(df);
		return -1;
	}
	for (i = 0; i < FEAT_DIM; i++)
		if (m->row[i] >= 0)
			m->rowidf[m->row[i]] =
			    (float)(log((1 + n) / (1 + df[i])) + 1);
	m->unseen_idf = (float)(log(1 + n) + 1);
	free(df);
	return 0;
}

int
model_train(struct model *m, const struct feat_params *fp,
    struct train_set *ts, int nclass, char *err, size_t errlen)
{
	size_t i, j, r;
	int c;

	memset(m, 0, sizeof(*m));
	m->nclass = nclass;
	m->temp = 1.0f;
	if (build_rows(m, ts) == -1)
		goto oom;
	for (i = 0; i < ts->n; i++)
		feat_weight_raw(fp, m->row, m->rowidf, m->unseen_idf,
		    ts->idx + ts->off[i], ts->val + ts->off[i],
		    ts->off[i + 1] - ts->off[i]);
	if ((m->w = calloc(m->nrows * (size_t)nclass, sizeof(float))) ==
	    NULL || (m->bias = calloc((size_t)nclass, sizeof(float))) == NULL)
		goto oom;
	for (i = 0; i < ts->n; i++)
		for (j = ts->off[i]; j < ts->off[i + 1]; j++)
			m->w[(size_t)m->row[ts->idx[j]] * nclass + ts->y[i]] +=
			    ts->val[j];
	for (c = 0; c < nclass; c++) {
		double norm = 0;
		for (r = 0; r < m->nrows; r++)
			norm += (double)m->w[r * nclass + c] *
			    m->w[r * nclass + c];
		if (norm > 0) {
			float s = (float)(1 / sqrt(norm));
			for (r = 0; r < m->nrows; r++)
				m->w[r * nclass + c] *= s;
		}
	}
	return 0;
oom:
	snprintf(err, errlen, "matcher: out of memory training the model");
	model_free(m);
	return -1;
}

void
model_scores(const struct model *m, const struct fvec *v, float *s)
{
	size_t i;
	int c;

	for (c = 0; c < m->nclass; c++)
		s[c] = m->bias[c];
	for (i = 0; i < v->n; i++) {
		int32_t r = m->row[v->idx[i]];
		const float *w;
		float x = v->val[i];
		if (r < 0)
			continue;
		w = m->w + (size_t)r * m->nclass;
		for (c = 0; c < m->nclass; c++)
			s[c] += x * w[c];
	}
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	free(m->row);
	free(m->rowidf);
	free(m->w);
	free(m->bias);
	memset(m, 0, sizeof(*m));
}
