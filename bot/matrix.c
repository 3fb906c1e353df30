/*
 * matrix.c -- the Matrix platform: start-up (versions, login or token,
 * whoami, filter), the /sync long-poll loop with backoff, and the
 * platform ops.  The sync response handler is matrix_sync.c, requests
 * other than /sync go through the outbox (matrix_out.c).
 *
 * DESIGN: a small state machine of steps, each one HTTP request on the
 * loop; a transient failure (network, 5xx, 429) retries the same step
 * after a wait, an invalid token is fatal at once (exit with a clear
 * message: retrying cannot help).  The since token only moves on disk
 * once a batch's replies are out (mx_persist).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "matrix_int.h"
#include "xmalloc.h"

#define BACKOFF_MIN_MS		1000L
#define STEP_TIMEOUT_MS		30000L
#define SYNC_SLACK_MS		15000L

#define SYNC_FILTER \
    "{\"presence\":{\"not_types\":[\"*\"]}," \
    "\"account_data\":{\"types\":[\"m.direct\"]}," \
    "\"room\":{\"timeline\":{\"limit\":50,\"types\":[\"m.room.message\"," \
    "\"m.room.encrypted\",\"m.room.member\",\"m.room.encryption\"," \
    "\"m.room.power_levels\"]}," \
    "\"state\":{\"types\":[\"m.room.member\",\"m.room.encryption\"," \
    "\"m.room.power_levels\"],\"lazy_load_members\":true}," \
    "\"ephemeral\":{\"not_types\":[\"*\"]}," \
    "\"account_data\":{\"not_types\":[\"*\"]}}}"

static void	step_run(struct matrix *m);

const char *
mx_state_str(enum mx_state s)
{
	switch (s) {
	case MX_CONNECTING:	return "connecting";
	case MX_CONNECTED:	return "connected";
	case MX_BACKOFF:	return "backoff";
	case MX_STOPPED:	return "stopped";
	case MX_FATAL:		return "fatal";
	default:		return "unknown";
	}
}

/* --- rooms ------------------------------------------------------------ */

struct mx_room *
mx_room_get(struct matrix *m, const char *id, int create)
{
	struct mx_room *r;
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < m->nrooms; i++)
		if (strcmp(m->rooms[i].id, id) == 0)
			return &m->rooms[i];
	if (!create)
		return NULL;
	if (m->nrooms >= MX_MAX_ROOMS) {
		log_warnx("matrix: more than %d rooms: ignoring %s",
		    MX_MAX_ROOMS, id);
		return NULL;
	}
	if (m->nrooms == m->caprooms) {
		m->caprooms = m->caprooms ? m->caprooms * 2 : 16;
		m->rooms = xreallocarray(m->rooms, m->caprooms,
		    sizeof(*m->rooms));
	}
	r = &m->rooms[m->nrooms++];
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(id);
	r->joined = -1;
	r->invited = -1;
	return r;
}

void
mx_room_remove(struct matrix *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nrooms; i++) {
		if (strcmp(m->rooms[i].id, id) != 0)
			continue;
		free(m->rooms[i].id);
		cJSON_Delete(m->rooms[i].power);
		m->rooms[i] = m->rooms[--m->nrooms];
		return;
	}
}

int
mx_is_dm_room(const struct matrix *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->ndm; i++)
		if (strcmp(m->dm_rooms[i], id) == 0)
			return 1;
	return 0;
}

void
mx_dm_add(struct matrix *m, const char *room)
{
	if (mx_is_dm_room(m, room) || m->ndm >= MX_MAX_ROOMS)
		return;
	m->dm_rooms = xreallocarray(m->dm_rooms, m->ndm + 1,
	    sizeof(*m->dm_rooms));
	m->dm_rooms[m->ndm++] = xstrdup(room);
	m->dirty = 1;
}

/* --- life cycle -------------------------------------------------------- */

static int	mx_start(struct platform *p);
static void	mx_stop(struct platform *p, void (*done)(struct platform *));
static const char *mx_status(const struct platform *p);
static void	mx_platform_free(struct platform *p);

static const struct platform_ops matrix_ops = {
	"matrix", mx_start, mx_send, mx_escalate, mx_stop, mx_status,
	mx_platform_free
};

struct matrix *
mx_new(struct matrix_config *cfg, const char *state_dir,
    platform_dispatch_fn dispatch, void *router)
{
	struct matrix *m = xcalloc(1, sizeof(*m));
	const char *colon = strchr(cfg->user_id, ':');

	m->plat.ops = &matrix_ops;
	m->plat.impl = m;
	m->plat.dispatch = dispatch;
	m->plat.router = router;
	m->cfg = cfg;
	m->owns_cfg = 1;
	m->state_dir = state_dir != NULL ? xstrdup(state_dir) : NULL;
	m->server = xstrdup(colon != NULL ? colon + 1 : "");
	m->txn_base = (unsigned long)time(NULL) ^
	    ((unsigned long)getpid() << 20);
	m->state = MX_CONNECTING;
	if (mx_store_load(m) == -1)
		log_warnx("matrix: state not loaded: starting afresh");
	m->initial = m->since == NULL;
	m->full_state = !m->initial;
	return m;
}

void
mx_free(struct matrix *m)
{
	struct mx_out *o;
	size_t i;

	if (m == NULL)
		return;
	while ((o = m->out_head) != NULL) {
		m->out_head = o->next;
		mx_out_free(o);
	}
	for (i = 0; i < m->nrooms; i++) {
		free(m->rooms[i].id);
		cJSON_Delete(m->rooms[i].power);
	}
	free(m->rooms);
	for (i = 0; i < m->ndm; i++)
		free(m->dm_rooms[i]);
	free(m->dm_rooms);
	for (i = 0; i < m->nseen; i++)
		free(m->seen[i]);
	for (i = 0; i < m->npend; i++)
		free(m->pend[i].since);
	cJSON_Delete(m->direct);
	mx_secret_free(m->token);
	free(m->filter_id);
	free(m->since);
	free(m->saved_since);
	free(m->server);
	free(m->own_name);
	free(m->state_dir);
	if (m->owns_cfg)
		matrix_config_free(m->cfg);
	free(m);
}

struct platform *
matrix_create(void *cfg, uv_loop_t *loop, const char *state_dir,
    platform_dispatch_fn dispatch, void *router)
{
	struct matrix_config *mc = cfg;
	struct matrix *m;
	struct http *h;

	if ((h = http_new(loop, mc->ca_file)) == NULL)
		return NULL;
	m = mx_new(mc, state_dir, dispatch, router);
	m->loop = loop;
	m->http = h;
	uv_timer_init(loop, &m->sync_timer);
	uv_timer_init(loop, &m->out_timer);
	m->sync_timer.data = m;
	m->out_timer.data = m;
	m->timers_on = 2;
	return &m->plat;
}

void
matrix_set_hooks(struct platform *p, const struct matrix_hooks *h)
{
	struct matrix *m = p->impl;

	m->hooks = *h;
}

static void
timer_closed(uv_handle_t *h)
{
	struct matrix *m = h->data;

	if (--m->timers_on == 0)
		mx_free(m);
}

static void
mx_platform_free(struct platform *p)
{
	struct matrix *m = p->impl;

	if (m->http != NULL) {
		http_free(m->http);
		m->http = NULL;
		m->sync_call = m->out_call = m->step_call = NULL;
	}
	if (m->timers_on == 0) {
		mx_free(m);
		return;
	}
	/* the daemon may have closed every loop handle already */
	if (uv_is_closing((uv_handle_t *)&m->sync_timer))
		timer_closed((uv_handle_t *)&m->sync_timer);
	else
		uv_close((uv_handle_t *)&m->sync_timer, timer_closed);
	if (uv_is_closing((uv_handle_t *)&m->out_timer))
		timer_closed((uv_handle_t *)&m->out_timer);
	else
		uv_close((uv_handle_t *)&m->out_timer, timer_closed);
}

static const char *
mx_status(const struct platform *p)
{
	const struct matrix *m = p->impl;

	return mx_state_str(m->state);
}

static void
mx_stop(struct platform *p, void (*done)(struct platform *))
{
	struct matrix *m = p->impl;

	m->stopping = 1;
	if (m->sync_call != NULL)
		http_cancel(m->sync_call);
	if (m->step_call != NULL)
		http_cancel(m->step_call);
	m->sync_call = m->step_call = NULL;
	if (m->timers_on)
		uv_timer_stop(&m->sync_timer);
	mx_persist(m);
	if (m->out_head == NULL || m->state == MX_FATAL) {
		m->state = MX_STOPPED;
		done(p);
		return;
	}
	log_info("matrix: stopping: %zu request(s) still queued", m->nout);
	m->stop_done = done;
}

/* --- requests of the start-up steps and /sync ------------------------- */

static long
jitter(long ms)
{
	unsigned long r = (unsigned long)(uv_hrtime() / 1000) % 501;

	return ms * 3 / 4 + (long)((unsigned long)ms * r / 1000);
}

static void
on_sync_timer(uv_timer_t *t)
{
	step_run(t->data);
}

/* Wait ms (0: exponential backoff) and run the current step again. */
static void
retry_later(struct matrix *m, long ms, const char *why)
{
	if (ms <= 0) {
		m->backoff_ms = m->backoff_ms == 0 ? BACKOFF_MIN_MS :
		    m->backoff_ms * 2;
		if (m->backoff_ms > m->cfg->backoff_max_ms)
			m->backoff_ms = m->cfg->backoff_max_ms;
		ms = jitter(m->backoff_ms);
		m->state = MX_BACKOFF;
		if (m->hooks.error != NULL)
			m->hooks.error(m->hooks.arg);
	} else if (ms > m->cfg->backoff_max_ms) {
		ms = m->cfg->backoff_max_ms;
	}
	log_warnx("matrix: %s: retrying in %ld ms", why, ms);
	uv_timer_start(&m->sync_timer, on_sync_timer, (uint64_t)ms, 0);
}

void
mx_fatal(struct matrix *m, const char *why)
{
	if (m->state == MX_FATAL)
		return;
	m->state = MX_FATAL;
	if (m->sync_call != NULL)
		http_cancel(m->sync_call);
	if (m->step_call != NULL)
		http_cancel(m->step_call);
	if (m->out_call != NULL)
		http_cancel(m->out_call);
	m->sync_call = m->step_call = m->out_call = NULL;
	if (m->timers_on) {
		uv_timer_stop(&m->sync_timer);
		uv_timer_stop(&m->out_timer);
	}
	if (m->hooks.fatal != NULL)
		m->hooks.fatal(m->hooks.arg, why);
	else
		fatalx("matrix: %s", why);
}

static void
token_rejected(struct matrix *m)
{
	char why[512];

	snprintf(why, sizeof(why), "the homeserver rejected the access "
	    "token for %s (M_UNKNOWN_TOKEN): create a new access token (or "
	    "check matrix.password_file) and restart", m->cfg->user_id);
	mx_fatal(m, why);
}

/*
 * mx_relogin() starts a fresh password login after the homeserver
 * rejected the token: 1 when started, 0 when not possible (no password
 * file, or the last login is less than MX_RELOGIN_MS old: no loop).
 */
int
mx_relogin(struct matrix *m)
{
	uint64_t now = m->loop != NULL ? uv_now(m->loop) : 0;

	if (m->cfg->password_file == NULL || m->state == MX_FATAL ||
	    (m->login_ms != 0 && now - m->login_ms < MX_RELOGIN_MS))
		return 0;
	if (m->step == MX_STEP_LOGIN && m->step_call != NULL)
		return 1;		/* already under way */
	log_warnx("matrix: access token rejected: logging in again");
	mx_secret_free(m->token);
	m->token = NULL;
	if (m->sync_call != NULL)
		http_cancel(m->sync_call);
	if (m->step_call != NULL)
		http_cancel(m->step_call);
	m->sync_call = m->step_call = NULL;
	if (m->timers_on)
		uv_timer_stop(&m->sync_timer);
	m->step = MX_STEP_LOGIN;
	step_run(m);
	return 1;
}

static cJSON *
parse_body(const struct http_response *r)
{
	cJSON *j = cJSON_ParseWithLength(r->body, r->len);

	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * Common handling of a failed response: 1 when the step will be retried
 * (or the process ends), 0 when the caller should look at it.
 */
static int
failed(struct matrix *m, const struct http_response *r, const char *what)
{
	char why[160];
	cJSON *j;
	const char *code;
	long wait;

	if (r->err != HTTP_OK) {
		snprintf(why, sizeof(why), "%s: %s", what,
		    http_strerror(r->err));
		retry_later(m, 0, why);
		return 1;
	}
	if (r->status >= 200 && r->status < 300)
		return 0;
	j = parse_body(r);
	code = j != NULL ? jstr(j, "errcode") : NULL;
	if (r->status == 401 || (code != NULL &&
	    strcmp(code, "M_UNKNOWN_TOKEN") == 0)) {
		cJSON_Delete(j);
		if (m->step == MX_STEP_LOGIN || !mx_relogin(m))
			token_rejected(m);
		return 1;
	}
	if (r->status == 429) {
		m->n_ratelimited++;
		wait = r->retry_after_ms;
		if (wait < 0 && j != NULL && cJSON_IsNumber(
		    cJSON_GetObjectItemCaseSensitive(j, "retry_after_ms")))
			wait = (long)cJSON_GetObjectItemCaseSensitive(j,
			    "retry_after_ms")->valuedouble;
		cJSON_Delete(j);
		snprintf(why, sizeof(why), "%s: rate limited", what);
		if (m->hooks.ratelimited != NULL)
			m->hooks.ratelimited(m->hooks.arg, (wait > 0 ? wait :
			    m->backoff_ms) / 1000.0);
		retry_later(m, wait > 0 ? wait : 0, why);
		return 1;
	}
	cJSON_Delete(j);
	if (r->status >= 500 || r->status == 408) {
		snprintf(why, sizeof(why), "%s: HTTP %ld", what, r->status);
		retry_later(m, 0, why);
		return 1;
	}
	return 0;
}

static void
on_versions(struct matrix *m, const struct http_response *r)
{
	cJSON *j;
	const cJSON *v, *it;
	int ok = 0;

	if (r->status == 200 && (j = parse_body(r)) != NULL) {
		v = cJSON_GetObjectItemCaseSensitive(j, "versions");
		cJSON_ArrayForEach(it, v)
			if (cJSON_IsString(it) &&
			    strncmp(it->valuestring, "v1.", 3) == 0)
				ok = 1;
		cJSON_Delete(j);
	}
	if (!ok)
		log_warnx("matrix: %s does not list a v1.x client-server "
		    "API version: trying anyway", m->cfg->homeserver);
	m->step = m->token != NULL ? MX_STEP_WHOAMI : MX_STEP_LOGIN;
	step_run(m);
}

static void
on_login(struct matrix *m, const struct http_response *r)
{
	cJSON *j = parse_body(r);
	const char *tok = j != NULL ? jstr(j, "access_token") : NULL;

	if (r->status != 200 || tok == NULL || tok[0] == '\0') {
		char why[256];

		cJSON_Delete(j);
		snprintf(why, sizeof(why), "password login for %s failed "
		    "(HTTP %ld): check matrix.password_file", m->cfg->user_id,
		    r->status);
		mx_fatal(m, why);
		return;
	}
	m->token = xstrdup(tok);
	explicit_bzero((void *)(uintptr_t)tok, strlen(tok));
	cJSON_Delete(j);
	if (mx_store_token_save(m, m->token) == -1)
		log_warnx("matrix: access token not saved: the next start "
		    "logs in again");
	log_info("matrix: logged in as %s", m->cfg->user_id);
	m->login_ms = uv_now(m->loop);
	if (m->login_ms == 0)
		m->login_ms = 1;
	mx_out_kick(m);		/* requests that waited for a token */
	m->step = MX_STEP_WHOAMI;
	step_run(m);
}

static void
on_whoami(struct matrix *m, const struct http_response *r)
{
	cJSON *j = parse_body(r);
	const char *uid = j != NULL ? jstr(j, "user_id") : NULL;

	if (r->status != 200 || uid == NULL) {
		cJSON_Delete(j);
		retry_later(m, 0, "whoami: unexpected answer");
		return;
	}
	if (strcmp(uid, m->cfg->user_id) != 0) {
		log_warnx("matrix: the access token belongs to %s, not %s",
		    uid, m->cfg->user_id);
		cJSON_Delete(j);
		mx_fatal(m, "access token for the wrong user: fix "
		    "matrix.user_id or the token");
		return;
	}
	cJSON_Delete(j);
	m->step = MX_STEP_FILTER;
	step_run(m);
}

static void
on_filter(struct matrix *m, const struct http_response *r)
{
	cJSON *j = parse_body(r);
	const char *id = j != NULL ? jstr(j, "filter_id") : NULL;

	free(m->filter_id);
	m->filter_id = NULL;
	if (r->status == 200 && id != NULL && strlen(id) < 256)
		m->filter_id = xstrdup(id);
	else
		log_warnx("matrix: filter not accepted (HTTP %ld): syncing "
		    "without it", r->status);
	cJSON_Delete(j);
	log_info("matrix: %s: syncing%s", m->cfg->user_id,
	    m->initial ? " (first start: old messages are skipped)" :
	    " from the saved position");
	m->step = MX_STEP_SYNC;
	step_run(m);
}

static void
on_sync(struct matrix *m, const struct http_response *r)
{
	if (r->status != 200) {
		char why[64];

		snprintf(why, sizeof(why), "sync: HTTP %ld", r->status);
		retry_later(m, 0, why);
		return;
	}
	m->seq++;
	if (mx_sync_handle(m, r->body, r->len) == -1) {
		m->n_skipped++;
		retry_later(m, 0, "sync: unusable response");
		return;
	}
	if (m->state == MX_BACKOFF && m->hooks.reconnect != NULL)
		m->hooks.reconnect(m->hooks.arg);
	if (m->state != MX_CONNECTED)
		log_info("matrix: connected");
	m->state = MX_CONNECTED;
	m->backoff_ms = 0;
	m->full_state = 0;
	mx_pend_push(m);
	if (!m->stopping)
		step_run(m);
}

static void
on_step_done(void *arg, const struct http_response *r)
{
	struct matrix *m = arg;
	static const char *const names[] = { "versions", "login", "whoami",
	    "filter", "sync" };

	if (m->step == MX_STEP_SYNC)
		m->sync_call = NULL;
	else
		m->step_call = NULL;
	if (m->stopping || m->state == MX_FATAL)
		return;
	if (failed(m, r, names[m->step]))
		return;
	switch (m->step) {
	case MX_STEP_VERSIONS:
		on_versions(m, r);
		break;
	case MX_STEP_LOGIN:
		on_login(m, r);
		break;
	case MX_STEP_WHOAMI:
		on_whoami(m, r);
		break;
	case MX_STEP_FILTER:
		on_filter(m, r);
		break;
	case MX_STEP_SYNC:
		on_sync(m, r);
		break;
	default:
		log_warnx("matrix: unknown step %d", (int)m->step);
		break;
	}
}

static char *
login_body(struct matrix *m)
{
	cJSON *c = cJSON_CreateObject(), *id;
	char *pw, *out;

	if ((pw = mx_secret_file(m->cfg->password_file)) == NULL) {
		cJSON_Delete(c);
		return NULL;
	}
	cJSON_AddStringToObject(c, "type", "m.login.password");
	id = cJSON_AddObjectToObject(c, "identifier");
	cJSON_AddStringToObject(id, "type", "m.id.user");
	cJSON_AddStringToObject(id, "user", m->cfg->user_id);
	cJSON_AddStringToObject(c, "password", pw);
	cJSON_AddStringToObject(c, "device_id", m->cfg->device_id);
	cJSON_AddStringToObject(c, "initial_device_display_name", "faqbot");
	mx_secret_free(pw);
	out = cJSON_PrintUnformatted(c);
	/* wipe the copy of the password held by the tree */
	pw = cJSON_GetObjectItemCaseSensitive(c, "password")->valuestring;
	explicit_bzero(pw, strlen(pw));
	cJSON_Delete(c);
	if (out == NULL)
		fatalx("matrix: out of memory");
	return out;
}

static void
step_run(struct matrix *m)
{
	struct http_request rq;
	const char *hdrs[3];
	char *url = NULL, *auth = NULL, *body = NULL, *eu, *es, *ef;
	struct http_call **slot;
	enum http_err err;

	if (m->stopping || m->http == NULL)
		return;
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.timeout_ms = STEP_TIMEOUT_MS;
	rq.max_body = 64 * 1024;
	slot = &m->step_call;
	switch (m->step) {
	case MX_STEP_VERSIONS:
		url = xasprintf("%s/_matrix/client/versions",
		    m->cfg->homeserver);
		break;
	case MX_STEP_LOGIN:
		if (m->cfg->password_file == NULL) {
			token_rejected(m);
			return;
		}
		if ((body = login_body(m)) == NULL) {
			mx_fatal(m, "cannot read matrix.password_file");
			return;
		}
		rq.method = "POST";
		url = xasprintf("%s/_matrix/client/v3/login",
		    m->cfg->homeserver);
		break;
	case MX_STEP_WHOAMI:
		url = xasprintf("%s/_matrix/client/v3/account/whoami",
		    m->cfg->homeserver);
		break;
	case MX_STEP_FILTER:
		eu = http_escape(m->cfg->user_id);
		url = xasprintf("%s/_matrix/client/v3/user/%s/filter",
		    m->cfg->homeserver, eu);
		free(eu);
		rq.method = "POST";
		body = xstrdup(SYNC_FILTER);
		break;
	case MX_STEP_SYNC:
	default:
		slot = &m->sync_call;
		ef = http_escape(m->filter_id != NULL ? m->filter_id : "");
		es = http_escape(m->since != NULL ? m->since : "");
		url = xasprintf("%s/_matrix/client/v3/sync?timeout=%ld%s%s%s%s"
		    "%s", m->cfg->homeserver,
		    m->initial ? 0L : m->cfg->sync_timeout_ms,
		    m->filter_id != NULL ? "&filter=" : "", ef,
		    m->since != NULL ? "&since=" : "", es,
		    m->full_state ? "&full_state=true" : "");
		free(ef);
		free(es);
		rq.timeout_ms = m->cfg->sync_timeout_ms + SYNC_SLACK_MS;
		rq.max_body = MX_SYNC_MAX_BYTES;
		break;
	}
	hdrs[0] = "Content-Type: application/json";
	hdrs[1] = NULL;
	if (m->token != NULL && m->step != MX_STEP_LOGIN) {
		auth = xasprintf("Authorization: Bearer %s", m->token);
		hdrs[1] = auth;
		hdrs[2] = NULL;
	}
	rq.url = url;
	rq.headers = hdrs;
	rq.body = body;
	rq.body_len = body != NULL ? strlen(body) : 0;
	*slot = http_start(m->http, &rq, on_step_done, m, &err);
	if (auth != NULL) {
		explicit_bzero(auth, strlen(auth));
		free(auth);
	}
	if (body != NULL) {
		explicit_bzero(body, strlen(body));
		free(body);
	}
	free(url);
	if (*slot == NULL) {
		char why[256];

		snprintf(why, sizeof(why), "cannot make requests to the "
		    "homeserver: %s", http_strerror(err));
		mx_fatal(m, why);
	}
}

static char *
read_token(struct matrix *m)
{
	const struct matrix_config *c = m->cfg;
	const char *dir, *v;
	char path[4096];
	int n;

	if (c->token_file != NULL)
		return mx_secret_file(c->token_file);
	if (c->token_credential != NULL) {
		if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL) {
			log_warnx("matrix: matrix.token_credential set but "
			    "$CREDENTIALS_DIRECTORY is not (LoadCredential=)");
			return NULL;
		}
		n = snprintf(path, sizeof(path), "%s/%s", dir,
		    c->token_credential);
		if (n < 0 || (size_t)n >= sizeof(path))
			return NULL;
		return mx_secret_file(path);
	}
	if (c->token_env != NULL) {
		if ((v = getenv(c->token_env)) == NULL || v[0] == '\0') {
			log_warnx("matrix: environment variable %s is not "
			    "set", c->token_env);
			return NULL;
		}
		return xstrdup(v);
	}
	return mx_store_token_load(m);	/* password login saved one */
}

static int
mx_start(struct platform *p)
{
	struct matrix *m = p->impl;

	m->token = read_token(m);
	if (m->token == NULL && m->cfg->password_file == NULL) {
		log_warnx("matrix: no access token: not starting");
		m->state = MX_FATAL;
		return -1;
	}
	log_info("matrix: connecting to %s as %s", m->cfg->homeserver,
	    m->cfg->user_id);
	m->state = MX_CONNECTING;
	m->step = MX_STEP_VERSIONS;
	step_run(m);
	return 0;
}
