/*
 * webchat.c -- the web chat platform: a libwebsockets server context on
 * the daemon's libuv loop serving the page (webchat_http.c) and the
 * websocket /ws, subprotocol "faqbot-chat".  Each websocket message is
 * one {"type":"ask"} turned into a struct message for the platform
 * dispatch; replies come back through send() as JSON (webchat_proto.c).
 *
 * DESIGN: lws owns the connections and their per-session memory (struct
 * wc_conn); the platform finds a connection again by its id (the
 * message's room) through a small hash table, so a reply for a visitor
 * who left is simply dropped.  Outgoing messages wait in a per-connection
 * queue (capped) until lws says the socket is writable.  Flood control
 * never hides a crisis reply: a question over the limit is still
 * dispatched (the crisis check runs first), only a non-crisis reply is
 * replaced by a "slow down" error; a connection that keeps flooding is
 * closed (1008).  Nothing about a visitor is logged or kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>

#include <libwebsockets.h>

#include "kbset.h"
#include "log.h"
#include "pipeline.h"
#include "webchat.h"
#include "webchat_int.h"
#include "webchat_limit.h"
#include "webchat_proto.h"
#include "xmalloc.h"

#define WC_PROTOCOL	"faqbot-chat"
#define WC_OUT_CAP	(256u * 1024)	/* queued bytes per connection */
#define WC_STRIKES	20		/* questions over the limit in a row */
#define WC_STOP_POLL_MS	5
#define WC_STOP_MAX_MS	3000
/* lws's private write type for a close frame (roles/ws, 4.1.6) */
#define WC_LWS_WRITE_CLOSE	4

static int	wc_callback(struct lws *wsi, enum lws_callback_reasons reason,
		    void *user, void *in, size_t len);

static struct webchat *
wc_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

static double
wc_now(const struct webchat *wc)
{
	return (double)uv_now(wc->env.loop) / 1000.0;
}

/* ---- connections by id ---- */

static size_t
id_slot(uint64_t id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 52) & (WC_ID_SLOTS - 1);
}

static void
conn_insert(struct webchat *wc, struct wc_conn *c)
{
	size_t s = id_slot(c->id);

	c->hnext = wc->ids[s];
	wc->ids[s] = c;
	wc->nconns++;
}

static void
conn_remove(struct webchat *wc, struct wc_conn *c)
{
	struct wc_conn **pp = &wc->ids[id_slot(c->id)];

	while (*pp != NULL && *pp != c)
		pp = &(*pp)->hnext;
	if (*pp == c) {
		*pp = c->hnext;
		wc->nconns--;
	}
	c->hnext = NULL;
}

/* The open connection named by a room id "w<N>", or NULL. */
static struct wc_conn *
conn_find(struct webchat *wc, const char *room)
{
	struct wc_conn *c;
	unsigned long long id;
	char *end;

	if (room == NULL || room[0] != 'w')
		return NULL;
	errno = 0;
	id = strtoull(room + 1, &end, 10);
	if (errno != 0 || end == room + 1 || *end != '\0')
		return NULL;
	for (c = wc->ids[id_slot(id)]; c != NULL; c = c->hnext)
		if (c->id == id)
			return c;
	return NULL;
}

/* ---- outgoing queue ---- */

/*
 * Queue json (copied) for c and ask lws for a writable callback.  A
 * connection whose queue exceeds WC_OUT_CAP (a reader that does not
 * read) is closed.
 */
static void
conn_queue(struct wc_conn *c, const char *json)
{
	size_t len = strlen(json);
	struct wc_out *o;

	if (c->closing == WC_CLOSE_NOW)
		return;
	if (c->outbytes + len > WC_OUT_CAP) {
		log_warnx("webchat: connection w%llu does not read its "
		    "replies; closing it", (unsigned long long)c->id);
		c->closing = WC_CLOSE_NOW;
		c->close_code = LWS_CLOSE_STATUS_POLICY_VIOLATION;
		lws_callback_on_writable(c->wsi);
		return;
	}
	o = xmalloc(sizeof(*o) + LWS_PRE + len);
	o->next = NULL;
	o->len = len;
	memcpy(o->buf + LWS_PRE, json, len);
	if (c->outtail != NULL)
		c->outtail->next = o;
	else
		c->outq = o;
	c->outtail = o;
	c->outbytes += len;
	lws_callback_on_writable(c->wsi);
}

static void
conn_error(struct wc_conn *c, const char *code, const char *message)
{
	char *json = wcp_error(code, message);

	conn_queue(c, json);
	free(json);
}

/* Send what is queued, then close when asked to. */
static void
conn_close_after(struct wc_conn *c, int code)
{
	if (c->closing == WC_OPEN) {
		c->closing = WC_CLOSE_AFTER;
		c->close_code = code;
	}
	lws_callback_on_writable(c->wsi);
}

static int
conn_writable(struct wc_conn *c)
{
	struct wc_out *o = c->outq;
	int n;

	if (c->closing == WC_CLOSE_NOW || (o == NULL &&
	    c->closing == WC_CLOSE_AFTER)) {
		/*
		 * One write per callback: the close frame gets its own.  It
		 * is written here because Debian's lws 4.1.6 (a _DEBUG build)
		 * closes a libuv connection twice ("uv repeat test") and the
		 * second close drops the frame lws_close_reason() queued.
		 */
		unsigned char cf[LWS_PRE + 2];

		cf[LWS_PRE] = (unsigned char)((c->close_code >> 8) & 0xff);
		cf[LWS_PRE + 1] = (unsigned char)(c->close_code & 0xff);
		(void)lws_write(c->wsi, cf + LWS_PRE, 2,
		    (enum lws_write_protocol)WC_LWS_WRITE_CLOSE);
		return -1;
	}
	if (o == NULL)
		return 0;
	n = lws_write(c->wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
	c->outq = o->next;
	if (c->outq == NULL)
		c->outtail = NULL;
	c->outbytes -= o->len;
	free(o);
	if (n < 0)
		return -1;
	if (c->outq != NULL || c->closing != WC_OPEN)
		lws_callback_on_writable(c->wsi);
	return 0;
}

static void
conn_free_queue(struct wc_conn *c)
{
	struct wc_out *o, *next;

	for (o = c->outq; o != NULL; o = next) {
		next = o->next;
		free(o);
	}
	c->outq = c->outtail = NULL;
	c->outbytes = 0;
	free(c->rx);
	c->rx = NULL;
	c->rxlen = c->rxcap = 0;
}

/* ---- the websocket handshake ---- */

static int
origin_allowed(const struct webchat *wc, const char *origin)
{
	size_t i;

	for (i = 0; i < wc->norigins; i++)
		if (strcmp(wc->origins[i], origin) == 0)
			return 1;
	return 0;
}

/* 1 when the comma-separated header value lists name. */
static int
lists_protocol(const char *value, const char *name)
{
	size_t n = strlen(name);
	const char *p = value;

	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncmp(p, name, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		while (*p != '\0' && *p != ',')
			p++;
	}
	return 0;
}

/*
 * May this upgrade become a chat websocket?  Only at /ws, with the
 * faqbot-chat subprotocol, an allowed Origin, and room under the
 * connection limits.  Returns 0 to accept; refusals are counted.
 */
static int
on_filter(struct webchat *wc, struct lws *wsi)
{
	char buf[512], addr[64];
	struct wcl_ip *ip;

	if (wc->stopping)
		return -1;
	if (lws_hdr_copy(wsi, buf, sizeof(buf), WSI_TOKEN_GET_URI) <= 0 ||
	    strcmp(buf, "/ws") != 0) {
		wc->refused_path++;
		log_debug("webchat: websocket refused: wrong path");
		return -1;
	}
	if (lws_hdr_copy(wsi, buf, sizeof(buf), WSI_TOKEN_PROTOCOL) <= 0 ||
	    !lists_protocol(buf, WC_PROTOCOL)) {
		wc->refused_proto++;
		log_debug("webchat: websocket refused: no %s subprotocol",
		    WC_PROTOCOL);
		return -1;
	}
	if (lws_hdr_copy(wsi, buf, sizeof(buf), WSI_TOKEN_ORIGIN) <= 0 ||
	    !origin_allowed(wc, buf)) {
		wc->refused_origin++;
		log_info("webchat: websocket refused: origin not allowed");
		return -1;
	}
	if (wc->nconns >= (size_t)wc->cfg->max_connections) {
		wc->refused_full++;
		log_warnx("webchat: websocket refused: %zu connections "
		    "(max_connections)", wc->nconns);
		return -1;
	}
	if (lws_get_peer_simple(wsi, addr, sizeof(addr)) == NULL)
		addr[0] = '\0';
	ip = wcl_ip_get(wc->ips, addr, wc->cfg->ip_rate, wc->cfg->ip_burst,
	    wc_now(wc));
	if (ip == NULL || ip->conns >= wc->cfg->max_connections_per_ip) {
		wc->refused_ip++;
		log_info("webchat: websocket refused: too many connections "
		    "from one address");
		return -1;
	}
	return 0;
}

static void
on_established(struct webchat *wc, struct wc_conn *c, struct lws *wsi)
{
	char addr[64];
	char *hello;

	memset(c, 0, sizeof(*c));
	c->is_ws = 1;
	c->wsi = wsi;
	c->id = ++wc->next_id;
	snprintf(c->idstr, sizeof(c->idstr), "w%llu",
	    (unsigned long long)c->id);
	if (lws_get_peer_simple(wsi, addr, sizeof(addr)) == NULL)
		addr[0] = '\0';
	c->ip = wcl_ip_get(wc->ips, addr, wc->cfg->ip_rate,
	    wc->cfg->ip_burst, wc_now(wc));
	if (c->ip != NULL)
		c->ip->conns++;
	conn_insert(wc, c);
	wc->accepted++;
	lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK,
	    (int)wc->cfg->idle_timeout_s);
	log_debug("webchat: w%llu connected (%zu open)",
	    (unsigned long long)c->id, wc->nconns);
	hello = wcp_hello(wc->cfg->title, wc->cfg->greeting);
	conn_queue(c, hello);
	free(hello);
}

static void
on_closed(struct webchat *wc, struct wc_conn *c)
{
	if (!c->is_ws || c->wsi == NULL)
		return;
	conn_remove(wc, c);
	if (c->ip != NULL && c->ip->conns > 0)
		c->ip->conns--;
	c->ip = NULL;
	conn_free_queue(c);
	log_debug("webchat: w%llu closed (%zu open)",
	    (unsigned long long)c->id, wc->nconns);
	c->wsi = NULL;
}

/* ---- questions ---- */

/*
 * One complete message from the page: flood limits, parse, dispatch.
 * Malformed messages get an error reply and count against the limits.
 */
static void
on_message(struct webchat *wc, struct wc_conn *c, const char *buf,
    size_t len)
{
	struct message m;
	double now = wc_now(wc);
	char idbuf[24];
	char *text;
	size_t tlen;
	enum wcp_err e;
	int ok;

	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
	    (int)wc->cfg->idle_timeout_s);
	c->nmsg++;
	ok = wcl_take(&c->bucket, wc->cfg->conn_rate, wc->cfg->conn_burst,
	    now);
	if (ok && c->ip != NULL)
		ok = wcl_take(&c->ip->bucket, wc->cfg->ip_rate,
		    wc->cfg->ip_burst, now);
	if (!ok) {
		wc->flood_limited++;
		if (++c->strikes > WC_STRIKES) {
			log_info("webchat: w%llu keeps flooding; closing it",
			    (unsigned long long)c->id);
			conn_error(c, "flood", "Too many messages; "
			    "the chat was closed. Reload the page to "
			    "start again.");
			conn_close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
			return;
		}
	} else
		c->strikes = 0;
	e = wcp_parse_ask(buf, len, (size_t)wc->cfg->max_message_bytes,
	    &text, &tlen);
	if (e != WCP_OK) {
		wc->bad_messages++;
		conn_error(c, wcp_code(e), wcp_strerror(e));
		return;
	}
	c->limited_msg = ok ? 0 : c->nmsg;
	snprintf(idbuf, sizeof(idbuf), "%lu", c->nmsg);
	memset(&m, 0, sizeof(m));
	m.platform = "webchat";
	m.room = c->idstr;
	m.user = c->idstr;
	m.id = idbuf;
	m.text = text;
	m.len = tlen;
	m.is_dm = 1;
	wc->questions++;
	wc->plat.dispatch(wc->plat.router, &wc->plat, &m);
	free(text);
}

/*
 * A fragment of a message: gathered up to max_message_bytes; beyond
 * that the visitor is told and the connection closed with 1009.
 */
static void
on_receive(struct webchat *wc, struct wc_conn *c, struct lws *wsi,
    const char *in, size_t len)
{
	size_t max = (size_t)wc->cfg->max_message_bytes;

	if (c->closing != WC_OPEN)
		return;
	if (c->rxlen + len > max) {
		wc->too_big++;
		conn_error(c, "too_long", "That message is too long.");
		conn_close_after(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
		free(c->rx);
		c->rx = NULL;
		c->rxlen = c->rxcap = 0;
		return;
	}
	if (c->rxcap < c->rxlen + len + 1) {
		c->rxcap = max + 1;
		c->rx = xreallocarray(c->rx, 1, c->rxcap);
	}
	memcpy(c->rx + c->rxlen, in, len);
	c->rxlen += len;
	if (!lws_is_final_fragment(wsi))
		return;
	if (lws_frame_is_binary(wsi)) {
		wc->bad_messages++;
		conn_error(c, "bad_json", "Send text messages.");
	} else
		on_message(wc, c, c->rx, c->rxlen);
	c->rxlen = 0;
	if (c->rxcap > 1024) {		/* do not keep big buffers idle */
		free(c->rx);
		c->rx = NULL;
		c->rxcap = 0;
	}
}

/* ---- lws glue ---- */

static int
wc_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct webchat *wc = wc_of(wsi);
	struct wc_conn *c = user;

	if (wc == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return wc_http_request(wc, wsi, c, in);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return wc_http_writable(wc, wsi, c);
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return on_filter(wc, wsi) == 0 ? 0 : 1;
	case LWS_CALLBACK_ESTABLISHED:
		on_established(wc, c, wsi);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (c == NULL || !c->is_ws)
			return -1;
		on_receive(wc, c, wsi, in, len);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c == NULL || !c->is_ws)
			return -1;
		return conn_writable(c);
	case LWS_CALLBACK_CLOSED:
		if (c != NULL)
			on_closed(wc, c);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* lws's own log lines (errors only) go to ours. */
static void
wc_lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	(void)level;
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	log_warnx("webchat: lws: %.*s", (int)n, line);
}

/* The default allow-list: the page's own loopback URLs. */
static void
default_origins(struct webchat *wc)
{
	const char *hosts[] = { "127.0.0.1", "localhost", "[::1]", NULL };
	char buf[128];
	size_t i, n = 0;

	wc->origins = xcalloc(5, sizeof(*wc->origins));
	for (i = 0; hosts[i] != NULL; i++) {
		snprintf(buf, sizeof(buf), "http://%s:%d", hosts[i], wc->port);
		wc->origins[n++] = xstrdup(buf);
	}
	if (strcmp(wc->cfg->listen, "127.0.0.1") != 0 &&
	    strcmp(wc->cfg->listen, "::1") != 0 &&
	    strcmp(wc->cfg->listen, "0.0.0.0") != 0 &&
	    strcmp(wc->cfg->listen, "::") != 0) {
		snprintf(buf, sizeof(buf), strchr(wc->cfg->listen, ':') ?
		    "http://[%s]:%d" : "http://%s:%d", wc->cfg->listen,
		    wc->port);
		wc->origins[n++] = xstrdup(buf);
	}
	wc->norigins = n;
}

/*
 * Each websocket is a file descriptor and lws sizes its table from the
 * limit at start: raise the soft limit towards the hard one (systemd
 * gives services 1024 soft) so max_connections can be reached.
 */
static void
raise_fd_limit(const struct webchat *wc)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)wc->cfg->max_connections * 2 + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= want)
		return;
	if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
		want = rl.rlim_max;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("webchat: cannot raise the open files limit");
	else if (rl.rlim_cur < (rlim_t)wc->cfg->max_connections + 64)
		log_warnx("webchat: open files limit %lu is below "
		    "max_connections %ld", (unsigned long)rl.rlim_cur,
		    wc->cfg->max_connections);
}

static int
wc_start(struct platform *p)
{
	struct webchat *wc = p->impl;
	struct lws_context_creation_info info;
	size_t i;

	if (wc_assets_load(wc) == -1)
		return -1;
	raise_fd_limit(wc);
	wc_http_csp(wc);
	lws_set_log_level(LLL_ERR, wc_lws_log);
	memset(&info, 0, sizeof(info));
	wc->protocols[0].name = WC_PROTOCOL;
	wc->protocols[0].callback = wc_callback;
	wc->protocols[0].per_session_data_size = sizeof(struct wc_conn);
	wc->protocols[0].rx_buffer_size = 4096;
	wc->loops[0] = wc->env.loop;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_VALIDATE_UTF8;
	if (strchr(wc->cfg->listen, ':') == NULL)
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.foreign_loops = wc->loops;
	info.port = (int)wc->cfg->port;
	info.iface = wc->cfg->listen;
	info.protocols = wc->protocols;
	info.user = wc;
	info.pcontext = &wc->ctx;
	info.vhost_name = "faqbot-webchat";
	info.timeout_secs = 15;
	info.keepalive_timeout = 5;
	info.max_http_header_data = 4096;
	info.server_string = "faqbot";
	if ((wc->ctx = lws_create_context(&info)) == NULL) {
		log_warnx("webchat: cannot listen on %s port %ld",
		    wc->cfg->listen, wc->cfg->port);
		wc->status = "fatal";
		return -1;
	}
	wc->vhost = lws_get_vhost_by_name(wc->ctx, "faqbot-webchat");
	wc->port = wc->vhost != NULL ?
	    lws_get_vhost_listen_port(wc->vhost) : 0;
	if (wc->cfg->norigins > 0) {
		wc->origins = xcalloc(wc->cfg->norigins + 1,
		    sizeof(*wc->origins));
		for (i = 0; i < wc->cfg->norigins; i++)
			wc->origins[i] = xstrdup(wc->cfg->origins[i]);
		wc->norigins = wc->cfg->norigins;
	} else
		default_origins(wc);
	wc->status = "connected";
	log_info("webchat: listening on http://%s%s%s:%d/",
	    strchr(wc->cfg->listen, ':') ? "[" : "", wc->cfg->listen,
	    strchr(wc->cfg->listen, ':') ? "]" : "", wc->port);
	return 0;
}

/* Does a reply over the flood limit stay hidden?  Crisis never does. */
static int
reply_limited(const struct wc_conn *c, const struct message *msg)
{
	unsigned long n;
	char *end;

	if (c->limited_msg == 0 || msg->id == NULL)
		return 0;
	errno = 0;
	n = strtoul(msg->id, &end, 10);
	return errno == 0 && *end == '\0' && n == c->limited_msg;
}

static int
wc_send(struct platform *p, const struct message *msg, const struct reply *r)
{
	struct webchat *wc = p->impl;
	struct webchat_contact contacts[WEBCHAT_MAX_CONTACTS];
	struct wcp_extra x;
	struct wc_conn *c;
	char *json;

	if ((c = conn_find(wc, msg->room)) == NULL || c->closing != WC_OPEN) {
		log_debug("webchat: reply for a closed connection dropped");
		return 0;
	}
	if (r->kind != REPLY_CRISIS && reply_limited(c, msg)) {
		conn_error(c, "rate_limited", "You are sending messages "
		    "quickly. Please wait a moment before asking again.");
		return 0;
	}
	memset(&x, 0, sizeof(x));
	x.contacts = contacts;
	if (r->kind == REPLY_CRISIS && wc->env.contacts != NULL)
		x.ncontacts = wc->env.contacts(wc->env.arg, r, contacts,
		    WEBCHAT_MAX_CONTACTS);
	if (r->kb != NULL) {
		x.suggest_title = kbset_msg(r->kb, KBSET_MSG_DID_YOU_MEAN);
		x.note = kbset_msg(r->kb, KBSET_MSG_SEE_DOCTOR);
	}
	json = wcp_reply(r, &x);
	conn_queue(c, json);
	free(json);
	wc->replies++;
	return 0;
}

/* The web chat has no moderators' room: the router's log line is it. */
static int
wc_escalate(struct platform *p, const struct escalation *e)
{
	(void)p;
	(void)e;
	return 0;
}

static void
count_closing(uv_handle_t *h, void *arg)
{
	if (uv_is_closing(h))
		(*(int *)arg)++;
}

static void
stop_poll(uv_timer_t *t)
{
	struct webchat *wc = t->data;

	/*
	 * On a foreign loop lws 4.1 finishes a context in steps: the first
	 * lws_context_destroy() starts closing the connections and lws's
	 * uv handles, in a chain of close callbacks.  Once no handle of the
	 * loop is closing any more, each later call advances it until the
	 * context is freed and wc->ctx (pcontext) becomes NULL.  Calling it
	 * earlier frees the context (and unloads lws's uv plugin) under a
	 * pending close callback.
	 */
	if (wc->ctx != NULL) {
		int closing = 0;

		uv_walk(wc->env.loop, count_closing, &closing);
		if (closing == 0)
			lws_context_destroy(wc->ctx);
	}
	if (wc->ctx != NULL && wc->stop_waited < WC_STOP_MAX_MS) {
		wc->stop_waited += WC_STOP_POLL_MS;
		return;
	}
	if (wc->ctx != NULL)
		log_warnx("webchat: libwebsockets did not finish closing");
	uv_timer_stop(t);
	uv_close((uv_handle_t *)t, NULL);
	wc->status = "stopped";
	if (wc->done != NULL)
		wc->done(&wc->plat);
}

/*
 * Stop: close every connection ("going away"; the page reconnects with
 * backoff) and the listener, then wait on the loop for libwebsockets
 * to release its handles before calling done.
 */
static void
wc_stop(struct platform *p, void (*done)(struct platform *))
{
	struct webchat *wc = p->impl;

	wc->stopping = 1;
	wc->done = done;
	if (wc->ctx == NULL) {
		wc->status = "stopped";
		if (done != NULL)
			done(p);
		return;
	}
	lws_context_destroy(wc->ctx);
	uv_timer_init(wc->env.loop, &wc->stop_timer);
	wc->stop_timer.data = wc;
	uv_timer_start(&wc->stop_timer, stop_poll, 0, WC_STOP_POLL_MS);
}

static const char *
wc_status(const struct platform *p)
{
	const struct webchat *wc = p->impl;

	return wc->status;
}

static void
wc_free(struct platform *p)
{
	struct webchat *wc;
	size_t i;

	if (p == NULL)
		return;
	wc = p->impl;
	wc_assets_free(wc);
	for (i = 0; i < wc->norigins; i++)
		free(wc->origins[i]);
	free(wc->origins);
	free(wc->csp);
	wcl_ips_free(wc->ips);
	if (wc->env.arg_free != NULL)
		wc->env.arg_free(wc->env.arg);
	free(wc);
}

static const struct platform_ops webchat_ops = {
	"webchat",
	wc_start,
	wc_send,
	wc_escalate,
	wc_stop,
	wc_status,
	wc_free,
};

struct platform *
webchat_new(const struct webchat_cfg *cfg, const struct webchat_env *env)
{
	struct webchat *wc = xcalloc(1, sizeof(*wc));
	uint64_t salt = 0;

	if (getrandom(&salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
		salt = uv_hrtime() ^ (uint64_t)(uintptr_t)wc;
	wc->cfg = cfg;
	wc->env = *env;
	wc->status = "connecting";
	wc->ips = wcl_ips_new((size_t)cfg->max_connections * 2, salt);
	wc->plat.ops = &webchat_ops;
	wc->plat.impl = wc;
	return &wc->plat;
}

int
webchat_port(const struct platform *p)
{
	const struct webchat *wc = p->impl;

	return wc->port;
}

size_t
webchat_nconns(const struct platform *p)
{
	const struct webchat *wc = p->impl;

	return wc->nconns;
}
