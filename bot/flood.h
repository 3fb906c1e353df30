/*
 * flood.h -- token buckets keyed by a string (a user or a room id).
 *
 * Each key holds up to burst tokens, refilled at rate tokens/second; a
 * message takes one.  rate 0 turns the limiter off (always allowed).  At
 * most max_keys keys are remembered: full (idle) buckets are swept away
 * first; if every bucket is busy the least recently used one goes.
 * Time is passed in (seconds, monotonic), so tests need no clock.
 */
#ifndef FLOOD_H
#define FLOOD_H

#include <stddef.h>

struct flood;

/* flood.c */
struct flood	*flood_new(double rate, double burst, size_t max_keys);
void		 flood_free(struct flood *f);
/* Take one token for key at now: 1 allowed, 0 limited. */
int		 flood_take(struct flood *f, const char *key, double now);
size_t		 flood_nkeys(const struct flood *f);

#endif /* FLOOD_H */
