/*
 * http.c -- asynchronous HTTP(S) requests with libcurl's multi-socket API
 * on the daemon's libuv loop.
 *
 * DESIGN: curl tells us which sockets to watch (on_socket) and when to
 * wake it (on_timer_set); we keep one uv_poll_t per socket and one
 * uv_timer_t, and hand readiness back with curl_multi_socket_action().
 * Finished transfers are collected in collect() after each action and
 * their callbacks run there, never from inside a curl callback, so a
 * callback may start or cancel other calls.  This file does no retrying:
 * callers decide (rate limits, backoff).  libcurl is loaded by the first
 * http_new() or http_url_allowed() (bot/curlib.c), not at program start.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "curlib.h"
#include "http.h"
#include "log.h"
#include "tlsinit.h"
#include "xmalloc.h"

#define HTTP_DEFAULT_TIMEOUT_MS	30000L
#define HTTP_DEFAULT_MAX_BODY	(1024u * 1024)
#define HTTP_CONNECT_TIMEOUT_MS	10000L

struct http_sock {
	uv_poll_t		 poll;
	curl_socket_t		 fd;
	struct http		*h;
	struct http_sock	*next, *prev;
};

struct http {
	uv_loop_t		*loop;
	struct curlib		*c;		/* libcurl, loaded by http_new */
	CURLM			*multi;
	uv_timer_t		 timer;
	char			*ca_file;
	struct http_call	*calls;
	struct http_sock	*socks;
	size_t			 ncalls;
};

struct http_call {
	struct http		*h;
	CURL			*easy;
	struct curl_slist	*hdrs;
	http_done_fn		 done;
	void			*arg;
	char			*buf;
	size_t			 len, cap, max;
	int			 too_big;
	long			 retry_after_ms;
	size_t			 nwant;
	char			*want_name[HTTP_MAX_WANT];
	char			*want_val[HTTP_MAX_WANT];
	char			 errbuf[CURL_ERROR_SIZE];
	struct http_call	*next, *prev;
};

static void	collect(struct http *h);

const char *
http_strerror(enum http_err e)
{
	switch (e) {
	case HTTP_OK:		return "ok";
	case HTTP_ERR_URL:	return "URL refused";
	case HTTP_ERR_DNS:	return "name resolution failed";
	case HTTP_ERR_CONNECT:	return "connection failed";
	case HTTP_ERR_TLS:	return "TLS failure";
	case HTTP_ERR_TIMEOUT:	return "timed out";
	case HTTP_ERR_TOO_BIG:	return "response too big";
	case HTTP_ERR_IO:	return "connection error";
	default:		return "HTTP error";
	}
}

static int
host_is_loopback(const char *host)
{
	struct in_addr a4;
	size_t n = strlen(host);

	if (strcasecmp(host, "localhost") == 0 ||
	    strcasecmp(host, "localhost.") == 0)
		return 1;
	if (strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0)
		return 1;
	if (n > 0 && n < 16 && inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return 0;
}

/* http_url_allowed() with a loaded libcurl: its own URL parser decides. */
static int
url_allowed(const struct curlib *cl, const char *url)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL;
	int ok = 0;

	if (url == NULL || (u = cl->url()) == NULL)
		return 0;
	if (cl->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (cl->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    cl->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	if (strcasecmp(scheme, "https") == 0)
		ok = 1;
	else if (strcasecmp(scheme, "http") == 0)
		ok = host_is_loopback(host);
out:
	cl->free(scheme);
	cl->free(host);
	cl->url_cleanup(u);
	return ok;
}

int
http_url_allowed(const char *url)
{
	struct curlib *cl;
	char err[256];
	int ok;

	if ((cl = curlib_open(err, sizeof(err))) == NULL) {
		log_warnx("http: %s", err);
		return -1;
	}
	ok = url_allowed(cl, url);
	curlib_close(cl);
	return ok;
}

char *
http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), i, j = 0;
	char *out;

	out = xreallocarray(NULL, n + 1, 3);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			out[j++] = (char)c;
		} else {
			out[j++] = '%';
			out[j++] = hex[c >> 4];
			out[j++] = hex[c & 15];
		}
	}
	out[j] = '\0';
	return out;
}

/* --- curl <-> libuv glue ------------------------------------------- */

static void
sock_closed(uv_handle_t *hd)
{
	free(hd->data);
}

static void
sock_release(struct http *h, struct http_sock *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		h->socks = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	if (uv_is_closing((uv_handle_t *)&s->poll)) {
		free(s);	/* someone closed every handle of the loop */
		return;
	}
	uv_poll_stop(&s->poll);
	uv_close((uv_handle_t *)&s->poll, sock_closed);
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
	struct http_sock *s = p->data;
	struct http *h = s->h;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	h->c->multi_socket_action(h->multi, s->fd, flags, &running);
	collect(h);
}

static int
on_socket(CURL *e, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct http *h = userp;
	struct http_sock *s = sockp;
	int events = 0, rc;

	(void)e;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			h->c->multi_assign(h->multi, fd, NULL);
			sock_release(h, s);
		}
		return 0;
	}
	if (s == NULL) {
		s = xcalloc(1, sizeof(*s));
		s->fd = fd;
		s->h = h;
		if ((rc = uv_poll_init_socket(h->loop, &s->poll, fd)) != 0) {
			log_warnx("http: cannot watch socket: %s",
			    uv_strerror(rc));
			free(s);
			return -1;
		}
		s->poll.data = s;
		s->next = h->socks;
		if (h->socks != NULL)
			h->socks->prev = s;
		h->socks = s;
		h->c->multi_assign(h->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	if ((rc = uv_poll_start(&s->poll, events, on_poll)) != 0) {
		log_warnx("http: cannot poll socket: %s", uv_strerror(rc));
		return -1;
	}
	return 0;
}

static void
on_timeout(uv_timer_t *t)
{
	struct http *h = t->data;
	int running;

	h->c->multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	collect(h);
}

static int
on_timer_set(CURLM *m, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)m;
	if (timeout_ms < 0)
		uv_timer_stop(&h->timer);
	else
		uv_timer_start(&h->timer, on_timeout, (uint64_t)timeout_ms, 0);
	return 0;
}

/* --- one call ------------------------------------------------------ */

static size_t
on_body(char *ptr, size_t size, size_t nmemb, void *userp)
{
	struct http_call *c = userp;
	size_t n = size * nmemb, want;

	if (n > c->max - c->len) {
		c->too_big = 1;
		return 0;		/* CURLE_WRITE_ERROR: abort */
	}
	if (c->len + n + 1 > c->cap) {
		want = c->cap ? c->cap : 4096;
		while (want < c->len + n + 1)
			want *= 2;
		if (want > c->max + 1)
			want = c->max + 1;
		c->buf = xreallocarray(c->buf, want, 1);
		c->cap = want;
	}
	memcpy(c->buf + c->len, ptr, n);
	c->len += n;
	c->buf[c->len] = '\0';
	return n;
}

static long
parse_retry_after(const struct curlib *cl, const char *v)
{
	char *end;
	long s;
	time_t when;

	while (*v == ' ' || *v == '\t')
		v++;
	if (isdigit((unsigned char)*v)) {
		s = strtol(v, &end, 10);
		if (end == v || s < 0 || s > 86400)
			return -1;
		return s * 1000;
	}
	if ((when = cl->getdate(v, NULL)) < 0)
		return -1;
	when -= time(NULL);
	return when < 0 ? 0 : (long)when * 1000;
}

static size_t
on_header(char *ptr, size_t size, size_t nmemb, void *userp)
{
	struct http_call *c = userp;
	size_t n = size * nmemb, i, nl;
	const char *colon;
	char *val;

	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		/* a new response (after 100 Continue): forget the last */
		for (i = 0; i < c->nwant; i++) {
			free(c->want_val[i]);
			c->want_val[i] = NULL;
		}
		c->retry_after_ms = -1;
		return n;
	}
	if ((colon = memchr(ptr, ':', n)) == NULL)
		return n;
	nl = (size_t)(colon - ptr);
	val = xstrndup(colon + 1, n - nl - 1);
	val[strcspn(val, "\r\n")] = '\0';
	if (nl == 11 && strncasecmp(ptr, "Retry-After", 11) == 0)
		c->retry_after_ms = parse_retry_after(c->h->c, val);
	for (i = 0; i < c->nwant; i++) {
		if (strlen(c->want_name[i]) == nl &&
		    strncasecmp(ptr, c->want_name[i], nl) == 0) {
			free(c->want_val[i]);
			c->want_val[i] = xstrdup(val + strspn(val, " \t"));
			break;
		}
	}
	free(val);
	return n;
}

static void
call_free(struct http_call *c)
{
	const struct curlib *cl = c->h->c;
	struct curl_slist *s;
	size_t i;

	if (c->easy != NULL) {
		cl->multi_remove_handle(c->h->multi, c->easy);
		cl->easy_cleanup(c->easy);
	}
	for (s = c->hdrs; s != NULL; s = s->next)	/* may hold a token */
		explicit_bzero(s->data, strlen(s->data));
	cl->slist_free_all(c->hdrs);
	for (i = 0; i < c->nwant; i++) {
		free(c->want_name[i]);
		free(c->want_val[i]);
	}
	free(c->buf);
	free(c);
}

static void
call_unlink(struct http_call *c)
{
	struct http *h = c->h;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		h->calls = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	h->ncalls--;
}

static enum http_err
map_error(CURLcode rc, int too_big)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_ERR_DNS;
	case CURLE_COULDNT_CONNECT:
		return HTTP_ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ERR_TIMEOUT;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_ERR_TOO_BIG;
	case CURLE_WRITE_ERROR:
		return too_big ? HTTP_ERR_TOO_BIG : HTTP_ERR_IO;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_USE_SSL_FAILED:
		return HTTP_ERR_TLS;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return HTTP_ERR_URL;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return HTTP_ERR_IO;
	default:
		return HTTP_ERR_OTHER;
	}
}

/* Run the callbacks of every finished transfer. */
static void
collect(struct http *h)
{
	CURLMsg *m;
	int left;
	struct http_call *c;
	struct http_response r;
	size_t i;
	char *priv;

	while ((m = h->c->multi_info_read(h->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		h->c->easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if ((c = (struct http_call *)(void *)priv) == NULL)
			continue;
		memset(&r, 0, sizeof(r));
		r.err = map_error(m->data.result, c->too_big);
		r.errmsg = c->errbuf[0] ? c->errbuf :
		    h->c->easy_strerror(m->data.result);
		if (r.err == HTTP_OK) {
			h->c->easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE,
			    &r.status);
			r.errmsg = "";
		}
		r.retry_after_ms = r.err == HTTP_OK ? c->retry_after_ms : -1;
		for (i = 0; i < c->nwant; i++)
			r.want[i] = c->want_val[i];
		r.body = c->buf != NULL && r.err == HTTP_OK ? c->buf : "";
		r.len = r.err == HTTP_OK ? c->len : 0;
		call_unlink(c);
		c->done(c->arg, &r);
		call_free(c);
	}
}

struct http_call *
http_start(struct http *h, const struct http_request *rq, http_done_fn done,
    void *arg, enum http_err *err)
{
	const struct curlib *cl = h->c;
	struct http_call *c;
	CURL *e;
	const char *const *hp;
	long tmo;
	size_t i;

	*err = HTTP_OK;
	if (!url_allowed(cl, rq->url)) {
		*err = HTTP_ERR_URL;
		return NULL;
	}
	if ((e = cl->easy_init()) == NULL)
		fatalx("http: curl_easy_init failed");
	c = xcalloc(1, sizeof(*c));
	c->h = h;
	c->easy = e;
	c->done = done;
	c->arg = arg;
	c->retry_after_ms = -1;
	c->max = rq->max_body ? rq->max_body : HTTP_DEFAULT_MAX_BODY;
	for (i = 0; rq->want != NULL && rq->want[i] != NULL &&
	    i < HTTP_MAX_WANT; i++)
		c->want_name[i] = xstrdup(rq->want[i]);
	c->nwant = i;
	for (hp = rq->headers; hp != NULL && *hp != NULL; hp++)
		if ((c->hdrs = cl->slist_append(c->hdrs, *hp)) == NULL)
			fatalx("http: out of memory");
	if ((c->hdrs = cl->slist_append(c->hdrs, "Expect:")) == NULL)
		fatalx("http: out of memory");
	tmo = rq->timeout_ms > 0 ? rq->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;

	cl->easy_setopt(e, CURLOPT_URL, rq->url);
	cl->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	cl->easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	cl->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	cl->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file != NULL) {
		/* only that bundle: parsed once, then shared by every
		 * connection of the multi handle (CURLOPT_CA_CACHE_TIMEOUT,
		 * 24 h by default; curl caches no store that has a CApath) */
		cl->easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
		cl->easy_setopt(e, CURLOPT_CAPATH, (char *)NULL);
	} else {
		/* the system store as a hashed directory (libcurl's default
		 * CApath, /etc/ssl/certs on Debian), read per certificate
		 * when a handshake needs it, instead of the whole bundle
		 * parsed again for each new connection (about 670 KiB) */
		cl->easy_setopt(e, CURLOPT_CAINFO, (char *)NULL);
	}
	cl->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	cl->easy_setopt(e, CURLOPT_TIMEOUT_MS, tmo);
	cl->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    tmo < HTTP_CONNECT_TIMEOUT_MS ? tmo : HTTP_CONNECT_TIMEOUT_MS);
	cl->easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	cl->easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max);
	cl->easy_setopt(e, CURLOPT_HTTPHEADER, c->hdrs);
	cl->easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	cl->easy_setopt(e, CURLOPT_WRITEDATA, c);
	cl->easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	cl->easy_setopt(e, CURLOPT_HEADERDATA, c);
	cl->easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
	cl->easy_setopt(e, CURLOPT_PRIVATE, (char *)(void *)c);
	cl->easy_setopt(e, CURLOPT_USERAGENT, "faqbot");
	if (rq->body != NULL) {
		cl->easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)rq->body_len);
		cl->easy_setopt(e, CURLOPT_COPYPOSTFIELDS, rq->body);
	}
	if (rq->method != NULL && strcmp(rq->method, "GET") != 0 &&
	    !(strcmp(rq->method, "POST") == 0 && rq->body != NULL))
		cl->easy_setopt(e, CURLOPT_CUSTOMREQUEST, rq->method);

	c->next = h->calls;
	if (h->calls != NULL)
		h->calls->prev = c;
	h->calls = c;
	h->ncalls++;
	if (cl->multi_add_handle(h->multi, e) != CURLM_OK) {
		log_warnx("http: cannot add transfer");
		call_unlink(c);
		cl->easy_cleanup(e);
		c->easy = NULL;
		call_free(c);
		*err = HTTP_ERR_OTHER;
		return NULL;
	}
	return c;
}

void
http_cancel(struct http_call *c)
{
	if (c == NULL)
		return;
	call_unlink(c);
	call_free(c);
}

size_t
http_pending(const struct http *h)
{
	return h->ncalls;
}

struct http *
http_new(uv_loop_t *loop, const char *ca_file)
{
	struct curlib *cl;
	struct http *h;
	char err[256];

	if (tlsinit(err, sizeof(err)) == -1) {
		log_warnx("http: %s", err);
		return NULL;
	}
	if ((cl = curlib_open(err, sizeof(err))) == NULL) {
		log_warnx("http: %s", err);
		return NULL;
	}
	if (cl->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_warnx("http: curl_global_init failed");
		curlib_close(cl);
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->loop = loop;
	h->c = cl;
	h->ca_file = ca_file != NULL ? xstrdup(ca_file) : NULL;
	if ((h->multi = cl->multi_init()) == NULL) {
		log_warnx("http: curl_multi_init failed");
		free(h->ca_file);
		free(h);
		cl->global_cleanup();
		curlib_close(cl);
		return NULL;
	}
	uv_timer_init(loop, &h->timer);
	h->timer.data = h;
	cl->multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	cl->multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	cl->multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer_set);
	cl->multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

static void
timer_closed(uv_handle_t *hd)
{
	struct http *h = hd->data;

	curlib_close(h->c);
	free(h->ca_file);
	free(h);
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	while (h->calls != NULL)
		http_cancel(h->calls);
	h->c->multi_cleanup(h->multi);
	h->multi = NULL;
	while (h->socks != NULL)
		sock_release(h, h->socks);
	h->c->global_cleanup();
	if (uv_is_closing((uv_handle_t *)&h->timer)) {
		timer_closed((uv_handle_t *)&h->timer);
		return;
	}
	uv_timer_stop(&h->timer);
	uv_close((uv_handle_t *)&h->timer, timer_closed);
}
