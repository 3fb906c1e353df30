/*
 * discord_ws.c -- the gateway websocket: a libwebsockets 4.1 client on the
 * daemon's libuv loop (a foreign loop), one connection at a time.
 * Frames are reassembled into whole messages up to a size cap; binary or
 * oversized messages close the link.  Outgoing messages are queued and
 * written when lws says the socket is writable.  No protocol knowledge.
 * With zlib-stream compression the server's binary messages are one
 * zlib stream per connection, each payload ending in a sync flush
 * (00 00 ff ff): compressed bytes are collected until that suffix, then
 * inflated into the same capped buffer as a text message.
 *
 * Outgoing buffers may hold the token (IDENTIFY/RESUME): they are wiped.
 *
 * Memory: the context is sized for the one connection it carries (a
 * small fd table, a 16 KiB receive chunk), and the TLS client context
 * looks CA certificates up in OpenSSL's hashed certificate directory when
 * a handshake needs them instead of parsing the whole system bundle up
 * front (about 670 KiB of heap).  Verification is unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <uv.h>
#include <zlib.h>

#include "discord.h"
#include "log.h"
#include "tlsinit.h"
#include "xmalloc.h"

#define OUT_MAX		64	/* queued gateway messages */
#define RX_CHUNK	16384	/* bytes lws hands over per callback */
#define FD_LIMIT	16	/* the link, lws's own pipe, spares */

struct out {
	struct out	*next;
	size_t		 len;
	unsigned char	 buf[];	/* LWS_PRE + payload */
};

struct discord_ws {
	uv_loop_t			*loop;
	struct lws_context		*ctx;
	struct lws			*wsi;
	const struct discord_ws_cb	*cb;
	void				*arg;
	size_t				 max_frame;
	char				*rx;
	size_t				 rx_len, rx_cap;
	int				 rx_discard;	/* until message end */
	int				 compress;	/* zlib-stream */
	z_stream			 zs;		/* one per connection */
	unsigned char			*zin;		/* compressed, pending */
	size_t				 zin_len, zin_cap;
	struct out			*oh, *ot;
	size_t				 nout;
	int				 open;
	int				 close_code;	/* ours, pending */
	int				 peer_code;
	int				 shut;		/* destroying */
	struct lws_context		*alive;		/* NULLed by lws */
	char				 host[256];
	char				 path[1024];
};

static void
out_clear(struct discord_ws *ws)
{
	struct out *o;

	while ((o = ws->oh) != NULL) {
		ws->oh = o->next;
		explicit_bzero(o->buf, LWS_PRE + o->len);
		free(o);
	}
	ws->ot = NULL;
	ws->nout = 0;
}

static void
rx_reset(struct discord_ws *ws)
{
	ws->rx_len = 0;
	ws->rx_discard = 0;
	ws->zin_len = 0;
}

/* Give buffers that grew for one big message back. */
static void
rx_shrink(struct discord_ws *ws)
{
	if (ws->rx_cap > (1u << 16)) {
		free(ws->rx);
		ws->rx = NULL;
		ws->rx_cap = 0;
	}
	if (ws->zin_cap > (1u << 16)) {
		free(ws->zin);
		ws->zin = NULL;
		ws->zin_cap = 0;
	}
}

/* Make room for want bytes plus a NUL in rx; 0, or -1 over the cap. */
static int
rx_room(struct discord_ws *ws, size_t want)
{
	size_t cap;

	if (want > ws->max_frame)
		return -1;
	if (want + 1 <= ws->rx_cap)
		return 0;
	cap = ws->rx_cap ? ws->rx_cap : 4096;
	while (cap < want + 1)
		cap *= 2;
	if (cap > ws->max_frame + 1)
		cap = ws->max_frame + 1;
	ws->rx = xreallocarray(ws->rx, cap, 1);
	ws->rx_cap = cap;
	return 0;
}

/*
 * Inflate the collected compressed bytes into rx (NUL-terminated).
 * Returns 0, -1 when the stream is corrupt, -2 when the message would
 * pass max_frame.
 */
static int
inflate_pending(struct discord_ws *ws)
{
	int rc;

	ws->zs.next_in = ws->zin;
	ws->zs.avail_in = (uInt)ws->zin_len;
	ws->rx_len = 0;
	for (;;) {
		if (rx_room(ws, ws->rx_len + 4096) != 0 &&
		    rx_room(ws, ws->max_frame) != 0)
			return -2;
		if (ws->rx_len >= ws->rx_cap - 1)
			return -2;	/* full at the cap, more to come */
		ws->zs.next_out = (unsigned char *)ws->rx + ws->rx_len;
		ws->zs.avail_out = (uInt)(ws->rx_cap - 1 - ws->rx_len);
		rc = inflate(&ws->zs, Z_SYNC_FLUSH);
		ws->rx_len = ws->rx_cap - 1 - ws->zs.avail_out;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return -1;
		if (ws->zs.avail_in == 0 && ws->zs.avail_out > 0)
			break;
		if (rc == Z_BUF_ERROR && ws->zs.avail_out > 0)
			return -1;
	}
	ws->rx[ws->rx_len] = '\0';
	return 0;
}

/* A chunk of a binary (compressed) message. */
static int
on_receive_z(struct discord_ws *ws, const char *in, size_t len, int last)
{
	static const unsigned char flush[4] = { 0, 0, 0xff, 0xff };
	size_t cap;
	int rc;

	if (!ws->rx_discard && ws->zin_len + len > ws->max_frame) {
		log_warnx("discord: compressed gateway message over %zu "
		    "bytes; reconnecting", ws->max_frame);
		ws->rx_discard = 1;
		ws->cb->too_big(ws->arg, ws->zin_len + len);
	}
	if (ws->rx_discard)
		return 0;
	if (ws->zin_len + len > ws->zin_cap) {
		cap = ws->zin_cap ? ws->zin_cap : 4096;
		while (cap < ws->zin_len + len)
			cap *= 2;
		ws->zin = xreallocarray(ws->zin, cap, 1);
		ws->zin_cap = cap;
	}
	memcpy(ws->zin + ws->zin_len, in, len);
	ws->zin_len += len;
	if (!last || ws->zin_len < 4 ||
	    memcmp(ws->zin + ws->zin_len - 4, flush, 4) != 0)
		return 0;	/* the payload goes on in the next message */
	if ((rc = inflate_pending(ws)) != 0) {
		log_warnx("discord: %s; reconnecting", rc == -2 ?
		    "inflated gateway message too big" :
		    "corrupt compressed gateway data");
		ws->rx_discard = 1;
		ws->cb->too_big(ws->arg, ws->rx_len);
		return 0;
	}
	ws->zin_len = 0;
	ws->cb->message(ws->arg, ws->rx, ws->rx_len);
	ws->rx_len = 0;
	rx_shrink(ws);
	return 0;
}

static void
link_gone(struct discord_ws *ws)
{
	int code = ws->peer_code ? ws->peer_code :
	    (ws->close_code ? ws->close_code : 1006);

	ws->wsi = NULL;
	ws->open = 0;
	ws->close_code = 0;
	ws->peer_code = 0;
	out_clear(ws);
	rx_reset(ws);
	ws->cb->closed(ws->arg, code);
}

/* Append a received chunk; deliver the message when it is complete. */
static int
on_receive(struct discord_ws *ws, struct lws *wsi, const char *in,
    size_t len)
{
	int last = lws_is_final_fragment(wsi) &&
	    lws_remaining_packet_payload(wsi) == 0;

	if (ws->close_code)
		return 0;
	if (ws->compress && lws_frame_is_binary(wsi))
		return on_receive_z(ws, in, len, last);
	if (lws_frame_is_binary(wsi) && !ws->rx_discard) {
		log_warnx("discord: binary gateway frame (compression is "
		    "not enabled); reconnecting");
		ws->rx_discard = 1;
		ws->cb->too_big(ws->arg, len);
	}
	if (!ws->rx_discard && ws->rx_len + len > ws->max_frame) {
		log_warnx("discord: gateway message over %zu bytes; "
		    "reconnecting", ws->max_frame);
		ws->rx_discard = 1;
		ws->cb->too_big(ws->arg, ws->rx_len + len);
	}
	if (!ws->rx_discard) {
		(void)rx_room(ws, ws->rx_len + len);	/* checked above */
		memcpy(ws->rx + ws->rx_len, in, len);
		ws->rx_len += len;
		ws->rx[ws->rx_len] = '\0';
	}
	if (last) {
		if (!ws->rx_discard)
			ws->cb->message(ws->arg, ws->rx, ws->rx_len);
		ws->rx_len = 0;
		ws->rx_discard = 0;
		rx_shrink(ws);
	}
	return 0;
}

static int
on_writeable(struct discord_ws *ws, struct lws *wsi)
{
	struct out *o;
	int n;

	if (ws->close_code) {
		/*
		 * lws 4.1 on libuv kills the socket before writing the close
		 * frame queued by lws_close_reason(): write it ourselves.
		 */
		unsigned char cf[LWS_PRE + 2];

		cf[LWS_PRE] = (unsigned char)(ws->close_code >> 8);
		cf[LWS_PRE + 1] = (unsigned char)(ws->close_code & 0xff);
		if (lws_write(wsi, cf + LWS_PRE, 2,
		    (enum lws_write_protocol)4 /* LWS_WRITE_CLOSE */) < 0)
			log_debug("discord: close frame not written");
		return -1;
	}
	if ((o = ws->oh) == NULL)
		return 0;
	n = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
	ws->oh = o->next;
	if (ws->oh == NULL)
		ws->ot = NULL;
	ws->nout--;
	explicit_bzero(o->buf, LWS_PRE + o->len);
	free(o);
	if (n < 0) {
		log_warnx("discord: gateway write failed");
		return -1;
	}
	if (ws->oh != NULL)
		lws_callback_on_writable(wsi);
	return 0;
}

/*
 * Trust anchors for the gateway's TLS: the certificate directory
 * ($SSL_CERT_DIR or OpenSSL's default), read per certificate on demand.
 * Returns 0, or 1 (lws then fails the context) when it cannot be set.
 */
static int
load_ca_dir(SSL_CTX *ctx)
{
	const char *dir = getenv(X509_get_default_cert_dir_env());

	if (dir == NULL || dir[0] == '\0')
		dir = X509_get_default_cert_dir();
	if (ctx == NULL || SSL_CTX_load_verify_locations(ctx, NULL, dir) != 1) {
		log_warnx("discord: cannot use the CA certificate directory "
		    "%s", dir);
		return 1;
	}
	return 0;
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct discord_ws *ws;
	const unsigned char *c = in;

	if (reason == LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS)
		return load_ca_dir(user);
	ws = lws_context_user(lws_get_context(wsi));
	if (ws == NULL || ws->shut)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		log_warnx("discord: gateway connection failed: %s",
		    in != NULL ? (const char *)in : "unknown error");
		if (ws->wsi != NULL || ws->open)
			link_gone(ws);
		else {
			ws->wsi = NULL;
			ws->cb->closed(ws->arg, 1006);
		}
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		ws->wsi = wsi;
		ws->open = 1;
		rx_reset(ws);
		if (ws->compress && inflateReset(&ws->zs) != Z_OK) {
			log_warnx("discord: cannot reset the zlib stream");
			return -1;
		}
		ws->cb->opened(ws->arg);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return on_receive(ws, wsi, in, len);
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return on_writeable(ws, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2)
			ws->peer_code = (c[0] << 8) | c[1];
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (ws->wsi == wsi)
			link_gone(ws);
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{ "discord-gateway", ws_callback, 0, RX_CHUNK, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void
lws_log_emit(int level, const char *line)
{
	char buf[512];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", line);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (level & LLL_ERR)
		log_warnx("lws: %s", buf);
	else
		log_debug("lws: %s", buf);
}

struct discord_ws *
discord_ws_new(uv_loop_t *loop, const struct discord_ws_cb *cb, void *arg,
    size_t max_frame, int compress)
{
	struct lws_context_creation_info info;
	struct discord_ws *ws;
	void *loops[1];
	char err[128];

	if (tlsinit(err, sizeof(err)) == -1) {	/* before lws's own */
		log_warnx("discord: %s", err);
		return NULL;
	}
	ws = xcalloc(1, sizeof(*ws));
	ws->loop = loop;
	ws->cb = cb;
	ws->arg = arg;
	ws->max_frame = max_frame;
	ws->compress = compress;
	if (compress && inflateInit(&ws->zs) != Z_OK) {
		log_warnx("discord: cannot set up zlib");
		free(ws);
		return NULL;
	}
	lws_set_log_level(getenv("DISCORD_LWS_DEBUG") ? 0x7ff : LLL_ERR, lws_log_emit);
	memset(&info, 0, sizeof(info));
	loops[0] = loop;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
	    LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;	/* see load_ca_dir() */
	info.fd_limit_per_thread = FD_LIMIT;
	info.foreign_loops = loops;
	info.user = ws;
	info.gid = -1;
	info.uid = -1;
	info.pcontext = &ws->alive;
	if ((ws->ctx = lws_create_context(&info)) == NULL) {
		log_warnx("discord: cannot create the websocket context");
		if (compress)
			inflateEnd(&ws->zs);
		free(ws);
		return NULL;
	}
	ws->alive = ws->ctx;
	return ws;
}

/*
 * discord_ws_connect() parses url (ws:// or wss://, host, optional port
 * and path) and starts connecting; ?v=10&encoding=json is appended when
 * the url has no query.  0, or -1 (bad url, already connected).
 */
int
discord_ws_connect(struct discord_ws *ws, const char *url)
{
	struct lws_client_connect_info i;
	const char *h, *p, *colon, *slash;
	int ssl, port, n;
	char *end;
	long lp;

	if (ws->wsi != NULL)
		return -1;
	if (strncmp(url, "wss://", 6) == 0) {
		ssl = 1;
		h = url + 6;
		port = 443;
	} else if (strncmp(url, "ws://", 5) == 0) {
		ssl = 0;
		h = url + 5;
		port = 80;
	} else
		return -1;
	slash = strpbrk(h, "/?");
	if (slash == NULL)
		slash = h + strlen(h);
	colon = memchr(h, ':', (size_t)(slash - h));
	if (colon != NULL) {
		lp = strtol(colon + 1, &end, 10);
		if (end != slash || lp < 1 || lp > 65535)
			return -1;
		port = (int)lp;
	} else
		colon = slash;
	if (colon == h || (size_t)(colon - h) >= sizeof(ws->host))
		return -1;
	memcpy(ws->host, h, (size_t)(colon - h));
	ws->host[colon - h] = '\0';
	p = *slash == '\0' ? "/" : slash;
	if (strchr(p, '?') != NULL)
		n = snprintf(ws->path, sizeof(ws->path), "%s%s",
		    *p == '?' ? "/" : "", p);
	else
		n = snprintf(ws->path, sizeof(ws->path),
		    "%s?v=10&encoding=json", p);
	if (n < 0 || (size_t)n >= sizeof(ws->path))
		return -1;
	if (ws->compress && strstr(ws->path, "compress=") == NULL) {
		size_t used = (size_t)n;

		n = snprintf(ws->path + used, sizeof(ws->path) - used,
		    "&compress=zlib-stream");
		if (n < 0 || (size_t)n >= sizeof(ws->path) - used)
			return -1;
	}
	memset(&i, 0, sizeof(i));
	i.context = ws->ctx;
	i.address = ws->host;
	i.port = port;
	i.ssl_connection = ssl ? LCCSCF_USE_SSL : 0;
	i.path = ws->path;
	i.host = ws->host;
	i.origin = ws->host;
	i.local_protocol_name = protocols[0].name;
	i.pwsi = &ws->wsi;
	ws->close_code = 0;
	ws->peer_code = 0;
	ws->open = 0;
	rx_reset(ws);
	if (lws_client_connect_via_info(&i) == NULL) {
		ws->wsi = NULL;
		return -1;
	}
	return 0;
}

int
discord_ws_send(struct discord_ws *ws, const char *text)
{
	size_t len = strlen(text);
	struct out *o;

	if (ws->wsi == NULL || !ws->open || ws->close_code ||
	    ws->nout >= OUT_MAX)
		return -1;
	o = xmalloc(sizeof(*o) + LWS_PRE + len);
	o->next = NULL;
	o->len = len;
	memcpy(o->buf + LWS_PRE, text, len);
	if (ws->ot != NULL)
		ws->ot->next = o;
	else
		ws->oh = o;
	ws->ot = o;
	ws->nout++;
	lws_callback_on_writable(ws->wsi);
	return 0;
}

/* Close the link with code; closed() follows when it is gone. */
void
discord_ws_close(struct discord_ws *ws, int code)
{
	if (ws->wsi == NULL)
		return;
	out_clear(ws);
	if (!ws->open) {
		lws_set_timeout(ws->wsi, PENDING_TIMEOUT_CLOSE_SEND,
		    LWS_TO_KILL_ASYNC);
		return;
	}
	ws->close_code = code;
	lws_callback_on_writable(ws->wsi);
}

int
discord_ws_is_open(const struct discord_ws *ws)
{
	return ws->open && ws->close_code == 0;
}

/*
 * discord_ws_shutdown() starts destroying the lws context: with a foreign
 * libuv loop, lws closes its handles on the next loop turns, and a second
 * lws_context_destroy() (in discord_ws_free) then frees the rest.
 */
void
discord_ws_shutdown(struct discord_ws *ws)
{
	if (ws == NULL || ws->shut)
		return;
	ws->shut = 1;
	out_clear(ws);
	ws->wsi = NULL;
	ws->open = 0;
	lws_context_destroy(ws->ctx);
}

/* Finish the destroy (after a loop turn when shut down first); free. */
void
discord_ws_free(struct discord_ws *ws)
{
	if (ws == NULL)
		return;
	out_clear(ws);
	ws->wsi = NULL;
	log_debug("discord: lws context %s before free",
	    ws->alive == NULL ? "destroyed" : "alive");
	if (!ws->shut) {
		ws->shut = 1;
		lws_context_destroy(ws->ctx);
	}
	if (ws->alive != NULL)
		lws_context_destroy(ws->ctx);	/* finish a foreign-loop destroy */
	if (ws->compress)
		inflateEnd(&ws->zs);
	free(ws->rx);
	free(ws->zin);
	free(ws);
}
