/*
 * webchat_limit.c -- token buckets and the per-address table of the web
 * chat (see webchat_limit.h).  The table is a fixed array of buckets
 * with chaining; entries are allocated on demand up to max.
 */
#include <stdlib.h>
#include <string.h>

#include "webchat_limit.h"
#include "xmalloc.h"

struct wcl_ips {
	struct wcl_ip	**slots;
	size_t		  nslots;	/* power of two */
	size_t		  n;
	size_t		  max;
	uint64_t	  salt;
};

static void
refill(struct wcl_bucket *b, double rate, double burst, double now)
{
	if (!b->used) {
		b->tokens = burst;
		b->last = now;
		b->used = 1;
		return;
	}
	if (now > b->last) {
		b->tokens += (now - b->last) * rate;
		if (b->tokens > burst)
			b->tokens = burst;
		b->last = now;
	}
}

int
wcl_take(struct wcl_bucket *b, double rate, double burst, double now)
{
	if (rate <= 0)
		return 1;
	if (burst < 1)
		burst = 1;
	refill(b, rate, burst, now);
	if (b->tokens < 1.0)
		return 0;
	b->tokens -= 1.0;
	return 1;
}

int
wcl_full(const struct wcl_bucket *b, double rate, double burst, double now)
{
	if (rate <= 0 || !b->used)
		return 1;
	if (burst < 1)
		burst = 1;
	return b->tokens + (now - b->last) * rate >= burst;
}

struct wcl_ips *
wcl_ips_new(size_t max, uint64_t salt)
{
	struct wcl_ips *t = xcalloc(1, sizeof(*t));

	t->max = max > 0 ? max : 1;
	t->nslots = 64;
	while (t->nslots < t->max && t->nslots < (1u << 20))
		t->nslots *= 2;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	t->salt = salt;
	return t;
}

void
wcl_ips_free(struct wcl_ips *t)
{
	struct wcl_ip *e, *next;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nslots; i++)
		for (e = t->slots[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	free(t->slots);
	free(t);
}

/* FNV-1a over salt and text, then a final avalanche (splitmix64). */
static uint64_t
hash_addr(uint64_t salt, const char *s)
{
	uint64_t h = 1469598103934665603ULL ^ salt;
	int i;

	for (i = 0; i < 8; i++) {
		h ^= (salt >> (i * 8)) & 0xff;
		h *= 1099511628211ULL;
	}
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

size_t
wcl_ips_sweep(struct wcl_ips *t, double rate, double burst, double now)
{
	struct wcl_ip **pp, *e;
	size_t i;

	for (i = 0; i < t->nslots; i++) {
		pp = &t->slots[i];
		while ((e = *pp) != NULL) {
			if (e->conns <= 0 &&
			    wcl_full(&e->bucket, rate, burst, now)) {
				*pp = e->next;
				free(e);
				t->n--;
			} else
				pp = &e->next;
		}
	}
	return t->n;
}

size_t
wcl_ips_count(const struct wcl_ips *t)
{
	return t->n;
}

struct wcl_ip *
wcl_ip_get(struct wcl_ips *t, const char *addr, double rate, double burst,
    double now)
{
	uint64_t h = hash_addr(t->salt, addr);
	struct wcl_ip *e;

	for (e = t->slots[h & (t->nslots - 1)]; e != NULL; e = e->next)
		if (e->hash == h)
			return e;
	if (t->n >= t->max && wcl_ips_sweep(t, rate, burst, now) >= t->max)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->hash = h;
	e->next = t->slots[h & (t->nslots - 1)];
	t->slots[h & (t->nslots - 1)] = e;
	t->n++;
	return e;
}
