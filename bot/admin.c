/*
 * admin.c -- the admin HTTP/1.1 listener: plain uv_tcp on the bot's
 * loop, one request per connection (Connection: close), responses built
 * in memory.  /healthz reports each platform's status and is 200 only
 * when all are "connected"; /metrics is Prometheus text.  Nothing here
 * ever includes message text or secrets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "admin.h"
#include "bot.h"
#include "httpreq.h"
#include "kbset.h"
#include "log.h"
#include "metrics.h"
#include "strbuf.h"
#include "xmalloc.h"

struct conn {
	uv_tcp_t	 tcp;
	uv_timer_t	 timer;
	struct admin	*a;
	struct conn	*prev, *next;
	int		 open_handles;
	int		 closing;
	size_t		 len;
	char		 buf[HTTPREQ_MAX_HEAD];
};

struct admin {
	struct bot	*b;
	uv_tcp_t	 server;
	int		 port;
	int		 closing;
	int		 server_open;
	size_t		 nconns;
	struct conn	*conns;
};

struct wreq {
	uv_write_t	 req;
	uv_shutdown_t	 sreq;
	struct conn	*c;
	char		*data;
};

#define ADMIN_LINGER_MS	1000	/* drain unread input before closing */

static void
maybe_free_admin(struct admin *a)
{
	if (a->closing && !a->server_open && a->conns == NULL)
		free(a);
}

static void
on_conn_handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;
	struct admin *a = c->a;

	if (--c->open_handles > 0)
		return;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		a->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	a->nconns--;
	free(c);
	maybe_free_admin(a);
}

static void
conn_close(struct conn *c)
{
	if (c->closing)
		return;
	c->closing = 1;
	uv_close((uv_handle_t *)&c->tcp, on_conn_handle_closed);
	uv_close((uv_handle_t *)&c->timer, on_conn_handle_closed);
}

static void
on_discard_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct conn *c = h->data;

	(void)suggested;
	buf->base = c->buf;
	buf->len = sizeof(c->buf);
}

/* Lingering close: read and drop what the client still sends (so the
 * kernel does not answer it with a reset that loses our response). */
static void
on_discard(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	(void)buf;
	if (nread < 0)
		conn_close(s->data);
}

static void on_idle(uv_timer_t *t);

static void
on_shutdown(uv_shutdown_t *req, int status)
{
	struct wreq *w = req->data;
	struct conn *c = w->c;

	free(w);
	if (status != 0 || c->closing ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_discard_alloc,
	    on_discard) != 0) {
		conn_close(c);
		return;
	}
	uv_timer_start(&c->timer, on_idle, ADMIN_LINGER_MS, 0);
}

static void
on_written(uv_write_t *req, int status)
{
	struct wreq *w = (struct wreq *)req;
	struct conn *c = w->c;

	free(w->data);
	w->data = NULL;
	w->sreq.data = w;
	if (status != 0 || c->closing ||
	    uv_shutdown(&w->sreq, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
		free(w);
		conn_close(c);
	}
}

static void
respond(struct conn *c, int code, const char *reason, const char *ctype,
    const char *body, size_t blen, int head_only)
{
	struct strbuf sb;
	struct wreq *w;
	uv_buf_t ub;

	uv_read_stop((uv_stream_t *)&c->tcp);
	sb_init(&sb);
	sb_printf(&sb, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
	    code, reason, ctype, blen);
	if (!head_only)
		sb_append(&sb, body, blen);
	w = xcalloc(1, sizeof(*w));
	w->c = c;
	ub.len = sb.len;
	w->data = sb_steal(&sb, NULL);
	ub.base = w->data;
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &ub, 1, on_written)
	    != 0) {
		free(w->data);
		free(w);
		conn_close(c);
	}
}

static void
respond_text(struct conn *c, int code, const char *reason, const char *msg)
{
	respond(c, code, reason, "text/plain; charset=utf-8", msg,
	    strlen(msg), 0);
}

static void
healthz(struct conn *c, int head_only)
{
	struct bot *b = c->a->b;
	struct strbuf sb;
	size_t i;
	int ok = bot_healthy(b);

	sb_init(&sb);
	sb_printf(&sb, "{\"status\":\"%s\",\"kb_version\":",
	    ok ? "ok" : "unavailable");
	if (b->kb != NULL)
		sb_json_str(&sb, kbset_version(b->kb),
		    strlen(kbset_version(b->kb)));
	else
		sb_puts(&sb, "null");
	sb_puts(&sb, ",\"platforms\":{");
	for (i = 0; i < b->nplatforms; i++) {
		const char *st = bot_platform_status(b, i);

		if (i > 0)
			sb_puts(&sb, ",");
		sb_json_str(&sb, b->pnames[i], strlen(b->pnames[i]));
		sb_puts(&sb, ":");
		sb_json_str(&sb, st, strlen(st));
	}
	sb_puts(&sb, "}}\n");
	respond(c, ok ? 200 : 503, ok ? "OK" : "Service Unavailable",
	    "application/json", sb.s, sb.len, head_only);
	sb_free(&sb);
}

static void
metrics(struct conn *c, int head_only)
{
	struct bot *b = c->a->b;
	const char *st[CONFIG_MAX_PLATFORMS];
	char *text;
	size_t len, i;

	for (i = 0; i < b->nplatforms; i++)
		st[i] = bot_platform_status(b, i);
	text = metrics_render(b->metrics, b->pnames, st, b->nplatforms, &len);
	respond(c, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
	    text, len, head_only);
	free(text);
}

static void
route(struct conn *c, const struct httpreq *rq)
{
	int head = strcmp(rq->method, "HEAD") == 0;

	if (strcmp(rq->path, "/healthz") != 0 &&
	    strcmp(rq->path, "/metrics") != 0) {
		respond_text(c, 404, "Not Found", "not found\n");
		return;
	}
	if (!head && strcmp(rq->method, "GET") != 0) {
		respond_text(c, 405, "Method Not Allowed",
		    "only GET and HEAD\n");
		return;
	}
	if (strcmp(rq->path, "/healthz") == 0)
		healthz(c, head);
	else
		metrics(c, head);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct conn *c = h->data;

	(void)suggested;
	buf->base = c->buf + c->len;
	buf->len = sizeof(c->buf) - c->len;
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = s->data;
	struct httpreq rq;
	enum httpreq_status st;

	(void)buf;
	if (nread < 0) {
		conn_close(c);
		return;
	}
	if (nread == 0 || c->closing)
		return;
	c->len += (size_t)nread;
	st = httpreq_parse(c->buf, c->len, &rq);
	switch (st) {
	case HTTPREQ_INCOMPLETE:
		if (c->len < sizeof(c->buf))
			return;
		respond_text(c, 431, "Request Header Fields Too Large",
		    "request head too large\n");
		break;
	case HTTPREQ_OK:
		route(c, &rq);
		break;
	case HTTPREQ_TOO_LARGE:
		respond_text(c, 431, "Request Header Fields Too Large",
		    "request head too large\n");
		break;
	case HTTPREQ_BAD_VERSION:
		respond_text(c, 505, "HTTP Version Not Supported",
		    "HTTP/1.x only\n");
		break;
	case HTTPREQ_HAS_BODY:
		respond_text(c, 413, "Content Too Large",
		    "request bodies are not accepted\n");
		break;
	case HTTPREQ_BAD:
	default:
		respond_text(c, 400, "Bad Request", "bad request\n");
		break;
	}
}

static void
on_idle(uv_timer_t *t)
{
	conn_close(t->data);
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct admin *a = server->data;
	struct conn *c;

	if (status < 0) {
		log_warnx("admin: accept: %s", uv_strerror(status));
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->a = a;
	uv_tcp_init(server->loop, &c->tcp);
	uv_timer_init(server->loop, &c->timer);
	c->tcp.data = c;
	c->timer.data = c;
	c->open_handles = 2;
	c->next = a->conns;
	if (a->conns != NULL)
		a->conns->prev = c;
	a->conns = c;
	a->nconns++;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
		conn_close(c);
		return;
	}
	if (a->closing || a->nconns > ADMIN_MAX_CONNS) {
		respond_text(c, 503, "Service Unavailable", "busy\n");
		return;
	}
	uv_timer_start(&c->timer, on_idle, ADMIN_IDLE_MS, 0);
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
		conn_close(c);
}

static void
on_server_closed(uv_handle_t *h)
{
	struct admin *a = h->data;

	a->server_open = 0;
	maybe_free_admin(a);
}

struct admin *
admin_start(struct bot *b, const char *host, int port, char *err,
    size_t errlen)
{
	struct sockaddr_storage ss;
	struct admin *a;
	int r, len;

	if (uv_ip4_addr(host, port, (struct sockaddr_in *)&ss) != 0 &&
	    uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss) != 0) {
		if (strcmp(host, "localhost") == 0)
			uv_ip4_addr("127.0.0.1", port,
			    (struct sockaddr_in *)&ss);
		else {
			snprintf(err, errlen, "admin.listen: %s is not an IP "
			    "address", host);
			return NULL;
		}
	}
	a = xcalloc(1, sizeof(*a));
	a->b = b;
	uv_tcp_init(b->loop, &a->server);
	a->server.data = a;
	a->server_open = 1;
	if ((r = uv_tcp_bind(&a->server, (struct sockaddr *)&ss, 0)) != 0 ||
	    (r = uv_listen((uv_stream_t *)&a->server, 64, on_connection))
	    != 0) {
		snprintf(err, errlen, "admin: cannot listen on %s:%d: %s",
		    host, port, uv_strerror(r));
		a->closing = 1;
		uv_close((uv_handle_t *)&a->server, on_server_closed);
		return NULL;
	}
	len = sizeof(ss);
	if (uv_tcp_getsockname(&a->server, (struct sockaddr *)&ss, &len) == 0)
		a->port = ntohs(ss.ss_family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	return a;
}

int
admin_port(const struct admin *a)
{
	return a->port;
}

void
admin_close(struct admin *a)
{
	struct conn *c, *next;

	if (a == NULL || a->closing)
		return;
	a->closing = 1;
	for (c = a->conns; c != NULL; c = next) {
		next = c->next;
		conn_close(c);
	}
	uv_close((uv_handle_t *)&a->server, on_server_closed);
}
