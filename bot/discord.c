/*
 * discord.c -- the Discord platform: glues the gateway state machine
 * (discord_gateway.c) to its websocket (discord_ws.c) and the REST queue
 * (discord_rest.c), turns events into struct message for the router and
 * sends replies, interaction responses and escalations.
 *
 * DESIGN: everything runs on the daemon's libuv loop.  Connection
 * lifecycle: GET /gateway/bot (unless gateway_url is configured), connect,
 * HELLO, IDENTIFY or RESUME, READY.  Every close goes through ws_closed(),
 * which decides (close-code class or the reason we closed) between
 * resume, new session and fatal, and schedules the reconnect with
 * exponential backoff and jitter; IDENTIFY is spaced by
 * 5 s / max_concurrency and waits when session_start_limit is used up.
 * Slash commands: the router's reply is sent as the interaction callback;
 * if none came within defer_ms the interaction is deferred (type 5) and the
 * reply later edits the original response.
 *
 * With a state directory (discord_set_state) the session outlives the
 * process: saved at READY/RESUMED, at most SAVE_DELAY_MS after events
 * were handled, and at stop, when the gateway is closed with 4000 (not
 * 1000, which would end the session) so that the next start RESUMEs and
 * gets the events it missed replayed.  After a crash the stored sequence
 * number may be up to SAVE_DELAY_MS old, and events already answered
 * come again: every message the bot creates carries a nonce derived from
 * the question (discord_nonce.c) with enforce_nonce, so Discord returns
 * the reply it already has instead of posting it twice.  Interaction
 * callbacks need none: an interaction is acknowledged once only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "cmdutil.h"
#include "discord.h"
#include "log.h"
#include "xmalloc.h"

#define IX_MAX		1024		/* pending interactions */
#define IX_TTL_MS	(15u * 60 * 1000)	/* interaction token life */
#define GUILD_CACHE	256		/* channel -> guild, for links */
#define GW_ANSWERS_MAX	100	/* sends per connection and 60 s after
				 * which op 1 is not answered (Discord
				 * disconnects at 120) */
#define STOP_FLUSH_MS	5000
#define HELLO_TIMEOUT_MS 30000
#define SAVE_DELAY_MS	1000		/* sequence number write-behind */

enum ix_state { IX_WAITING, IX_DEFERRED };

struct ix {
	struct ix		*next;
	struct dplat		*dp;
	char			*id, *token, *channel;
	enum ix_state		 state;
	uint64_t		 created;
	uv_timer_t		*timer;		/* defer deadline */
};

struct chan_guild {
	char	channel[24];
	char	guild[24];	/* "" for DMs */
	int	interaction;	/* id was an interaction, not a message */
	char	id[24];
};

struct dplat {
	struct platform		 pub;
	uv_loop_t		*loop;
	struct discord_config	*cfg;
	struct discord_gw	 gw;
	struct discord_ws	*ws;
	struct discord_rest	*rest;
	uv_timer_t		*hb_timer;
	uv_timer_t		*re_timer;	/* reconnect / stop deadline */
	uv_timer_t		*save_timer;	/* session write-behind */
	struct state		*state;		/* borrowed; NULL: no saving */
	long long		 saved_seq;
	const char		*status;
	char			*gateway_url;
	int			 max_concurrency;
	long			 session_remaining;	/* -1 unknown */
	uint64_t		 session_reset_at;
	uint64_t		 last_identify;
	int			 identified_once;
	int			 on_resume_url;	/* this link went there */
	int			 resume_url_failed;	/* use gateway_url */
	int			 attempt;
	int			 we_closed;
	enum discord_close_action then;
	uint64_t		 win_start;
	int			 win_count;
	struct ix		*ixs;
	size_t			 nix;
	struct chan_guild	 cache[GUILD_CACHE];
	size_t			 cache_next;
	int			 commands_done;
	int			 stopping;
	int			 ws_shut;
	void			(*stop_done)(struct platform *);
	uint64_t		 rng;
	struct discord_stats	 st;
	struct discord_hooks	 hooks;
	uint64_t		 seen_429;
	/* the event being dispatched: its replies' nonces name its revision */
	const char		*cur_id, *cur_rev;
};

static void	connect_now(struct dplat *);
static void	schedule_reconnect(struct dplat *, uint64_t);
static void	stop_finish(struct dplat *);

static double
rnd(void *arg)
{
	struct dplat *dp = arg;

	dp->rng ^= dp->rng << 13;
	dp->rng ^= dp->rng >> 7;
	dp->rng ^= dp->rng << 17;
	return (double)(dp->rng >> 11) / 9007199254740992.0;
}

static void
on_timer_closed(uv_handle_t *h)
{
	free(h);
}

static uv_timer_t *
timer_new(struct dplat *dp)
{
	uv_timer_t *t = xcalloc(1, sizeof(*t));

	uv_timer_init(dp->loop, t);
	t->data = dp;
	return t;
}

/* Close and free t; NULL ok.  A handle the daemon's final uv_walk()
 * already closed (stop cut short by the drain bound) is just freed. */
static void
timer_free(uv_timer_t *t)
{
	if (t == NULL)
		return;
	if (uv_is_closing((uv_handle_t *)t)) {
		free(t);
		return;
	}
	uv_timer_stop(t);
	uv_close((uv_handle_t *)t, on_timer_closed);
}

static void
set_fatal(struct dplat *dp, const char *why)
{
	if (dp->status != NULL && strcmp(dp->status, "fatal") == 0)
		return;
	log_warnx("discord: %s; not reconnecting (fix the configuration "
	    "and restart)", why);
	dp->status = "fatal";
	dp->st.fatal_reason = why;
	discord_session_forget(dp->state);
	dp->gw.state = DISCORD_GW_FATAL;
	if (dp->hb_timer != NULL)
		uv_timer_stop(dp->hb_timer);
	if (dp->re_timer != NULL)
		uv_timer_stop(dp->re_timer);
	if (dp->hooks.fatal != NULL)
		dp->hooks.fatal(dp->hooks.arg, why);
}

static int
is_fatal(const struct dplat *dp)
{
	return strcmp(dp->status, "fatal") == 0;
}

/* ---- the stored session */

/* Write the session now if it changed since the last write. */
static void
session_save(struct dplat *dp)
{
	if (dp->state == NULL || dp->gw.session_id == NULL ||
	    dp->gw.seq == dp->saved_seq)
		return;
	if (discord_session_save(dp->state, &dp->gw, dp->cfg->shard_id,
	    dp->cfg->shard_count) == 0) {
		dp->saved_seq = dp->gw.seq;
		dp->st.session_saves++;
	}
}

static void
on_save(uv_timer_t *t)
{
	session_save(t->data);
}

/* Save within SAVE_DELAY_MS (one write per burst of events). */
static void
session_save_soon(struct dplat *dp)
{
	if (dp->state == NULL || dp->stopping || dp->save_timer == NULL ||
	    uv_is_active((uv_handle_t *)dp->save_timer))
		return;
	uv_timer_start(dp->save_timer, on_save, SAVE_DELAY_MS, 0);
}

/* ---- gateway sink */

/*
 * Discord allows 120 gateway sends per connection and 60 s.  A
 * connection sends IDENTIFY or RESUME once, then a heartbeat every
 * interval (about 41 s): only answers to the server's op 1 could pile
 * up, so those stop at GW_ANSWERS_MAX sends in the window (our own
 * heartbeats keep the connection alive meanwhile).
 */
static void
sink_send(void *arg, const char *json, enum discord_gw_send kind)
{
	struct dplat *dp = arg;
	uint64_t now = uv_now(dp->loop);

	if (now - dp->win_start >= 60000) {
		dp->win_start = now;
		dp->win_count = 0;
	}
	if (kind == DISCORD_GW_SEND_HB_ANSWER &&
	    dp->win_count >= GW_ANSWERS_MAX) {
		if (dp->st.gw_answers_held++ == 0)
			log_warnx("discord: the gateway asks for heartbeats "
			    "faster than its send limit allows; answering "
			    "with the regular heartbeats only");
		return;
	}
	dp->win_count++;
	dp->st.gw_sends++;
	if (discord_ws_send(dp->ws, json) != 0)
		log_warnx("discord: gateway payload not sent (link down)");
}

static void
on_heartbeat(uv_timer_t *t)
{
	struct dplat *dp = t->data;

	discord_gw_heartbeat_due(&dp->gw);
}

static void
sink_hb_start(void *arg, uint64_t first, uint64_t interval)
{
	struct dplat *dp = arg;

	uv_timer_start(dp->hb_timer, on_heartbeat, first, interval);
}

static void
sink_close(void *arg, int code, enum discord_close_action then)
{
	struct dplat *dp = arg;

	if (dp->gw.ack_pending && code == 4000 && then ==
	    DISCORD_CLOSE_RESUME)
		dp->st.zombies++;
	uv_timer_stop(dp->hb_timer);
	dp->we_closed = 1;
	dp->then = then;
	discord_ws_close(dp->ws, code);
}

static void
sink_fatal(void *arg, const char *reason)
{
	struct dplat *dp = arg;

	set_fatal(dp, reason);
	if (dp->ws != NULL)
		discord_ws_close(dp->ws, 1000);
}

static void register_commands(struct dplat *);

static void
sink_ready(void *arg, int resumed)
{
	struct dplat *dp = arg;

	dp->status = "connected";
	dp->attempt = 0;
	dp->on_resume_url = 0;
	dp->resume_url_failed = 0;	/* READY may bring a new one */
	dp->saved_seq = -1;		/* a new or resumed session: write */
	session_save(dp);
	if (resumed)
		log_info("discord: session resumed");
	else
		log_info("discord: ready (session established)");
	if (!dp->commands_done)		/* once per process */
		register_commands(dp);
}

/* ---- incoming events */

static void
cache_put(struct dplat *dp, const struct discord_incoming *in)
{
	struct chan_guild *c = &dp->cache[dp->cache_next];

	dp->cache_next = (dp->cache_next + 1) % GUILD_CACHE;
	snprintf(c->channel, sizeof(c->channel), "%s", in->channel_id);
	snprintf(c->guild, sizeof(c->guild), "%s",
	    in->guild_id != NULL ? in->guild_id : "");
	snprintf(c->id, sizeof(c->id), "%s", in->id);
	c->interaction = in->is_interaction;
}

static const struct chan_guild *
cache_get(const struct dplat *dp, const char *channel, const char *id)
{
	size_t i;

	for (i = 0; i < GUILD_CACHE; i++)
		if (channel != NULL && id != NULL &&
		    strcmp(dp->cache[i].channel, channel) == 0 &&
		    strcmp(dp->cache[i].id, id) == 0)
			return &dp->cache[i];
	for (i = 0; i < GUILD_CACHE; i++)
		if (channel != NULL &&
		    strcmp(dp->cache[i].channel, channel) == 0)
			return &dp->cache[i];
	return NULL;
}

static void
ix_free(struct ix *x)
{
	if (x->token != NULL)
		explicit_bzero(x->token, strlen(x->token));
	free(x->token);
	free(x->id);
	free(x->channel);
	timer_free(x->timer);
	free(x);
}

static void
ix_remove(struct dplat *dp, struct ix *x)
{
	struct ix **pp;

	for (pp = &dp->ixs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			dp->nix--;
			ix_free(x);
			return;
		}
}

static struct ix *
ix_find(struct dplat *dp, const char *id)
{
	struct ix *x;

	for (x = dp->ixs; x != NULL && id != NULL; x = x->next)
		if (strcmp(x->id, id) == 0)
			return x;
	return NULL;
}

/* Drop interactions whose token expired (or the oldest when full). */
static void
ix_sweep(struct dplat *dp)
{
	uint64_t now = uv_now(dp->loop);
	struct ix *x, *next, *oldest = NULL;

	for (x = dp->ixs; x != NULL; x = next) {
		next = x->next;
		if (now - x->created > IX_TTL_MS)
			ix_remove(dp, x);
		else if (oldest == NULL || x->created < oldest->created)
			oldest = x;
	}
	if (dp->nix >= IX_MAX && oldest != NULL) {
		log_warnx("discord: too many unanswered interactions; "
		    "forgetting the oldest");
		ix_remove(dp, oldest);
	}
}

static const char *
app_id(const struct dplat *dp)
{
	return dp->cfg->application_id != NULL ? dp->cfg->application_id :
	    dp->gw.app_id;
}

/* The defer deadline passed without a reply: acknowledge (type 5). */
static void
on_defer(uv_timer_t *t)
{
	struct ix *x = t->data;
	struct dplat *dp = x->dp;
	char *path;
	char body[64];

	if (x->state != IX_WAITING)
		return;
	snprintf(body, sizeof(body), "{\"type\":5%s}",
	    dp->cfg->ephemeral_answers ? ",\"data\":{\"flags\":64}" : "");
	path = xasprintf("/interactions/%s/%s/callback", x->id, x->token);
	discord_rest_call(dp->rest, "POST", path, body, NULL, NULL);
	free(path);
	x->state = IX_DEFERRED;
}

static void
on_interaction(struct dplat *dp, const cJSON *d)
{
	struct discord_incoming in;
	struct message m;
	struct ix *x;
	enum discord_in_status s;

	s = discord_interaction_parse(d, dp->cfg, &in);
	if (s != DISCORD_IN_OK) {
		dp->st.ignored++;
		log_debug("discord: interaction %s",
		    s == DISCORD_IN_INVALID ? "invalid" : "ignored");
		return;
	}
	ix_sweep(dp);
	x = xcalloc(1, sizeof(*x));
	x->dp = dp;
	x->id = xstrdup(in.id);
	x->token = xstrdup(in.token);
	x->channel = xstrdup(in.channel_id);
	x->created = uv_now(dp->loop);
	x->state = IX_WAITING;
	x->timer = timer_new(dp);
	x->timer->data = x;
	x->next = dp->ixs;
	dp->ixs = x;
	dp->nix++;
	cache_put(dp, &in);
	uv_timer_start(x->timer, on_defer, (uint64_t)dp->cfg->defer_ms, 0);
	discord_incoming_to_message(&in, &m);
	dp->st.answered++;
	dp->pub.dispatch(dp->pub.router, &dp->pub, &m);
	discord_incoming_free(&in);
}

static void
on_message(struct dplat *dp, const cJSON *d, int is_edit)
{
	struct discord_incoming in;
	struct message m;

	if (discord_msg_parse(d, dp->cfg, dp->gw.user_id, is_edit, &in) !=
	    DISCORD_IN_OK) {
		dp->st.ignored++;
		return;
	}
	cache_put(dp, &in);
	discord_incoming_to_message(&in, &m);
	dp->st.answered++;
	dp->cur_id = in.id;
	dp->cur_rev = in.rev;
	dp->pub.dispatch(dp->pub.router, &dp->pub, &m);
	dp->cur_id = dp->cur_rev = NULL;
	discord_incoming_free(&in);
}

/*
 * The nonce of reply kind to message id in buf (see discord_nonce()), or
 * NULL without an id: a nonce shared by unrelated messages would merge
 * them.
 */
static const char *
nonce_for(const struct dplat *dp, char buf[DISCORD_NONCE_MAX + 1],
    char kind, const char *id)
{
	const char *rev = NULL;

	if (id == NULL || id[0] == '\0')
		return NULL;
	if (dp->cur_id != NULL && strcmp(dp->cur_id, id) == 0)
		rev = dp->cur_rev;
	discord_nonce(buf, kind, id, rev);
	return buf;
}

static void
sink_dispatch(void *arg, const char *t, const cJSON *d)
{
	struct dplat *dp = arg;

	dp->st.dispatches++;
	if (dp->stopping)
		return;		/* not handled: the stored seq is older */
	session_save_soon(dp);
	if (strcmp(t, "MESSAGE_CREATE") == 0)
		on_message(dp, d, 0);
	else if (strcmp(t, "MESSAGE_UPDATE") == 0)
		on_message(dp, d, 1);
	else if (strcmp(t, "INTERACTION_CREATE") == 0)
		on_interaction(dp, d);
	else
		log_debug("discord: event %s not used", t);
}

static const struct discord_gw_sink gw_sink = {
	sink_send, sink_hb_start, sink_close, sink_dispatch, sink_fatal,
	sink_ready, rnd,
};

/* ---- slash command registration */

static void
on_registered(void *arg, long status, const char *body)
{
	(void)arg;
	(void)body;
	if (status >= 200 && status < 300)
		log_info("discord: /faq command registered");
	else
		log_warnx("discord: registering /faq failed (HTTP %ld)",
		    status);
}

static void
register_commands(struct dplat *dp)
{
	static const char cmd[] = "{\"name\":\"faq\",\"type\":1,"
	    "\"description\":\"Ask a question about your medicines\","
	    "\"options\":[{\"type\":3,\"name\":\"question\","
	    "\"description\":\"Your question\",\"required\":true,"
	    "\"max_length\":500}]}";
	const char *app = app_id(dp);
	char *path;
	size_t i;

	if (app == NULL) {
		log_warnx("discord: no application id (READY had none and "
		    "discord.application_id is unset); /faq not registered");
		return;
	}
	dp->commands_done = 1;
	if (dp->cfg->nguild_ids == 0) {
		path = xasprintf("/applications/%s/commands", app);
		discord_rest_call(dp->rest, "POST", path, cmd, on_registered,
		    dp);
		free(path);
	}
	for (i = 0; i < dp->cfg->nguild_ids; i++) {
		path = xasprintf("/applications/%s/guilds/%s/commands", app,
		    dp->cfg->guild_ids[i]);
		discord_rest_call(dp->rest, "POST", path, cmd, on_registered,
		    dp);
		free(path);
	}
}

/* ---- websocket events */

/* The socket opened but no HELLO came: treat it like a dead link. */
static void
on_hello_timeout(uv_timer_t *t)
{
	struct dplat *dp = t->data;

	if (dp->gw.state != DISCORD_GW_HELLO)
		return;
	log_warnx("discord: no HELLO within %d s; reconnecting",
	    HELLO_TIMEOUT_MS / 1000);
	dp->gw.state = DISCORD_GW_IDLE;
	sink_close(dp, 4000, DISCORD_CLOSE_RESUME);
}

static void
ws_opened(void *arg)
{
	struct dplat *dp = arg;

	dp->we_closed = 0;
	dp->win_start = uv_now(dp->loop);	/* the limit is per connection */
	dp->win_count = 0;
	discord_gw_opened(&dp->gw);
	/* HELLO's heartbeat_start() replaces this deadline */
	uv_timer_start(dp->hb_timer, on_hello_timeout, HELLO_TIMEOUT_MS, 0);
}

static void
ws_message(void *arg, const char *text, size_t len)
{
	struct dplat *dp = arg;
	int was_identify = dp->gw.state == DISCORD_GW_HELLO &&
	    !dp->gw.want_resume;

	discord_gw_handle(&dp->gw, text, len);
	if (was_identify && dp->gw.state == DISCORD_GW_IDENTIFYING) {
		dp->last_identify = uv_now(dp->loop);
		dp->st.identifies++;
		if (dp->session_remaining > 0)
			dp->session_remaining--;
	} else if (dp->gw.state == DISCORD_GW_IDENTIFYING &&
	    dp->gw.want_resume) {
		dp->gw.want_resume = 0;
		dp->st.resumes++;
	}
}

static void
ws_too_big(void *arg, size_t len)
{
	struct dplat *dp = arg;

	(void)len;
	dp->st.frames_too_big++;
	sink_close(dp, 1009, DISCORD_CLOSE_RESUME);
	dp->gw.state = DISCORD_GW_IDLE;
	dp->gw.want_resume = dp->gw.session_id != NULL && dp->gw.seq >= 0;
}

static uint64_t
backoff_ms(struct dplat *dp)
{
	return discord_backoff_ms(dp->attempt++, dp->cfg->backoff_min_ms,
	    dp->cfg->backoff_max_ms, rnd(dp));
}

static void
ws_closed(void *arg, int code)
{
	struct dplat *dp = arg;
	enum discord_close_action a;
	char why[256];

	if (dp->stopping) {
		stop_finish(dp);
		return;
	}
	uv_timer_stop(dp->hb_timer);
	if (is_fatal(dp))
		return;
	/*
	 * A resume at resume_gateway_url that ended before RESUMED: the
	 * docs say to use the URL of GET /gateway/bot next (still RESUME).
	 */
	if (dp->on_resume_url) {
		dp->on_resume_url = 0;
		dp->resume_url_failed = 1;
	}
	if (dp->we_closed) {
		a = dp->then;
		log_info("discord: gateway connection closed by us (%s)",
		    a == DISCORD_CLOSE_RESUME ? "will resume" : "new session");
	} else {
		a = discord_close_classify(code);
		log_info("discord: gateway closed: %d (%s)", code,
		    discord_close_str(code));
	}
	dp->we_closed = 0;
	if (a == DISCORD_CLOSE_FATAL) {
		snprintf(why, sizeof(why), "gateway closed with %d: %s", code,
		    discord_close_str(code));
		set_fatal(dp, discord_close_str(code));
		log_warnx("discord: %s", why);
		return;
	}
	if (a == DISCORD_CLOSE_NEW_SESSION) {
		discord_gw_forget_session(&dp->gw);
		discord_session_forget(dp->state);
	} else
		dp->gw.want_resume = dp->gw.session_id != NULL &&
		    dp->gw.seq >= 0;
	dp->gw.state = DISCORD_GW_IDLE;
	dp->st.reconnects++;
	if (dp->hooks.reconnect != NULL)
		dp->hooks.reconnect(dp->hooks.arg);
	dp->status = "backoff";
	schedule_reconnect(dp, backoff_ms(dp));
}

static const struct discord_ws_cb ws_cb = {
	ws_opened, ws_message, ws_closed, ws_too_big,
};

/* ---- connecting */

static void
on_reconnect_timer(uv_timer_t *t)
{
	connect_now(t->data);
}

static void
schedule_reconnect(struct dplat *dp, uint64_t ms)
{
	uv_timer_start(dp->re_timer, on_reconnect_timer, ms, 0);
}

/* Connect, unless an IDENTIFY now would break the identify limits. */
static void
connect_now(struct dplat *dp)
{
	uint64_t now = uv_now(dp->loop), gap, next;
	const char *url;

	if (dp->stopping || is_fatal(dp))
		return;
	if (!dp->gw.want_resume) {
		gap = 5000u / (unsigned)(dp->max_concurrency > 0 ?
		    dp->max_concurrency : 1);
		next = dp->identified_once ? dp->last_identify + gap : 0;
		if (dp->session_remaining == 0 && now < dp->session_reset_at)
			next = dp->session_reset_at;
		if (next > now) {
			schedule_reconnect(dp, next - now);
			return;
		}
		dp->identified_once = 1;
		dp->last_identify = now;
	}
	url = dp->gw.want_resume && dp->gw.resume_url != NULL &&
	    !dp->resume_url_failed ? dp->gw.resume_url : dp->gateway_url;
	if (!discord_url_loopback_ok(url, "wss://", "ws://")) {
		log_warnx("discord: refusing gateway URL that is neither "
		    "wss:// nor loopback ws://");
		url = dp->gateway_url;
	}
	dp->on_resume_url = url == dp->gw.resume_url;
	if (dp->resume_url_failed && dp->gw.want_resume)
		log_info("discord: resuming at the gateway URL (the resume "
		    "URL failed)");
	dp->status = "connecting";
	if (discord_ws_connect(dp->ws, url) != 0) {
		log_warnx("discord: cannot connect to the gateway");
		if (dp->on_resume_url) {
			dp->on_resume_url = 0;
			dp->resume_url_failed = 1;
		}
		dp->status = "backoff";
		schedule_reconnect(dp, backoff_ms(dp));
	}
}

static void
on_gateway_bot(void *arg, long status, const char *body)
{
	struct dplat *dp = arg;
	cJSON *o;
	const cJSON *url, *ssl, *v;

	if (dp->stopping || is_fatal(dp))
		return;
	o = status == 200 ? cJSON_Parse(body) : NULL;
	url = cJSON_GetObjectItemCaseSensitive(o, "url");
	if (!cJSON_IsString(url) || strlen(url->valuestring) > 512 ||
	    !discord_url_loopback_ok(url->valuestring, "wss://", "ws://")) {
		cJSON_Delete(o);
		if (status == 401)
			return;		/* set_fatal already ran */
		log_warnx("discord: GET /gateway/bot failed (HTTP %ld); "
		    "retrying", status);
		dp->status = "backoff";
		schedule_reconnect(dp, backoff_ms(dp));
		return;
	}
	free(dp->gateway_url);
	dp->gateway_url = xstrdup(url->valuestring);
	ssl = cJSON_GetObjectItemCaseSensitive(o, "session_start_limit");
	v = cJSON_GetObjectItemCaseSensitive(ssl, "max_concurrency");
	if (cJSON_IsNumber(v) && v->valueint >= 1 && v->valueint <= 1024)
		dp->max_concurrency = v->valueint;
	v = cJSON_GetObjectItemCaseSensitive(ssl, "remaining");
	if (cJSON_IsNumber(v) && v->valuedouble >= 0)
		dp->session_remaining = (long)v->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(ssl, "reset_after");
	if (cJSON_IsNumber(v) && v->valuedouble >= 0)
		dp->session_reset_at = uv_now(dp->loop) +
		    (uint64_t)v->valuedouble;
	if (dp->session_remaining == 0)
		log_warnx("discord: session start limit used up; waiting "
		    "%.0f s", (double)(dp->session_reset_at -
		    uv_now(dp->loop)) / 1000.0);
	cJSON_Delete(o);
	connect_now(dp);
}

static void
on_unauthorized(void *arg)
{
	struct dplat *dp = arg;

	set_fatal(dp, "the REST API answered 401 Unauthorized: the bot "
	    "token is invalid or was reset");
	if (dp->ws != NULL)
		discord_ws_close(dp->ws, 1000);
}

static int
op_start(struct platform *p)
{
	struct dplat *dp = p->impl;

	dp->status = "connecting";
	if (dp->cfg->gateway_url != NULL) {
		dp->gateway_url = xstrdup(dp->cfg->gateway_url);
		connect_now(dp);
	} else
		discord_rest_call(dp->rest, "GET", "/gateway/bot", NULL,
		    on_gateway_bot, dp);
	return 0;
}

/* ---- replies */

static int
want_ephemeral(const struct dplat *dp, const struct reply *r)
{
	if (r->kind == REPLY_CRISIS)
		return dp->cfg->ephemeral_crisis;
	return dp->cfg->ephemeral_answers;
}

static char *
interaction_data(const char *content, int ephemeral, int type)
{
	cJSON *o = cJSON_CreateObject(), *data, *am;
	char *s;

	if (type != 0)
		cJSON_AddNumberToObject(o, "type", type);
	data = type != 0 ? cJSON_AddObjectToObject(o, "data") : o;
	cJSON_AddStringToObject(data, "content", content);
	am = cJSON_AddObjectToObject(data, "allowed_mentions");
	cJSON_AddItemToObject(am, "parse", cJSON_CreateArray());
	if (ephemeral && type != 0)
		cJSON_AddNumberToObject(data, "flags", 64);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static int
op_send(struct platform *p, const struct message *msg,
    const struct reply *r)
{
	struct dplat *dp = p->impl;
	struct ix *x = ix_find(dp, msg->id);
	char *content, *body, *path, nonce[DISCORD_NONCE_MAX + 1];

	if (r->kind == REPLY_NONE && x == NULL)
		return 0;
	if (is_fatal(dp) || dp->rest == NULL)
		return -1;
	content = discord_render(r, DISCORD_MAX_CONTENT);
	if (content[0] == '\0') {
		free(content);
		content = xstrdup("\xe2\x80\xa6");
	}
	if (x != NULL && x->state == IX_WAITING) {
		body = interaction_data(content, want_ephemeral(dp, r), 4);
		path = xasprintf("/interactions/%s/%s/callback", x->id,
		    x->token);
		discord_rest_call(dp->rest, "POST", path, body, NULL, NULL);
	} else if (x != NULL) {
		if (app_id(dp) == NULL) {
			free(content);
			ix_remove(dp, x);
			return -1;
		}
		body = interaction_data(content, 0, 0);
		path = xasprintf("/webhooks/%s/%s/messages/@original",
		    app_id(dp), x->token);
		discord_rest_call(dp->rest, "PATCH", path, body, NULL, NULL);
	} else {
		body = discord_reply_body(content, msg->room, msg->id,
		    nonce_for(dp, nonce, DISCORD_NONCE_REPLY, msg->id), 0);
		path = xasprintf("/channels/%s/messages", msg->room);
		discord_rest_call(dp->rest, "POST", path, body, NULL, NULL);
	}
	if (x != NULL)
		ix_remove(dp, x);
	dp->st.replies++;
	free(path);
	free(body);
	free(content);
	return 0;
}

static const char *
level_name(enum crisis_level l)
{
	switch (l) {
	case CRISIS_ACUTE: return "ACUTE";
	case CRISIS_CONCERN: return "concern";
	case CRISIS_MENTION: return "mention";
	default: return "none";
	}
}

static const char *
kind_name(enum crisis_kind k)
{
	switch (k) {
	case CRISIS_SUICIDE: return "suicide";
	case CRISIS_SELF_HARM: return "self-harm";
	case CRISIS_OVERDOSE: return "overdose";
	case CRISIS_MEDICAL_EMERGENCY: return "medical emergency";
	case CRISIS_VIOLENCE: return "violence";
	case CRISIS_ABUSE_OF_OTHERS: return "abuse of others";
	default: return "unspecified";
	}
}

/*
 * op_escalate() posts to the moderators' channel: level, kind, the user
 * (as a mention that pings nobody) and a jump link to the message.  The
 * message text is copied only when the router attached it
 * (privacy.escalation_include_text), as a block quote; the router caps it
 * at 500 bytes, well inside Discord's 2000 characters.
 */
static int
op_escalate(struct platform *p, const struct escalation *e)
{
	struct dplat *dp = p->impl;
	const struct chan_guild *cg;
	char link[160], *content, *body, *path, *tx;
	char nonce[DISCORD_NONCE_MAX + 1];
	const char *guild;

	if (!e->present)
		return 0;
	if (dp->cfg->moderators_channel == NULL) {
		log_warnx("discord: crisis %s/%s in channel %s not escalated: "
		    "discord.moderators_channel is unset", level_name(e->level),
		    kind_name(e->kind), e->room ? e->room : "?");
		return 0;
	}
	if (is_fatal(dp) || dp->rest == NULL)
		return -1;
	cg = cache_get(dp, e->room, e->id);
	guild = cg != NULL && cg->guild[0] != '\0' ? cg->guild : "@me";
	if (cg != NULL && cg->interaction)
		snprintf(link, sizeof(link),
		    "https://discord.com/channels/%s/%s", guild,
		    e->room ? e->room : "");
	else
		snprintf(link, sizeof(link),
		    "https://discord.com/channels/%s/%s/%s", guild,
		    e->room ? e->room : "", e->id ? e->id : "");
	tx = e->text != NULL ? cmd_text_json(e->text, e->len) : xstrdup("");
	content = xasprintf("Crisis escalation (%s, %s): user <@%s> in %s%s%s "
	    "needs attention. Jump: %s%s%s%s", level_name(e->level),
	    kind_name(e->kind), e->user ? e->user : "?",
	    strcmp(guild, "@me") == 0 ? "a direct message" : "<#",
	    strcmp(guild, "@me") == 0 ? "" : (e->room ? e->room : "?"),
	    strcmp(guild, "@me") == 0 ? "" : ">", link,
	    e->text != NULL ? "\nMessage:\n>>> " : "", tx,
	    e->text_cut ? " [...]" : "");
	free(tx);
	body = discord_reply_body(content, NULL, NULL,
	    nonce_for(dp, nonce, DISCORD_NONCE_ESCALATION, e->id), 0);
	path = xasprintf("/channels/%s/messages",
	    dp->cfg->moderators_channel);
	discord_rest_call(dp->rest, "POST", path, body, NULL, NULL);
	free(path);
	free(body);
	free(content);
	return 0;
}

/* ---- stopping */

/*
 * The loop turned since lws began closing its handles: close our last
 * timer and report.  After this the adapter owns no libuv handle of its
 * own (lws finishes in free()), so the daemon may close what is left.
 */
static void
on_stopped(uv_timer_t *t)
{
	struct dplat *dp = t->data;
	void (*done)(struct platform *) = dp->stop_done;

	/*
	 * The lws context's second destroy (discord_ws_free) waits for
	 * free(): done from inside a loop callback it unloads lws's libuv
	 * plugin while close callbacks into it are still pending.
	 */
	timer_free(dp->re_timer);
	dp->re_timer = NULL;
	dp->stop_done = NULL;
	dp->status = "stopped";
	if (done != NULL)
		done(&dp->pub);
}

/* Release the REST queue, timers and lws; on_stopped() reports. */
static void
stop_finish(struct dplat *dp)
{
	struct ix *x;

	if (dp->stop_done == NULL || dp->ws_shut)
		return;
	dp->ws_shut = 1;
	while ((x = dp->ixs) != NULL) {
		dp->ixs = x->next;
		ix_free(x);
	}
	dp->nix = 0;
	discord_rest_close(dp->rest);
	dp->rest = NULL;
	timer_free(dp->hb_timer);
	dp->hb_timer = NULL;
	timer_free(dp->save_timer);
	dp->save_timer = NULL;
	discord_ws_shutdown(dp->ws);
	uv_timer_start(dp->re_timer, on_stopped, 1, 0);
}

static void
on_stop_poll(uv_timer_t *t)
{
	struct dplat *dp = t->data;
	uint64_t now = uv_now(dp->loop);

	if (dp->rest != NULL && discord_rest_pending(dp->rest) > 0 &&
	    now - dp->last_identify < STOP_FLUSH_MS)
		return;		/* the repeating timer looks again */
	uv_timer_stop(t);
	log_debug("discord: stopping: %zu REST requests left, link %s",
	    discord_rest_pending(dp->rest),
	    discord_ws_is_open(dp->ws) ? "open" : "closed");
	if (discord_rest_pending(dp->rest) > 0)
		log_warnx("discord: %zu replies not delivered before the "
		    "stop deadline", discord_rest_pending(dp->rest));
	/* 1000 would end the session; 4000 keeps it for the next start */
	if (dp->ws != NULL && discord_ws_is_open(dp->ws))
		discord_ws_close(dp->ws, dp->state != NULL &&
		    dp->gw.session_id != NULL ? 4000 : 1000);
	else
		stop_finish(dp);
}

static void
op_stop(struct platform *p, void (*done)(struct platform *))
{
	struct dplat *dp = p->impl;

	dp->stopping = 1;
	dp->stop_done = done;
	uv_timer_stop(dp->hb_timer);
	uv_timer_stop(dp->re_timer);
	uv_timer_stop(dp->save_timer);
	if (!is_fatal(dp))
		session_save(dp);	/* events after this are replayed */
	dp->last_identify = uv_now(dp->loop);	/* flush deadline base */
	uv_timer_start(dp->re_timer, on_stop_poll, 0, 20);
}

static const char *
op_status(const struct platform *p)
{
	const struct dplat *dp = p->impl;

	return dp->status;
}

/*
 * op_free() releases the adapter.  Call it once the loop has finished
 * closing the handles stop() closed (the daemon's bot_free() runs the
 * loop to the end first): lws's final destroy unloads its libuv plugin.
 */
static void
op_free(struct platform *p)
{
	struct dplat *dp;
	struct ix *x;

	if (p == NULL)
		return;
	dp = p->impl;
	while ((x = dp->ixs) != NULL) {
		dp->ixs = x->next;
		ix_free(x);
	}
	discord_rest_close(dp->rest);
	discord_ws_free(dp->ws);
	timer_free(dp->hb_timer);
	timer_free(dp->re_timer);
	timer_free(dp->save_timer);
	discord_gw_reset(&dp->gw);
	free(dp->gateway_url);
	discord_config_free(dp->cfg);
	free(dp);
}

static const struct platform_ops discord_ops = {
	"discord", op_start, op_send, op_escalate, op_stop, op_status,
	op_free,
};

struct platform *
discord_platform_new(uv_loop_t *loop, struct discord_config *cfg,
    platform_dispatch_fn dispatch, void *router)
{
	struct dplat *dp = xcalloc(1, sizeof(*dp));

	dp->loop = loop;
	dp->cfg = cfg;
	dp->pub.ops = &discord_ops;
	dp->pub.dispatch = dispatch;
	dp->pub.router = router;
	dp->pub.impl = dp;
	dp->status = "stopped";
	dp->max_concurrency = 1;
	dp->session_remaining = -1;
	dp->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^
	    (uint64_t)(uintptr_t)dp;
	if (dp->rng == 0)
		dp->rng = 88172645463325252ull;
	discord_gw_init(&dp->gw, &gw_sink, dp, cfg->token,
	    discord_config_intents(cfg), cfg->shard_id, cfg->shard_count);
	dp->hb_timer = timer_new(dp);
	dp->re_timer = timer_new(dp);
	dp->save_timer = timer_new(dp);
	dp->saved_seq = -1;
	dp->rest = discord_rest_new(loop, cfg->api_base, cfg->token,
	    on_unauthorized, dp);
	dp->ws = discord_ws_new(loop, &ws_cb, dp, cfg->max_frame,
	    cfg->compress);
	if (dp->rest == NULL || dp->ws == NULL) {
		dp->cfg = NULL;		/* stays the caller's on failure */
		op_free(&dp->pub);
		return NULL;
	}
	return &dp->pub;
}

void
discord_set_hooks(struct platform *p, const struct discord_hooks *h)
{
	struct dplat *dp = p->impl;

	dp->hooks = *h;
	discord_rest_set_wait_hook(dp->rest, h->ratelimited, h->error,
	    h->arg);
}

void
discord_set_state(struct platform *p, struct state *st)
{
	struct dplat *dp = p->impl;

	dp->state = st;
	if (discord_session_load(st, &dp->gw, dp->cfg->shard_id,
	    dp->cfg->shard_count) == 1) {
		dp->gw.want_resume = 1;
		dp->saved_seq = dp->gw.seq;
		log_info("discord: resuming the stored session (sequence "
		    "%lld)", dp->gw.seq);
	}
}

void
discord_platform_feed(struct platform *p, const char *text, size_t len)
{
	struct dplat *dp = p->impl;

	if (dp->gw.state == DISCORD_GW_IDLE)
		discord_gw_opened(&dp->gw);
	ws_message(dp, text, len);
}

size_t
discord_platform_rest_pending(const struct platform *p)
{
	const struct dplat *dp = p->impl;

	return dp->rest != NULL ? discord_rest_pending(dp->rest) : 0;
}

void
discord_platform_stats(const struct platform *p, struct discord_stats *out)
{
	const struct dplat *dp = p->impl;

	const struct discord_rest_stats *rs = discord_rest_stats(dp->rest);

	*out = dp->st;
	out->rest_sent = rs->sent;
	out->rest_429 = rs->retried_429;
	out->rest_global_429 = rs->global_waits;
	out->rest_5xx_retries = rs->retried_5xx;
	out->rest_bucket_waits = rs->waits;
}
