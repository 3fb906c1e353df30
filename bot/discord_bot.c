/*
 * discord_bot.c -- plugs the Discord adapter into the daemon: the
 * registry's create() for the "discord" row, on the daemon's loop with
 * its router and state directory (the gateway session survives
 * restarts), and hooks that feed /metrics and turn an unrecoverable
 * error (bad token, disallowed intents) into bot_fatal().
 */
#include "bot.h"
#include "discord.h"
#include "metrics.h"
#include "router.h"

static void
hook_fatal(void *arg, const char *why)
{
	bot_fatal(arg, "discord", why);
}

static void
hook_ratelimited(void *arg, double seconds)
{
	struct bot *b = arg;

	metrics_ratelimit_wait(b->metrics, "discord", seconds);
}

static void
hook_reconnect(void *arg)
{
	struct bot *b = arg;

	metrics_reconnect(b->metrics, "discord");
}

static void
hook_error(void *arg)
{
	struct bot *b = arg;

	metrics_error(b->metrics, "discord");
}

struct platform *
discord_bot_create(struct bot *b, void *cfg)
{
	struct discord_hooks h = { hook_fatal, hook_reconnect,
	    hook_ratelimited, hook_error, NULL };
	struct platform *p;

	if ((p = discord_platform_new(b->loop, cfg, router_dispatch, b)) ==
	    NULL)
		return NULL;
	h.arg = b;
	discord_set_hooks(p, &h);
	discord_set_state(p, b->state);
	return p;
}
