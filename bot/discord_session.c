/*
 * discord_session.c -- the gateway session kept across daemon restarts:
 * session id, resume_gateway_url, the last sequence number handled and
 * the bot's own user and application ids, as one small JSON value under
 * the state key "discord-session" (bot/state.c writes it atomically:
 * temporary file, fsync, rename, fsync of the directory).
 *
 * It never stores the token.  Whether Discord still knows the session
 * is only learnt by trying: a stale one costs one INVALID_SESSION and an
 * IDENTIFY (discord.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "discord.h"
#include "log.h"
#include "state.h"
#include "xmalloc.h"

#define KEY		"discord-session"
#define ID_MAX		128
#define URL_MAX		512

/* A string member of o no longer than max, or NULL. */
static const char *
member(const cJSON *o, const char *key, size_t max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v) || v->valuestring == NULL ||
	    v->valuestring[0] == '\0' || strlen(v->valuestring) > max)
		return NULL;
	return v->valuestring;
}

/*
 * discord_session_save() stores gw's session for shard [id, count]
 * (count 0: unsharded).  Returns 0, or -1 after logging (the daemon
 * keeps running; the next restart identifies afresh).
 */
int
discord_session_save(struct state *st, const struct discord_gw *gw,
    int shard_id, int shard_count)
{
	cJSON *o;
	char *text, err[256];
	int rc;

	if (st == NULL || gw->session_id == NULL || gw->seq < 0)
		return 0;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "session_id", gw->session_id);
	if (gw->resume_url != NULL)
		cJSON_AddStringToObject(o, "resume_gateway_url",
		    gw->resume_url);
	cJSON_AddNumberToObject(o, "seq", (double)gw->seq);
	if (gw->user_id != NULL)
		cJSON_AddStringToObject(o, "user_id", gw->user_id);
	if (gw->app_id != NULL)
		cJSON_AddStringToObject(o, "application_id", gw->app_id);
	cJSON_AddNumberToObject(o, "shard_id", shard_id);
	cJSON_AddNumberToObject(o, "shard_count", shard_count);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		fatalx("discord: out of memory");
	rc = state_put(st, KEY, text, strlen(text), err, sizeof(err));
	free(text);
	if (rc != 0)
		log_warnx("discord: session not saved: %s", err);
	return rc;
}

/*
 * discord_session_load() reads the stored session into gw when it was
 * made for the same shard and is well formed.  Returns 1 when loaded
 * (gw->session_id, resume_url, seq, user_id, app_id set), 0 when there
 * is none or it does not fit (logged), -1 when it cannot be read.
 */
int
discord_session_load(struct state *st, struct discord_gw *gw, int shard_id,
    int shard_count)
{
	cJSON *o;
	const cJSON *seq, *sid, *scount;
	const char *id, *url, *user, *app;
	char *text = NULL, err[256];
	size_t len;
	int rc;

	if (st == NULL)
		return 0;
	if ((rc = state_get(st, KEY, &text, &len, err, sizeof(err))) != 0) {
		if (rc < 0)
			log_warnx("discord: stored session not read: %s", err);
		return rc < 0 ? -1 : 0;
	}
	o = cJSON_ParseWithLength(text, len);
	free(text);
	id = member(o, "session_id", ID_MAX);
	url = member(o, "resume_gateway_url", URL_MAX);
	user = member(o, "user_id", ID_MAX);
	app = member(o, "application_id", ID_MAX);
	seq = cJSON_GetObjectItemCaseSensitive(o, "seq");
	sid = cJSON_GetObjectItemCaseSensitive(o, "shard_id");
	scount = cJSON_GetObjectItemCaseSensitive(o, "shard_count");
	if (id == NULL || user == NULL || !cJSON_IsNumber(seq) ||
	    seq->valuedouble < 0 || seq->valuedouble > 9.0e15 ||
	    (url != NULL && !discord_url_loopback_ok(url, "wss://", "ws://"))) {
		log_warnx("discord: stored session is malformed; identifying "
		    "afresh");
		cJSON_Delete(o);
		return 0;
	}
	if (!cJSON_IsNumber(sid) || !cJSON_IsNumber(scount) ||
	    sid->valueint != shard_id || scount->valueint != shard_count) {
		log_info("discord: stored session was for another shard; "
		    "identifying afresh");
		cJSON_Delete(o);
		return 0;
	}
	free(gw->session_id);
	gw->session_id = xstrdup(id);
	free(gw->resume_url);
	gw->resume_url = url != NULL ? xstrdup(url) : NULL;
	free(gw->user_id);
	gw->user_id = xstrdup(user);
	free(gw->app_id);
	gw->app_id = app != NULL ? xstrdup(app) : NULL;
	gw->seq = (long long)seq->valuedouble;
	cJSON_Delete(o);
	return 1;
}

/* Remove the stored session (absent is fine); 0 or -1 after logging. */
int
discord_session_forget(struct state *st)
{
	char err[256];

	if (st == NULL)
		return 0;
	if (state_del(st, KEY, err, sizeof(err)) != 0) {
		log_warnx("discord: stored session not removed: %s", err);
		return -1;
	}
	return 0;
}
