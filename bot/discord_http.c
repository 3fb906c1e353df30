/*
 * discord_http.c -- asynchronous HTTP requests for the Discord REST API:
 * libcurl's multi-socket interface driven by the daemon's libuv loop (one
 * uv_poll per socket curl hands us, one uv_timer for curl's timeouts).
 * Responses are capped; the rate-limit headers are parsed here.
 * It knows nothing of buckets or retries (discord_rest.c does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <uv.h>

#include "discord.h"
#include "log.h"
#include "xmalloc.h"

#define BODY_MAX	(1u << 20)	/* response bytes kept */

struct discord_http {
	uv_loop_t	*loop;
	CURLM		*multi;
	uv_timer_t	 timer;
	size_t		 active;
	int		 closing;
	int		 handles;	/* uv handles not yet closed */
	struct req	*reqs;		/* in flight */
	struct sock_ctx	*socks;		/* polled sockets */
};

struct sock_ctx {
	uv_poll_t		 poll;
	curl_socket_t		 fd;
	struct discord_http	*h;
	struct sock_ctx		*prev, *next;
};

struct req {
	struct discord_http	*h;
	struct req		*prev, *next;
	CURL			*easy;
	struct curl_slist	*hdrs;
	char			*body;		/* request body */
	char			*resp;
	size_t			 resp_len;
	struct discord_http_resp r;
	char			 err[CURL_ERROR_SIZE];
	discord_http_done_fn	 done;
	void			*arg;
};

static void	check_done(struct discord_http *);

static void
maybe_free(struct discord_http *h)
{
	if (h->closing && h->handles == 0)
		free(h);
}

static void
on_handle_closed(uv_handle_t *hd)
{
	struct sock_ctx *sc = hd->data;
	struct discord_http *h = sc->h;

	free(sc);
	h->handles--;
	maybe_free(h);
}

/* Stop polling sc and close it (freed in on_handle_closed). */
static void
sock_close(struct discord_http *h, struct sock_ctx *sc)
{
	if (sc->prev != NULL)
		sc->prev->next = sc->next;
	else
		h->socks = sc->next;
	if (sc->next != NULL)
		sc->next->prev = sc->prev;
	uv_poll_stop(&sc->poll);
	uv_close((uv_handle_t *)&sc->poll, on_handle_closed);
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
	struct sock_ctx *sc = p->data;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(sc->h->multi, sc->fd, flags, &running);
	check_done(sc->h);
}

static int
on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *sockp)
{
	struct discord_http *h = userp;
	struct sock_ctx *sc = sockp;
	int ev = 0;

	(void)e;
	if (what == CURL_POLL_REMOVE) {
		if (sc != NULL) {
			curl_multi_assign(h->multi, s, NULL);
			sock_close(h, sc);
		}
		return 0;
	}
	if (sc == NULL) {
		sc = xcalloc(1, sizeof(*sc));
		sc->fd = s;
		sc->h = h;
		if (uv_poll_init_socket(h->loop, &sc->poll, s) != 0) {
			free(sc);
			return -1;
		}
		sc->poll.data = sc;
		h->handles++;
		sc->next = h->socks;
		if (h->socks != NULL)
			h->socks->prev = sc;
		h->socks = sc;
		curl_multi_assign(h->multi, s, sc);
	}
	if (what & CURL_POLL_IN)
		ev |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		ev |= UV_WRITABLE;
	uv_poll_start(&sc->poll, ev, on_poll);
	return 0;
}

static void
on_timeout(uv_timer_t *t)
{
	struct discord_http *h = t->data;
	int running;

	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(h);
}

static int
on_timer(CURLM *m, long ms, void *userp)
{
	struct discord_http *h = userp;

	(void)m;
	if (ms < 0)
		uv_timer_stop(&h->timer);
	else
		uv_timer_start(&h->timer, on_timeout, (uint64_t)ms, 0);
	return 0;
}

static size_t
on_write(char *p, size_t sz, size_t n, void *arg)
{
	struct req *q = arg;
	size_t len = sz * n, keep = len;

	if (q->resp_len + keep > BODY_MAX)
		keep = BODY_MAX - q->resp_len;
	if (keep > 0) {
		q->resp = xreallocarray(q->resp, q->resp_len + keep + 1, 1);
		memcpy(q->resp + q->resp_len, p, keep);
		q->resp_len += keep;
		q->resp[q->resp_len] = '\0';
	}
	return len;
}

/* Parse "Name: value" rate-limit headers into q->r. */
static size_t
on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct req *q = arg;
	size_t len = sz * n, vl;
	char val[80], *end;
	const char *colon = memchr(p, ':', len);
	size_t nl;

	if (colon == NULL)
		return len;
	nl = (size_t)(colon - p);
	colon++;
	while (colon < p + len && *colon == ' ')
		colon++;
	vl = (size_t)(p + len - colon);
	while (vl > 0 && (colon[vl - 1] == '\r' || colon[vl - 1] == '\n'))
		vl--;
	if (vl >= sizeof(val))
		return len;
	memcpy(val, colon, vl);
	val[vl] = '\0';
#define HDR(s) (nl == sizeof(s) - 1 && strncasecmp(p, s, nl) == 0)
	if (HDR("X-RateLimit-Remaining")) {
		long v = strtol(val, &end, 10);

		if (end != val && v >= 0) {
			q->r.rl_have = 1;
			q->r.rl_remaining = v;
		}
	} else if (HDR("X-RateLimit-Reset-After")) {
		double v = strtod(val, &end);

		if (end != val && v >= 0 && v < 86400)
			q->r.rl_reset_after = v;
	} else if (HDR("X-RateLimit-Bucket")) {
		snprintf(q->r.rl_bucket, sizeof(q->r.rl_bucket), "%.*s",
		    (int)sizeof(q->r.rl_bucket) - 1, val);
	} else if (HDR("X-RateLimit-Global")) {
		q->r.rl_global = strcasecmp(val, "true") == 0;
	} else if (HDR("Retry-After")) {
		double v = strtod(val, &end);

		if (end != val && v >= 0 && v < 86400)
			q->r.retry_after = v;
	}
#undef HDR
	return len;
}

static void
req_free(struct req *q)
{
	struct discord_http *h = q->h;

	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		h->reqs = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	curl_slist_free_all(q->hdrs);	/* holds the token: wipe first */
	if (q->body != NULL) {
		explicit_bzero(q->body, strlen(q->body));
		free(q->body);
	}
	free(q->resp);
	free(q);
}

static void
check_done(struct discord_http *h)
{
	CURLMsg *m;
	int left;
	struct req *q;
	long code = 0;

	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&q);
		if (m->data.result == CURLE_OK)
			curl_easy_getinfo(m->easy_handle,
			    CURLINFO_RESPONSE_CODE, &code);
		else
			code = 0;
		curl_multi_remove_handle(h->multi, q->easy);
		curl_easy_cleanup(q->easy);
		h->active--;
		q->r.status = code;
		q->r.body = q->resp != NULL ? q->resp : "";
		q->r.len = q->resp_len;
		q->r.error = code == 0 ? (q->err[0] ? q->err :
		    curl_easy_strerror(m->data.result)) : NULL;
		q->done(q->arg, &q->r);
		req_free(q);
	}
}

struct discord_http *
discord_http_new(uv_loop_t *loop)
{
	struct discord_http *h = xcalloc(1, sizeof(*h));

	h->loop = loop;
	if ((h->multi = curl_multi_init()) == NULL) {
		free(h);
		return NULL;
	}
	uv_timer_init(loop, &h->timer);
	h->timer.data = h;
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

int
discord_http_request(struct discord_http *h, const char *method,
    const char *url, const char *const *headers, const char *body,
    discord_http_done_fn done, void *arg)
{
	struct req *q;
	size_t i;

	if (h->closing)
		return -1;
	q = xcalloc(1, sizeof(*q));
	q->h = h;
	q->done = done;
	q->arg = arg;
	if ((q->easy = curl_easy_init()) == NULL) {
		free(q);
		return -1;
	}
	for (i = 0; headers != NULL && headers[i] != NULL; i++)
		q->hdrs = curl_slist_append(q->hdrs, headers[i]);
	if (body != NULL) {
		q->body = xstrdup(body);
		q->hdrs = curl_slist_append(q->hdrs,
		    "Content-Type: application/json");
		curl_easy_setopt(q->easy, CURLOPT_POSTFIELDS, q->body);
		curl_easy_setopt(q->easy, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(q->body));
	} else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(q->easy, CURLOPT_POSTFIELDSIZE, 0L);
	curl_easy_setopt(q->easy, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "GET") == 0)
		curl_easy_setopt(q->easy, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(q->easy, CURLOPT_URL, url);
	curl_easy_setopt(q->easy, CURLOPT_HTTPHEADER, q->hdrs);
	curl_easy_setopt(q->easy, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(q->easy, CURLOPT_WRITEDATA, q);
	curl_easy_setopt(q->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(q->easy, CURLOPT_HEADERDATA, q);
	curl_easy_setopt(q->easy, CURLOPT_PRIVATE, q);
	curl_easy_setopt(q->easy, CURLOPT_ERRORBUFFER, q->err);
	curl_easy_setopt(q->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(q->easy, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(q->easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(q->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(q->easy, CURLOPT_FOLLOWLOCATION, 0L);
	q->next = h->reqs;
	if (h->reqs != NULL)
		h->reqs->prev = q;
	h->reqs = q;
	if (curl_multi_add_handle(h->multi, q->easy) != CURLM_OK) {
		curl_easy_cleanup(q->easy);
		req_free(q);
		return -1;
	}
	h->active++;
	return 0;
}

size_t
discord_http_active(const struct discord_http *h)
{
	return h->active;
}

static void
on_timer_closed(uv_handle_t *hd)
{
	struct discord_http *h = hd->data;

	h->handles--;
	maybe_free(h);
}

/* Abort every transfer without callbacks; h is freed once closed. */
void
discord_http_close(struct discord_http *h)
{
	if (h == NULL)
		return;
	h->closing = 1;
	while (h->reqs != NULL) {
		struct req *q = h->reqs;

		curl_multi_remove_handle(h->multi, q->easy);
		curl_easy_cleanup(q->easy);
		req_free(q);
	}
	curl_multi_cleanup(h->multi);
	h->multi = NULL;
	while (h->socks != NULL)
		sock_close(h, h->socks);
	h->handles++;
	uv_close((uv_handle_t *)&h->timer, on_timer_closed);
}
