/*
 * matrix_bot.c -- plugs the Matrix adapter into the daemon: the
 * registry's create() for the "matrix" row, with the daemon's loop,
 * state directory and router, and hooks that feed /metrics and turn an
 * unrecoverable error (revoked token) into bot_fatal().
 */
#include "bot.h"
#include "config.h"
#include "matrix.h"
#include "metrics.h"
#include "router.h"

static void
hook_fatal(void *arg, const char *why)
{
	bot_fatal(arg, "matrix", why);
}

static void
hook_ratelimited(void *arg, double seconds)
{
	struct bot *b = arg;

	metrics_ratelimit_wait(b->metrics, "matrix", seconds);
}

static void
hook_reconnect(void *arg)
{
	struct bot *b = arg;

	metrics_reconnect(b->metrics, "matrix");
}

static void
hook_error(void *arg)
{
	struct bot *b = arg;

	metrics_error(b->metrics, "matrix");
}

struct platform *
matrix_bot_create(struct bot *b, void *cfg)
{
	struct matrix_hooks h = { hook_fatal, hook_ratelimited,
	    hook_reconnect, hook_error, NULL };
	struct platform *p;

	if ((p = matrix_create(cfg, b->loop, b->cfg->state_dir,
	    router_dispatch, b)) == NULL)
		return NULL;
	h.arg = b;
	matrix_set_hooks(p, &h);
	return p;
}
