/*
 * matrix_out.c -- the Matrix outbox: every request the adapter makes
 * besides /sync (sends, joins, leaves, DM creation, m.direct), one at a
 * time in order.  A send keeps its txnId across retries, so a retry never
 * double-posts.  429 waits Retry-After / retry_after_ms; 5xx and network
 * errors back off exponentially with jitter; other 4xx drop the request
 * with a log line.  Also the platform's send() and escalate().
 *
 * The since token is saved only once every request queued while handling
 * its batch (and the batches before) has completed: mx_persist().
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "matrix_int.h"
#include "xmalloc.h"

#define OUT_TIMEOUT_MS		30000L
#define OUT_BACKOFF_MIN_MS	500L

static void	out_next(struct matrix *m);
static void	handle_out(struct matrix *m, struct mx_out *o,
		    const struct http_response *r);

static unsigned long long
fnv64(const char *s)
{
	unsigned long long h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

struct mx_out *
mx_out_push(struct matrix *m, enum mx_out_kind kind, const char *room,
    char *body, const char *tag, const char *key)
{
	struct mx_out *o;

	if (m->nout >= MX_MAX_OUT) {
		log_warnx("matrix: outbox full (%d requests): dropping one",
		    MX_MAX_OUT);
		m->n_dropped++;
		free(body);
		return NULL;
	}
	o = xcalloc(1, sizeof(*o));
	o->kind = kind;
	o->room = room != NULL ? xstrdup(room) : NULL;
	o->body = body;
	o->event = tag != NULL ? xstrdup(tag) : NULL;
	o->seq = m->seq;
	if (key != NULL)
		o->txn = xasprintf("fq%016llx", fnv64(key));
	else
		o->txn = xasprintf("fq%lx.%lu", m->txn_base, m->txn_n++);
	if (m->out_tail != NULL)
		m->out_tail->next = o;
	else
		m->out_head = o;
	m->out_tail = o;
	m->nout++;
	mx_out_kick(m);
	return o;
}

void
mx_out_free(struct mx_out *o)
{
	if (o == NULL)
		return;
	free(o->room);
	free(o->txn);
	free(o->body);
	free(o->event);
	free(o->user);
	free(o->extra);
	free(o);
}

/* Pop the head (o) after it completed or was given up. */
void
mx_out_done(struct matrix *m, struct mx_out *o)
{
	struct mx_out *p;
	int pending = 0;

	if (m->out_head != o)
		return;
	m->out_head = o->next;
	if (m->out_head == NULL)
		m->out_tail = NULL;
	m->nout--;
	if (o->event != NULL) {
		for (p = m->out_head; p != NULL; p = p->next)
			if (p->event != NULL && strcmp(p->event, o->event) == 0)
				pending = 1;
		if (!pending)
			mx_seen_add(m, o->event);
	}
	mx_out_free(o);
	mx_persist(m);
}

void
mx_pend_push(struct matrix *m)
{
	if (m->npend == MX_PEND_MAX) {
		free(m->pend[0].since);
		memmove(&m->pend[0], &m->pend[1],
		    (MX_PEND_MAX - 1) * sizeof(m->pend[0]));
		m->npend--;
	}
	m->pend[m->npend].seq = m->seq;
	m->pend[m->npend].since = xstrdup(m->since);
	m->npend++;
	mx_persist(m);
}

void
mx_persist(struct matrix *m)
{
	unsigned long min = ULONG_MAX;
	struct mx_out *o;
	size_t i, k = 0;
	int found = 0;

	for (o = m->out_head; o != NULL; o = o->next)
		if (o->seq < min)
			min = o->seq;
	for (i = 0; i < m->npend; i++)
		if (m->pend[i].seq < min) {
			k = i;
			found = 1;
		}
	if (found) {
		if (m->saved_since == NULL ||
		    strcmp(m->saved_since, m->pend[k].since) != 0) {
			free(m->saved_since);
			m->saved_since = xstrdup(m->pend[k].since);
			m->dirty = 1;
		}
		for (i = 0; i <= k; i++)
			free(m->pend[i].since);
		memmove(&m->pend[0], &m->pend[k + 1],
		    (m->npend - k - 1) * sizeof(m->pend[0]));
		m->npend -= k + 1;
	}
	if (m->dirty && m->state_dir != NULL) {
		if (mx_store_save(m) == 0)
			m->dirty = 0;
	}
}

/* --- the network side --------------------------------------------- */

static long
jitter(long ms)
{
	/* 75% .. 125% of ms, from the clock's low bits */
	unsigned long r = (unsigned long)(uv_hrtime() / 1000) % 501;

	return ms * 3 / 4 + (long)((unsigned long)ms * r / 1000);
}

static void
on_out_timer(uv_timer_t *t)
{
	struct matrix *m = t->data;

	m->out_waiting = 0;
	mx_out_kick(m);
}

static void
out_wait(struct matrix *m, long ms)
{
	m->out_waiting = 1;
	uv_timer_start(&m->out_timer, on_out_timer, (uint64_t)ms, 0);
}

static void
out_backoff(struct matrix *m, const char *why)
{
	long ms;

	m->out_backoff_ms = m->out_backoff_ms == 0 ? OUT_BACKOFF_MIN_MS :
	    m->out_backoff_ms * 2;
	if (m->out_backoff_ms > m->cfg->backoff_max_ms)
		m->out_backoff_ms = m->cfg->backoff_max_ms;
	ms = jitter(m->out_backoff_ms);
	m->n_retries++;
	if (m->hooks.error != NULL)
		m->hooks.error(m->hooks.arg);
	log_warnx("matrix: request failed (%s): retrying in %ld ms", why, ms);
	out_wait(m, ms);
}

/* retry_after_ms from an M_LIMIT_EXCEEDED body; -1 when absent. */
static long
body_retry_after(const char *body, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	const cJSON *v;
	long ms = -1;

	if (j != NULL && cJSON_IsNumber(v =
	    cJSON_GetObjectItemCaseSensitive(j, "retry_after_ms")) &&
	    v->valuedouble >= 0 && v->valuedouble < 86400000.0)
		ms = (long)v->valuedouble;
	cJSON_Delete(j);
	return ms;
}

/* errcode of a Matrix error body, copied into out (empty if none). */
static void
body_errcode(const char *body, size_t len, char *out, size_t outlen)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	const cJSON *v;

	out[0] = '\0';
	if (j != NULL && cJSON_IsString(v =
	    cJSON_GetObjectItemCaseSensitive(j, "errcode")))
		snprintf(out, outlen, "%.63s", v->valuestring);
	cJSON_Delete(j);
}

static void
created_dm(struct matrix *m, struct mx_out *o, const struct http_response *r)
{
	cJSON *j = cJSON_ParseWithLength(r->body, r->len), *u;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "room_id");

	if (!cJSON_IsString(v) || v->valuestring[0] != '!') {
		log_warnx("matrix: createRoom answer without room_id");
		cJSON_Delete(j);
		return;
	}
	mx_dm_add(m, v->valuestring);
	if (m->direct == NULL)
		m->direct = cJSON_CreateObject();
	if (!cJSON_IsArray(u = cJSON_GetObjectItemCaseSensitive(m->direct,
	    o->user)))
		u = cJSON_AddArrayToObject(m->direct, o->user);
	if (u != NULL)
		cJSON_AddItemToArray(u, cJSON_CreateString(v->valuestring));
	/* the message itself, then the m.direct update */
	mx_out_push(m, MX_OUT_SEND, v->valuestring, o->extra, o->event,
	    o->txn);
	o->extra = NULL;
	mx_out_push(m, MX_OUT_DIRECT, NULL,
	    cJSON_PrintUnformatted(m->direct), NULL, NULL);
	cJSON_Delete(j);
}

static void
on_out_done(void *arg, const struct http_response *r)
{
	struct matrix *m = arg;
	struct mx_out *o = m->out_head;

	m->out_call = NULL;
	if (o == NULL || m->state == MX_FATAL)
		return;
	m->out_busy = 1;	/* pushes below must not restart o */
	o->attempts++;
	handle_out(m, o, r);
	m->out_busy = 0;
	if (!m->out_waiting)
		out_next(m);
}

static void
handle_out(struct matrix *m, struct mx_out *o, const struct http_response *r)
{
	char code[64], why[96];
	long wait;

	if (r->err != HTTP_OK) {
		out_backoff(m, http_strerror(r->err));
		return;
	}
	if (r->status >= 200 && r->status < 300) {
		m->out_backoff_ms = 0;
		if (o->kind == MX_OUT_SEND)
			m->n_sent++;
		if (o->kind == MX_OUT_CREATE_DM)
			created_dm(m, o, r);
		mx_out_done(m, o);
		return;
	}
	body_errcode(r->body, r->len, code, sizeof(code));
	if (r->status == 401 || strcmp(code, "M_UNKNOWN_TOKEN") == 0) {
		/* the request stays queued; it goes again after a login */
		if (!mx_relogin(m))
			mx_fatal(m, "the homeserver rejected the access token "
			    "(M_UNKNOWN_TOKEN): create a new access token and "
			    "restart");
		return;
	}
	if (r->status == 429) {
		m->n_ratelimited++;
		wait = r->retry_after_ms;
		if (wait < 0)
			wait = body_retry_after(r->body, r->len);
		if (wait < 0)
			wait = 1000;
		if (wait > m->cfg->backoff_max_ms)
			wait = m->cfg->backoff_max_ms;
		log_info("matrix: rate limited: waiting %ld ms", wait);
		if (m->hooks.ratelimited != NULL)
			m->hooks.ratelimited(m->hooks.arg, wait / 1000.0);
		out_wait(m, wait);
		return;
	}
	if (r->status >= 500 || r->status == 408) {
		snprintf(why, sizeof(why), "HTTP %ld", r->status);
		out_backoff(m, why);
		return;
	}
	log_warnx("matrix: request refused (HTTP %ld %s): giving it up",
	    r->status, code[0] ? code : "no errcode");
	m->n_dropped++;
	m->out_backoff_ms = 0;
	if (m->hooks.error != NULL)
		m->hooks.error(m->hooks.arg);
	mx_out_done(m, o);
}

static void
out_next(struct matrix *m)
{
	if (m->stopping && m->out_head == NULL && m->sync_call == NULL &&
	    m->stop_done != NULL) {
		void (*done)(struct platform *) = m->stop_done;

		m->stop_done = NULL;
		m->state = MX_STOPPED;
		done(&m->plat);
		return;
	}
	mx_out_kick(m);
}

void
mx_out_kick(struct matrix *m)
{
	struct mx_out *o = m->out_head;
	struct http_request rq;
	const char *hdrs[3];
	char *auth, *url, *er, *et, *eu;
	enum http_err err;

	if (m->http == NULL || o == NULL || m->out_call != NULL ||
	    m->out_busy ||
	    m->out_waiting || m->state == MX_FATAL || m->token == NULL)
		return;
	er = http_escape(o->room != NULL ? o->room : "");
	et = http_escape(o->txn);
	eu = http_escape(m->cfg->user_id);
	memset(&rq, 0, sizeof(rq));
	switch (o->kind) {
	case MX_OUT_SEND:
		rq.method = "PUT";
		url = xasprintf("%s/_matrix/client/v3/rooms/%s/send/"
		    "m.room.message/%s", m->cfg->homeserver, er, et);
		break;
	case MX_OUT_JOIN:
		rq.method = "POST";
		url = xasprintf("%s/_matrix/client/v3/rooms/%s/join",
		    m->cfg->homeserver, er);
		break;
	case MX_OUT_LEAVE:
		rq.method = "POST";
		url = xasprintf("%s/_matrix/client/v3/rooms/%s/leave",
		    m->cfg->homeserver, er);
		break;
	case MX_OUT_CREATE_DM:
		rq.method = "POST";
		url = xasprintf("%s/_matrix/client/v3/createRoom",
		    m->cfg->homeserver);
		break;
	case MX_OUT_DIRECT:
	default:
		rq.method = "PUT";
		url = xasprintf("%s/_matrix/client/v3/user/%s/account_data/"
		    "m.direct", m->cfg->homeserver, eu);
		break;
	}
	free(er);
	free(et);
	free(eu);
	auth = xasprintf("Authorization: Bearer %s", m->token);
	hdrs[0] = auth;
	hdrs[1] = "Content-Type: application/json";
	hdrs[2] = NULL;
	rq.url = url;
	rq.headers = hdrs;
	rq.body = o->body;
	rq.body_len = strlen(rq.body != NULL ? rq.body : "");
	rq.timeout_ms = OUT_TIMEOUT_MS;
	rq.max_body = 64 * 1024;
	m->out_call = http_start(m->http, &rq, on_out_done, m, &err);
	explicit_bzero(auth, strlen(auth));
	free(auth);
	free(url);
	if (m->out_call == NULL) {
		log_warnx("matrix: cannot start a request: %s",
		    http_strerror(err));
		out_wait(m, m->cfg->backoff_max_ms);
	}
}

/* --- platform ops ---------------------------------------------------- */

/* A DM room with user that we are in, or NULL. */
static const char *
dm_room_of(const struct matrix *m, const char *user)
{
	const cJSON *rooms, *it;

	if (m->direct == NULL || !cJSON_IsArray(rooms =
	    cJSON_GetObjectItemCaseSensitive(m->direct, user)))
		return NULL;
	cJSON_ArrayForEach(it, rooms)
		if (cJSON_IsString(it) &&
		    mx_room_get((struct matrix *)(uintptr_t)m,
		    it->valuestring, 0) != NULL)
			return it->valuestring;
	return NULL;
}

static int
crisis_by_dm(const struct matrix *m, const char *room)
{
	size_t i;

	for (i = 0; i < m->cfg->nrooms; i++)
		if (strcmp(m->cfg->rooms[i].id, room) == 0 &&
		    m->cfg->rooms[i].crisis_by_dm >= 0)
			return m->cfg->rooms[i].crisis_by_dm;
	return m->cfg->crisis_by_dm;
}

int
mx_send(struct platform *p, const struct message *msg, const struct reply *r)
{
	struct matrix *m = p->impl;
	struct mx_out *o;
	const char *dm;
	char *key, *body;
	cJSON *c, *inv;

	if (r->kind == REPLY_NONE)
		return 0;
	if (msg->room == NULL || msg->id == NULL || msg->user == NULL)
		return -1;
	if (r->kind == REPLY_CRISIS && !msg->is_dm &&
	    crisis_by_dm(m, msg->room)) {
		key = xasprintf("%s#dm", msg->id);
		body = mx_fmt_reply(r, NULL, NULL);
		if ((dm = dm_room_of(m, msg->user)) != NULL) {
			o = mx_out_push(m, MX_OUT_SEND, dm, body, msg->id, key);
		} else {
			c = cJSON_CreateObject();
			inv = cJSON_AddArrayToObject(c, "invite");
			cJSON_AddItemToArray(inv, cJSON_CreateString(msg->user));
			cJSON_AddBoolToObject(c, "is_direct", 1);
			cJSON_AddStringToObject(c, "preset",
			    "trusted_private_chat");
			/* the request goes out later: fill o in now */
			o = mx_out_push(m, MX_OUT_CREATE_DM, NULL,
			    cJSON_PrintUnformatted(c), msg->id, key);
			if (o != NULL) {
				o->user = xstrdup(msg->user);
				o->extra = body;
			} else
				free(body);
			cJSON_Delete(c);
		}
		free(key);
		return o != NULL ? 0 : -1;
	}
	key = xasprintf("%s#r", msg->id);
	o = mx_out_push(m, MX_OUT_SEND, msg->room,
	    mx_fmt_reply(r, msg->id, msg->thread), msg->id, key);
	free(key);
	return o != NULL ? 0 : -1;
}

int
mx_escalate(struct platform *p, const struct escalation *e)
{
	struct matrix *m = p->impl;
	char *key;
	struct mx_out *o;

	if (!e->present)
		return 0;
	if (m->cfg->moderators_room == NULL) {
		log_info("matrix: escalation not delivered: no "
		    "matrix.moderators_room configured");
		return -1;
	}
	key = xasprintf("%s#esc", e->id != NULL ? e->id : "");
	o = mx_out_push(m, MX_OUT_SEND, m->cfg->moderators_room,
	    mx_fmt_escalation(e, m->server), NULL, e->id != NULL ? key : NULL);
	free(key);
	return o != NULL ? 0 : -1;
}
