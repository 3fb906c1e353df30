/*
 * fuzzy.c -- bounded Damerau-Levenshtein distance (optimal string
 * alignment: insertions, deletions, substitutions, adjacent
 * transpositions) and the cheap filters the matcher applies before it.
 * The vocabulary search itself lives in matcher.c, which owns the words.
 */
#include <string.h>

#include "internal.h"

#define FUZZY_MAXLEN	48

int
fuzzy_budget(size_t len)
{
	if (len < 4)
		return 0;
	if (len < 8)
		return 1;
	return 2;
}

uint32_t
fuzzy_mask(const char *w, size_t len)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c >= 'a' && c <= 'z')
			m |= 1u << (c - 'a');
		else
			m |= 1u << 26;
	}
	return m;
}

int
fuzzy_popcount(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (int)((x * 0x01010101u) >> 24);
}

/*
 * DESIGN: a path of cost d through the table never leaves the band of
 * cells within d of the diagonal (every step off it costs an edit), so
 * only the cells within max of the diagonal are computed; those outside
 * count as max + 1.  Inside the band a cell is then exact whenever its
 * distance is at most max and above max otherwise, which is all that the
 * early exit and the result read.
 */
int
fuzzy_dist(const char *a, size_t alen, const char *b, size_t blen, int max)
{
	int rows[3][FUZZY_MAXLEN + 2];
	int *pp, *p, *c, big;
	size_t i, j, lo, hi;

	if (max < 0)
		max = 0;
	if (alen > FUZZY_MAXLEN || blen > FUZZY_MAXLEN)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > (size_t)max)
		return max + 1;
	big = max + 1;
	pp = rows[0];
	p = rows[1];
	c = rows[2];
	for (j = 0; j <= blen; j++)
		p[j] = (int)j;
	for (i = 1; i <= alen; i++) {
		int best;

		lo = i > (size_t)max ? i - (size_t)max : 1;
		hi = i + (size_t)max < blen ? i + (size_t)max : blen;
		c[0] = (int)i;
		best = c[0];
		if (lo > 1)
			c[lo - 1] = big;
		for (j = lo; j <= hi; j++) {
			int cost = a[i - 1] == b[j - 1] ? 0 : 1;
			int v = p[j - 1] + cost;
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best)
				best = v;
		}
		if (hi < blen)
			c[hi + 1] = big;	/* read by the next row */
		if (best > max)
			return max + 1;
		{
			int *t = pp;
			pp = p;
			p = c;
			c = t;
		}
	}
	return p[blen] > max ? max + 1 : p[blen];
}
