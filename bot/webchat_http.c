/*
 * webchat_http.c -- the web chat's page over plain HTTP: GET / (also
 * /index.html), /app.js and /style.css from assets_dir, read once at
 * start; 404 for anything else, 405 for other methods.  Every response
 * carries the strict Content-Security-Policy, nosniff, no-referrer and
 * no cookies.  The websocket side is webchat.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "log.h"
#include "webchat_int.h"
#include "xmalloc.h"

static const struct {
	const char	*path, *file, *type;
} asset_table[WC_NASSETS] = {
	{ "/", "index.html", "text/html; charset=utf-8" },
	{ "/app.js", "app.js", "text/javascript; charset=utf-8" },
	{ "/style.css", "style.css", "text/css; charset=utf-8" },
};

static const char not_found[] = "not found\n";
static const char not_allowed[] = "method not allowed\n";

/* Read dir/name (at most WEBCHAT_MAX_ASSET bytes) after LWS_PRE bytes. */
static int
read_asset(const char *dir, struct wc_asset *a)
{
	char path[4096];
	FILE *f;
	size_t n;
	int len;

	len = snprintf(path, sizeof(path), "%s/%s", dir, a->file);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		log_warnx("webchat: assets_dir path too long");
		return -1;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		log_warn("webchat: %s", path);
		return -1;
	}
	a->mem = xmalloc(LWS_PRE + WEBCHAT_MAX_ASSET + 1);
	n = fread(a->mem + LWS_PRE, 1, WEBCHAT_MAX_ASSET + 1, f);
	if (ferror(f)) {
		log_warn("webchat: %s: read", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (n > WEBCHAT_MAX_ASSET) {
		log_warnx("webchat: %s: larger than %d bytes", path,
		    WEBCHAT_MAX_ASSET);
		return -1;
	}
	a->mem = xreallocarray(a->mem, 1, LWS_PRE + n + 1);
	a->len = n;
	return 0;
}

int
wc_assets_load(struct webchat *wc)
{
	size_t i;

	for (i = 0; i < WC_NASSETS; i++) {
		wc->assets[i].path = asset_table[i].path;
		wc->assets[i].file = asset_table[i].file;
		wc->assets[i].type = asset_table[i].type;
		if (read_asset(wc->cfg->assets_dir, &wc->assets[i]) == -1) {
			log_warnx("webchat: cannot read the page from "
			    "assets_dir \"%s\"", wc->cfg->assets_dir);
			return -1;
		}
	}
	return 0;
}

void
wc_assets_free(struct webchat *wc)
{
	size_t i;

	for (i = 0; i < WC_NASSETS; i++) {
		free(wc->assets[i].mem);
		wc->assets[i].mem = NULL;
	}
}

void
wc_http_csp(struct webchat *wc)
{
	free(wc->csp);
	wc->csp = xasprintf("default-src 'none'; script-src 'self'; "
	    "style-src 'self'; connect-src 'self'; img-src 'self'; "
	    "base-uri 'none'; form-action 'none'; frame-ancestors %s",
	    wc->cfg->frame_ancestors);
}

static int
add_header(struct lws *wsi, const char *name, const char *value,
    unsigned char **p, unsigned char *end)
{
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
	    (const unsigned char *)value, (int)strlen(value), p, end);
}

/*
 * Write the status line and headers for a body of len bytes of type;
 * the body follows from the writable callback.  0, or -1 to close.
 */
static int
respond(struct webchat *wc, struct lws *wsi, struct wc_conn *c,
    unsigned status, const char *type, const unsigned char *body,
    size_t len)
{
	unsigned char buf[LWS_PRE + 4096];
	unsigned char *start = buf + LWS_PRE, *p = start;
	unsigned char *end = buf + sizeof(buf) - 1;

	if (lws_add_http_common_headers(wsi, status, type, len, &p, end) ||
	    add_header(wsi, "content-security-policy:", wc->csp, &p, end) ||
	    add_header(wsi, "x-content-type-options:", "nosniff", &p, end) ||
	    add_header(wsi, "referrer-policy:", "no-referrer", &p, end) ||
	    add_header(wsi, "cache-control:", "no-cache", &p, end) ||
	    add_header(wsi, "cross-origin-opener-policy:", "same-origin", &p,
	    end) ||
	    (strcmp(wc->cfg->frame_ancestors, "'none'") == 0 &&
	    add_header(wsi, "x-frame-options:", "DENY", &p, end)) ||
	    (status == HTTP_STATUS_METHOD_NOT_ALLOWED &&
	    add_header(wsi, "allow:", "GET", &p, end)) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	c->body = body;
	c->body_len = len;
	c->pending = 1;
	lws_callback_on_writable(wsi);
	return 0;
}

int
wc_http_request(struct webchat *wc, struct lws *wsi, struct wc_conn *c,
    const char *path)
{
	size_t i;

	if (c == NULL || wc->stopping)
		return -1;
	memset(c, 0, sizeof(*c));
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0)
		return respond(wc, wsi, c, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "text/plain; charset=utf-8",
		    (const unsigned char *)not_allowed, sizeof(not_allowed) - 1);
	if (path != NULL && strcmp(path, "/index.html") == 0)
		path = "/";
	/* browsers ask for it on their own: no icon, and no 404 noise */
	if (path != NULL && strcmp(path, "/favicon.ico") == 0)
		return respond(wc, wsi, c, HTTP_STATUS_NO_CONTENT,
		    "image/x-icon", NULL, 0);
	for (i = 0; path != NULL && i < WC_NASSETS; i++)
		if (strcmp(path, wc->assets[i].path) == 0)
			return respond(wc, wsi, c, HTTP_STATUS_OK,
			    wc->assets[i].type, wc->assets[i].mem + LWS_PRE,
			    wc->assets[i].len);
	return respond(wc, wsi, c, HTTP_STATUS_NOT_FOUND,
	    "text/plain; charset=utf-8", (const unsigned char *)not_found,
	    sizeof(not_found) - 1);
}

int
wc_http_writable(struct webchat *wc, struct lws *wsi, struct wc_conn *c)
{
	unsigned char small[LWS_PRE + 64];
	unsigned char *out;

	(void)wc;
	if (c == NULL || !c->pending)
		return 0;
	/* lws may write framing into the LWS_PRE bytes before the body:
	 * the assets have that headroom; the short texts are copied */
	if (c->body_len < sizeof(small) - LWS_PRE) {
		if (c->body_len > 0)
			memcpy(small + LWS_PRE, c->body, c->body_len);
		out = small + LWS_PRE;
	} else
		out = (unsigned char *)(uintptr_t)c->body;
	if (lws_write(wsi, out, c->body_len, LWS_WRITE_HTTP_FINAL) !=
	    (int)c->body_len)
		return -1;
	c->body = NULL;
	c->pending = 0;
	if (lws_http_transaction_completed(wsi))
		return -1;
	return 0;
}
