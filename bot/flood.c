/*
 * flood.c -- per-key token buckets in a chained hash table with an LRU
 * list for eviction.  Keys are copied; callers bound their length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flood.h"
#include "intents.h"
#include "xmalloc.h"

struct bucket {
	char		*key;
	double		 tokens;
	double		 last;		/* time of the last refill */
	struct bucket	*hnext;		/* hash chain */
	struct bucket	*prev, *next;	/* LRU: head = most recent */
};

struct flood {
	double		  rate, burst;
	size_t		  max_keys, n, nslots;
	struct bucket	**slots;
	struct bucket	 *head, *tail;
};

static uint64_t
hash(const char *s)
{
	return mio_hash(MIO_HASH_INIT, s, strlen(s));
}

struct flood *
flood_new(double rate, double burst, size_t max_keys)
{
	struct flood *f = xcalloc(1, sizeof(*f));

	f->rate = rate > 0 ? rate : 0;
	f->burst = burst >= 1 ? burst : (rate > 1 ? rate : 1);
	f->max_keys = max_keys > 0 ? max_keys : 1;
	f->nslots = 1024;
	while (f->nslots < f->max_keys && f->nslots < (1u << 20))
		f->nslots *= 2;
	f->slots = xcalloc(f->nslots, sizeof(*f->slots));
	return f;
}

void
flood_free(struct flood *f)
{
	struct bucket *b, *nb;

	if (f == NULL)
		return;
	for (b = f->head; b != NULL; b = nb) {
		nb = b->next;
		free(b->key);
		free(b);
	}
	free(f->slots);
	free(f);
}

size_t
flood_nkeys(const struct flood *f)
{
	return f->n;
}

static void
lru_unlink(struct flood *f, struct bucket *b)
{
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		f->head = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
	else
		f->tail = b->prev;
	b->prev = b->next = NULL;
}

static void
lru_front(struct flood *f, struct bucket *b)
{
	b->next = f->head;
	b->prev = NULL;
	if (f->head != NULL)
		f->head->prev = b;
	f->head = b;
	if (f->tail == NULL)
		f->tail = b;
}

static void
remove_bucket(struct flood *f, struct bucket *b)
{
	struct bucket **pp = &f->slots[hash(b->key) & (f->nslots - 1)];

	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
	lru_unlink(f, b);
	free(b->key);
	free(b);
	f->n--;
}

static void
refill(const struct flood *f, struct bucket *b, double now)
{
	if (now > b->last) {
		b->tokens += (now - b->last) * f->rate;
		if (b->tokens > f->burst)
			b->tokens = f->burst;
		b->last = now;
	}
}

/* Make room for one key: drop full buckets from the LRU tail, else the
 * least recently used one. */
static void
make_room(struct flood *f, double now)
{
	struct bucket *b, *prev;

	for (b = f->tail; b != NULL && f->n >= f->max_keys; b = prev) {
		prev = b->prev;
		refill(f, b, now);
		if (b->tokens >= f->burst)
			remove_bucket(f, b);
	}
	if (f->n >= f->max_keys && f->tail != NULL)
		remove_bucket(f, f->tail);
}

int
flood_take(struct flood *f, const char *key, double now)
{
	struct bucket *b;
	uint64_t h;
	size_t slot;

	if (f->rate <= 0)
		return 1;
	if (key == NULL)
		key = "";
	h = hash(key);
	slot = h & (f->nslots - 1);
	for (b = f->slots[slot]; b != NULL; b = b->hnext)
		if (strcmp(b->key, key) == 0)
			break;
	if (b == NULL) {
		if (f->n >= f->max_keys)
			make_room(f, now);
		b = xcalloc(1, sizeof(*b));
		b->key = xstrdup(key);
		b->tokens = f->burst;
		b->last = now;
		b->hnext = f->slots[slot];
		f->slots[slot] = b;
		f->n++;
	} else {
		lru_unlink(f, b);
		refill(f, b, now);
	}
	lru_front(f, b);
	if (b->tokens >= 1) {
		b->tokens -= 1;
		return 1;
	}
	return 0;
}
