/*
 * webchat_limit.h -- the web chat's flood limits: a token bucket per
 * connection and one per client address, plus a count of connections
 * per address.  Addresses are kept only as a salted 64-bit hash, in
 * memory, and only while they have a connection or a non-full bucket.
 * Time is passed in (seconds, monotonic); no clock, no I/O.
 */
#ifndef WEBCHAT_LIMIT_H
#define WEBCHAT_LIMIT_H

#include <stddef.h>
#include <stdint.h>

struct wcl_bucket {
	double	tokens;
	double	last;
	int	used;		/* 0: full (never taken from) */
};

/* One address. */
struct wcl_ip {
	uint64_t		 hash;
	long			 conns;
	struct wcl_bucket	 bucket;
	struct wcl_ip		*next;
};

struct wcl_ips;

/* webchat_limit.c */
/* Take a token at now: 1 allowed, 0 limited.  rate <= 0: always 1. */
int		 wcl_take(struct wcl_bucket *b, double rate, double burst,
		    double now);
/* 1 when b would be full at now (nothing to remember). */
int		 wcl_full(const struct wcl_bucket *b, double rate,
		    double burst, double now);

/* A table of at most max addresses; salt makes the hashes unguessable. */
struct wcl_ips	*wcl_ips_new(size_t max, uint64_t salt);
void		 wcl_ips_free(struct wcl_ips *t);
/*
 * wcl_ip_get() finds or adds addr (text; not kept).  When the table is
 * full, idle entries (no connection, full bucket at now) are dropped
 * first; NULL when still full.  The entry lives until wcl_ips_sweep()
 * finds it idle.
 */
struct wcl_ip	*wcl_ip_get(struct wcl_ips *t, const char *addr,
		    double rate, double burst, double now);
/* Drop idle entries; returns how many remain. */
size_t		 wcl_ips_sweep(struct wcl_ips *t, double rate, double burst,
		    double now);
size_t		 wcl_ips_count(const struct wcl_ips *t);

#endif /* WEBCHAT_LIMIT_H */
