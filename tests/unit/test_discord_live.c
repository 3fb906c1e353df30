/*
 * test_discord_live.c -- the Discord adapter against the Discord test
 * double (tests/doubles/discord_double.py) on loopback: identify, ready,
 * replies, slash commands, heartbeats, zombie detection, op 7 / op 9,
 * close codes, resume with replay, rate limits (incl. two routes sharing
 * one bucket), bad frames, moderators, escalation, zlib-stream transport
 * compression (replies, the inflated-size cap, corrupt data), reply
 * nonces (enforce_nonce) and interactions under a global 429.  A fake
 * router stands in for the daemon's pipeline.
 * Every wait is on an event from the double, bounded by a deadline.
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "check.h"
#include "diag.h"
#include "discord.h"
#include "log.h"

#define BOT	"900000000000000001"
#define APP	"800000000000000001"
#define GUILD	"700000000000000001"
#define CHAN	"600000000000000001"
#define CHAN2	"600000000000000002"
#define CHAN3	"600000000000000003"
#define MODCH	"600000000000000099"
#define FAQCH	"600000000000000050"
#define MODUSER	"500000000000000001"
#define MODROLE	"400000000000000001"
#define USER	"500000000000000077"

struct got {			/* one message the router received */
	char	*text, *id;
	int	 is_edit, from_moderator, is_dm;
};

typedef int (*pred_fn)(const cJSON *e, const void *arg);

struct harness {
	uv_loop_t	 loop;
	pid_t		 pid;
	int		 to_double, from_double;
	uv_poll_t	 poll;
	char		 line[1 << 20];
	size_t		 llen;
	cJSON		**ev;
	size_t		 nev, cap;
	int		 port;
	struct platform	*p;
	struct got	 got[256];
	size_t		 ngot;
	int		 stopped;
	uv_prepare_t	 prep;		/* ends a blocking turn when done */
	int		(*done)(void);
	size_t		 w_from;
	pred_fn		 w_pred;
	const void	*w_arg;
	const char	*w_status;
	const struct message *slow_msg;
	char		 slow_id[32];
	char		 slow_room[32];
};

static struct harness H;

static void
on_line(const char *s)
{
	cJSON *j = cJSON_Parse(s);

	if (j == NULL)
		return;
	if (getenv("DISCORD_TEST_DEBUG") != NULL)
		fprintf(stderr, "    << %.300s\n", s);
	if (H.nev == H.cap) {
		H.cap = H.cap ? H.cap * 2 : 256;
		H.ev = realloc(H.ev, H.cap * sizeof(*H.ev));
	}
	H.ev[H.nev++] = j;
}

static void
on_readable(uv_poll_t *p, int status, int events)
{
	ssize_t n;
	size_t i, start = 0;

	(void)p; (void)status; (void)events;
	n = read(H.from_double, H.line + H.llen, sizeof(H.line) - H.llen - 1);
	if (n <= 0) {
		uv_poll_stop(&H.poll);
		return;
	}
	H.llen += (size_t)n;
	for (i = 0; i < H.llen; i++) {
		if (H.line[i] == '\n') {
			H.line[i] = '\0';
			on_line(H.line + start);
			start = i + 1;
		}
	}
	memmove(H.line, H.line + start, H.llen - start);
	H.llen -= start;
}

static void
cmd(const char *json)
{
	size_t n = strlen(json);

	if (write(H.to_double, json, n) != (ssize_t)n ||
	    write(H.to_double, "\n", 1) != 1)
		fprintf(stderr, "write to double failed\n");
}

static const char *
sget(const cJSON *e, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static double
nget(const cJSON *e, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, k);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Index of the first event from `from` on matching, or -1. */

static long
find(size_t from, pred_fn pred, const void *arg)
{
	size_t i;

	for (i = from; i < H.nev; i++)
		if (pred(H.ev[i], arg))
			return (long)i;
	return -1;
}

static void
on_deadline(uv_timer_t *t)
{
	*(int *)t->data = 1;
	uv_stop(&H.loop);
}

/*
 * Before the loop blocks in poll: if what we wait for already happened
 * (during the timer phase), stop so that uv_run returns at once.
 */
static void
on_prepare(uv_prepare_t *p)
{
	(void)p;
	if (H.done != NULL && H.done())
		uv_stop(&H.loop);
}

static int
done_pred(void)
{
	return find(H.w_from, H.w_pred, H.w_arg) >= 0;
}

static int
done_status(void)
{
	return H.p != NULL && strcmp(H.p->ops->status(H.p), H.w_status) == 0;
}

static int
done_stopped(void)
{
	return H.stopped;
}

/*
 * After a timeout, name the double's events since `from` (the last 20),
 * so a rare failure says what happened instead (the double never echoes
 * the token).
 */
static void
dump_events(size_t from)
{
	size_t i = H.nev > from + 20 ? H.nev - 20 : from;

	for (; i < H.nev; i++)
		fprintf(stderr, "    event %zu: %s op=%g t=%s code=%g why=%s "
		    "cmd=%s\n", i, sget(H.ev[i], "ev"), nget(H.ev[i], "op"),
		    sget(H.ev[i], "t"), nget(H.ev[i], "code"),
		    sget(H.ev[i], "why"), sget(H.ev[i], "cmd"));
}

/* Run the loop until pred matches an event from `from`; -1 on timeout. */
static long
wait_for(size_t from, pred_fn pred, const void *arg, int ms)
{
	uv_timer_t t;
	int expired = 0;
	long i;

	uv_timer_init(&H.loop, &t);
	t.data = &expired;
	uv_timer_start(&t, on_deadline, (uint64_t)ms, 0);
	H.w_from = from;
	H.w_pred = pred;
	H.w_arg = arg;
	H.done = done_pred;
	while ((i = find(from, pred, arg)) < 0 && !expired)
		uv_run(&H.loop, UV_RUN_ONCE);
	H.done = NULL;
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(&H.loop, UV_RUN_NOWAIT);
	if (i < 0) {
		fprintf(stderr, "  (timed out after %d ms)\n", ms);
		dump_events(from);
	}
	return i;
}

struct m { const char *ev, *key, *sval; double nval; };

static int
match(const cJSON *e, const void *arg)
{
	const struct m *m = arg;

	if (strcmp(sget(e, "ev"), m->ev) != 0)
		return 0;
	if (m->key == NULL)
		return 1;
	if (m->sval != NULL)
		return strcmp(sget(e, m->key), m->sval) == 0;
	return nget(e, m->key) == m->nval;
}

static long
wait_ev(size_t from, const char *ev, const char *key, const char *sval,
    double nval, int ms)
{
	struct m m = { ev, key, sval, nval };

	return wait_for(from, match, &m, ms);
}

/* Events from `from` on with key == sval (key NULL: every ev). */
static int
count_ev(size_t from, const char *ev, const char *key, const char *sval)
{
	struct m m = { ev, key, sval, 0 };
	size_t i;
	int n = 0;

	for (i = from; i < H.nev; i++)
		n += match(H.ev[i], &m);
	return n;
}

static long
wait_op(size_t from, int op, int ms)
{
	return wait_ev(from, "gw_recv", "op", NULL, op, ms);
}

static long
wait_rest(size_t from, const char *method, const char *path, int ms)
{
	long i = (long)from;

	for (;;) {
		i = wait_ev((size_t)i, "rest", "path", path, 0, ms);
		if (i < 0 || strcmp(sget(H.ev[i], "method"), method) == 0)
			return i;
		i++;
	}
}

static int
content_has(const cJSON *e, const void *arg)
{
	return strcmp(sget(e, "ev"), "rest") == 0 &&
	    strstr(sget(cJSON_GetObjectItemCaseSensitive(e, "body"),
	    "content"), arg) != NULL;
}

/* A REST request whose body content contains text. */
static long
wait_text(size_t from, const char *text, int ms)
{
	return wait_for(from, content_has, text, ms);
}

static int
status_is(const cJSON *e, const void *arg)
{
	(void)e;
	return strcmp(H.p->ops->status(H.p), arg) == 0;
}

/* Wait until the platform's status is s (checked after each turn). */
static int
wait_status(const char *s, int ms)
{
	uv_timer_t t;
	int expired = 0;

	(void)status_is;
	uv_timer_init(&H.loop, &t);
	t.data = &expired;
	uv_timer_start(&t, on_deadline, (uint64_t)ms, 0);
	H.w_status = s;
	H.done = done_status;
	while (strcmp(H.p->ops->status(H.p), s) != 0 && !expired)
		uv_run(&H.loop, UV_RUN_ONCE);
	H.done = NULL;
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(&H.loop, UV_RUN_NOWAIT);
	return strcmp(H.p->ops->status(H.p), s) == 0;
}

static size_t
mark(void)
{
	return H.nev;
}

/* ---- the fake router */

static void
reply_to(struct platform *p, const struct message *msg, const char *text,
    enum reply_kind kind)
{
	struct reply r;
	char body[512];

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	snprintf(body, sizeof(body), "Answer to: %s", text);
	r.body = body;
	r.nsources = 1;
	r.sources[0].title = "Ibuprofen leaflet";
	r.sources[0].publisher = "NHS";
	r.sources[0].url = "https://www.nhs.uk/medicines/ibuprofen/";
	r.disclaimer = "General information, not medical advice.";
	p->ops->send(p, msg, &r);
}

static void
router(void *rt, struct platform *p, const struct message *msg)
{
	struct got *g;

	(void)rt;
	if (H.ngot < 256) {
		g = &H.got[H.ngot++];
		g->text = strndup(msg->text, msg->len);
		g->id = strdup(msg->id);
		g->is_edit = msg->is_edit;
		g->from_moderator = msg->from_moderator;
		g->is_dm = msg->is_dm;
	}
	if (strncmp(msg->text, "slow", 4) == 0) {
		snprintf(H.slow_id, sizeof(H.slow_id), "%s", msg->id);
		snprintf(H.slow_room, sizeof(H.slow_room), "%s", msg->room);
		return;		/* answered later by the test */
	}
	if (strstr(msg->text, "crisis") != NULL) {
		struct escalation e = { .present = 1, .level = CRISIS_ACUTE,
		    .kind = CRISIS_OVERDOSE, .platform = "discord",
		    .room = msg->room, .user = msg->user, .id = msg->id };

		/* as the router does with privacy.escalation_include_text */
		if (strstr(msg->text, "with text") != NULL)
			escalation_set_text(&e, msg->text, msg->len, 16);
		reply_to(p, msg, "crisis resources", REPLY_CRISIS);
		p->ops->escalate(p, &e);
		return;
	}
	reply_to(p, msg, msg->text, REPLY_ANSWER);
}

static size_t
got_count(const char *text)
{
	size_t i, n = 0;

	for (i = 0; i < H.ngot; i++)
		if (strcmp(H.got[i].text, text) == 0)
			n++;
	return n;
}

/* ---- setup */

static void
start_double(void)
{
	int in[2], out[2];
	char buf[64];
	ssize_t n;
	size_t len = 0;

	if (pipe(in) != 0 || pipe(out) != 0)
		exit(1);
	H.pid = fork();
	if (H.pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execlp("python3", "python3", "tests/doubles/discord_double.py",
		    "--heartbeat-ms", "300", "--bucket-limit", "5",
		    "--bucket-reset", "1.0", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	H.to_double = in[1];
	H.from_double = out[0];
	/* "PORT n\n" comes first, alone */
	while (len < sizeof(buf) - 1 && (n = read(H.from_double, buf + len,
	    1)) == 1 && buf[len] != '\n')
		len++;
	buf[len] = '\0';
	if (sscanf(buf, "PORT %d", &H.port) != 1) {
		fprintf(stderr, "double did not start: %s\n", buf);
		exit(1);
	}
	uv_poll_init(&H.loop, &H.poll, H.from_double);
	uv_poll_start(&H.poll, UV_READABLE, on_readable);
}

static int compress_on;		/* platform_up(): zlib-stream */

static struct discord_config *
make_config(size_t max_frame)
{
	char json[2048];
	struct diag d;
	cJSON *sec;
	void *out = NULL;

	snprintf(json, sizeof(json), "{"
	    "\"api_base\": \"http://127.0.0.1:%d/api/v10\","
	    "\"token_env\": \"DISCORD_DOUBLE_TOKEN\","
	    "\"message_content\": true,"
	    "\"faq_channels\": [\"" FAQCH "\"],"
	    "\"moderators\": {\"users\": [\"" MODUSER "\"], "
	    "\"roles\": [\"" MODROLE "\"]},"
	    "\"moderators_channel\": \"" MODCH "\","
	    "\"reconnect_min_ms\": 20, \"reconnect_max_ms\": 200,"
	    "\"defer_ms\": 300, \"max_frame_bytes\": %zu, \"compress\": %s}",
	    H.port, max_frame, compress_on ? "true" : "false");
	sec = cJSON_Parse(json);
	diag_init(&d);
	if (discord_config_parse(sec, "test", &d, &out) != 0) {
		diag_print(&d, stderr);
		exit(1);
	}
	diag_free(&d);
	cJSON_Delete(sec);
	return out;
}

static void
stopped(struct platform *p)
{
	(void)p;
	H.stopped = 1;
}

static void
platform_up(size_t max_frame)
{
	H.p = discord_platform_new(&H.loop, make_config(max_frame), router,
	    NULL);
	H.p->ops->start(H.p);
}

static void
platform_down(void)
{
	H.stopped = 0;
	H.p->ops->stop(H.p, stopped);
	H.done = done_stopped;
	while (!H.stopped)
		uv_run(&H.loop, UV_RUN_ONCE);
	H.done = NULL;
	/*
	 * Like the daemon (bot_free), let every closing handle finish
	 * before free(): lws's last destroy unloads its libuv plugin.
	 */
	for (int i = 0; i < 10; i++)
		uv_run(&H.loop, UV_RUN_NOWAIT);
	H.p->ops->free(H.p);
	H.p = NULL;
	for (int i = 0; i < 10; i++)
		uv_run(&H.loop, UV_RUN_NOWAIT);
}

/* ---- scenarios */

static char dbuf[8192];

static void
phase(const char *name)
{
	static uint64_t t0;

	if (t0 == 0)
		t0 = uv_hrtime();
	fprintf(stderr, "[%6.2f s] %s\n", (double)(uv_hrtime() - t0) / 1e9,
	    name);
}

static void
dispatch_msg(const char *t, const char *id, const char *channel,
    const char *guild, const char *author, int bot, const char *content,
    const char *roles, int hold)
{
	char g[64] = "";
	cJSON *c;
	char *s;

	if (guild != NULL)
		snprintf(g, sizeof(g), "\"guild_id\":\"%s\",", guild);
	c = cJSON_CreateString(content);
	s = cJSON_PrintUnformatted(c);
	snprintf(dbuf, sizeof(dbuf), "{\"cmd\":\"dispatch\",\"hold\":%s,"
	    "\"t\":\"%s\",\"d\":{\"id\":\"%s\",\"channel_id\":\"%s\",%s"
	    "\"author\":{\"id\":\"%s\",\"username\":\"u\",\"bot\":%s},"
	    "\"member\":{\"roles\":[%s]},\"mentions\":[],\"content\":%s}}",
	    hold ? "true" : "false", t, id, channel, g, author,
	    bot ? "true" : "false", roles, s);
	free(s);
	cJSON_Delete(c);
	cmd(dbuf);
}

static const cJSON *
body(long i)
{
	return cJSON_GetObjectItemCaseSensitive(H.ev[i], "body");
}

/* The body says allowed_mentions: {"parse": []}. */
static int
no_mentions(const cJSON *b)
{
	const cJSON *am = cJSON_GetObjectItemCaseSensitive(b,
	    "allowed_mentions");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(am, "parse");

	return cJSON_IsArray(p) && cJSON_GetArraySize(p) == 0;
}

static void
test_identify_ready(void)
{
	long i, j;
	const cJSON *d;
	size_t m0 = 0;

	platform_up(65536);
	i = wait_rest(m0, "GET", "/api/v10/gateway/bot", 5000);
	CHECK(i >= 0);
	i = wait_op(m0, 2, 5000);
	CHECK(i >= 0);
	if (i < 0)
		return;
	d = cJSON_GetObjectItemCaseSensitive(H.ev[i], "d");
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "token_ok")));
	CHECK_INT(nget(d, "intents"), (1 << 0) | (1 << 9) | (1 << 12) |
	    (1 << 15));
	j = wait_ev(m0, "gw_connect", NULL, NULL, 0, 1000);
	CHECK(j >= 0 && strstr(sget(H.ev[j], "path"), "v=10") != NULL &&
	    strstr(sget(H.ev[j], "path"), "encoding=json") != NULL);
	CHECK(wait_status("connected", 5000));
	i = wait_rest(m0, "POST", "/api/v10/applications/" APP "/commands",
	    5000);
	CHECK(i >= 0 && strcmp(sget(body(i), "name"), "faq") == 0);
}

static void
test_message_reply(void)
{
	size_t m0 = mark();
	long i;
	const cJSON *b, *ref, *am;

	/* not answered: bot author, itself, unaddressed in a plain channel */
	dispatch_msg("MESSAGE_CREATE", "100", CHAN, GUILD, USER, 1,
	    "!faq from a bot", "", 0);
	dispatch_msg("MESSAGE_CREATE", "101", CHAN, GUILD, BOT, 0,
	    "!faq from myself", "", 0);
	dispatch_msg("MESSAGE_CREATE", "102", CHAN, GUILD, USER, 0,
	    "just chatting", "", 0);
	dispatch_msg("MESSAGE_CREATE", "103", CHAN, GUILD, USER, 0,
	    "<@" BOT "> can I take ibuprofen with @everyone", "", 0);
	i = wait_rest(m0, "POST", "/api/v10/channels/" CHAN "/messages",
	    5000);
	CHECK(i >= 0);
	if (i < 0)
		return;
	b = body(i);
	ref = cJSON_GetObjectItemCaseSensitive(b, "message_reference");
	am = cJSON_GetObjectItemCaseSensitive(b, "allowed_mentions");
	CHECK_STR(sget(ref, "message_id"), "103");
	CHECK(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(am, "parse")) &&
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(am,
	    "parse")) == 0);
	CHECK(strstr(sget(b, "content"),
	    "Answer to: can I take ibuprofen with @everyone") != NULL);
	CHECK(strstr(sget(b, "content"), "[Ibuprofen leaflet](<https://"
	    "www.nhs.uk/medicines/ibuprofen/>)") != NULL);
	CHECK(strstr(sget(b, "content"), "not medical advice") != NULL);
	/* a nonce from the question, enforced */
	CHECK_STR(sget(b, "nonce"), "r103");
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b,
	    "enforce_nonce")));
	CHECK_INT(H.ngot, 1);	/* only the addressed one reached us */
	/* prefix, DM, FAQ channel */
	m0 = mark();
	dispatch_msg("MESSAGE_CREATE", "104", CHAN, GUILD, USER, 0,
	    "!faq what is paracetamol", "", 0);
	dispatch_msg("MESSAGE_CREATE", "105", CHAN2, NULL, USER, 0,
	    "dm question", "", 0);
	dispatch_msg("MESSAGE_CREATE", "106", FAQCH, GUILD, USER, 0,
	    "faq channel question", "", 0);
	CHECK(wait_text(m0, "Answer to: what is paracetamol", 5000) >= 0);
	CHECK(wait_text(m0, "Answer to: dm question", 5000) >= 0);
	CHECK(wait_text(m0, "Answer to: faq channel question", 5000) >= 0);
	CHECK_INT(got_count("what is paracetamol"), 1);
	CHECK_INT(got_count("dm question"), 1);
	CHECK_INT(got_count("faq channel question"), 1);
	CHECK(H.ngot >= 4 && H.got[2].is_dm == 1);
	/* an edit reaches the router marked as an edit */
	m0 = mark();
	dispatch_msg("MESSAGE_UPDATE", "104", CHAN, GUILD, USER, 0,
	    "!faq edited question", "", 0);
	i = wait_text(m0, "Answer to: edited question", 5000);
	CHECK(i >= 0);
	CHECK(H.ngot >= 5 && H.got[H.ngot - 1].is_edit == 1);
	/* the edit's reply has its own nonce: not merged with the first */
	CHECK(i >= 0 && strncmp(sget(body(i), "nonce"), "rx", 2) == 0);
	CHECK(i >= 0 && wait_ev((size_t)i, "msg_created", NULL, NULL, 0,
	    5000) >= 0);
}

/*
 * The same reply sent twice (what a question replayed after a crash
 * causes): the second carries the same nonce and the double, as Discord
 * with enforce_nonce, returns the first message; nothing new is created.
 * Escalations likewise, with a nonce of their own.
 */
static void
test_nonce_dedup(void)
{
	struct message msg;
	struct escalation e = { .present = 1, .level = CRISIS_ACUTE,
	    .kind = CRISIS_OVERDOSE, .platform = "discord", .room = CHAN2,
	    .user = USER, .id = "150" };
	size_t m0 = mark();
	long i, j;
	int k;

	memset(&msg, 0, sizeof(msg));
	msg.platform = "discord";
	msg.id = "150";
	msg.room = CHAN2;
	msg.user = USER;
	msg.text = "twice";
	msg.len = 5;
	for (k = 0; k < 2; k++) {
		reply_to(H.p, &msg, "twice", REPLY_ANSWER);
		H.p->ops->escalate(H.p, &e);
	}
	i = wait_ev(m0, "nonce_dup", "nonce", "r150", 0, 5000);
	j = wait_ev(m0, "nonce_dup", "nonce", "e150", 0, 5000);
	CHECK(i >= 0 && j >= 0);
	CHECK(count_ev(m0, "msg_created", "nonce", "r150") == 1);
	CHECK(count_ev(m0, "msg_created", "nonce", "e150") == 1);
	CHECK(count_ev(m0, "rest", "path", "/api/v10/channels/" MODCH
	    "/messages") == 2);
	CHECK(count_ev(m0, "rest", "path", "/api/v10/channels/" CHAN2
	    "/messages") == 2);
}

static void
test_moderators_escalation(void)
{
	size_t m0 = mark(), n0 = H.ngot;
	long i;
	const char *c;

	dispatch_msg("MESSAGE_CREATE", "200", CHAN, GUILD, MODUSER, 0,
	    "!faq reload", "", 0);
	dispatch_msg("MESSAGE_CREATE", "201", CHAN, GUILD, USER, 0,
	    "!faq stats", "\"" MODROLE "\"", 0);
	dispatch_msg("MESSAGE_CREATE", "202", CHAN, GUILD, USER, 0,
	    "!faq unanswered", "\"123\"", 0);
	dispatch_msg("MESSAGE_CREATE", "203", CHAN, GUILD, USER, 0,
	    "!faq crisis now", "", 0);
	i = wait_rest(m0, "POST", "/api/v10/channels/" MODCH "/messages",
	    5000);
	CHECK(i >= 0);
	CHECK_INT(H.ngot - n0, 4);
	if (H.ngot - n0 == 4) {
		CHECK_STR(H.got[n0].text, "!faq reload");
		CHECK_INT(H.got[n0].from_moderator, 1);
		CHECK_STR(H.got[n0 + 1].text, "!faq stats");
		CHECK_INT(H.got[n0 + 1].from_moderator, 1);
		CHECK_INT(H.got[n0 + 2].from_moderator, 0);
	}
	if (i < 0)
		return;
	c = sget(body(i), "content");
	CHECK(strstr(c, "https://discord.com/channels/" GUILD "/" CHAN
	    "/203") != NULL);
	CHECK(strstr(c, "overdose") != NULL);
	CHECK(strstr(c, "crisis now") == NULL);	/* no message text */
	CHECK(strstr(c, "Message:") == NULL);
	CHECK(no_mentions(body(i)));	/* the user's mention pings nobody */

	/* with the text allowed: quoted, cut to the cap, marked */
	m0 = mark();
	dispatch_msg("MESSAGE_CREATE", "204", CHAN, GUILD, USER, 0,
	    "!faq crisis with text and more words", "", 0);
	i = wait_rest(m0, "POST", "/api/v10/channels/" MODCH "/messages",
	    5000);
	CHECK(i >= 0);
	if (i < 0)
		return;
	c = sget(body(i), "content");
	CHECK(strstr(c, "/204") != NULL);
	CHECK(strstr(c, "\nMessage:\n>>> crisis with text [...]") !=
	    NULL);
	CHECK(strstr(c, "more words") == NULL);
}

static void
test_interaction(void)
{
	size_t m0 = mark();
	long i, k;
	const cJSON *b;
	double t0;

	cmd("{\"cmd\":\"dispatch\",\"t\":\"INTERACTION_CREATE\",\"d\":{"
	    "\"id\":\"300\",\"application_id\":\"" APP "\",\"type\":2,"
	    "\"token\":\"itoken-abc\",\"version\":1,\"guild_id\":\"" GUILD "\","
	    "\"channel_id\":\"" CHAN "\",\"member\":{\"user\":{\"id\":\""
	    USER "\"},\"roles\":[]},\"data\":{\"id\":\"1\",\"name\":\"faq\","
	    "\"type\":1,\"options\":[{\"name\":\"question\",\"type\":3,"
	    "\"value\":\"is ibuprofen safe\"}]}}}");
	k = wait_ev(m0, "gw_send", "t", "INTERACTION_CREATE", 0, 5000);
	i = wait_rest(m0, "POST", "/api/v10/interactions/300/TOKEN/callback",
	    5000);
	CHECK(i >= 0 && k >= 0);
	if (i < 0 || k < 0)
		return;
	t0 = nget(H.ev[k], "ts");
	CHECK(nget(H.ev[i], "ts") - t0 < 3000);
	fprintf(stderr, "  interaction callback after %.1f ms\n",
	    nget(H.ev[i], "ts") - t0);
	b = body(i);
	CHECK_INT(nget(b, "type"), 4);
	b = cJSON_GetObjectItemCaseSensitive(b, "data");
	CHECK(strstr(sget(b, "content"), "Answer to: is ibuprofen safe") !=
	    NULL);
	CHECK(no_mentions(b));
	/* crisis: ephemeral */
	m0 = mark();
	cmd("{\"cmd\":\"dispatch\",\"t\":\"INTERACTION_CREATE\",\"d\":{"
	    "\"id\":\"301\",\"type\":2,\"token\":\"itoken-def\","
	    "\"channel_id\":\"" CHAN2 "\",\"user\":{\"id\":\"" USER "\"},"
	    "\"data\":{\"name\":\"faq\",\"options\":[{\"name\":\"question\","
	    "\"type\":3,\"value\":\"crisis\"}]}}}");
	i = wait_rest(m0, "POST", "/api/v10/interactions/301/TOKEN/callback",
	    5000);
	CHECK(i >= 0 && nget(cJSON_GetObjectItemCaseSensitive(body(i),
	    "data"), "flags") == 64);
	/* slow answer: deferred (type 5), then the original edited */
	m0 = mark();
	cmd("{\"cmd\":\"dispatch\",\"t\":\"INTERACTION_CREATE\",\"d\":{"
	    "\"id\":\"302\",\"type\":2,\"token\":\"itoken-ghi\","
	    "\"guild_id\":\"" GUILD "\",\"channel_id\":\"" CHAN "\","
	    "\"member\":{\"user\":{\"id\":\"" USER "\"}},"
	    "\"data\":{\"name\":\"faq\",\"options\":[{\"name\":\"question\","
	    "\"type\":3,\"value\":\"slow one\"}]}}}");
	k = wait_ev(m0, "gw_send", "t", "INTERACTION_CREATE", 0, 5000);
	i = wait_rest(m0, "POST", "/api/v10/interactions/302/TOKEN/callback",
	    5000);
	CHECK(i >= 0 && nget(body(i), "type") == 5);
	if (i >= 0 && k >= 0)
		CHECK(nget(H.ev[i], "ts") - nget(H.ev[k], "ts") < 3000);
	{
		struct message msg;

		memset(&msg, 0, sizeof(msg));
		msg.platform = "discord";
		msg.id = H.slow_id;
		msg.room = H.slow_room;
		msg.user = USER;
		msg.text = "slow one";
		msg.len = 8;
		m0 = mark();
		reply_to(H.p, &msg, "slow one", REPLY_ANSWER);
	}
	i = wait_rest(m0, "PATCH",
	    "/api/v10/webhooks/" APP "/TOKEN/messages/@original", 5000);
	CHECK(i >= 0 && strstr(sget(body(i), "content"), "slow one") != NULL);
	CHECK(i >= 0 && no_mentions(body(i)));
}

static void
test_heartbeats(void)
{
	size_t m0 = mark();
	long i, first = -1, prev = -1;
	int n = 0;
	double gap, mean = 0, lo = 1e9, hi = 0;

	/* three periodic heartbeats */
	for (i = (long)m0; n < 4; i++) {
		i = wait_op((size_t)i, 1, 2000);
		if (i < 0)
			break;
		if (prev >= 0) {
			gap = nget(H.ev[i], "ts") - nget(H.ev[prev], "ts");
			if (gap < lo) lo = gap;
			if (gap > hi) hi = gap;
		} else
			first = i;
		prev = i;
		n++;
	}
	CHECK_INT(n, 4);
	if (n == 4)
		mean = (nget(H.ev[prev], "ts") - nget(H.ev[first], "ts")) / 3;
	fprintf(stderr, "  heartbeat gaps %.0f..%.0f ms, mean %.0f ms "
	    "(interval 300)\n", lo, hi, mean);
	/*
	 * The bot keeps the interval: the mean gap is the interval.  One
	 * beat the double stamps late (a loaded machine, ASan) lengthens one
	 * gap and shortens the next, so single gaps only get loose bounds
	 * that still tell a double or a half interval apart.
	 */
	CHECK(mean > 250 && mean < 400);
	CHECK(lo > 100 && hi < 600);
	/* op 1 from the server is answered at once */
	m0 = mark();
	cmd("{\"cmd\":\"heartbeat_request\"}");
	i = wait_ev(m0, "gw_send", "op", NULL, 1, 2000);
	CHECK(i >= 0);
	if (i >= 0) {
		long j = wait_op((size_t)i, 1, 2000);

		CHECK(j >= 0 && nget(H.ev[j], "ts") - nget(H.ev[i], "ts") <
		    150);
	}
}

/* The bot closed with a non-1000 code, then connected and sent op. */
static void
expect_reconnect(size_t m0, int op, const char *what)
{
	long c = wait_ev(m0, "gw_connect", NULL, NULL, 0, 5000);
	long o = c >= 0 ? wait_op((size_t)c, op, 5000) : -1;

	fprintf(stderr, "  %s: reconnect %s, op %d %s\n", what,
	    c >= 0 ? "seen" : "MISSING", op, o >= 0 ? "seen" : "MISSING");
	CHECK(c >= 0);
	CHECK(o >= 0);
	CHECK(wait_status("connected", 5000));
}

static void
expect_client_close(size_t m0)
{
	long i = wait_ev(m0, "client_close", NULL, NULL, 0, 5000);

	CHECK(i >= 0 && nget(H.ev[i], "code") != 1000 &&
	    nget(H.ev[i], "code") != 1001);
}

static void
test_zombie_op7_op9(void)
{
	size_t m0 = mark();

	cmd("{\"cmd\":\"zombie\",\"on\":true}");
	expect_client_close(m0);
	cmd("{\"cmd\":\"zombie\",\"on\":false}");
	expect_reconnect(m0, 6, "zombie");

	m0 = mark();
	cmd("{\"cmd\":\"reconnect\"}");
	expect_client_close(m0);
	expect_reconnect(m0, 6, "op 7");
	CHECK(wait_ev(m0, "gw_connect", "path", "/resume?v=10&encoding=json",
	    0, 100) >= 0);

	m0 = mark();
	cmd("{\"cmd\":\"invalid_session\",\"d\":true}");
	expect_reconnect(m0, 6, "op 9 true");

	m0 = mark();
	cmd("{\"cmd\":\"invalid_session\",\"d\":false}");
	expect_reconnect(m0, 2, "op 9 false");
}

static void
test_close_codes(void)
{
	static const int resume[] = { 4000, 4001, 4002, 4003, 4005, 4008,
	    1001 };
	static const int fresh[] = { 4007, 4009 };
	static const int fatal[] = { 4004, 4010, 4011, 4012, 4013, 4014 };
	char buf[128];
	size_t i, m0;
	long id[2] = { -1, -1 };
	struct discord_stats st;

	for (i = 0; i < sizeof(resume) / sizeof(resume[0]); i++) {
		m0 = mark();
		snprintf(buf, sizeof(buf), "{\"cmd\":\"close\",\"code\":%d}",
		    resume[i]);
		cmd(buf);
		snprintf(buf, sizeof(buf), "close %d", resume[i]);
		expect_reconnect(m0, 6, buf);
	}
	for (i = 0; i < sizeof(fresh) / sizeof(fresh[0]); i++) {
		m0 = mark();
		snprintf(buf, sizeof(buf), "{\"cmd\":\"close\",\"code\":%d}",
		    fresh[i]);
		cmd(buf);
		snprintf(buf, sizeof(buf), "close %d", fresh[i]);
		expect_reconnect(m0, 2, buf);
		id[i] = wait_op(m0, 2, 100);
	}
	/*
	 * Two new sessions back to back: the second IDENTIFY waits for
	 * 5 s / max_concurrency (the double says 16: 312 ms) after the
	 * first, although the reconnect backoff is 10-200 ms here.
	 */
	CHECK(id[0] >= 0 && id[1] >= 0);
	if (id[0] >= 0 && id[1] >= 0) {
		fprintf(stderr, "  IDENTIFY gap %.1f ms (max_concurrency 16: "
		    ">= 312)\n", nget(H.ev[id[1]], "ts") -
		    nget(H.ev[id[0]], "ts"));
		CHECK(nget(H.ev[id[1]], "ts") - nget(H.ev[id[0]], "ts") >=
		    300);
	}
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		m0 = mark();
		snprintf(buf, sizeof(buf), "{\"cmd\":\"close\",\"code\":%d}",
		    fatal[i]);
		cmd(buf);
		CHECK(wait_status("fatal", 5000));
		phase("  fatal seen");
		discord_platform_stats(H.p, &st);
		CHECK(st.fatal_reason != NULL);
		if (fatal[i] == 4014)
			CHECK(st.fatal_reason != NULL &&
			    strstr(st.fatal_reason, "intents") != NULL);
		if (fatal[i] == 4004)
			CHECK(st.fatal_reason != NULL &&
			    strstr(st.fatal_reason, "token") != NULL);
		/* no new connection was made while we restart the adapter */
		platform_down();
		phase("  down");
		CHECK(find(m0, match, &(struct m){ "gw_connect", NULL, NULL,
		    0 }) < 0);
		platform_up(65536);
		CHECK(wait_status("connected", 5000));
	}
}

static void
test_resume_replay(void)
{
	size_t m0 = mark(), n0 = H.ngot;
	long c;

	dispatch_msg("MESSAGE_CREATE", "400", CHAN, GUILD, USER, 0,
	    "!faq missed one", "", 1);
	dispatch_msg("MESSAGE_CREATE", "401", CHAN, GUILD, USER, 0,
	    "!faq missed two", "", 1);
	CHECK(wait_ev(m0, "ok", "cmd", "dispatch", 0, 2000) >= 0);
	cmd("{\"cmd\":\"drop\"}");
	c = wait_ev(m0, "gw_connect", NULL, NULL, 0, 5000);
	CHECK(c >= 0 && wait_op((size_t)c, 6, 5000) >= 0);
	CHECK(wait_text(m0, "Answer to: missed two", 5000) >= 0);
	CHECK(wait_status("connected", 5000));
	/* a live message after the replay proves the replay is over */
	m0 = mark();
	dispatch_msg("MESSAGE_CREATE", "402", CHAN2, GUILD, USER, 0,
	    "!faq after resume", "", 0);
	CHECK(wait_rest(m0, "POST", "/api/v10/channels/" CHAN2 "/messages",
	    5000) >= 0);
	CHECK_INT(got_count("missed one"), 1);
	CHECK_INT(got_count("missed two"), 1);
	CHECK_INT(got_count("after resume"), 1);
	CHECK_INT(H.ngot - n0, 3);
}

static int
is_connect_to_gateway(const cJSON *e, const void *arg)
{
	(void)arg;
	return strcmp(sget(e, "ev"), "gw_connect") == 0 &&
	    strncmp(sget(e, "path"), "/resume", 7) != 0;
}

/*
 * A resume_gateway_url that cannot be reached (a dead port): the docs
 * say to reconnect at the gateway URL, still resuming.  Afterwards a
 * new session brings a working resume URL back for the tests after.
 */
static void
test_resume_url_fallback(void)
{
	size_t m0 = mark(), n0;
	long c, r;

	cmd("{\"cmd\":\"resume_url\",\"url\":\"ws://127.0.0.1:1/resume\"}");
	cmd("{\"cmd\":\"close\",\"code\":4009}");
	expect_reconnect(m0, 2, "new session with a dead resume URL");
	m0 = mark();
	n0 = H.ngot;
	dispatch_msg("MESSAGE_CREATE", "420", CHAN, GUILD, USER, 0,
	    "!faq missed while resuming elsewhere", "", 1);
	cmd("{\"cmd\":\"close\",\"code\":4000}");
	c = wait_for(m0, is_connect_to_gateway, NULL, 5000);
	r = c >= 0 ? wait_op((size_t)c, 6, 5000) : -1;
	CHECK(c >= 0 && r >= 0);
	CHECK(wait_text(m0, "Answer to: missed while resuming elsewhere",
	    5000) >= 0);
	CHECK_INT(H.ngot - n0, 1);
	CHECK(wait_status("connected", 5000));
	m0 = mark();
	cmd("{\"cmd\":\"resume_url\",\"url\":null}");
	cmd("{\"cmd\":\"close\",\"code\":4009}");
	expect_reconnect(m0, 2, "new session, resume URL restored");
}

static uint64_t global_base;	/* global 429s seen before the wait */

static int
done_global(void)
{
	struct discord_stats st;

	discord_platform_stats(H.p, &st);
	return st.rest_global_429 > global_base;
}

static int
wait_global_seen(int ms)
{
	uv_timer_t t;
	int expired = 0;

	uv_timer_init(&H.loop, &t);
	t.data = &expired;
	uv_timer_start(&t, on_deadline, (uint64_t)ms, 0);
	H.done = done_global;
	while (!done_global() && !expired)
		uv_run(&H.loop, UV_RUN_ONCE);
	H.done = NULL;
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(&H.loop, UV_RUN_NOWAIT);
	return done_global();
}

static int
is_violation(const cJSON *e, const void *arg)
{
	(void)arg;
	return strcmp(sget(e, "ev"), "violation") == 0;
}

static void
test_rate_limits(void)
{
	size_t m0 = mark(), i;
	long k, j;
	char id[32], text[64];
	int ok = 0;
	size_t vmark;

	/* per-route 429 */
	cmd("{\"cmd\":\"fail\",\"prefix\":\"POST /api/v10/channels/" CHAN2
	    "/messages\",\"status\":429,\"retry_after\":0.4,\"count\":1}");
	dispatch_msg("MESSAGE_CREATE", "500", CHAN2, GUILD, USER, 0,
	    "!faq limited route", "", 0);
	k = wait_ev(m0, "rest_429", NULL, NULL, 0, 5000);
	CHECK(k >= 0);
	j = k >= 0 ? wait_rest((size_t)k + 1, "POST", "/api/v10/channels/"
	    CHAN2 "/messages", 5000) : -1;
	CHECK(j >= 0);
	if (j >= 0)
		CHECK(nget(H.ev[j], "ts") - nget(H.ev[k], "ts") >= 390);
	/* global 429 holds every route */
	m0 = mark();
	cmd("{\"cmd\":\"fail\",\"prefix\":\"POST /api/v10/channels/" CHAN
	    "/messages\",\"status\":429,\"retry_after\":0.5,\"global\":true,"
	    "\"count\":1}");
	dispatch_msg("MESSAGE_CREATE", "501", CHAN, GUILD, USER, 0,
	    "!faq global one", "", 0);
	k = wait_ev(m0, "rest_429", NULL, NULL, 0, 5000);
	global_base = 0;
	CHECK(wait_global_seen(5000));	/* the bot has read the 429 */
	dispatch_msg("MESSAGE_CREATE", "502", CHAN2, GUILD, USER, 0,
	    "!faq global two", "", 0);
	j = k >= 0 ? wait_text(m0, "global two", 5000) : -1;
	CHECK(k >= 0 && j >= 0);
	if (k >= 0 && j >= 0) {
		fprintf(stderr, "  global wait %.1f ms (retry_after 500)\n",
		    nget(H.ev[j], "ts") - nget(H.ev[k], "ts"));
		CHECK(nget(H.ev[j], "ts") - nget(H.ev[k], "ts") >= 490);
	}
	CHECK(wait_rest((size_t)k + 1, "POST", "/api/v10/channels/" CHAN
	    "/messages", 5000) >= 0);
	/* a burst over the bucket (5 per second): waits, no 429 */
	m0 = mark();
	vmark = m0;
	for (i = 0; i < 9; i++) {
		snprintf(id, sizeof(id), "51%zu", i);
		snprintf(text, sizeof(text), "!faq burst %zu", i);
		dispatch_msg("MESSAGE_CREATE", id, FAQCH, GUILD, USER, 0, text,
		    "", 0);
	}
	for (k = (long)m0, i = 0; i < 9; i++, k++) {
		k = wait_rest((size_t)k, "POST", "/api/v10/channels/" FAQCH
		    "/messages", 5000);
		if (k < 0)
			break;
		ok++;
	}
	CHECK_INT(ok, 9);
	CHECK(find(vmark, is_violation, NULL) < 0);
	/* 5xx: retried with backoff */
	m0 = mark();
	cmd("{\"cmd\":\"fail\",\"prefix\":\"POST /api/v10/channels/" CHAN
	    "/messages\",\"status\":502,\"count\":2}");
	dispatch_msg("MESSAGE_CREATE", "520", CHAN, GUILD, USER, 0,
	    "!faq server error", "", 0);
	k = wait_ev(m0, "rest_fail", NULL, NULL, 0, 5000);
	CHECK(k >= 0);
	CHECK(k >= 0 && (k = wait_ev((size_t)k + 1, "rest_fail", NULL, NULL,
	    0, 5000)) >= 0);
	CHECK(k >= 0 && wait_text((size_t)k + 1, "Answer to: server error",
	    5000) >= 0);
}

static void
dispatch_interaction(const char *id, const char *token, const char *q)
{
	snprintf(dbuf, sizeof(dbuf), "{\"cmd\":\"dispatch\","
	    "\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"%s\",\"type\":2,"
	    "\"token\":\"%s\",\"guild_id\":\"" GUILD "\",\"channel_id\":\""
	    CHAN2 "\",\"member\":{\"user\":{\"id\":\"" USER "\"}},"
	    "\"data\":{\"name\":\"faq\",\"options\":[{\"name\":\"question\","
	    "\"type\":3,\"value\":\"%s\"}]}}}", id, token, q);
	cmd(dbuf);
}

/*
 * Interaction endpoints are not bound to the global rate limit (the
 * docs' rate-limits page): while a global 429 holds every message send,
 * a /faq still gets its callback within 3 s (the retry_after is
 * longer), and a deferred one its edit; the held reply goes out after
 * retry_after, with no violation.
 */
static void
test_interaction_global(void)
{
	size_t m0 = mark();
	struct discord_stats st;
	struct message msg;
	long k, cb, cb2, ed, held;

	discord_platform_stats(H.p, &st);
	global_base = st.rest_global_429;
	cmd("{\"cmd\":\"fail\",\"prefix\":\"POST /api/v10/channels/" CHAN
	    "/messages\",\"status\":429,\"retry_after\":3.5,\"global\":true,"
	    "\"count\":1}");
	dispatch_msg("MESSAGE_CREATE", "530", CHAN, GUILD, USER, 0,
	    "!faq held by the global limit", "", 0);
	k = wait_ev(m0, "rest_429", NULL, NULL, 0, 5000);
	CHECK(k >= 0 && wait_global_seen(5000));
	if (k < 0)
		return;
	dispatch_interaction("310", "itoken-g1", "answered at once");
	dispatch_interaction("311", "itoken-g2", "slow under the limit");
	cb = wait_ev(m0, "callback_ok", "id", "310", 0, 3200);
	cb2 = wait_ev(m0, "callback_ok", "id", "311", 0, 3200);
	CHECK(cb >= 0 && cb2 >= 0);
	if (cb >= 0)
		fprintf(stderr, "  callback %.1f ms after its event, during a "
		    "global 429 (retry_after 3500 ms)\n", nget(H.ev[cb], "ms"));
	CHECK(cb >= 0 && nget(H.ev[cb], "ms") < 3000);
	CHECK(cb2 >= 0 && nget(H.ev[cb2], "ms") < 3000);
	memset(&msg, 0, sizeof(msg));
	msg.platform = "discord";
	msg.id = H.slow_id;
	msg.room = H.slow_room;
	msg.user = USER;
	msg.text = "slow under the limit";
	msg.len = strlen(msg.text);
	CHECK_STR(H.slow_id, "311");
	reply_to(H.p, &msg, msg.text, REPLY_ANSWER);
	ed = wait_rest(m0, "PATCH",
	    "/api/v10/webhooks/" APP "/TOKEN/messages/@original", 3000);
	/* from the 429 on: the first attempt is the one refused */
	held = wait_text((size_t)k + 1, "Answer to: held by the global limit",
	    5000);
	CHECK(ed >= 0 && held >= 0);
	if (ed < 0 || held < 0 || cb < 0)
		return;
	/* both interaction calls went out inside the global window */
	CHECK(nget(H.ev[cb], "ts") < nget(H.ev[k], "ts") + 3500);
	CHECK(nget(H.ev[ed], "ts") < nget(H.ev[k], "ts") + 3500);
	CHECK(nget(H.ev[held], "ts") - nget(H.ev[k], "ts") >= 3490);
	CHECK(find(m0, is_violation, NULL) < 0);
}

/* Completions of the REST calls of test_shared_bucket(). */
static struct { int want, done, ok; } SB;

static void
sb_done(void *arg, long status, const char *b)
{
	(void)arg;
	(void)b;
	SB.done++;
	if (status >= 200 && status < 300)
		SB.ok++;
}

static int
done_sb(void)
{
	return SB.done >= SB.want;
}

/* Run the loop until n shared-bucket calls completed; 1 if they did. */
static int
wait_sb(int n, int ms)
{
	uv_timer_t t;
	int expired = 0;

	uv_timer_init(&H.loop, &t);
	t.data = &expired;
	uv_timer_start(&t, on_deadline, (uint64_t)ms, 0);
	SB.want = n;
	H.done = done_sb;
	while (SB.done < n && !expired)
		uv_run(&H.loop, UV_RUN_ONCE);
	H.done = NULL;
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(&H.loop, UV_RUN_NOWAIT);
	return SB.done >= n;
}

static int
is_shared_limit(const cJSON *e, const void *arg)
{
	(void)arg;
	/* this test's channel only: the platform's own replies share too */
	return strcmp(sget(e, "ev"), "rest_limit") == 0 &&
	    strcmp(sget(e, "bucket"), "shared-msg") == 0 &&
	    strstr(sget(e, "route"), "/channels/" CHAN3 "/") != NULL;
}

/*
 * Two routes of one channel share a bucket (the double says so in
 * X-RateLimit-Bucket): once both were seen, a burst on both together
 * must stay within the one limit (5 per second): no 429, all delivered.
 * Counted per route, the burst would send 7 into 3 remaining.
 */
static void
test_shared_bucket(void)
{
	char api[128];
	struct discord_rest *r;
	const struct discord_rest_stats *st;
	size_t m0;
	long k;
	int i, n = 0;

	m0 = mark();
	cmd("{\"cmd\":\"share_bucket\",\"bucket\":\"shared-msg\","
	    "\"routes\":[\"POST /channels/{major}/messages\","
	    "\"DELETE /channels/{major}/messages/{id}\"]}");
	CHECK(wait_ev(m0, "ok", "cmd", "share_bucket", 0, 2000) >= 0);
	snprintf(api, sizeof(api), "http://127.0.0.1:%d/api/v10", H.port);
	r = discord_rest_new(&H.loop, api, getenv("DISCORD_DOUBLE_TOKEN"),
	    NULL, NULL);
	CHECK(r != NULL);
	if (r == NULL)
		return;
	/* one call on each route: the bot learns they share "shared-msg" */
	discord_rest_call(r, "POST", "/channels/" CHAN3 "/messages",
	    "{\"content\":\"first\"}", sb_done, NULL);
	CHECK(wait_sb(1, 5000));
	discord_rest_call(r, "DELETE", "/channels/" CHAN3 "/messages/1", NULL,
	    sb_done, NULL);
	CHECK(wait_sb(2, 5000));
	/* 8 more, both routes interleaved, 3 left in the window */
	for (i = 0; i < 4; i++) {
		discord_rest_call(r, "POST", "/channels/" CHAN3 "/messages",
		    "{\"content\":\"burst\"}", sb_done, NULL);
		discord_rest_call(r, "DELETE", "/channels/" CHAN3
		    "/messages/2", NULL, sb_done, NULL);
	}
	CHECK(wait_sb(10, 8000));
	CHECK_INT(SB.ok, 10);
	CHECK(find(m0, is_violation, NULL) < 0);
	for (k = (long)m0; (k = find((size_t)k, is_shared_limit, NULL)) >= 0;
	    k++)
		n++;
	CHECK_INT(n, 10);	/* every call counted on the shared bucket */
	st = discord_rest_stats(r);
	CHECK(st->waits >= 1);	/* it waited for the window, not a 429 */
	CHECK_INT((long)st->retried_429, 0);
	discord_rest_close(r);
}

static void
test_bad_frames(void)
{
	size_t m0 = mark(), n0;
	long i;
	struct discord_stats st;

	cmd("{\"cmd\":\"malformed\"}");
	expect_client_close(m0);
	expect_reconnect(m0, 6, "malformed frame");

	m0 = mark();
	cmd("{\"cmd\":\"oversized\",\"size\":200000}");
	i = wait_ev(m0, "client_close", NULL, NULL, 0, 5000);
	CHECK(i >= 0 && nget(H.ev[i], "code") == 1009);
	expect_reconnect(m0, 6, "oversized frame");
	discord_platform_stats(H.p, &st);
	CHECK(st.frames_too_big >= 1);

	m0 = mark();
	cmd("{\"cmd\":\"midframe\"}");
	expect_reconnect(m0, 6, "dropped mid-frame");

	m0 = mark();
	n0 = H.ngot;
	cmd("{\"cmd\":\"fragmented\",\"t\":\"MESSAGE_CREATE\",\"d\":{"
	    "\"id\":\"600\",\"channel_id\":\"" CHAN "\",\"guild_id\":\"" GUILD
	    "\",\"author\":{\"id\":\"" USER "\"},\"content\":\"!faq in three "
	    "fragments\"}}");
	CHECK(wait_rest(m0, "POST", "/api/v10/channels/" CHAN "/messages",
	    5000) >= 0);
	CHECK_INT(H.ngot - n0, 1);
	CHECK_INT(got_count("in three fragments"), 1);
}

static int
is_gw_limit_hit(const cJSON *e, const void *arg)
{
	(void)arg;
	return (strcmp(sget(e, "ev"), "server_close") == 0 &&
	    nget(e, "code") == 4008) || (strcmp(sget(e, "ev"),
	    "violation") == 0 && strcmp(sget(e, "kind"), "gateway") == 0);
}

/*
 * Discord allows 120 gateway sends per connection and 60 s (the double
 * closes with 4008 past that).  A server asking for 150 heartbeats at
 * once gets answers up to the bot's cap, then only the regular beats:
 * no 4008, the connection stays.
 */
static void
test_gateway_rate(void)
{
	size_t m0 = mark(), m1;
	struct discord_stats st;
	long i;
	int k;

	for (k = 0; k < 150; k++)
		cmd("{\"cmd\":\"heartbeat_request\"}");
	/* the socket is in order: answered means the 150 were read */
	dispatch_msg("MESSAGE_CREATE", "610", CHAN, GUILD, USER, 0,
	    "!faq after the heartbeat storm", "", 0);
	CHECK(wait_text(m0, "Answer to: after the heartbeat storm", 5000) >=
	    0);
	discord_platform_stats(H.p, &st);
	CHECK(st.gw_answers_held > 0);
	/* every answer the bot did send has reached the double */
	for (i = (long)m0, k = 0; k < 150 - (int)st.gw_answers_held; k++)
		if ((i = wait_op((size_t)i, 1, 2000)) < 0)
			break;
		else
			i++;
	CHECK(i >= 0);
	m1 = mark();
	cmd("{\"cmd\":\"gw_rate\"}");
	i = wait_ev(m1, "ok", "cmd", "gw_rate", 0, 2000);
	CHECK(i >= 0 && nget(H.ev[i], "conn_last60") <= 120);
	if (i >= 0)
		fprintf(stderr, "  150 op 1 from the server: %.0f sends on the "
		    "connection in 60 s, %llu answers held back\n",
		    nget(H.ev[i], "conn_last60"),
		    (unsigned long long)st.gw_answers_held);
	/* still the same connection, still beating */
	CHECK(wait_op(m1, 1, 2000) >= 0);
	CHECK(find(m0, is_gw_limit_hit, NULL) < 0);
	CHECK(find(m0, match, &(struct m){ "gw_connect", NULL, NULL, 0 }) <
	    0);
}

/*
 * zlib-stream: the double compresses every payload into one stream per
 * connection, in two binary fragments each.  Replies still flow; a small
 * message that inflates past max_frame_bytes and a corrupt stream both
 * close the link and resume.
 */
static void
test_zlib_stream(void)
{
	size_t m0, n0;
	long i;
	struct discord_stats st;

	platform_down();
	compress_on = 1;
	m0 = mark();
	platform_up(65536);
	i = wait_ev(m0, "gw_connect", NULL, NULL, 0, 5000);
	CHECK(i >= 0 && strstr(sget(H.ev[i], "path"),
	    "compress=zlib-stream") != NULL);
	CHECK(wait_op(m0, 2, 5000) >= 0);	/* HELLO was inflated */
	CHECK(wait_status("connected", 5000));

	m0 = mark();
	n0 = H.ngot;
	dispatch_msg("MESSAGE_CREATE", "800", CHAN, GUILD, USER, 0,
	    "!faq compressed question", "", 0);
	dispatch_msg("MESSAGE_CREATE", "801", CHAN, GUILD, USER, 0,
	    "!faq second compressed question", "", 0);
	CHECK(wait_text(m0, "Answer to: compressed question", 5000) >= 0);
	CHECK(wait_text(m0, "Answer to: second compressed question",
	    5000) >= 0);
	CHECK_INT(H.ngot - n0, 2);

	/* 200 KB of JSON in a few hundred compressed bytes: over the cap */
	m0 = mark();
	cmd("{\"cmd\":\"oversized\",\"size\":200000}");
	i = wait_ev(m0, "client_close", NULL, NULL, 0, 5000);
	CHECK(i >= 0 && nget(H.ev[i], "code") == 1009);
	expect_reconnect(m0, 6, "inflated past the cap");
	discord_platform_stats(H.p, &st);
	CHECK(st.frames_too_big >= 1);

	m0 = mark();
	cmd("{\"cmd\":\"corrupt_z\"}");
	expect_client_close(m0);
	expect_reconnect(m0, 6, "corrupt zlib stream");
	/* a fresh stream on the new connection: answering again */
	m0 = mark();
	dispatch_msg("MESSAGE_CREATE", "802", CHAN, GUILD, USER, 0,
	    "!faq after the corrupt stream", "", 0);
	CHECK(wait_text(m0, "Answer to: after the corrupt stream", 5000) >=
	    0);
	compress_on = 0;
}

static void
test_unauthorized(void)
{
	size_t m0 = mark();
	struct discord_stats st;

	cmd("{\"cmd\":\"fail\",\"prefix\":\"POST /api/v10/channels/" CHAN
	    "/messages\",\"status\":401,\"count\":1}");
	dispatch_msg("MESSAGE_CREATE", "700", CHAN, GUILD, USER, 0,
	    "!faq unauthorized", "", 0);
	CHECK(wait_ev(m0, "rest_fail", NULL, NULL, 0, 5000) >= 0);
	CHECK(wait_status("fatal", 5000));
	discord_platform_stats(H.p, &st);
	CHECK(st.fatal_reason != NULL &&
	    strstr(st.fatal_reason, "401") != NULL);
}

int
main(void)
{
	char tok[400];
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	log_init(getenv("DISCORD_TEST_DEBUG") ? LOG_LEVEL_DEBUG :
	    LOG_LEVEL_ERROR, "test_discord_live");
	/* a long token: lengths are not assumed */
	for (i = 0; i < sizeof(tok) - 1; i++)
		tok[i] = "abcdefghijklmnopqrstuvwxyz0123456789._-"[i % 39];
	tok[sizeof(tok) - 1] = '\0';
	setenv("DISCORD_DOUBLE_TOKEN", tok, 1);
	uv_loop_init(&H.loop);
	uv_prepare_init(&H.loop, &H.prep);
	uv_prepare_start(&H.prep, on_prepare);
	start_double();

	phase("identify/ready");
	test_identify_ready();
	phase("message replies");
	test_message_reply();
	phase("nonces");
	test_nonce_dedup();
	phase("moderators and escalation");
	test_moderators_escalation();
	phase("slash command");
	test_interaction();
	phase("heartbeats");
	test_heartbeats();
	phase("zombie, op 7, op 9");
	test_zombie_op7_op9();
	phase("close codes");
	test_close_codes();
	phase("resume with replay");
	test_resume_replay();
	phase("resume URL unreachable");
	test_resume_url_fallback();
	phase("rate limits");
	test_rate_limits();
	phase("interactions under a global 429");
	test_interaction_global();
	phase("shared bucket");
	test_shared_bucket();
	phase("bad frames");
	test_bad_frames();
	phase("gateway send limit");
	test_gateway_rate();
	phase("zlib-stream");
	test_zlib_stream();
	phase("401");
	test_unauthorized();

	platform_down();
	close(H.to_double);
	uv_poll_stop(&H.poll);
	uv_close((uv_handle_t *)&H.poll, NULL);
	uv_close((uv_handle_t *)&H.prep, NULL);
	kill(H.pid, SIGTERM);
	waitpid(H.pid, NULL, 0);
	uv_run(&H.loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&H.loop) != 0)
		phase("loop still has handles");
	for (i = 0; i < H.nev; i++)
		cJSON_Delete(H.ev[i]);
	free(H.ev);
	for (i = 0; i < H.ngot; i++) {
		free(H.got[i].text);
		free(H.got[i].id);
	}
	close(H.from_double);
	return CHECK_DONE();
}
