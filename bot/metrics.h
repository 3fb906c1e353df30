/*
 * metrics.h -- the daemon's counters, rendered as Prometheus text on the
 * admin listener's /metrics and summarised by `!faq stats`.
 *
 * Adapters report what only they see through metrics_reconnect(),
 * metrics_ratelimit_wait() and metrics_error() (bot->metrics).  Platform
 * and intent names are copied; at most METRICS_MAX_PLATFORMS platforms
 * and METRICS_MAX_INTENTS intents get their own label (the rest are
 * counted under "other").  Never pass message text or secrets here.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>

#include "crisis.h"

struct reply;
struct metrics;

#define METRICS_MAX_PLATFORMS	16
#define METRICS_MAX_INTENTS	512

/* metrics.c */
struct metrics	*metrics_new(void);
void		 metrics_free(struct metrics *m);

/* router side */
void	metrics_received(struct metrics *m, const char *platform);
/* A reply was handed to the platform; latency in seconds. */
void	metrics_reply(struct metrics *m, const char *platform,
	    const struct reply *r, double latency);
void	metrics_flood_drop(struct metrics *m, const char *platform);
void	metrics_escalation(struct metrics *m, const char *platform);
void	metrics_modcmd(struct metrics *m, int refused);
void	metrics_reload(struct metrics *m, int ok, const char *kb_version,
	    double seconds);
void	metrics_unanswered(struct metrics *m);

/* adapter side */
void	metrics_reconnect(struct metrics *m, const char *platform);
void	metrics_ratelimit_wait(struct metrics *m, const char *platform,
	    double seconds);
void	metrics_error(struct metrics *m, const char *platform);

/* Prometheus text exposition (caller frees); platform statuses are
 * passed as parallel arrays (names, statuses) of n entries. */
char	*metrics_render(const struct metrics *m, const char *const *names,
	    const char *const *statuses, size_t n, size_t *len);
/* A short human summary for `!faq stats` (caller frees). */
char	*metrics_summary(const struct metrics *m);

/* read back, for tests and stats */
unsigned long long	metrics_get_received(const struct metrics *m);
unsigned long long	metrics_get_replies(const struct metrics *m);
unsigned long long	metrics_get_reloads(const struct metrics *m,
			    int failures);

#endif /* METRICS_H */
