/*
 * discord_rest.c -- the Discord REST queue on bot/http.c: requests wait
 * for their rate limit (X-RateLimit-Remaining / Reset-After of the
 * bucket their route shares, per major parameter: discord_bucket.c), the
 * global limit (50/s, and 429 "global"), and are retried after 429
 * (retry_after) or 5xx/transport errors with backoff.  A 429 never drops
 * a request.  401 is fatal (the token is wrong): the owner is told.
 * Requests on one limit go out one at a time, in order.  Interaction
 * endpoints (the callback, and the original response or follow-ups
 * under /webhooks/{application}/{token}) are not held by the global
 * limit: Discord exempts them, and the callback's 3 s must not wait.
 *
 * Paths may hold interaction tokens: only routes (tokens cut) are logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "discord.h"
#include "http.h"
#include "log.h"
#include "xmalloc.h"

#define GLOBAL_PER_SEC	45	/* Discord allows 50 */
#define MAX_ATTEMPTS	8	/* 5xx / transport errors */
#define ROUTE_MAX	256	/* bytes of a route or major parameter */
#define TIMEOUT_MS	20000L	/* one request, connect included */

/* Response headers asked of bot/http.c, in this order (want[]). */
enum { H_REMAINING, H_RESET_AFTER, H_BUCKET, H_GLOBAL, H_NWANT };
static const char *const want_hdrs[H_NWANT + 1] = {
	"X-RateLimit-Remaining", "X-RateLimit-Reset-After",
	"X-RateLimit-Bucket", "X-RateLimit-Global", NULL,
};

/* The rate-limit part of a response, parsed from its headers. */
struct rl_info {
	int	 have;		/* X-RateLimit-Remaining seen */
	long	 remaining;
	double	 reset_after;	/* seconds */
	int	 global;
};

struct rreq {
	struct rreq		*next;
	char			*method, *path, *route, *body;
	char			*tmpl, *major;	/* rate-limit identity */
	int			 no_global;	/* interaction endpoint */
	int			 waited;	/* a bucket wait counted */
	discord_rest_done_fn	 done;
	void			*arg;
	int			 attempts;
	uint64_t		 not_before;
};

struct discord_rest {
	uv_loop_t		*loop;
	struct http		*http;
	char			*base;
	char			*auth;		/* "Authorization: Bot ..." */
	struct rreq		*head, *tail;
	size_t			 queued, inflight;
	size_t			 queued_ix;	/* no_global among queued */
	struct discord_limits	*limits;
	struct inflight		*flying;
	uint64_t		 global_until;
	uint64_t		 sec_start;
	int			 sec_count;
	uv_timer_t		*timer;
	int			 fatal;
	void			(*on_unauth)(void *);
	void			*arg;
	struct discord_rest_stats st;
	void			(*waited)(void *, double);
	void			(*error)(void *);
	void			*harg;
};

struct inflight {
	struct inflight		*prev, *next;
	struct discord_rest	*r;
	struct rreq		*q;
	struct discord_limit	*lim;		/* counted against */
	struct http_call	*call;
};

static void	pump(struct discord_rest *);

/*
 * discord_rest_route() makes the rate-limit key of method path: ids after
 * /messages/ become {id}; the interaction / webhook token is cut.
 * Caller frees.
 */
char *
discord_rest_route(const char *method, const char *path)
{
	char buf[512];
	const char *p = path, *seg;
	size_t n = 0, i = 0;
	int drop_next = 0, id_next = 0;

	n = (size_t)snprintf(buf, sizeof(buf), "%s ", method);
	while (*p != '\0' && n < sizeof(buf) - 16) {
		if (*p == '/') {
			buf[n++] = *p++;
			continue;
		}
		seg = p;
		while (*p != '\0' && *p != '/' && *p != '?')
			p++;
		i = (size_t)(p - seg);
		if (drop_next) {
			memcpy(buf + n, "{token}", 7);
			n += 7;
			drop_next = 0;
		} else if (id_next && i > 0 && strspn(seg, "0123456789") == i) {
			memcpy(buf + n, "{id}", 4);
			n += 4;
			id_next = 0;
		} else {
			id_next = 0;
			if (i > sizeof(buf) - 16 - n)
				i = sizeof(buf) - 16 - n;
			memcpy(buf + n, seg, i);
			n += i;
			if ((i == 12 && strncmp(seg, "interactions", 12) == 0) ||
			    (i == 8 && strncmp(seg, "webhooks", 8) == 0))
				drop_next = -1;	/* the id, then the token */
			else if (i == 8 && strncmp(seg, "messages", 8) == 0)
				id_next = 1;
		}
		if (drop_next == -1) {
			/* keep the id segment that follows */
			if (*p == '/') {
				buf[n++] = *p++;
				seg = p;
				while (*p != '\0' && *p != '/' && *p != '?')
					p++;
				i = (size_t)(p - seg);
				if (i > sizeof(buf) - 16 - n)
					i = sizeof(buf) - 16 - n;
				memcpy(buf + n, seg, i);
				n += i;
			}
			drop_next = 1;
		}
		if (*p == '?')
			break;
	}
	buf[n] = '\0';
	return xstrdup(buf);
}

static void
on_timer_closed(uv_handle_t *h)
{
	free(h);
}

struct discord_rest *
discord_rest_new(uv_loop_t *loop, const char *api_base, const char *token,
    void (*on_unauthorized)(void *), void *arg)
{
	struct discord_rest *r = xcalloc(1, sizeof(*r));

	r->loop = loop;
	if ((r->http = http_new(loop, NULL)) == NULL) {
		free(r);
		return NULL;
	}
	r->base = xstrdup(api_base);
	r->auth = xasprintf("Authorization: Bot %s", token);
	r->limits = discord_limits_new();
	r->timer = xcalloc(1, sizeof(*r->timer));
	uv_timer_init(loop, r->timer);
	r->timer->data = r;
	r->on_unauth = on_unauthorized;
	r->arg = arg;
	return r;
}

static void
rreq_free(struct rreq *q)
{
	free(q->method);
	free(q->path);
	free(q->route);
	free(q->tmpl);
	free(q->major);
	free(q->body);
	free(q);
}

static void
push_back(struct discord_rest *r, struct rreq *q)
{
	q->next = NULL;
	if (r->tail != NULL)
		r->tail->next = q;
	else
		r->head = q;
	r->tail = q;
	r->queued++;
	r->queued_ix += q->no_global;
}

static void
push_front(struct discord_rest *r, struct rreq *q)
{
	q->next = r->head;
	r->head = q;
	if (r->tail == NULL)
		r->tail = q;
	r->queued++;
	r->queued_ix += q->no_global;
}

void
discord_rest_call(struct discord_rest *r, const char *method,
    const char *path, const char *body, discord_rest_done_fn done,
    void *arg)
{
	struct rreq *q = xcalloc(1, sizeof(*q));
	char tmpl[ROUTE_MAX], major[ROUTE_MAX];

	q->method = xstrdup(method);
	q->path = xstrdup(path);
	q->route = discord_rest_route(method, path);
	(void)discord_route_split(method, path, tmpl, sizeof(tmpl), major,
	    sizeof(major));	/* a cut route still names a limit */
	q->tmpl = xstrdup(tmpl);
	q->major = xstrdup(major);
	q->no_global = strncmp(path, "/interactions/", 14) == 0 ||
	    strncmp(path, "/webhooks/", 10) == 0;
	q->body = body != NULL ? xstrdup(body) : NULL;
	q->done = done;
	q->arg = arg;
	push_back(r, q);
	pump(r);
}

static void
on_wake(uv_timer_t *t)
{
	pump(t->data);
}

static void
wake_at(struct discord_rest *r, uint64_t when)
{
	uint64_t now = uv_now(r->loop);

	uv_timer_start(r->timer, on_wake, when > now ? when - now : 0, 0);
}

/* Read the rate-limit headers of h (absent or unparsable: not had). */
static void
rl_parse(const struct http_response *h, struct rl_info *rl)
{
	const char *v;
	char *end;
	long n;
	double d;

	memset(rl, 0, sizeof(*rl));
	if ((v = h->want[H_REMAINING]) != NULL) {
		n = strtol(v, &end, 10);
		if (end != v && n >= 0) {
			rl->have = 1;
			rl->remaining = n;
		}
	}
	if ((v = h->want[H_RESET_AFTER]) != NULL) {
		d = strtod(v, &end);
		if (end != v && d >= 0 && d < 86400)
			rl->reset_after = d;
	}
	if ((v = h->want[H_GLOBAL]) != NULL)
		rl->global = strcasecmp(v, "true") == 0;
}

/* Seconds of retry_after in a 429 body, and whether it is global. */
static double
parse_429(const struct http_response *h, const struct rl_info *rl,
    int *global)
{
	cJSON *o = cJSON_ParseWithLength(h->body, h->len);
	const cJSON *ra = cJSON_GetObjectItemCaseSensitive(o, "retry_after");
	double s = h->retry_after_ms > 0 ?
	    (double)h->retry_after_ms / 1000.0 : 1.0;

	*global = rl->global ||
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "global"));
	if (cJSON_IsNumber(ra) && ra->valuedouble >= 0 &&
	    ra->valuedouble < 3600)
		s = ra->valuedouble;
	cJSON_Delete(o);
	return s;
}

/* Discord's JSON error code of a response body (0: none). */
static long
error_code(const struct http_response *h)
{
	cJSON *o = cJSON_ParseWithLength(h->body, h->len);
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "code");
	long n = cJSON_IsNumber(c) ? (long)c->valuedouble : 0;

	cJSON_Delete(o);
	return n;
}

static void
on_done(void *arg, const struct http_response *h)
{
	struct inflight *f = arg;
	struct discord_rest *r = f->r;
	struct rreq *q = f->q;
	struct discord_limit *rt = f->lim;
	uint64_t now;
	int global;
	double ra;
	struct rl_info rl;
	long status = h->err == HTTP_OK ? h->status : 0;

	if (f->prev != NULL)
		f->prev->next = f->next;
	else
		r->flying = f->next;
	if (f->next != NULL)
		f->next->prev = f->prev;
	free(f);
	r->inflight--;
	rt->inflight = 0;
	uv_update_time(r->loop);	/* waits start from the real now */
	now = uv_now(r->loop) + 1;
	if (h->err == HTTP_OK && h->want[H_BUCKET] != NULL &&
	    h->want[H_BUCKET][0] != '\0' &&
	    strlen(h->want[H_BUCKET]) < ROUTE_MAX)
		rt = discord_limits_learn(r->limits, q->tmpl, q->major,
		    h->want[H_BUCKET], now);
	rl_parse(h, &rl);
	if (rl.have) {
		rt->have = 1;
		rt->remaining = rl.remaining;
		rt->reset_at = now + (uint64_t)(rl.reset_after * 1000.0 +
		    0.999);
	}
	if (status >= 200 && status < 300) {
		r->st.ok++;
		if (q->done != NULL)
			q->done(q->arg, status, h->body);
		rreq_free(q);
	} else if (status == 429) {
		ra = parse_429(h, &rl, &global);
		r->st.retried_429++;
		if (global) {
			r->st.global_waits++;
			r->global_until = now + (uint64_t)(ra * 1000.0 + 0.999);
		} else {
			rt->have = 1;
			rt->remaining = 0;
			rt->reset_at = now + (uint64_t)(ra * 1000.0 + 0.999);
		}
		log_info("discord: rate limited on %s (%s), retrying in "
		    "%.3f s", q->route, global ? "global" : "route", ra);
		if (r->waited != NULL)
			r->waited(r->harg, ra);
		q->waited = 1;		/* this wait is counted */
		push_front(r, q);
	} else if (status == 401) {
		log_warnx("discord: REST %s: 401 Unauthorized: the bot token "
		    "is invalid or was reset; not retrying", q->route);
		r->fatal = 1;
		r->st.dropped++;
		if (q->done != NULL)
			q->done(q->arg, status, h->body);
		rreq_free(q);
		if (r->on_unauth != NULL)
			r->on_unauth(r->arg);
		return;
	} else if ((status >= 500 || (status == 0 &&
	    h->err != HTTP_ERR_TOO_BIG && h->err != HTTP_ERR_URL)) &&
	    ++q->attempts < MAX_ATTEMPTS) {
		uint64_t back = 250u << q->attempts;

		r->st.retried_5xx++;
		if (back > 30000)
			back = 30000;
		q->not_before = now + back / 2 + (uint64_t)rand() % (back / 2);
		log_warnx("discord: REST %s: %s %ld%s%s; retry %d in %llu ms",
		    q->route, status ? "HTTP" : "transport error",
		    status, status ? "" : ": ",
		    status ? "" : http_strerror(h->err), q->attempts,
		    (unsigned long long)(q->not_before - now));
		push_front(r, q);
	} else if (status == 400 && q->no_global && error_code(h) == 40060) {
		/* a replayed INTERACTION_CREATE: answered before a restart */
		log_info("discord: REST %s: interaction already acknowledged "
		    "(a replayed event); not answered twice", q->route);
		if (q->done != NULL)
			q->done(q->arg, status, h->body);
		rreq_free(q);
	} else {
		log_warnx("discord: REST %s failed: HTTP %ld%s%s; dropped",
		    q->route, status, status ? "" : ": ",
		    status ? "" : http_strerror(h->err));
		r->st.dropped++;
		if (r->error != NULL)
			r->error(r->harg);
		if (q->done != NULL)
			q->done(q->arg, status, h->body);
		rreq_free(q);
	}
	pump(r);
}

static void
send_one(struct discord_rest *r, struct rreq *q, struct discord_limit *rt)
{
	const char *hdrs[4];
	struct inflight *f = xmalloc(sizeof(*f));
	char *url = xasprintf("%s%s", r->base, q->path);
	uint64_t now = uv_now(r->loop);
	struct http_request rq;
	enum http_err err;

	hdrs[0] = r->auth;
	hdrs[1] = "User-Agent: DiscordBot (https://example.invalid/faqbot, "
	    "0.1)";
	hdrs[2] = q->body != NULL ? "Content-Type: application/json" : NULL;
	hdrs[3] = NULL;
	memset(&rq, 0, sizeof(rq));
	rq.method = q->method;
	rq.url = url;
	rq.headers = hdrs;
	rq.body = q->body;
	rq.body_len = q->body != NULL ? strlen(q->body) : 0;
	rq.timeout_ms = TIMEOUT_MS;
	rq.want = want_hdrs;
	f->r = r;
	f->q = q;
	f->lim = rt;
	f->prev = NULL;
	f->next = r->flying;
	if (r->flying != NULL)
		r->flying->prev = f;
	r->flying = f;
	rt->inflight = 1;
	if (rt->have && rt->remaining > 0)
		rt->remaining--;
	if (now - r->sec_start >= 1000) {
		r->sec_start = now;
		r->sec_count = 0;
	}
	if (!q->no_global)
		r->sec_count++;
	r->inflight++;
	r->st.sent++;
	if ((f->call = http_start(r->http, &rq, on_done, f, &err)) == NULL) {
		/* retried later, like a transport error */
		r->flying = f->next;
		if (f->next != NULL)
			f->next->prev = NULL;
		free(f);
		r->inflight--;
		rt->inflight = 0;
		q->attempts++;
		q->not_before = now + 1000;
		log_warnx("discord: REST %s: could not start the request: %s",
		    q->route, http_strerror(err));
		push_front(r, q);
		wake_at(r, q->not_before);
	}
	free(url);
}

/* Send every request whose route and the global limit allow it. */
static void
pump(struct discord_rest *r)
{
	struct rreq *q, *prev = NULL, *next;
	struct discord_limit *rt;
	uint64_t now = uv_now(r->loop), wake = 0, gw;

	if (r->fatal || r->http == NULL)
		return;
	discord_limits_unblock(r->limits);
	for (q = r->head; q != NULL; q = next) {
		next = q->next;
		gw = 0;
		if (now < r->global_until)
			gw = r->global_until;
		else if (r->sec_count >= GLOBAL_PER_SEC &&
		    now - r->sec_start < 1000)
			gw = r->sec_start + 1000;
		if (gw != 0 && !q->no_global) {
			if (wake == 0 || gw < wake)
				wake = gw;
			if (r->queued_ix == 0)
				break;	/* nothing else may go */
			prev = q;
			continue;
		}
		rt = discord_limits_get(r->limits, q->tmpl, q->major, now);
		if (rt->inflight || rt->blocked) {
			prev = q;
			continue;
		}
		if (q->not_before > now || (rt->have && rt->remaining <= 0 &&
		    now < rt->reset_at)) {
			uint64_t w = q->not_before > now ? q->not_before :
			    rt->reset_at;

			if (!(q->not_before > now) && !q->waited) {
				q->waited = 1;	/* once per request */
				r->st.waits++;
				if (r->waited != NULL)
					r->waited(r->harg,
					    (double)(w - now) / 1000.0);
			}
			if (wake == 0 || w < wake)
				wake = w;
			rt->blocked = 1;	/* keep the limit's order */
			prev = q;
			continue;
		}
		if (prev != NULL)
			prev->next = next;
		else
			r->head = next;
		if (r->tail == q)
			r->tail = prev;
		r->queued--;
		r->queued_ix -= q->no_global;
		send_one(r, q, rt);
	}
	if (wake != 0)
		wake_at(r, wake);
}

void
discord_rest_set_wait_hook(struct discord_rest *r,
    void (*waited)(void *, double), void (*error)(void *), void *arg)
{
	r->waited = waited;
	r->error = error;
	r->harg = arg;
}

size_t
discord_rest_pending(const struct discord_rest *r)
{
	return r->queued + r->inflight;
}

const struct discord_rest_stats *
discord_rest_stats(const struct discord_rest *r)
{
	return &r->st;
}

/* Abort in-flight requests, drop the queue (no callbacks), free. */
void
discord_rest_close(struct discord_rest *r)
{
	struct rreq *q;

	if (r == NULL)
		return;
	while (r->flying != NULL) {
		struct inflight *f = r->flying;

		r->flying = f->next;
		http_cancel(f->call);
		rreq_free(f->q);
		free(f);
	}
	http_free(r->http);
	r->http = NULL;
	while ((q = r->head) != NULL) {
		r->head = q->next;
		rreq_free(q);
	}
	discord_limits_free(r->limits);
	uv_timer_stop(r->timer);
	uv_close((uv_handle_t *)r->timer, on_timer_closed);
	explicit_bzero(r->auth, strlen(r->auth));
	free(r->auth);
	free(r->base);
	free(r);
}
