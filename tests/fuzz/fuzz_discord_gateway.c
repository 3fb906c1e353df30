/*
 * fuzz_discord_gateway.c -- libFuzzer harness for the Discord gateway
 * payload handler: the input is split on newlines into gateway messages
 * fed to one state machine (socket opened first), with heartbeats due
 * between them; dispatched MESSAGE_CREATE/UPDATE and INTERACTION_CREATE
 * go through the message parsers and the reply renderer.  No crash, no
 * leak, no hang, whatever the input.  Also reads stdin without libFuzzer
 * when built with -DFUZZ_MAIN.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "discord.h"
#include "log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct discord_config *cfg;

static void
s_send(void *arg, const char *json, enum discord_gw_send hb)
{
	(void)arg;
	(void)json;
	(void)hb;
}

static void
s_hb(void *arg, uint64_t first, uint64_t interval)
{
	(void)arg;
	(void)first;
	(void)interval;
}

static void
s_close(void *arg, int code, enum discord_close_action then)
{
	(void)arg;
	(void)code;
	(void)then;
}

static void
s_fatal(void *arg, const char *why)
{
	(void)arg;
	(void)why;
}

static void
s_ready(void *arg, int resumed)
{
	(void)arg;
	(void)resumed;
}

static double
s_random(void *arg)
{
	(void)arg;
	return 0.5;
}

static void
s_dispatch(void *arg, const char *t, const cJSON *d)
{
	struct discord_gw *gw = arg;
	struct discord_incoming in;
	struct message m;
	struct reply r;
	enum discord_in_status st;
	char *content, *body, nonce[DISCORD_NONCE_MAX + 1];

	if (strcmp(t, "INTERACTION_CREATE") == 0)
		st = discord_interaction_parse(d, cfg, &in);
	else
		st = discord_msg_parse(d, cfg, gw->user_id,
		    strcmp(t, "MESSAGE_UPDATE") == 0, &in);
	if (st != DISCORD_IN_OK)
		return;
	discord_incoming_to_message(&in, &m);
	memset(&r, 0, sizeof(r));
	r.kind = REPLY_ANSWER;
	r.body = (char *)(uintptr_t)m.text;
	r.nsources = 1;
	r.sources[0].title = m.user;
	r.sources[0].url = m.text;
	r.disclaimer = m.id;
	content = discord_render(&r, DISCORD_MAX_CONTENT);
	discord_nonce(nonce, DISCORD_NONCE_REPLY, m.id, in.rev);
	if (strlen(nonce) > DISCORD_NONCE_MAX)
		abort();
	body = discord_reply_body(content, m.room, m.id, nonce, 0);
	free(body);
	free(content);
	discord_incoming_free(&in);
}

static const struct discord_gw_sink sink = {
	s_send, s_hb, s_close, s_dispatch, s_fatal, s_ready, s_random,
};

static void
init(void)
{
	struct diag d;
	cJSON *sec;
	void *out = NULL;

	log_init(LOG_LEVEL_ERROR, "fuzz");
	setenv("FUZZ_DISCORD_TOKEN", "fuzz.token-value", 1);
	sec = cJSON_Parse("{\"token_env\":\"FUZZ_DISCORD_TOKEN\","
	    "\"message_content\":true,\"faq_channels\":[\"5\"],"
	    "\"moderators\":{\"users\":[\"1\"],\"roles\":[\"2\"]}}");
	diag_init(&d);
	if (discord_config_parse(sec, "fuzz", &d, &out) != 0)
		abort();
	diag_free(&d);
	cJSON_Delete(sec);
	cfg = out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct discord_gw gw;
	const char *p = (const char *)data, *end = p + size, *nl;

	if (cfg == NULL)
		init();
	discord_gw_init(&gw, &sink, &gw, cfg->token,
	    discord_config_intents(cfg), 0, 0);
	gw.sink = &sink;
	gw.arg = &gw;
	discord_gw_opened(&gw);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (gw.state == DISCORD_GW_IDLE)	/* closed: reconnect */
			discord_gw_opened(&gw);
		discord_gw_handle(&gw, p, (size_t)(nl - p));
		discord_gw_heartbeat_due(&gw);
		p = nl + 1;
	}
	discord_gw_reset(&gw);
	return 0;
}
