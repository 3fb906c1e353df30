/*
 * bot.c -- the daemon's lifecycle on its one libuv loop: start, signals,
 * reload, watchdog, file watching, drain and stop.
 *
 * DESIGN: everything runs on the loop thread.  Signals arrive through
 * uv_signal_t (libuv turns them into loop events, so no handler runs
 * application code).  A reload loads a complete new kbset first and only
 * then swaps the pointer; the old kbset is released by its last holder
 * (replies hold references), so no message ever sees a half-loaded KB.
 * Shutdown asks every platform to stop and flush; the loop stops when
 * all reported done or when drain_timeout_ms expires, whichever first.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>
#include <uv.h>

#include "admin.h"
#include "bot.h"
#include "diag.h"
#include "flood.h"
#include "hotlines.h"
#include "kbset.h"
#include "log.h"
#include "metrics.h"
#include "pipeline.h"
#include "platform.h"
#include "platforms.h"
#include "router.h"
#include "state.h"
#include "strbuf.h"
#include "unanswered.h"
#include "xmalloc.h"

#define FLOOD_MAX_KEYS	65536
#define PRUNE_EVERY_MS	(3600 * 1000)

double
bot_now(const struct bot *b)
{
	(void)b;
	return (double)uv_hrtime() / 1e9;
}

const char *
bot_platform_status(const struct bot *b, size_t i)
{
	const struct platform *p = b->platforms[i];

	if (p == NULL || p->ops->status == NULL)
		return "fatal";
	return p->ops->status(p);
}

int
bot_healthy(const struct bot *b)
{
	size_t i;

	if (b->phase != BOT_RUNNING || b->nplatforms == 0)
		return 0;
	for (i = 0; i < b->nplatforms; i++) {
		const char *st = bot_platform_status(b, i);

		/* "closed": the console's user left; nothing is wrong */
		if (strcmp(st, "connected") != 0 && strcmp(st, "closed") != 0)
			return 0;
	}
	return 1;
}

static void
notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* sd_notify() with a formatted message; a no-op outside systemd. */
static void
notify(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	(void)sd_notify(0, buf);
}

/* Load the configured kbset with the model cache in the state directory
 * (any thread: reads only the config; logs nothing). */
static struct kbset *
load_set(const struct config *cfg, struct diag *d)
{
	struct kbset_opts o;

	memset(&o, 0, sizeof(o));
	o.hotlines = cfg->hotlines;
	o.crisis = cfg->crisis;
	o.cache_dir = cfg->state_dir;
	return kbset_load_opts(cfg->kb_dir, &o, d);
}

/* Logs what the model cache did for ks (a refused or unwritten cache
 * file is a warning), then gives freed memory back to the system: the
 * training buffers and the replaced KB would otherwise stay resident. */
static void
after_load(const char *what, const struct kbset *ks)
{
	const char *note;
	int warn;

	if (ks != NULL && (note = kbset_cache_note(ks, &warn)) != NULL) {
		if (warn)
			log_warnx("%s: model cache: %s", what, note);
		else
			log_info("%s: model cache: %s", what, note);
	}
	(void)malloc_trim(0);
}

/* Load a kbset, logging every problem; NULL on failure. */
static struct kbset *
load_kb(struct bot *b, const char *what, struct diag *d)
{
	struct kbset *ks;
	size_t i;

	ks = load_set(b->cfg, d);
	if (ks == NULL) {
		for (i = 0; i < d->n; i++)
			log_warnx("%s: %s", what, d->msgs[i]);
		log_warnx("%s: knowledge base %s rejected (%zu problems)",
		    what, b->cfg->kb_dir, d->n);
	}
	return ks;
}

/* Swap ks in (or report the failure); shared by both reload paths. */
static int
reload_finish(struct bot *b, const char *reason, struct kbset *ks,
    struct diag *d, double secs, char **msg)
{
	struct kbset *old;
	size_t i;

	if (ks == NULL) {
		for (i = 0; i < d->n; i++)
			log_warnx("reload: %s", d->msgs[i]);
		log_warnx("reload: knowledge base %s rejected (%zu problems)",
		    b->cfg->kb_dir, d->n);
		metrics_reload(b->metrics, 0, NULL, secs);
		log_warnx("reload (%s): failed; keeping knowledge base version "
		    "%s", reason, kbset_version(b->kb));
		notify("READY=1\nSTATUS=reload failed; answering with "
		    "knowledge base %s", kbset_version(b->kb));
		if (msg != NULL)
			*msg = xasprintf("Reload failed (%zu problems; first: "
			    "%s). Still answering with knowledge base version "
			    "%s.", d->n, d->n > 0 ? d->msgs[0] : "?",
			    kbset_version(b->kb));
		return -1;
	}
	old = b->kb;
	b->kb = ks;		/* the swap: one pointer, one thread */
	kbset_unref(old);	/* in-flight replies keep their own ref */
	metrics_reload(b->metrics, 1, kbset_version(ks), secs);
	log_info("reload (%s): knowledge base version %s loaded in %.1f ms",
	    reason, kbset_version(ks), secs * 1000.0);
	after_load("reload", ks);
	notify("READY=1\nSTATUS=answering; knowledge base %s",
	    kbset_version(ks));
	if (msg != NULL)
		*msg = xasprintf("Reloaded: knowledge base version %s (%.1f "
		    "ms).", kbset_version(ks), secs * 1000.0);
	return 0;
}

int
bot_reload(struct bot *b, const char *reason, char **msg)
{
	struct kbset *ks;
	struct diag d;
	uint64_t t0 = uv_hrtime();
	int rc;

	if (msg != NULL)
		*msg = NULL;
	if (b->phase == BOT_DRAINING || b->phase == BOT_DONE) {
		if (msg != NULL)
			*msg = xstrdup("Shutting down; reload skipped.");
		return -1;
	}
	notify("RELOADING=1\nSTATUS=reloading the knowledge base (%s)",
	    reason);
	diag_init(&d);
	ks = load_set(b->cfg, &d);
	rc = reload_finish(b, reason, ks, &d,
	    (double)(uv_hrtime() - t0) / 1e9, msg);
	diag_free(&d);
	return rc;
}

/* Thread pool: load and validate; touches nothing but its own data. */
static void
reload_work(uv_work_t *w)
{
	struct bot *b = w->data;

	b->work_kb = load_set(b->cfg, b->work_diag);
}

static void reload_start(struct bot *b, const char *reason);

static void
waiter_free(struct reload_waiter *w)
{
	size_t i;

	for (i = 0; i < 5; i++)
		free(w->own[i]);
	memset(w, 0, sizeof(*w));
}

/* Answer (when text is not NULL) and forget the waiters of loads <= gen. */
static void
answer_waiters(struct bot *b, unsigned gen, const char *text)
{
	size_t i, j;

	for (i = 0, j = 0; i < b->nwaiters; i++) {
		struct reload_waiter *w = &b->waiters[i];

		if (w->gen <= gen) {
			if (text != NULL)
				router_send_text(b, w->p, &w->m, text);
			waiter_free(w);
		} else
			b->waiters[j++] = *w;
	}
	b->nwaiters = j;
}

/* Loop thread: swap, then start again if asked meanwhile. */
static void
reload_done(uv_work_t *w, int status)
{
	struct bot *b = w->data;
	struct kbset *ks = b->work_kb;
	double secs = (double)(uv_hrtime() - b->work_t0) / 1e9;
	char *msg = NULL;

	b->reload_busy = 0;
	b->work_kb = NULL;
	if (status == UV_ECANCELED || b->phase != BOT_RUNNING) {
		kbset_unref(ks);
		log_info("reload (%s): dropped, shutting down", b->work_reason);
		answer_waiters(b, b->work_gen, NULL);
	} else {
		(void)reload_finish(b, b->work_reason, ks, b->work_diag, secs,
		    &msg);
		answer_waiters(b, b->work_gen, msg);
		free(msg);
	}
	diag_free(b->work_diag);
	free(b->work_diag);
	b->work_diag = NULL;
	if (b->reload_again && b->phase == BOT_RUNNING) {
		b->reload_again = 0;
		reload_start(b, b->reload_reason);
	}
}

static void
reload_start(struct bot *b, const char *reason)
{
	int r;

	if (b->reload_busy) {
		b->reload_again = 1;
		b->reload_reason = reason;
		return;
	}
	notify("RELOADING=1\nSTATUS=reloading the knowledge base (%s)",
	    reason);
	b->work_reason = reason;
	b->work_t0 = uv_hrtime();
	b->work_gen = ++b->gen_started;
	b->work_diag = xcalloc(1, sizeof(*b->work_diag));
	diag_init(b->work_diag);
	b->reload_work.data = b;
	if ((r = uv_queue_work(b->loop, &b->reload_work, reload_work,
	    reload_done)) != 0) {
		char *msg = NULL;

		log_warnx("reload: cannot queue the load (%s); loading on the "
		    "loop", uv_strerror(r));
		free(b->work_diag);
		b->work_diag = NULL;
		(void)bot_reload(b, reason, &msg);
		answer_waiters(b, b->work_gen, msg);
		free(msg);
		return;
	}
	b->reload_busy = 1;
}

int
bot_reload_for(struct bot *b, struct platform *p, const struct message *msg)
{
	struct reload_waiter *w;
	const char *src[5];
	const char **dst[5];
	size_t i;

	if (b->phase != BOT_RUNNING || b->nwaiters == BOT_MAX_RELOAD_WAITERS)
		return -1;
	w = &b->waiters[b->nwaiters++];
	memset(w, 0, sizeof(*w));
	w->p = p;
	w->m = *msg;
	w->m.text = NULL;		/* not needed, not kept */
	w->m.len = 0;
	src[0] = msg->platform;
	src[1] = msg->room;
	src[2] = msg->user;
	src[3] = msg->id;
	src[4] = msg->thread;
	dst[0] = &w->m.platform;
	dst[1] = &w->m.room;
	dst[2] = &w->m.user;
	dst[3] = &w->m.id;
	dst[4] = &w->m.thread;
	for (i = 0; i < 5; i++)
		if (src[i] != NULL)
			*dst[i] = w->own[i] = xstrdup(src[i]);
	if (b->reload_busy) {
		w->gen = b->gen_started + 1;	/* the next load */
		b->reload_again = 1;
		b->reload_reason = "!faq reload";
	} else {
		w->gen = b->gen_started + 1;
		reload_start(b, "!faq reload");
	}
	return 0;
}

static void
on_reload_timer(uv_timer_t *t)
{
	struct bot *b = t->data;

	b->reload_pending = 0;
	if (b->phase == BOT_RUNNING)
		reload_start(b, b->reload_reason);
}

void
bot_reload_soon(struct bot *b, const char *reason)
{
	if (b->phase != BOT_RUNNING)
		return;
	if (b->reload_busy) {		/* one more after the current one */
		b->reload_again = 1;
		b->reload_reason = reason;
		return;
	}
	if (b->reload_pending)
		return;
	b->reload_pending = 1;
	b->reload_reason = reason;
	uv_timer_start(&b->reload_timer, on_reload_timer, 0, 0);
}

static void
on_kb_change(uv_fs_event_t *h, const char *filename, int events,
    int status)
{
	struct bot *b = h->data;

	(void)filename;
	(void)events;
	if (status < 0 || b->phase != BOT_RUNNING)
		return;
	/* debounce: an editor's save is several events */
	b->reload_pending = 1;
	b->reload_reason = "inotify";
	uv_timer_start(&b->reload_timer, on_reload_timer,
	    (uint64_t)b->cfg->watch_debounce_ms, 0);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	struct bot *b = h->data;

	if (signum == SIGHUP) {
		bot_reload_soon(b, "SIGHUP");
		return;
	}
	log_info("signal %s: shutting down", signum == SIGTERM ? "SIGTERM" :
	    "SIGINT");
	bot_shutdown(b, 0);
}

static void
on_watchdog(uv_timer_t *t)
{
	(void)t;
	(void)sd_notify(0, "WATCHDOG=1");
}

static void
on_prune(uv_timer_t *t)
{
	struct bot *b = t->data;
	char err[256];

	if (b->unanswered != NULL &&
	    unanswered_prune(b->unanswered, time(NULL), err, sizeof(err)) == -1)
		log_warnx("unanswered: prune: %s", err);
}

static void
noop_work(uv_work_t *w)
{
	(void)w;
}

static void
noop_done(uv_work_t *w, int status)
{
	(void)status;
	free(w);
}

/*
 * Start libuv's thread pool with SIGHUP, SIGTERM and SIGINT blocked, so
 * its threads inherit that mask and signals are only ever taken by the
 * loop thread; bot_free() then blocks them there too, and a late SIGHUP
 * cannot kill a daemon that is exiting.
 */
static void
start_pool_without_signals(uv_loop_t *loop)
{
	sigset_t set, old;
	uv_work_t *w = xcalloc(1, sizeof(*w));

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	(void)pthread_sigmask(SIG_BLOCK, &set, &old);
	if (uv_queue_work(loop, w, noop_work, noop_done) != 0)
		free(w);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int
bot_init(struct bot *b, uv_loop_t *loop, struct config *cfg)
{
	struct pipeline_opts po;
	struct diag d;
	char err[512], *path;
	size_t i;

	memset(b, 0, sizeof(*b));
	b->loop = loop;
	b->cfg = cfg;
	b->started_ns = uv_hrtime();
	b->phase = BOT_STARTING;
	start_pool_without_signals(loop);
	b->metrics = metrics_new();
	if (cfg->state_dir != NULL && (b->state = state_open(cfg->state_dir,
	    err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	if (cfg->unanswered_enabled && cfg->state_dir != NULL) {
		path = xasprintf("%s/%s", cfg->state_dir, UNANSWERED_FILE);
		b->unanswered = unanswered_open(path,
		    cfg->unanswered_retention_days, cfg->unanswered_max_bytes,
		    time(NULL), err, sizeof(err));
		free(path);
		if (b->unanswered == NULL) {
			log_warnx("unanswered: %s", err);
			return -1;
		}
	} else if (cfg->state_dir != NULL) {
		/* turned off: what an earlier run kept goes too, rather
		 * than lie there past its retention with nobody pruning */
		path = xasprintf("%s/%s", cfg->state_dir, UNANSWERED_FILE);
		if (unlink(path) == 0)
			log_info("unanswered: the log is off; removed %s",
			    path);
		else if (errno != ENOENT)
			log_warn("unanswered: the log is off, but %s cannot "
			    "be removed", path);
		free(path);
	}
	b->flood_user = flood_new(cfg->user_rate, cfg->user_burst,
	    FLOOD_MAX_KEYS);
	b->flood_room = flood_new(cfg->room_rate, cfg->room_burst,
	    FLOOD_MAX_KEYS);
	memset(&po, 0, sizeof(po));
	po.region = cfg->region;
	b->pipeline = pipeline_new(&po);

	diag_init(&d);
	b->kb = load_kb(b, "start", &d);
	diag_free(&d);
	if (b->kb == NULL)
		return -1;
	{
		double secs = (double)(uv_hrtime() - b->started_ns) / 1e9;

		metrics_reload(b->metrics, 1, kbset_version(b->kb), secs);
		log_info("start: knowledge base version %s loaded in %.1f ms",
		    kbset_version(b->kb), secs * 1000.0);
		after_load("start", b->kb);
	}
	if (!hotlines_has_region(kbset_hotlines(b->kb), cfg->region))
		log_warnx("region %s is not in the hotlines file: crisis "
		    "replies point to the international directory",
		    cfg->region);

	for (i = 0; i < cfg->nplatforms; i++) {
		struct config_platform *cp = &cfg->platforms[i];
		struct platform *p;

		if ((p = cp->entry->create(b, cp->cfg)) == NULL) {
			log_warnx("%s: cannot create the platform",
			    cp->entry->name);
			return -1;
		}
		if (cp->entry->create_owns_cfg)
			cp->cfg = NULL;		/* the platform frees it */
		p->dispatch = router_dispatch;
		p->router = b;
		b->platforms[b->nplatforms] = p;
		b->pnames[b->nplatforms] = cp->entry->name;
		b->nplatforms++;
	}

	uv_signal_init(loop, &b->sig_hup);
	uv_signal_init(loop, &b->sig_term);
	uv_signal_init(loop, &b->sig_int);
	uv_timer_init(loop, &b->watchdog);
	uv_timer_init(loop, &b->drain);
	uv_timer_init(loop, &b->reload_timer);
	uv_timer_init(loop, &b->prune_timer);
	b->sig_hup.data = b->sig_term.data = b->sig_int.data = b;
	b->watchdog.data = b->drain.data = b->reload_timer.data = b;
	b->prune_timer.data = b;
	b->handles_ready = 1;
	return 0;
}

static void
watch_kb(struct bot *b)
{
	const char *dirs[2];
	char *sub;
	size_t i;
	int r;

	sub = xasprintf("%s/intents", b->cfg->kb_dir);
	dirs[0] = b->cfg->kb_dir;
	dirs[1] = sub;
	for (i = 0; i < 2; i++) {
		struct stat sb;

		if (stat(dirs[i], &sb) == -1 || !S_ISDIR(sb.st_mode))
			continue;
		uv_fs_event_init(b->loop, &b->kb_watch[i]);
		b->kb_watch[i].data = b;
		b->kb_watching[i] = 1;
		if ((r = uv_fs_event_start(&b->kb_watch[i], on_kb_change,
		    dirs[i], 0)) != 0)
			log_warnx("watch_kb: %s: %s", dirs[i], uv_strerror(r));
		else
			log_info("watch_kb: watching %s", dirs[i]);
	}
	free(sub);
}

int
bot_start(struct bot *b)
{
	const struct config *cfg = b->cfg;
	char err[512];
	uint64_t usec = 0;
	size_t i;

	if (cfg->admin_host != NULL) {
		b->admin = admin_start(b, cfg->admin_host, cfg->admin_port, err,
		    sizeof(err));
		if (b->admin == NULL) {
			log_warnx("%s", err);
			return -1;
		}
		log_info("admin: listening on http://%s%s%s:%d/",
		    strchr(cfg->admin_host, ':') ? "[" : "", cfg->admin_host,
		    strchr(cfg->admin_host, ':') ? "]" : "",
		    admin_port(b->admin));
	}
	uv_signal_start(&b->sig_hup, on_signal, SIGHUP);
	uv_signal_start(&b->sig_term, on_signal, SIGTERM);
	uv_signal_start(&b->sig_int, on_signal, SIGINT);
	b->phase = BOT_RUNNING;
	for (i = 0; i < b->nplatforms; i++) {
		struct platform *p = b->platforms[i];

		if (p->ops->start(p) == -1) {
			log_warnx("%s: cannot start (see above)", b->pnames[i]);
			b->phase = BOT_STARTING;
			return -1;
		}
		log_info("%s: started", b->pnames[i]);
	}
	if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000) {
		uv_timer_start(&b->watchdog, on_watchdog, usec / 2000,
		    usec / 2000);
		log_info("watchdog: pinging systemd every %llu ms",
		    (unsigned long long)(usec / 2000));
	}
	if (cfg->watch_kb)
		watch_kb(b);
	if (b->unanswered != NULL)
		uv_timer_start(&b->prune_timer, on_prune, PRUNE_EVERY_MS,
		    PRUNE_EVERY_MS);
	notify("READY=1\nSTATUS=answering; knowledge base %s",
	    kbset_version(b->kb));
	log_info("ready: knowledge base %s, %zu platform(s), started in "
	    "%.1f ms", kbset_version(b->kb), b->nplatforms,
	    (double)(uv_hrtime() - b->started_ns) / 1e6);
	return 0;
}

/* The end of the drain: close our handles and stop the loop. */
static void
finish(struct bot *b)
{
	size_t i;

	if (b->phase == BOT_DONE)
		return;
	b->phase = BOT_DONE;
	uv_timer_stop(&b->drain);
	admin_close(b->admin);
	b->admin = NULL;
	(void)fflush(stdout);
	log_info("shutdown: done (exit status %d)", b->exit_status);
	for (i = 0; i < 2; i++)
		if (b->kb_watching[i])
			uv_fs_event_stop(&b->kb_watch[i]);
	uv_stop(b->loop);
}

static int
all_stopped(const struct bot *b)
{
	size_t i;

	for (i = 0; i < b->nplatforms; i++)
		if (!b->pdone[i])
			return 0;
	return 1;
}

static void
on_platform_stopped(struct platform *p)
{
	struct bot *b = p->router;
	size_t i;

	for (i = 0; i < b->nplatforms; i++)
		if (b->platforms[i] == p) {
			b->pdone[i] = 1;
			log_info("%s: stopped", b->pnames[i]);
		}
	if (!b->stopping_loop && all_stopped(b))
		finish(b);
}

static void
on_drain_timeout(uv_timer_t *t)
{
	struct bot *b = t->data;
	size_t i;

	for (i = 0; i < b->nplatforms; i++)
		if (!b->pdone[i])
			log_warnx("%s: did not stop within %ld ms",
			    b->pnames[i], b->cfg->drain_timeout_ms);
	finish(b);
}

void
bot_shutdown(struct bot *b, int status)
{
	size_t i;

	if (status != 0)
		b->exit_status = status;
	if (b->phase == BOT_DRAINING || b->phase == BOT_DONE)
		return;
	b->phase = BOT_DRAINING;
	(void)sd_notify(0, "STOPPING=1\nSTATUS=draining");
	log_info("shutdown: draining (bound %ld ms)", b->cfg->drain_timeout_ms);
	uv_timer_stop(&b->reload_timer);
	b->reload_pending = 0;
	b->reload_again = 0;
	if (b->reload_busy)
		(void)uv_cancel((uv_req_t *)&b->reload_work);
	uv_timer_start(&b->drain, on_drain_timeout,
	    (uint64_t)b->cfg->drain_timeout_ms, 0);
	b->stopping_loop = 1;
	for (i = 0; i < b->nplatforms; i++)
		b->platforms[i]->ops->stop(b->platforms[i],
		    on_platform_stopped);
	b->stopping_loop = 0;
	if (all_stopped(b))
		finish(b);
}

void
bot_fatal(struct bot *b, const char *platform, const char *why)
{
	log_warnx("%s: fatal: %s", platform != NULL ? platform : "bot", why);
	(void)sd_notify(0, "STATUS=fatal error, see the log");
	bot_shutdown(b, 1);
}

static void
close_walk(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

void
bot_free(struct bot *b)
{
	sigset_t hup;
	size_t i;

	/*
	 * Closing the uv_signal handles restores the default actions; a
	 * late SIGHUP (a reload request) must not kill the exiting daemon.
	 */
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	(void)pthread_sigmask(SIG_BLOCK, &hup, NULL);
	/* let every handle (ours and the adapters') close first */
	admin_close(b->admin);
	b->admin = NULL;
	uv_walk(b->loop, close_walk, NULL);
	(void)uv_run(b->loop, UV_RUN_DEFAULT);
	for (i = 0; i < b->nplatforms; i++)
		if (b->platforms[i]->ops->free != NULL)
			b->platforms[i]->ops->free(b->platforms[i]);
	answer_waiters(b, ~0u, NULL);
	kbset_unref(b->kb);
	pipeline_free(b->pipeline);
	metrics_free(b->metrics);
	unanswered_close(b->unanswered);
	state_close(b->state);
	flood_free(b->flood_user);
	flood_free(b->flood_room);
	config_free(b->cfg);
	memset(b, 0, sizeof(*b));
}
