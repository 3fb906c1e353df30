/*
 * test_http.c -- bot/http.c against a tiny HTTP server run on the same
 * libuv loop (loopback, free port): methods and bodies, response headers
 * (Retry-After and asked-for ones), body caps, timeouts, dropped
 * connections, refused connections, TLS failure, loopback-only http://;
 * libcurl is loaded on first use only, and its table is complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "check.h"
#include "curlib.h"
#include "http.h"

#define BIG	200000

struct conn {
	uv_tcp_t	tcp;
	char		buf[65536];
	size_t		len;
	int		answered;
};

static void
conn_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
conn_close(struct conn *c)
{
	if (!uv_is_closing((uv_handle_t *)&c->tcp))
		uv_close((uv_handle_t *)&c->tcp, conn_closed);
}

static void
wrote(uv_write_t *w, int status)
{
	struct conn *c = w->data;

	(void)status;
	free(((char **)(void *)(w + 1))[0]);
	free(w);
	conn_close(c);
}

static void
respond(struct conn *c, const char *head, const char *body, size_t blen)
{
	size_t hl = strlen(head), n = hl + blen;
	uv_write_t *w = malloc(sizeof(*w) + sizeof(char *));
	char *out = malloc(n);
	uv_buf_t b;

	memcpy(out, head, hl);
	memcpy(out + hl, body, blen);
	((char **)(void *)(w + 1))[0] = out;
	w->data = c;
	b = uv_buf_init(out, (unsigned)n);
	uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, wrote);
}

static const char *
find_header(const char *req, const char *name, char *out, size_t outlen)
{
	const char *p = strstr(req, name);
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return out;
	p += strlen(name);
	while (*p == ' ')
		p++;
	n = strcspn(p, "\r\n");
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

static void
handle(struct conn *c, const char *hdrend)
{
	char method[16], path[256], xt[128], head[512], body[4096];
	size_t hl = (size_t)(hdrend - c->buf) + 4, blen;
	char *big;
	int n;

	if (sscanf(c->buf, "%15s %255s", method, path) != 2) {
		conn_close(c);
		return;
	}
	c->answered = 1;
	if (strcmp(path, "/echo") == 0) {
		find_header(c->buf, "\r\nX-Test:", xt, sizeof(xt));
		n = snprintf(body, sizeof(body), "%s|%s|%.*s", method, xt,
		    (int)(c->len - hl), c->buf + hl);
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
		    "Content-Length: %d\r\nX-Thing: abc\r\n"
		    "Connection: close\r\n\r\n", n);
		respond(c, head, body, (size_t)n);
	} else if (strcmp(path, "/429") == 0) {
		blen = strlen("{\"errcode\":\"M_LIMIT_EXCEEDED\"}");
		snprintf(head, sizeof(head), "HTTP/1.1 429 Too Many\r\n"
		    "Retry-After: 7\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", blen);
		respond(c, head, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}", blen);
	} else if (strcmp(path, "/big") == 0 ||
	    strcmp(path, "/bigstream") == 0) {
		big = malloc(BIG);
		memset(big, 'a', BIG);
		if (strcmp(path, "/big") == 0)
			snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
			    "Content-Length: %d\r\nConnection: close\r\n"
			    "\r\n", BIG);
		else
			snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
			    "Connection: close\r\n\r\n");
		respond(c, head, big, BIG);
		free(big);
	} else if (strcmp(path, "/slow") == 0) {
		/* never answer: the client's timeout must fire */
	} else {
		conn_close(c);		/* /drop and anything else */
	}
}

static void
on_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b)
{
	struct conn *c = h->data;

	(void)sz;
	*b = uv_buf_init(c->buf + c->len,
	    (unsigned)(sizeof(c->buf) - 1 - c->len));
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct conn *c = s->data;
	const char *end, *cl;
	long clen = 0;

	(void)b;
	if (nread < 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)nread;
	c->buf[c->len] = '\0';
	if (c->answered)
		return;
	if (c->len > 0 && (unsigned char)c->buf[0] == 0x16) {
		conn_close(c);		/* a TLS ClientHello: hang up */
		return;
	}
	if ((end = strstr(c->buf, "\r\n\r\n")) == NULL)
		return;
	if ((cl = strstr(c->buf, "Content-Length:")) != NULL && cl < end)
		clen = strtol(cl + 15, NULL, 10);
	if (c->len < (size_t)(end - c->buf) + 4 + (size_t)clen)
		return;
	handle(c, end);
}

static void
on_conn(uv_stream_t *srv, int status)
{
	struct conn *c;

	if (status < 0)
		return;
	c = calloc(1, sizeof(*c));
	uv_tcp_init(srv->loop, &c->tcp);
	c->tcp.data = c;
	if (uv_accept(srv, (uv_stream_t *)&c->tcp) != 0) {
		conn_close(c);
		return;
	}
	uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* After the test: close the server connections still open. */
static void
close_rest(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, conn_closed);
}

struct result {
	int			 done;
	enum http_err		 err;
	long			 status;
	long			 retry_after_ms;
	char			 body[256];
	size_t			 len;
	char			 want0[64];
	int			 want0_null;
};

static int pending;

static void
on_done(void *arg, const struct http_response *r)
{
	struct result *res = arg;

	res->done++;
	res->err = r->err;
	res->status = r->status;
	res->retry_after_ms = r->retry_after_ms;
	res->len = r->len;
	snprintf(res->body, sizeof(res->body), "%s", r->body);
	res->want0_null = r->want[0] == NULL;
	snprintf(res->want0, sizeof(res->want0), "%s",
	    r->want[0] ? r->want[0] : "");
	pending--;
}

static void
go(uv_loop_t *loop, struct http *h, const char *method, const char *url,
    const char *body, size_t max, long tmo, struct result *res)
{
	static const char *const hdrs[] = { "X-Test: hello", NULL };
	static const char *const want[] = { "x-thing", NULL };
	struct http_request rq = { 0 };
	enum http_err err;

	rq.method = method;
	rq.url = url;
	rq.headers = hdrs;
	rq.want = want;
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	rq.max_body = max;
	rq.timeout_ms = tmo;
	memset(res, 0, sizeof(*res));
	if (http_start(h, &rq, on_done, res, &err) == NULL) {
		res->err = err;
		return;
	}
	CHECK_INT(res->done, 0);	/* never called synchronously */
	pending++;
	(void)loop;
}

/* 1 when a shared object whose name starts with name is mapped. */
static int
mapped(const char *name)
{
	char line[1024];
	const char *base;
	FILE *fp;
	int found = 0;

	if ((fp = fopen("/proc/self/maps", "r")) == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), fp) != NULL)
		if ((base = strrchr(line, '/')) != NULL &&
		    strncmp(base + 1, name, strlen(name)) == 0)
			found = 1;
	fclose(fp);
	return found;
}

/* The loader's table: every slot filled, a second open shares the
 * library, close(NULL) is a no-op. */
static void
test_curlib(void)
{
	char err[256];
	struct curlib *a, *b;

	CHECK(mapped("libcurl") == 0);	/* not linked: nothing yet */
	unsetenv("GNUTLS_NO_IMPLICIT_INIT");
	a = curlib_open(err, sizeof(err));
	CHECK(a != NULL);
	CHECK(mapped("libcurl") == 1);
	/* GnuTLS (libcurl -> LDAP) was told to skip its start-up work */
	CHECK(getenv("GNUTLS_NO_IMPLICIT_INIT") != NULL &&
	    strcmp(getenv("GNUTLS_NO_IMPLICIT_INIT"), "1") == 0);
	b = curlib_open(err, sizeof(err));
	CHECK(b != NULL);
	if (a != NULL && b != NULL) {
		CHECK(a->global_init != NULL && a->easy_setopt != NULL &&
		    a->multi_socket_action != NULL && a->free != NULL &&
		    a->url_get != NULL && a->getdate != NULL);
		CHECK(a->easy_init == b->easy_init);
		CHECK(a->getdate("Sun, 06 Nov 1994 08:49:37 GMT", NULL) ==
		    784111777);
	}
	curlib_close(b);
	curlib_close(a);
	curlib_close(NULL);
	CHECK(mapped("libcurl") == 1);	/* RTLD_NODELETE: stays */

	/* the failure paths name the library and the package */
	err[0] = '\0';
	CHECK(curlib_open_soname("libcurl-faqbot-missing.so.4", err,
	    sizeof(err)) == NULL);
	CHECK(strstr(err, "cannot load libcurl-faqbot-missing.so.4") != NULL &&
	    strstr(err, "package " CURLIB_PACKAGE) != NULL);
	err[0] = '\0';
	CHECK(curlib_open_soname("libutf8proc.so.2", err, sizeof(err)) ==
	    NULL);			/* a library, but not libcurl */
	CHECK(strstr(err, "has no curl_global_init") != NULL &&
	    strstr(err, CURLIB_PACKAGE) != NULL);
}

static void
run_until_idle(uv_loop_t *loop)
{
	while (pending > 0)
		uv_run(loop, UV_RUN_ONCE);
}

int
main(void)
{
	uv_loop_t loop;
	uv_tcp_t srv, tmp;
	struct sockaddr_in sa;
	struct sockaddr_storage ss;
	int len = sizeof(ss), port, deadport, i;
	struct http *h;
	struct result r[24];
	char url[128];

	alarm(30);
	test_curlib();
	CHECK(http_url_allowed("https://matrix.example.org/x") == 1);
	CHECK(http_url_allowed("http://127.0.0.1:8008/x") == 1);
	CHECK(http_url_allowed("http://127.9.9.9/") == 1);
	CHECK(http_url_allowed("http://localhost:1/") == 1);
	CHECK(http_url_allowed("http://[::1]:80/") == 1);
	CHECK(http_url_allowed("http://10.0.0.1/") == 0);
	CHECK(http_url_allowed("http://example.org/") == 0);
	CHECK(http_url_allowed("http://127.0.0.1.example.org/") == 0);
	CHECK(http_url_allowed("ftp://127.0.0.1/") == 0);
	CHECK(http_url_allowed("file:///etc/passwd") == 0);
	CHECK(http_url_allowed("not a url") == 0);
	{
		char *e = http_escape("!room:ex.org/a b");

		CHECK_STR(e, "%21room%3Aex.org%2Fa%20b");
		free(e);
	}

	uv_loop_init(&loop);
	uv_tcp_init(&loop, &srv);
	uv_ip4_addr("127.0.0.1", 0, &sa);
	uv_tcp_bind(&srv, (const struct sockaddr *)&sa, 0);
	uv_listen((uv_stream_t *)&srv, 64, on_conn);
	uv_tcp_getsockname(&srv, (struct sockaddr *)&ss, &len);
	port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	/* a port nobody listens on */
	uv_tcp_init(&loop, &tmp);
	uv_tcp_bind(&tmp, (const struct sockaddr *)&sa, 0);
	len = sizeof(ss);
	uv_tcp_getsockname(&tmp, (struct sockaddr *)&ss, &len);
	deadport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	uv_close((uv_handle_t *)&tmp, NULL);

	h = http_new(&loop, NULL);
	CHECK(h != NULL);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/echo", port);
	go(&loop, h, "PUT", url, "{\"a\":1}", 0, 5000, &r[0]);
	go(&loop, h, "GET", url, NULL, 0, 5000, &r[1]);
	go(&loop, h, "POST", url, "x=1", 0, 5000, &r[2]);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/429", port);
	go(&loop, h, "GET", url, NULL, 0, 5000, &r[3]);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/big", port);
	go(&loop, h, "GET", url, NULL, 1000, 5000, &r[4]);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/bigstream", port);
	go(&loop, h, "GET", url, NULL, 1000, 5000, &r[5]);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/slow", port);
	go(&loop, h, "GET", url, NULL, 0, 300, &r[6]);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/drop", port);
	go(&loop, h, "GET", url, NULL, 0, 5000, &r[7]);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", deadport);
	go(&loop, h, "GET", url, NULL, 0, 5000, &r[8]);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/echo", port);
	go(&loop, h, "GET", url, NULL, 0, 5000, &r[9]);
	go(&loop, h, "GET", "http://example.org/", NULL, 0, 5000, &r[10]);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/bigstream", port);
	go(&loop, h, "GET", url, NULL, 0, 5000, &r[11]);
	run_until_idle(&loop);

	CHECK_INT(r[0].done, 1);
	CHECK_INT(r[0].err, HTTP_OK);
	CHECK_INT(r[0].status, 200);
	CHECK_STR(r[0].body, "PUT|hello|{\"a\":1}");
	CHECK_STR(r[0].want0, "abc");
	CHECK_INT(r[0].retry_after_ms, -1);
	CHECK_STR(r[1].body, "GET|hello|");
	CHECK_STR(r[2].body, "POST|hello|x=1");
	CHECK_INT(r[3].status, 429);
	CHECK_INT(r[3].retry_after_ms, 7000);
	CHECK(r[3].want0_null);
	CHECK_STR(r[3].body, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}");
	CHECK_INT(r[4].err, HTTP_ERR_TOO_BIG);
	CHECK_INT(r[5].err, HTTP_ERR_TOO_BIG);
	CHECK_INT(r[5].len, 0);
	CHECK_INT(r[6].err, HTTP_ERR_TIMEOUT);
	CHECK_INT(r[7].err, HTTP_ERR_IO);
	CHECK_INT(r[8].err, HTTP_ERR_CONNECT);
	CHECK_INT(r[9].err, HTTP_ERR_TLS);
	CHECK_INT(r[10].done, 0);
	CHECK_INT(r[10].err, HTTP_ERR_URL);
	CHECK_INT(r[11].err, HTTP_OK);
	CHECK_INT(r[11].len, BIG);

	/* many at once, and a cancelled one never calls back */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/echo", port);
	for (i = 12; i < 24; i++)
		go(&loop, h, "PUT", url, "z", 0, 5000, &r[i]);
	{
		struct http_request rq = { 0 };
		enum http_err err;
		struct result rc;
		struct http_call *c;

		memset(&rc, 0, sizeof(rc));
		rq.method = "GET";
		rq.url = url;
		c = http_start(h, &rq, on_done, &rc, &err);
		CHECK(c != NULL);
		CHECK_INT(http_pending(h), 13);
		http_cancel(c);
		run_until_idle(&loop);
		CHECK_INT(rc.done, 0);
	}
	for (i = 12; i < 24; i++)
		CHECK_STR(r[i].body, "PUT|hello|z");
	CHECK_INT(http_pending(h), 0);

	/* freeing with a call in flight: no callback, no leak */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/slow", port);
	go(&loop, h, "GET", url, NULL, 0, 5000, &r[0]);
	uv_run(&loop, UV_RUN_NOWAIT);
	http_free(h);
	CHECK_INT(r[0].done, 0);
	uv_close((uv_handle_t *)&srv, NULL);
	uv_walk(&loop, close_rest, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	CHECK_INT(uv_loop_close(&loop), 0);
	return CHECK_DONE();
}
