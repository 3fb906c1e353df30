/*
 * discord_gateway.c -- the Discord gateway (v10, JSON) protocol state
 * machine: HELLO, heartbeats and zombie detection, IDENTIFY / RESUME,
 * READY, RECONNECT (op 7), INVALID_SESSION (op 9), sequence numbers and
 * replayed-event de-duplication.
 *
 * It does no I/O: it is fed whole gateway messages and tells its owner
 * (struct discord_gw_sink) what to send, when to heartbeat, when to close
 * and how to reconnect.  That keeps it testable and fuzzable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "discord.h"
#include "log.h"
#include "xmalloc.h"

#define HB_MAX_MS	(10u * 60 * 1000)	/* reject absurd intervals */
#define ID_MAX		128			/* session id, snowflakes */
#define URL_MAX		512

void
discord_gw_init(struct discord_gw *gw, const struct discord_gw_sink *s,
    void *arg, const char *token, uint32_t intents, int shard_id,
    int shard_count)
{
	memset(gw, 0, sizeof(*gw));
	gw->sink = s;
	gw->arg = arg;
	gw->token = token;
	gw->intents = intents;
	gw->shard_id = shard_id;
	gw->shard_count = shard_count;
	gw->seq = -1;
	gw->state = DISCORD_GW_IDLE;
}

void
discord_gw_forget_session(struct discord_gw *gw)
{
	free(gw->session_id);
	gw->session_id = NULL;
	free(gw->resume_url);
	gw->resume_url = NULL;
	gw->seq = -1;
	gw->want_resume = 0;
}

void
discord_gw_reset(struct discord_gw *gw)
{
	discord_gw_forget_session(gw);
	free(gw->user_id);
	gw->user_id = NULL;
	free(gw->app_id);
	gw->app_id = NULL;
	gw->state = DISCORD_GW_IDLE;
}

void
discord_gw_opened(struct discord_gw *gw)
{
	if (gw->state == DISCORD_GW_FATAL)
		return;
	gw->state = DISCORD_GW_HELLO;
	gw->ack_pending = 0;
	gw->hb_interval = 0;
}

/* Close and reconnect as told; the gateway waits for the next HELLO. */
static void
gw_close(struct discord_gw *gw, int code, enum discord_close_action then)
{
	gw->state = DISCORD_GW_IDLE;
	gw->want_resume = (then == DISCORD_CLOSE_RESUME &&
	    gw->session_id != NULL && gw->seq >= 0);
	gw->sink->close(gw->arg, code, then);
}

/* Send a payload holding the token, then wipe the buffer. */
static void
gw_send_secret(struct discord_gw *gw, char *buf, size_t cap)
{
	gw->sink->send(gw->arg, buf, DISCORD_GW_SEND_PAYLOAD);
	explicit_bzero(buf, cap);
	free(buf);
}

static void
gw_identify(struct discord_gw *gw)
{
	char shard[64] = "";
	size_t cap = strlen(gw->token) + 256;
	char *buf = xmalloc(cap);
	int n;

	if (gw->shard_count > 0)
		snprintf(shard, sizeof(shard), ",\"shard\":[%d,%d]",
		    gw->shard_id, gw->shard_count);
	n = snprintf(buf, cap, "{\"op\":2,\"d\":{\"token\":\"%s\","
	    "\"intents\":%u,\"properties\":{\"os\":\"linux\","
	    "\"browser\":\"faqbot\",\"device\":\"faqbot\"}%s}}",
	    gw->token, (unsigned)gw->intents, shard);
	if (n < 0 || (size_t)n >= cap) {	/* cannot happen: sized above */
		explicit_bzero(buf, cap);
		free(buf);
		gw->sink->fatal(gw->arg, "IDENTIFY payload too long");
		return;
	}
	discord_gw_forget_session(gw);
	gw->state = DISCORD_GW_IDENTIFYING;
	gw_send_secret(gw, buf, cap);
}

static void
gw_resume(struct discord_gw *gw)
{
	size_t cap = strlen(gw->token) + strlen(gw->session_id) + 128;
	char *buf = xmalloc(cap);
	int n;

	n = snprintf(buf, cap, "{\"op\":6,\"d\":{\"token\":\"%s\","
	    "\"session_id\":\"%s\",\"seq\":%lld}}", gw->token,
	    gw->session_id, gw->seq);
	if (n < 0 || (size_t)n >= cap) {
		explicit_bzero(buf, cap);
		free(buf);
		gw->sink->fatal(gw->arg, "RESUME payload too long");
		return;
	}
	gw->state = DISCORD_GW_IDENTIFYING;
	gw_send_secret(gw, buf, cap);
}

/* A string field of obj, or NULL when absent, not a string or too long. */
static const char *
jstr(const cJSON *obj, const char *key, size_t max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsString(v) || v->valuestring == NULL ||
	    strlen(v->valuestring) > max)
		return NULL;
	return v->valuestring;
}

static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

static int
on_hello(struct discord_gw *gw, const cJSON *d)
{
	const cJSON *iv = cJSON_GetObjectItemCaseSensitive(d,
	    "heartbeat_interval");
	double jitter;

	if (!cJSON_IsNumber(iv) || iv->valuedouble < 1 ||
	    iv->valuedouble > HB_MAX_MS) {
		log_warnx("discord: HELLO without a usable heartbeat_interval");
		return -1;
	}
	if (gw->state != DISCORD_GW_HELLO) {
		log_warnx("discord: unexpected HELLO");
		return -1;
	}
	gw->hb_interval = (uint64_t)iv->valuedouble;
	jitter = gw->sink->random(gw->arg);
	gw->sink->heartbeat_start(gw->arg,
	    (uint64_t)((double)gw->hb_interval * jitter), gw->hb_interval);
	if (gw->want_resume && gw->session_id != NULL && gw->seq >= 0)
		gw_resume(gw);
	else
		gw_identify(gw);
	return 0;
}

static int
on_ready(struct discord_gw *gw, const cJSON *d)
{
	const char *sid = jstr(d, "session_id", ID_MAX);
	const char *url = jstr(d, "resume_gateway_url", URL_MAX);
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(d, "user");
	const cJSON *app = cJSON_GetObjectItemCaseSensitive(d, "application");
	const char *uid = jstr(user, "id", ID_MAX);

	if (sid == NULL || uid == NULL) {
		log_warnx("discord: READY without session_id or user.id");
		return -1;
	}
	set_str(&gw->session_id, sid);
	set_str(&gw->resume_url, url);
	set_str(&gw->user_id, uid);
	if (jstr(app, "id", ID_MAX) != NULL)
		set_str(&gw->app_id, jstr(app, "id", ID_MAX));
	gw->state = DISCORD_GW_READY;
	gw->sink->ready(gw->arg, 0);
	return 0;
}

static int
on_dispatch(struct discord_gw *gw, const cJSON *root, const cJSON *d)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "s");
	const char *t = jstr(root, "t", 64);

	if (t == NULL)
		return -1;
	if (cJSON_IsNumber(s)) {
		long long sv = (long long)s->valuedouble;

		if (gw->seq >= 0 && sv <= gw->seq &&
		    strcmp(t, "READY") != 0) {
			gw->duplicates++;	/* replayed twice: once only */
			return 0;
		}
		gw->seq = sv;
	}
	gw->dispatches++;
	if (strcmp(t, "READY") == 0)
		return on_ready(gw, d);
	if (strcmp(t, "RESUMED") == 0) {
		gw->state = DISCORD_GW_READY;
		gw->sink->ready(gw->arg, 1);
		return 0;
	}
	if (gw->session_id == NULL)
		return 0;	/* nothing before READY; replays precede RESUMED */
	gw->sink->dispatch(gw->arg, t, d);
	return 0;
}

/*
 * discord_gw_handle() parses one gateway message and acts on it.
 * Returns -1 (and closes with 4000 so that the owner resumes, which
 * replays anything this message may have carried) when it is not JSON,
 * not an object or has no numeric "op".
 */
int
discord_gw_handle(struct discord_gw *gw, const char *text, size_t len)
{
	cJSON *root;
	const cJSON *op, *d;
	int rc = 0;

	if (gw->state == DISCORD_GW_IDLE || gw->state == DISCORD_GW_FATAL)
		return 0;	/* after a close we asked for */
	root = cJSON_ParseWithLength(text, len);
	op = cJSON_GetObjectItemCaseSensitive(root, "op");
	if (root == NULL || !cJSON_IsObject(root) || !cJSON_IsNumber(op)) {
		gw->bad_payloads++;
		log_warnx("discord: malformed gateway payload (%zu bytes); "
		    "reconnecting", len);
		cJSON_Delete(root);
		gw_close(gw, 4000, DISCORD_CLOSE_RESUME);
		return -1;
	}
	d = cJSON_GetObjectItemCaseSensitive(root, "d");
	switch (op->valueint) {
	case 0:
		rc = on_dispatch(gw, root, d);
		break;
	case 1:		/* the server asks for a heartbeat now */
		{
			char buf[64];

			if (gw->seq >= 0)
				snprintf(buf, sizeof(buf),
				    "{\"op\":1,\"d\":%lld}", gw->seq);
			else
				snprintf(buf, sizeof(buf),
				    "{\"op\":1,\"d\":null}");
			gw->heartbeats++;
			gw->sink->send(gw->arg, buf,
			    DISCORD_GW_SEND_HB_ANSWER);
		}
		break;
	case 7:
		log_info("discord: gateway asked to reconnect (op 7)");
		gw_close(gw, 4000, DISCORD_CLOSE_RESUME);
		break;
	case 9:
		if (cJSON_IsTrue(d)) {
			log_info("discord: invalid session (resumable)");
			gw_close(gw, 4000, DISCORD_CLOSE_RESUME);
		} else {
			log_info("discord: invalid session; identifying "
			    "again");
			discord_gw_forget_session(gw);
			gw_close(gw, 4000, DISCORD_CLOSE_NEW_SESSION);
		}
		break;
	case 10:
		rc = on_hello(gw, d);
		break;
	case 11:
		gw->ack_pending = 0;
		gw->acks++;
		break;
	default:
		log_debug("discord: ignoring gateway op %d (%s)",
		    op->valueint, discord_op_str(op->valueint));
		break;
	}
	cJSON_Delete(root);
	if (rc < 0) {
		gw->bad_payloads++;
		gw_close(gw, 4000, DISCORD_CLOSE_RESUME);
	}
	return rc;
}

/*
 * discord_gw_heartbeat_due() sends op 1 with the last sequence number;
 * if the previous heartbeat was never acknowledged the connection is a
 * zombie: close with a non-1000 code and resume.
 */
void
discord_gw_heartbeat_due(struct discord_gw *gw)
{
	char buf[64];

	if (gw->state == DISCORD_GW_IDLE || gw->state == DISCORD_GW_FATAL ||
	    gw->hb_interval == 0)
		return;
	if (gw->ack_pending) {
		log_warnx("discord: no heartbeat ACK; zombie connection, "
		    "reconnecting");
		gw_close(gw, 4000, DISCORD_CLOSE_RESUME);
		return;
	}
	if (gw->seq >= 0)
		snprintf(buf, sizeof(buf), "{\"op\":1,\"d\":%lld}", gw->seq);
	else
		snprintf(buf, sizeof(buf), "{\"op\":1,\"d\":null}");
	gw->ack_pending = 1;
	gw->heartbeats++;
	gw->sink->send(gw->arg, buf, DISCORD_GW_SEND_HEARTBEAT);
}
