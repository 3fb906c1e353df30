/*
 * test_discord.c -- the Discord adapter's pure parts: config validation
 * (every error with its key path, loopback-only plain URLs, token file
 * permissions), close-code classes, REST routes (tokens cut), rate-limit
 * identities (route, major parameter, buckets shared by routes), the
 * session kept in the state directory (round trip, shard, bad input), reply
 * rendering within 2000 characters, addressing rules and the gateway
 * state machine (HELLO, IDENTIFY payload, zombie, replay de-duplication).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "diag.h"
#include "discord.h"
#include "log.h"
#include "state.h"

static int
has_diag(const struct diag *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->msgs[i], needle) != NULL)
			return 1;
	return 0;
}

static struct discord_config *
parse(const char *json, struct diag *d)
{
	cJSON *sec = cJSON_Parse(json);
	void *out = NULL;

	diag_init(d);
	discord_config_parse(sec, "f.json", d, &out);
	cJSON_Delete(sec);
	return out;
}

static void
test_config(void)
{
	struct diag d;
	struct discord_config *c;
	char path[] = "/tmp/discord-tokXXXXXX", json[256];
	int fd;

	setenv("TDISCORD", "abc.def-ghi", 1);
	c = parse("{\"token_env\":\"TDISCORD\"}", &d);
	CHECK(c != NULL && d.n == 0);
	if (c != NULL) {
		CHECK_STR(c->api_base, "https://discord.com/api/v10");
		CHECK_STR(c->prefix, "!faq");
		CHECK_INT(discord_config_intents(c), 1 | 1 << 9 | 1 << 12);
	}
	discord_config_free(c);
	diag_free(&d);
	c = parse("{\"token_env\":\"TDISCORD\",\"api_base\":"
	    "\"http://discord.example/api\",\"gateway_url\":\"ws://10.0.0.1\","
	    "\"bogus\":1,\"guild_ids\":[\"12x\"],\"moderators\":{\"users\":"
	    "[1],\"admins\":[]},\"shard\":[2,2],\"faq_channels\":[\"5\"],"
	    "\"defer_ms\":9000}", &d);
	CHECK(c == NULL);
	CHECK(has_diag(&d, "f.json: discord.api_base: must be https://"));
	CHECK(has_diag(&d, "f.json: discord.gateway_url: must be wss://"));
	CHECK(has_diag(&d, "f.json: discord.bogus: unknown key"));
	CHECK(has_diag(&d, "f.json: discord.guild_ids[0]: expected an id"));
	CHECK(has_diag(&d, "f.json: discord.moderators.users[0]"));
	CHECK(has_diag(&d, "f.json: discord.moderators.admins: unknown key"));
	CHECK(has_diag(&d, "f.json: discord.shard:"));
	CHECK(has_diag(&d, "f.json: discord.faq_channels: needs"));
	CHECK(has_diag(&d, "f.json: discord.defer_ms:"));
	CHECK(!has_diag(&d, "abc.def"));	/* token never echoed */
	diag_free(&d);
	c = parse("{}", &d);
	CHECK(c == NULL && has_diag(&d, "exactly one of token_file"));
	diag_free(&d);
	/* token files: group/other readable refused; long tokens fine */
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	for (int i = 0; i < 700; i++)
		CHECK(write(fd, "t", 1) == 1);
	CHECK(write(fd, "\n", 1) == 1);
	close(fd);
	snprintf(json, sizeof(json), "{\"token_file\":\"%s\"}", path);
	chmod(path, 0644);
	c = parse(json, &d);
	CHECK(c == NULL && has_diag(&d, "readable by group or others"));
	diag_free(&d);
	chmod(path, 0600);
	c = parse(json, &d);
	CHECK(c != NULL && strlen(c->token) == 700);
	discord_config_free(c);
	diag_free(&d);
	unlink(path);
	CHECK(discord_url_loopback_ok("http://127.0.0.1:5/api", "https://",
	    "http://"));
	CHECK(discord_url_loopback_ok("http://localhost/api", "https://",
	    "http://"));
	CHECK(!discord_url_loopback_ok("http://127.0.0.1.evil.org/", "https://",
	    "http://"));
	CHECK(!discord_url_loopback_ok("ftp://x", "https://", "http://"));
}

static void
test_close_and_routes(void)
{
	char *r;

	CHECK(discord_close_classify(4004) == DISCORD_CLOSE_FATAL);
	CHECK(discord_close_classify(4014) == DISCORD_CLOSE_FATAL);
	CHECK(discord_close_classify(4010) == DISCORD_CLOSE_FATAL);
	CHECK(discord_close_classify(4009) == DISCORD_CLOSE_NEW_SESSION);
	CHECK(discord_close_classify(4007) == DISCORD_CLOSE_NEW_SESSION);
	CHECK(discord_close_classify(4000) == DISCORD_CLOSE_RESUME);
	CHECK(discord_close_classify(1006) == DISCORD_CLOSE_RESUME);
	CHECK(strstr(discord_close_str(4014), "MESSAGE_CONTENT") != NULL);
	/* reconnect backoff: doubling from min, capped, with jitter */
	CHECK_INT(discord_backoff_ms(0, 1000, 60000, 0.0), 500);
	CHECK_INT(discord_backoff_ms(0, 1000, 60000, 0.999), 999);
	CHECK_INT(discord_backoff_ms(1, 1000, 60000, 0.0), 1000);
	CHECK_INT(discord_backoff_ms(3, 1000, 60000, 0.5), 6000);
	CHECK_INT(discord_backoff_ms(10, 1000, 60000, 0.0), 30000);
	CHECK(discord_backoff_ms(10, 1000, 60000, 0.999) < 60000);
	CHECK(discord_backoff_ms(10, 1000, 60000, 0.999) >= 59900);
	CHECK_INT(discord_backoff_ms(1000, 1000, 60000, 0.0), 30000);
	CHECK(discord_backoff_ms(2, 1000, 60000, 0.1) !=
	    discord_backoff_ms(2, 1000, 60000, 0.9));	/* jittered */
	r = discord_rest_route("POST", "/interactions/123/secret-tok/callback");
	CHECK_STR(r, "POST /interactions/123/{token}/callback");
	free(r);
	r = discord_rest_route("PATCH",
	    "/webhooks/800/secret-tok/messages/@original");
	CHECK_STR(r, "PATCH /webhooks/800/{token}/messages/@original");
	free(r);
	r = discord_rest_route("DELETE", "/channels/5/messages/99");
	CHECK_STR(r, "DELETE /channels/5/messages/{id}");
	free(r);
}

static void
test_buckets(void)
{
	char route[256], major[256], m2[256], small[12];
	struct discord_limits *L = discord_limits_new();
	struct discord_limit *post, *del, *other, *l;

	CHECK_INT(discord_route_split("POST", "/channels/42/messages", route,
	    sizeof(route), major, sizeof(major)), 0);
	CHECK_STR(route, "POST /channels/{major}/messages");
	CHECK_STR(major, "channels/42");
	discord_route_split("DELETE", "/channels/42/messages/99?x=1", route,
	    sizeof(route), major, sizeof(major));
	CHECK_STR(route, "DELETE /channels/{major}/messages/{id}");
	CHECK_STR(major, "channels/42");
	discord_route_split("POST", "/applications/8/guilds/7/commands", route,
	    sizeof(route), major, sizeof(major));
	CHECK_STR(route, "POST /applications/{id}/guilds/{major}/commands");
	CHECK_STR(major, "guilds/7");
	discord_route_split("GET", "/gateway/bot", route, sizeof(route),
	    major, sizeof(major));
	CHECK_STR(route, "GET /gateway/bot");
	CHECK_STR(major, "");
	/* tokens: blanked in the route, hashed (never kept) in the major */
	discord_route_split("PATCH", "/webhooks/8/sEcReT-tok/messages/@original",
	    route, sizeof(route), major, sizeof(major));
	CHECK_STR(route, "PATCH /webhooks/{major}/{token}/messages/@original");
	CHECK(strncmp(major, "webhooks/8/", 11) == 0);
	CHECK(strstr(major, "sEcReT") == NULL && strlen(major) == 27);
	discord_route_split("PATCH", "/webhooks/8/other-tok/messages/@original",
	    route, sizeof(route), m2, sizeof(m2));
	CHECK(strcmp(major, m2) != 0);	/* another token, another limit */
	discord_route_split("POST", "/interactions/5/sEcReT-tok/callback",
	    route, sizeof(route), major, sizeof(major));
	CHECK_STR(route, "POST /interactions/{major}/{token}/callback");
	CHECK(strstr(major, "sEcReT") == NULL);
	CHECK_INT(discord_route_split("POST", "/channels/42/messages", small,
	    sizeof(small), major, sizeof(major)), -1);
	CHECK(strlen(small) < sizeof(small));

	/* before a response, each route has its own limit */
	post = discord_limits_get(L, "POST /c/{major}/m", "channels/1", 0);
	del = discord_limits_get(L, "DELETE /c/{major}/m/{id}", "channels/1",
	    0);
	CHECK(post != del);
	CHECK(discord_limits_get(L, "POST /c/{major}/m", "channels/1", 0) ==
	    post);
	/* both name bucket "abc": one limit per major parameter */
	post = discord_limits_learn(L, "POST /c/{major}/m", "channels/1",
	    "abc", 0);
	del = discord_limits_learn(L, "DELETE /c/{major}/m/{id}",
	    "channels/1", "abc", 0);
	CHECK(post == del);
	CHECK(discord_limits_get(L, "DELETE /c/{major}/m/{id}", "channels/1",
	    0) == post);
	other = discord_limits_get(L, "POST /c/{major}/m", "channels/2", 0);
	CHECK(other != post);
	CHECK_STR(other->name, "abc");
	/* the provisional limits went: abc/1, abc/2 */
	CHECK_INT(discord_limits_count(L), 2);
	/* a route moving to another bucket follows it */
	l = discord_limits_learn(L, "DELETE /c/{major}/m/{id}", "channels/1",
	    "def", 0);
	CHECK(l != post);
	CHECK(discord_limits_get(L, "DELETE /c/{major}/m/{id}", "channels/1",
	    0) == l);
	CHECK(discord_limits_get(L, "POST /c/{major}/m", "channels/1", 0) ==
	    post);
	discord_limits_free(L);
	discord_limits_free(NULL);
}

static void
test_session_store(void)
{
	char dir[] = "/tmp/discord-stateXXXXXX", err[256], *v = NULL;
	struct discord_gw gw, back;
	struct state *st;
	size_t len;

	CHECK(mkdtemp(dir) != NULL);
	st = state_open(dir, err, sizeof(err));
	CHECK(st != NULL);
	if (st == NULL)
		return;
	discord_gw_init(&gw, NULL, NULL, "sEcReT.token", 0, 0, 0);
	discord_gw_init(&back, NULL, NULL, "sEcReT.token", 0, 0, 0);
	CHECK_INT(discord_session_load(st, &back, 0, 0), 0);	/* none */
	gw.session_id = strdup("sess1");
	gw.resume_url = strdup("wss://gateway-resume.example/");
	gw.user_id = strdup("900");
	gw.app_id = strdup("800");
	gw.seq = 41;
	CHECK_INT(discord_session_save(st, &gw, 1, 4), 0);
	CHECK_INT(state_get(st, "discord-session", &v, &len, err,
	    sizeof(err)), 0);
	CHECK(v != NULL && strstr(v, "sEcReT") == NULL);
	free(v);
	CHECK_INT(discord_session_load(st, &back, 0, 0), 0);	/* shard */
	CHECK(back.session_id == NULL);
	CHECK_INT(discord_session_load(st, &back, 1, 4), 1);
	CHECK_STR(back.session_id, "sess1");
	CHECK_STR(back.resume_url, "wss://gateway-resume.example/");
	CHECK_STR(back.user_id, "900");
	CHECK_STR(back.app_id, "800");
	CHECK(back.seq == 41);
	discord_gw_reset(&back);
	/* plain ws:// to another host, or garbage: not used */
	CHECK_INT(state_put(st, "discord-session", "{\"session_id\":\"s\","
	    "\"user_id\":\"9\",\"seq\":3,\"shard_id\":0,\"shard_count\":0,"
	    "\"resume_gateway_url\":\"ws://evil.example/\"}", 111, err,
	    sizeof(err)), 0);
	CHECK_INT(discord_session_load(st, &back, 0, 0), 0);
	CHECK_INT(state_put(st, "discord-session", "{\"seq\":", 7, err,
	    sizeof(err)), 0);
	CHECK_INT(discord_session_load(st, &back, 0, 0), 0);
	CHECK(back.session_id == NULL && back.seq == -1);
	CHECK_INT(discord_session_forget(st), 0);
	CHECK_INT(discord_session_load(st, &back, 0, 0), 0);
	discord_gw_reset(&gw);
	discord_gw_reset(&back);
	state_close(st);
	rmdir(dir);
}

static void
test_render(void)
{
	struct reply r;
	char body[6000], *s;
	size_t i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i + 2 < sizeof(body); i += 2)
		memcpy(body + i, "\xc3\xa9", 2);	/* é: 2 bytes */
	body[i] = '\0';
	r.kind = REPLY_ANSWER;
	r.body = body;
	r.nsources = 1;
	r.sources[0].title = "Leaflet [v2]";
	r.sources[0].publisher = "NHS";
	r.sources[0].url = "https://example.org/a";
	r.footer = "Call 988.";
	r.disclaimer = "Not medical advice.";
	s = discord_render(&r, DISCORD_MAX_CONTENT);
	CHECK(discord_utf8_chars(s, strlen(s)) <= DISCORD_MAX_CONTENT);
	CHECK(strstr(s, "Source: [Leaflet v2](<https://example.org/a>) (NHS)")
	    != NULL);
	CHECK(strstr(s, "Call 988.") != NULL);
	CHECK(strstr(s, "Not medical advice.") != NULL);
	CHECK(strstr(s, "\xe2\x80\xa6") != NULL);	/* shortened, marked */
	free(s);
	r.body = "Short answer.";
	s = discord_render(&r, DISCORD_MAX_CONTENT);
	CHECK(strncmp(s, "Short answer.\n\nSource:", 22) == 0);
	free(s);
	s = discord_reply_body("hi @everyone", "5", "7", NULL, 0);
	CHECK(strstr(s, "\"allowed_mentions\":{\"parse\":[]}") != NULL);
	CHECK(strstr(s, "\"message_id\":\"7\"") != NULL);
	CHECK(strstr(s, "nonce") == NULL);
	free(s);
	s = discord_reply_body("hi", "5", "7", "r7", 0);
	CHECK(strstr(s, "\"nonce\":\"r7\",\"enforce_nonce\":true") != NULL);
	free(s);
}

/*
 * Sources, footer and disclaimer that alone pass the limit (a KB with
 * very long URLs or titles): the links go first, then the end of the
 * sources line; the footer and the disclaimer stay whole, the content
 * within 2000 characters (Discord refuses more: nothing would be sent).
 */
static void
test_render_long_tail(void)
{
	static char url[4][700], title[4][800], big[2600];
	struct reply r;
	char *s;
	size_t i, n;

	memset(&r, 0, sizeof(r));
	r.kind = REPLY_ANSWER;
	r.body = "Answer.";
	r.nsources = 4;
	for (i = 0; i < 4; i++) {
		n = (size_t)snprintf(url[i], sizeof(url[i]),
		    "https://example.org/%zu/", i);
		memset(url[i] + n, 'u', sizeof(url[i]) - n - 1);
		snprintf(title[i], sizeof(title[i]), "Leaflet %zu", i);
		r.sources[i].url = url[i];
		r.sources[i].title = title[i];
	}
	r.footer = "Call 988.";
	r.disclaimer = "Not medical advice.";
	s = discord_render(&r, DISCORD_MAX_CONTENT);
	CHECK(discord_utf8_chars(s, strlen(s)) <= DISCORD_MAX_CONTENT);
	CHECK(strstr(s, "Sources: Leaflet 0; Leaflet 1; Leaflet 2; "
	    "Leaflet 3\nCall 988.\nNot medical advice.") != NULL);
	CHECK(strstr(s, "](<") == NULL);	/* links dropped, not titles */
	CHECK(strncmp(s, "Answer.\n\n", 9) == 0);
	free(s);
	/* titles too long even without links: the sources line is cut */
	for (i = 0; i < 4; i++) {
		memset(title[i], 't', sizeof(title[i]) - 1);
		title[i][0] = (char)('A' + i);
	}
	s = discord_render(&r, DISCORD_MAX_CONTENT);
	CHECK(discord_utf8_chars(s, strlen(s)) <= DISCORD_MAX_CONTENT);
	CHECK(strstr(s, "Sources: Att") != NULL);
	CHECK(strstr(s, "\xe2\x80\xa6\nCall 988.\nNot medical advice.") !=
	    NULL);
	free(s);
	/* a disclaimer longer than a message: still within the limit */
	memset(big, 'd', sizeof(big) - 1);
	r.disclaimer = big;
	s = discord_render(&r, DISCORD_MAX_CONTENT);
	CHECK(discord_utf8_chars(s, strlen(s)) <= DISCORD_MAX_CONTENT);
	free(s);
}

/* Nonces: the same question gives the same nonce, anything else not. */
static void
test_nonce(void)
{
	char a[DISCORD_NONCE_MAX + 1], b[DISCORD_NONCE_MAX + 1];
	const char *big = "18446744073709551615";	/* 20 digits */
	const char *huge = "1234567890123456789012345678901";

	discord_nonce(a, DISCORD_NONCE_REPLY, big, NULL);
	CHECK_STR(a, "r18446744073709551615");
	discord_nonce(b, DISCORD_NONCE_ESCALATION, big, NULL);
	CHECK_STR(b, "e18446744073709551615");
	/* an edit: its own nonce, the same for the same revision */
	discord_nonce(a, DISCORD_NONCE_REPLY, big, "2026-12-05T20:00:00+00:00");
	CHECK(strncmp(a, "rx", 2) == 0 && strlen(a) == 18);
	discord_nonce(b, DISCORD_NONCE_REPLY, big, "2026-12-05T20:00:00+00:00");
	CHECK_STR(a, b);
	discord_nonce(b, DISCORD_NONCE_REPLY, big, "2026-12-05T20:00:01+00:00");
	CHECK(strcmp(a, b) != 0);
	discord_nonce(b, DISCORD_NONCE_ESCALATION, big,
	    "2026-12-05T20:00:00+00:00");
	CHECK(strcmp(a + 1, b + 1) == 0 && b[0] == 'e');
	/* an id too long to fit: hashed, within 25 characters */
	discord_nonce(a, DISCORD_NONCE_REPLY, huge, NULL);
	CHECK(strncmp(a, "rx", 2) == 0 && strlen(a) <= DISCORD_NONCE_MAX);
	discord_nonce(b, DISCORD_NONCE_REPLY, "1234567890123456789012345678902",
	    NULL);
	CHECK(strcmp(a, b) != 0);
}

static void
test_addressing(void)
{
	struct diag d;
	struct discord_config *c;
	struct discord_incoming in;
	cJSON *m;

	c = parse("{\"token_env\":\"TDISCORD\",\"message_content\":true,"
	    "\"moderators\":{\"roles\":[\"42\"]}}", &d);
	diag_free(&d);
	if (c == NULL)
		return;
	m = cJSON_Parse("{\"id\":\"1\",\"channel_id\":\"2\",\"guild_id\":\"3\","
	    "\"author\":{\"id\":\"4\"},\"member\":{\"roles\":[\"42\"]},"
	    "\"content\":\"<@!900>   what is melatonin\"}");
	CHECK(discord_msg_parse(m, c, "900", 0, &in) == DISCORD_IN_OK);
	CHECK_STR(in.text, "what is melatonin");
	CHECK_INT(in.from_moderator, 1);
	CHECK_INT(in.is_dm, 0);
	discord_incoming_free(&in);
	CHECK(discord_msg_parse(m, c, "901", 0, &in) == DISCORD_IN_IGNORED);
	cJSON_Delete(m);
	m = cJSON_Parse("{\"id\":\"1\",\"channel_id\":\"2\",\"author\":{\"id\":"
	    "\"4\",\"bot\":true},\"content\":\"hello\"}");
	CHECK(discord_msg_parse(m, c, "900", 0, &in) == DISCORD_IN_IGNORED);
	cJSON_Delete(m);
	m = cJSON_Parse("{\"id\":\"1\",\"channel_id\":\"2\",\"guild_id\":\"3\","
	    "\"author\":{\"id\":\"4\"},\"content\":\"!faqs not me\"}");
	CHECK(discord_msg_parse(m, c, "900", 0, &in) == DISCORD_IN_IGNORED);
	cJSON_Delete(m);
	discord_config_free(c);
}

/* ---- gateway state machine with a recording sink */

static char sent[8][512];
static int nsent, closes, last_close, readies, dispatched;
static enum discord_close_action last_then;

static void
g_send(void *a, const char *j, enum discord_gw_send hb)
{
	(void)a;
	(void)hb;
	if (nsent < 8)
		snprintf(sent[nsent++], sizeof(sent[0]), "%s", j);
}

static void
g_hb(void *a, uint64_t f, uint64_t i)
{
	(void)a;
	CHECK(f <= i);
}

static void
g_close(void *a, int code, enum discord_close_action t)
{
	(void)a;
	closes++;
	last_close = code;
	last_then = t;
}

static void
g_dispatch(void *a, const char *t, const cJSON *d)
{
	(void)a;
	(void)t;
	(void)d;
	dispatched++;
}

static void
g_fatal(void *a, const char *w)
{
	(void)a;
	(void)w;
}

static void
g_ready(void *a, int r)
{
	(void)a;
	(void)r;
	readies++;
}

static double
g_rand(void *a)
{
	(void)a;
	return 0.25;
}

static const struct discord_gw_sink gsink = { g_send, g_hb, g_close,
    g_dispatch, g_fatal, g_ready, g_rand };

#define FEED(s) discord_gw_handle(&gw, s, strlen(s))

static void
test_gateway(void)
{
	struct discord_gw gw;

	discord_gw_init(&gw, &gsink, NULL, "tok.en", 4609, 1, 4);
	discord_gw_opened(&gw);
	FEED("{\"op\":10,\"d\":{\"heartbeat_interval\":1000}}");
	CHECK_INT(nsent, 1);
	CHECK(strstr(sent[0], "\"op\":2") != NULL &&
	    strstr(sent[0], "\"intents\":4609") != NULL &&
	    strstr(sent[0], "\"shard\":[1,4]") != NULL);
	FEED("{\"op\":0,\"t\":\"READY\",\"s\":1,\"d\":{\"session_id\":\"S\","
	    "\"resume_gateway_url\":\"wss://r\",\"user\":{\"id\":\"9\"}}}");
	CHECK_INT(readies, 1);
	CHECK_STR(gw.session_id, "S");
	FEED("{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":2,\"d\":{}}");
	FEED("{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":2,\"d\":{}}");
	CHECK_INT(dispatched, 1);		/* replay: once */
	CHECK_INT(gw.duplicates, 1);
	discord_gw_heartbeat_due(&gw);
	CHECK(strstr(sent[nsent - 1], "{\"op\":1,\"d\":2}") != NULL);
	FEED("{\"op\":11}");
	discord_gw_heartbeat_due(&gw);
	discord_gw_heartbeat_due(&gw);		/* no ACK: zombie */
	CHECK_INT(closes, 1);
	CHECK(last_close != 1000 && last_then == DISCORD_CLOSE_RESUME);
	discord_gw_opened(&gw);
	nsent = 0;
	FEED("{\"op\":10,\"d\":{\"heartbeat_interval\":1000}}");
	CHECK(nsent == 1 && strstr(sent[0], "\"op\":6") != NULL &&
	    strstr(sent[0], "\"seq\":2") != NULL);
	FEED("{\"op\":9,\"d\":false}");
	CHECK(last_then == DISCORD_CLOSE_NEW_SESSION && gw.session_id == NULL);
	discord_gw_opened(&gw);
	CHECK(FEED("not json") == -1);
	CHECK(last_then == DISCORD_CLOSE_RESUME);
	discord_gw_reset(&gw);
}

int
main(void)
{
	log_init(LOG_LEVEL_ERROR, "test_discord");
	setenv("TDISCORD", "abc.def-ghi", 1);
	test_config();
	test_close_and_routes();
	test_buckets();
	test_session_store();
	test_render();
	test_render_long_tail();
	test_nonce();
	test_addressing();
	test_gateway();
	return CHECK_DONE();
}
