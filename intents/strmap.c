/*
 * strmap.c -- a small string -> int hash map (open addressing, linear
 * probing) with keys copied into one growing pool.  Used for the matcher's
 * vocabularies.  No deletion: vocabularies only grow while training.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct slot {
	uint32_t	hash;
	int32_t		val;	/* -1: empty */
	size_t		off;	/* key offset in pool */
	size_t		len;
};

struct smap {
	struct slot	*slots;
	size_t		 cap;	/* power of two */
	size_t		 count;
	char		*pool;
	size_t		 poollen;
	size_t		 poolcap;
};

/* FNV-1a, then a final avalanche so low bits are usable as an index. */
uint32_t
smap_hash(const char *key, size_t len, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)key[i];
		h *= 16777619u;
	}
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

struct smap *
smap_new(void)
{
	struct smap *m;
	size_t i;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->cap = 256;
	if ((m->slots = malloc(m->cap * sizeof(*m->slots))) == NULL) {
		free(m);
		return NULL;
	}
	for (i = 0; i < m->cap; i++)
		m->slots[i].val = -1;
	return m;
}

void
smap_free(struct smap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m->pool);
	free(m);
}

size_t
smap_count(const struct smap *m)
{
	return m->count;
}

int
smap_get(const struct smap *m, const char *key, size_t len)
{
	uint32_t h = smap_hash(key, len, 0);
	size_t i = h & (m->cap - 1);

	for (;;) {
		const struct slot *s = &m->slots[i];
		if (s->val < 0)
			return -1;
		if (s->hash == h && s->len == len &&
		    memcmp(m->pool + s->off, key, len) == 0)
			return s->val;
		i = (i + 1) & (m->cap - 1);
	}
}

/* Doubles the table; returns 0 or -1 on out-of-memory. */
static int
grow(struct smap *m)
{
	struct slot *ns;
	size_t ncap = m->cap * 2, i, j;

	if ((ns = malloc(ncap * sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < ncap; i++)
		ns[i].val = -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].val < 0)
			continue;
		j = m->slots[i].hash & (ncap - 1);
		while (ns[j].val >= 0)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int
smap_put(struct smap *m, const char *key, size_t len, int val)
{
	uint32_t h;
	size_t i;
	int old;

	if ((old = smap_get(m, key, len)) >= 0)
		return old;
	if ((m->count + 1) * 2 > m->cap && grow(m) == -1)
		return -2;
	if (m->poollen + len + 1 > m->poolcap) {
		size_t ncap = m->poolcap ? m->poolcap * 2 : 4096;
		char *np;
		while (ncap < m->poollen + len + 1)
			ncap *= 2;
		if ((np = realloc(m->pool, ncap)) == NULL)
			return -2;
		m->pool = np;
		m->poolcap = ncap;
	}
	memcpy(m->pool + m->poollen, key, len);
	m->pool[m->poollen + len] = '\0';
	h = smap_hash(key, len, 0);
	i = h & (m->cap - 1);
	while (m->slots[i].val >= 0)
		i = (i + 1) & (m->cap - 1);
	m->slots[i].hash = h;
	m->slots[i].val = val;
	m->slots[i].off = m->poollen;
	m->slots[i].len = len;
	m->poollen += len + 1;
	m->count++;
	return val;
}
