/*
 * bot.h -- the daemon's one context, passed explicitly everywhere (no
 * global): the libuv loop, the config, the current knowledge base, the
 * pipeline, the platforms, metrics, state, flood buckets and the
 * handles of the loop's signals and timers.  Created by `faqbot run`
 * (cmd_run.c) and owned by it; adapters borrow it.
 *
 * Lifecycle (bot.c): bot_init() loads config-dependent parts and the
 * first KB; bot_start() starts the platforms and the admin listener and
 * signals READY; bot_reload() swaps the KB; bot_shutdown() drains the
 * platforms within drain_timeout_ms and stops the loop.
 */
#ifndef BOT_H
#define BOT_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "config.h"
#include "pipeline.h"

struct admin;
struct flood;
struct kbset;
struct metrics;
struct pipeline;
struct platform;
struct state;
struct unanswered;

enum bot_phase { BOT_STARTING, BOT_RUNNING, BOT_DRAINING, BOT_DONE };

#define BOT_MAX_RELOAD_WAITERS	8

/* A moderator waiting for the result of "!faq reload" (copied message). */
struct reload_waiter {
	struct platform	*p;
	struct message	 m;		/* strings below are owned copies */
	char		*own[5];	/* platform, room, user, id, thread */
	unsigned	 gen;		/* answered when this load is done */
};

struct bot {
	uv_loop_t		*loop;
	struct config		*cfg;		/* owned */
	struct kbset		*kb;		/* current; one ref held */
	struct pipeline		*pipeline;
	struct metrics		*metrics;
	struct state		*state;
	struct unanswered	*unanswered;	/* NULL when disabled */
	struct flood		*flood_user;
	struct flood		*flood_room;
	struct admin		*admin;		/* NULL when not configured */
	struct platform		*platforms[CONFIG_MAX_PLATFORMS];
	const char		*pnames[CONFIG_MAX_PLATFORMS];
	int			 pdone[CONFIG_MAX_PLATFORMS];
	size_t			 nplatforms;
	enum bot_phase		 phase;
	int			 exit_status;
	uint64_t		 started_ns;	/* uv_hrtime() at init */

	/* loop handles (bot.c) */
	uv_signal_t		 sig_hup, sig_term, sig_int;
	uv_timer_t		 watchdog;	/* WatchdogSec / 2 */
	uv_timer_t		 drain;		/* drain_timeout_ms bound */
	uv_timer_t		 reload_timer;	/* coalesces reload requests */
	uv_timer_t		 prune_timer;	/* unanswered log retention */
	uv_fs_event_t		 kb_watch[2];	/* kb_dir, kb_dir/intents */
	int			 kb_watching[2];
	int			 reload_pending;
	const char		*reload_reason;
	uv_work_t		 reload_work;	/* SIGHUP/inotify: load off-loop */
	int			 reload_busy;	/* a load is in the thread pool */
	int			 reload_again;	/* asked again meanwhile */
	const char		*work_reason;
	struct kbset		*work_kb;	/* result of the load */
	struct diag		*work_diag;
	uint64_t		 work_t0;
	unsigned		 gen_started;	/* loads queued so far */
	unsigned		 work_gen;	/* the one in the pool */
	struct reload_waiter	 waiters[BOT_MAX_RELOAD_WAITERS];
	size_t			 nwaiters;
	int			 stopping_loop;	/* inside bot_shutdown's loop */
	int			 handles_ready;	/* uv handles initialised */
};

/* bot.c */
/* 0, or -1 after logging every problem (the process then exits 1). */
int	bot_init(struct bot *b, uv_loop_t *loop, struct config *cfg);
int	bot_start(struct bot *b);
/*
 * Reload the KB now; reason ("SIGHUP", "!faq reload", "inotify") is
 * logged.  On failure the old KB stays and every diag line is logged.
 * Returns 0 or -1; *msg (optional) gets a short status line to show a
 * moderator (caller frees).
 */
int	bot_reload(struct bot *b, const char *reason, char **msg);
/*
 * Ask for a reload on the next loop iteration (coalesces bursts).  The
 * new KB is loaded and validated in libuv's thread pool (kbset_load
 * touches no loop state), then swapped in on the loop thread, so the
 * loop keeps answering while a large KB trains.
 */
void	bot_reload_soon(struct bot *b, const char *reason);
/*
 * "!faq reload" without blocking the loop: queue a load (or join the
 * next one) and answer msg's author on p when it is done.  Returns 0
 * when the answer will come later, -1 when it cannot be queued (the
 * caller then answers now).
 */
int	bot_reload_for(struct bot *b, struct platform *p,
	    const struct message *msg);
/* Start draining; the loop ends after the platforms stopped or the
 * bound expired.  status is the process exit status. */
void	bot_shutdown(struct bot *b, int status);
/* An adapter hit an unrecoverable error (e.g. a revoked token):
 * logged, then bot_shutdown(b, 1). */
void	bot_fatal(struct bot *b, const char *platform, const char *why);
/* Release everything after the loop ended. */
void	bot_free(struct bot *b);
/* Seconds on the monotonic clock (the loop's cached time). */
double	bot_now(const struct bot *b);
/* Platform status by index ("connected", ...). */
const char	*bot_platform_status(const struct bot *b, size_t i);
/* 1 when every platform is "connected". */
int	bot_healthy(const struct bot *b);

#endif /* BOT_H */
