/*
 * fuzz_discord_interaction.c -- libFuzzer harness for the Discord
 * interaction handler: the input is an INTERACTION_CREATE (or, when it
 * starts with 'M', a MESSAGE_CREATE) payload "d"; accepted ones become a
 * struct message, are answered through the reply renderer at several
 * length limits, and their REST route is computed.  No crash, no leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "discord.h"
#include "log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct discord_config *cfg;

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
	struct discord_incoming in;
	struct message m;
	struct reply r;
	enum discord_in_status st;
	cJSON *d;
	char *content, *route, path[2300];
	static const size_t limits[] = { 0, 1, 40, DISCORD_MAX_CONTENT };
	size_t i;
	int msg = size > 0 && data[0] == 'M';

	if (cfg == NULL)
		init();
	d = cJSON_ParseWithLength((const char *)data + msg, size - msg);
	if (d == NULL)
		return 0;
	if (msg)
		st = discord_msg_parse(d, cfg, "900", 0, &in);
	else
		st = discord_interaction_parse(d, cfg, &in);
	cJSON_Delete(d);
	if (st != DISCORD_IN_OK)
		return 0;
	discord_incoming_to_message(&in, &m);
	memset(&r, 0, sizeof(r));
	r.kind = REPLY_CRISIS;
	r.body = (char *)(uintptr_t)m.text;
	r.nsuggest = 1;
	r.suggest[0] = m.text;
	r.nsources = 2;
	r.sources[0].title = m.text;
	r.sources[0].url = m.text;
	r.sources[1].publisher = m.user;
	r.footer = (char *)(uintptr_t)m.text;
	r.disclaimer = m.id;
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		content = discord_render(&r, limits[i]);
		if (limits[i] == DISCORD_MAX_CONTENT &&
		    discord_utf8_chars(content, strlen(content)) >
		    DISCORD_MAX_CONTENT + 2 * strlen(m.text) + 64)
			abort();
		free(content);
	}
	snprintf(path, sizeof(path), "/interactions/%s/%s/callback", in.id,
	    in.token != NULL ? in.token : "-");
	route = discord_rest_route("POST", path);
	if (in.token != NULL && strstr(route, in.token) != NULL &&
	    strlen(in.token) > 8)
		abort();	/* tokens never reach a route (logged) */
	free(route);
	discord_incoming_free(&in);
	return 0;
}
