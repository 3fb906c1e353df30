/*
 * http.h -- asynchronous HTTP(S) client on the daemon's libuv loop
 * (libcurl's multi-socket API: one uv_poll_t per socket, one uv_timer_t).
 *
 * Used by the Matrix and Discord adapters for their REST calls.  TLS
 * certificates are always verified (a CA file can be given); plain
 * http:// is refused unless the host is loopback (127.0.0.0/8, ::1,
 * localhost), which is what the tests use.  Redirects are not followed.
 * Response bodies are capped: a body beyond the cap aborts the transfer.
 * Never pass a secret in the URL: URLs may appear in logs.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <uv.h>

struct http;
struct http_call;

enum http_err {
	HTTP_OK = 0,		/* a response arrived (any status) */
	HTTP_ERR_URL,		/* bad URL, or http:// to a non-loopback host */
	HTTP_ERR_DNS,		/* name resolution failed */
	HTTP_ERR_CONNECT,	/* refused / unreachable */
	HTTP_ERR_TLS,		/* handshake or certificate failure */
	HTTP_ERR_TIMEOUT,	/* the request's timeout expired */
	HTTP_ERR_TOO_BIG,	/* body exceeded max_body */
	HTTP_ERR_IO,		/* connection dropped, protocol error */
	HTTP_ERR_OTHER
};

#define HTTP_MAX_WANT	8	/* response headers a request may ask for */

struct http_request {
	const char		*method;	/* "GET", "PUT", "POST", ... */
	const char		*url;
	const char *const	*headers;	/* "Name: value", NULL-ended */
	const char		*body;		/* NULL: none */
	size_t			 body_len;
	long			 timeout_ms;	/* whole transfer; 0: 30 s */
	size_t			 max_body;	/* 0: 1 MiB */
	const char *const	*want;		/* header names, NULL-ended */
};

struct http_response {
	enum http_err	 err;
	const char	*errmsg;	/* curl's detail, for logs */
	long		 status;	/* HTTP status, 0 when err != OK */
	long		 retry_after_ms;/* Retry-After header; -1 absent */
	const char	*want[HTTP_MAX_WANT];	/* values or NULL */
	const char	*body;		/* NUL-terminated, may hold NULs */
	size_t		 len;
};

/* Everything in r is borrowed until the callback returns. */
typedef void (*http_done_fn)(void *arg, const struct http_response *r);

/* http.c */
/*
 * http_new() makes a client on loop; ca_file, copied, is the only CA
 * bundle trusted (NULL: the system store, its hashed directory read per
 * certificate).  Returns NULL after logging when curl cannot be loaded
 * or set up.
 */
struct http	*http_new(uv_loop_t *loop, const char *ca_file);
/*
 * http_free() aborts every pending call without calling their callbacks
 * and closes the handles; the memory goes once the loop has run the
 * close callbacks (at once for handles someone else already closed, as
 * a final uv_walk() does).  NULL ok.  Not from inside an http callback.
 */
void		 http_free(struct http *h);
/*
 * http_start() starts a request; rq and everything it points to is
 * copied.  done(arg, response) is called exactly once, later, from the
 * loop (never from inside http_start), unless the call is cancelled.
 * Returns the call (for http_cancel) or NULL when the URL is refused
 * (err set to HTTP_ERR_URL, done not called).
 */
struct http_call *http_start(struct http *h, const struct http_request *rq,
		    http_done_fn done, void *arg, enum http_err *err);
/* Abort a pending call; its callback is not called. */
void		 http_cancel(struct http_call *c);
/* Number of calls in flight. */
size_t		 http_pending(const struct http *h);
const char	*http_strerror(enum http_err e);
/*
 * 1 when url is https://, or http:// to a loopback host; else 0 (judged
 * by libcurl's own URL parser); -1 after logging when libcurl cannot be
 * loaded.
 */
int		 http_url_allowed(const char *url);
/* Escape s for a URL path segment or query value; caller frees. */
char		*http_escape(const char *s);

#endif /* HTTP_H */
