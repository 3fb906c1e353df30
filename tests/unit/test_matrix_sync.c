/*
 * test_matrix_sync.c -- the Matrix adapter without a network: the config
 * section's validation, the sync-response handler (who is answered,
 * invites, edits, threads, moderators, encrypted rooms, hostile JSON),
 * reply formatting and HTML escaping, stable txnIds, and the state file
 * (since saved only once the batch's replies are out, seen events).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "diag.h"
#include "matrix_int.h"

struct got {
	int		 n;
	char		 text[8][256];
	char		 room[8][64];
	char		 thread[8][64];
	int		 is_dm[8], is_edit[8], from_mod[8];
	int		 reply;		/* send a reply from dispatch */
};

static void
dispatch(void *router, struct platform *p, const struct message *msg)
{
	struct got *g = router;
	struct reply r;
	int i = g->n < 8 ? g->n : 7;

	snprintf(g->text[i], sizeof(g->text[i]), "%.*s", (int)msg->len,
	    msg->text);
	snprintf(g->room[i], sizeof(g->room[i]), "%s", msg->room);
	snprintf(g->thread[i], sizeof(g->thread[i]), "%s",
	    msg->thread ? msg->thread : "");
	g->is_dm[i] = msg->is_dm;
	g->is_edit[i] = msg->is_edit;
	g->from_mod[i] = msg->from_moderator;
	g->n++;
	if (g->reply) {
		memset(&r, 0, sizeof(r));
		r.kind = REPLY_ANSWER;
		r.body = "answer <b>";
		r.text = "answer <b> plain";
		r.disclaimer = "Not medical advice.";
		p->ops->send(p, msg, &r);
	}
}

static struct matrix_config *
config(const char *json, struct diag *d)
{
	cJSON *j = cJSON_Parse(json);
	void *out = NULL;

	if (matrix_config(j, "test.json", d, &out) == -1)
		out = NULL;
	cJSON_Delete(j);
	return out;
}

static const char *base_cfg =
    "{\"homeserver\":\"http://127.0.0.1:8008\","
    "\"user_id\":\"@faqbot:test.local\",\"token_env\":\"X\","
    "\"display_name\":\"FAQ Bot\","
    "\"allow_invites_from\":[\"@alice:test.local\",\"friends.org\"],"
    "\"faq_rooms\":[\"!faq:test.local\"],"
    "\"moderators\":[\"@mod:test.local\"],"
    "\"moderator_power_level\":50}";

static int
handle(struct matrix *m, const char *s)
{
	return mx_sync_handle(m, s, strlen(s));
}

static size_t
count_out(struct matrix *m, enum mx_out_kind k)
{
	struct mx_out *o;
	size_t n = 0;

	for (o = m->out_head; o != NULL; o = o->next)
		if (o->kind == k)
			n++;
	return n;
}

static void
drain(struct matrix *m)
{
	while (m->out_head != NULL)
		mx_out_done(m, m->out_head);
}

static void
test_config(void)
{
	struct diag d;
	struct matrix_config *c;
	size_t i;
	int found;

	diag_init(&d);
	c = config(base_cfg, &d);
	CHECK(c != NULL);
	CHECK_INT(d.n, 0);
	CHECK_STR(c->prefix, "!faq");
	CHECK_INT(c->nrooms, 1);
	CHECK_INT(c->rooms[0].answer, MATRIX_ANSWER_ALL);
	matrix_config_free(c);
	diag_free(&d);

	diag_init(&d);
	c = config("{\"homeserver\":\"http://example.org\","
	    "\"user_id\":\"faqbot\",\"token_env\":\"X\","
	    "\"password_file\":\"/nonexistent\",\"bogus\":1,"
	    "\"faq_rooms\":[\"#alias:x\"],\"rooms\":{\"!a:b\":"
	    "{\"answer\":\"sometimes\"}},\"crisis_by_dm\":\"yes\"}", &d);
	CHECK(c == NULL);
	found = 0;
	for (i = 0; i < d.n; i++) {
		if (strstr(d.msgs[i], "test.json: matrix.homeserver:"))
			found |= 1;
		if (strstr(d.msgs[i], "matrix.user_id: not a user id"))
			found |= 2;
		if (strstr(d.msgs[i], "matrix.bogus: unknown key"))
			found |= 4;
		if (strstr(d.msgs[i], "matrix.faq_rooms[0]:"))
			found |= 8;
		if (strstr(d.msgs[i], "matrix.rooms.!a:b.answer:"))
			found |= 16;
		if (strstr(d.msgs[i], "matrix.crisis_by_dm:"))
			found |= 32;
		if (strstr(d.msgs[i], "matrix.password_file: cannot read"))
			found |= 64;
		if (strstr(d.msgs[i], "give only one of"))
			found |= 128;
		if (strstr(d.msgs[i], "matrix.device_id:"))
			found |= 256;
	}
	CHECK_INT(found, 511);
	diag_free(&d);
}

static void
test_sync(void)
{
	struct diag d;
	struct matrix *m;
	struct got g;
	char *old;
	int rc;

	memset(&g, 0, sizeof(g));
	diag_init(&d);
	m = mx_new(config(base_cfg, &d), NULL, dispatch, &g);
	CHECK(m->initial);

	/* first start: history is skipped, invites are decided */
	rc = handle(m, "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{"
	    "\"!old:test.local\":{\"timeline\":{\"events\":[{\"type\":"
	    "\"m.room.message\",\"event_id\":\"$old\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"!faq old question\"}}]}}},"
	    "\"invite\":{\"!a:test.local\":{\"invite_state\":{\"events\":["
	    "{\"type\":\"m.room.member\",\"state_key\":\"@faqbot:test.local\","
	    "\"sender\":\"@alice:test.local\",\"content\":{\"membership\":"
	    "\"invite\",\"is_direct\":true}}]}},"
	    "\"!b:test.local\":{\"invite_state\":{\"events\":["
	    "{\"type\":\"m.room.member\",\"state_key\":\"@faqbot:test.local\","
	    "\"sender\":\"@eve:evil.org\",\"content\":{\"membership\":"
	    "\"invite\"}}]}},"
	    "\"!c:test.local\":{\"invite_state\":{\"events\":["
	    "{\"type\":\"m.room.member\",\"state_key\":\"@faqbot:test.local\","
	    "\"sender\":\"@carol:friends.org\",\"content\":{\"membership\":"
	    "\"invite\"}}]}}}}}");
	CHECK_INT(rc, 0);
	CHECK_STR(m->since, "s1");
	CHECK_INT(g.n, 0);
	CHECK_INT(count_out(m, MX_OUT_JOIN), 2);
	CHECK_INT(count_out(m, MX_OUT_LEAVE), 1);
	CHECK(mx_is_dm_room(m, "!a:test.local"));
	CHECK(!m->initial);
	drain(m);

	/* the same invite again: not queued twice */
	rc = handle(m, "{\"next_batch\":\"s1b\",\"rooms\":{\"invite\":{"
	    "\"!c:test.local\":{\"invite_state\":{\"events\":["
	    "{\"type\":\"m.room.member\",\"state_key\":\"@faqbot:test.local\","
	    "\"sender\":\"@carol:friends.org\",\"content\":{\"membership\":"
	    "\"invite\"}}]}}}}}");
	CHECK_INT(count_out(m, MX_OUT_JOIN), 0);

	/* who is answered */
	g.reply = 1;
	rc = handle(m, "{\"next_batch\":\"s2\",\"rooms\":{\"join\":{"
	    "\"!r:test.local\":{\"summary\":{\"m.joined_member_count\":3},"
	    "\"state\":{\"events\":[{\"type\":\"m.room.power_levels\","
	    "\"state_key\":\"\",\"sender\":\"@x:y\",\"content\":{\"users\":"
	    "{\"@pl:test.local\":50},\"users_default\":0}}]},"
	    "\"timeline\":{\"events\":["
	    "{\"type\":\"m.room.message\",\"event_id\":\"$before\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"!faq asked before the bot joined\"}},"
	    "{\"type\":\"m.room.member\",\"state_key\":\"@faqbot:test.local\","
	    "\"event_id\":\"$j\",\"sender\":\"@faqbot:test.local\","
	    "\"content\":{\"membership\":\"join\",\"displayname\":\"Helper\"}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$1\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"!faq what is sertraline\"}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$2\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"just chatting\"}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$3\",\"sender\":"
	    "\"@bot2:test.local\",\"content\":{\"msgtype\":\"m.notice\","
	    "\"body\":\"!faq I am a bot\"}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$4\",\"sender\":"
	    "\"@faqbot:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"!faq myself\"}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$5\",\"sender\":"
	    "\"@pl:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"Helper: side effects?\",\"m.relates_to\":{"
	    "\"rel_type\":\"m.thread\",\"event_id\":\"$root\"}}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$6\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"hey there\",\"m.mentions\":{\"user_ids\":"
	    "[\"@faqbot:test.local\"]}}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$7\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"* !faq edited\",\"m.new_content\":{\"msgtype\":"
	    "\"m.text\",\"body\":\"!faq edited\"},\"m.relates_to\":{"
	    "\"rel_type\":\"m.replace\",\"event_id\":\"$1\"}}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$8\",\"sender\":"
	    "\"@mod:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"!faq stats\"}}"
	    "]}},"
	    "\"!faq:test.local\":{\"timeline\":{\"events\":["
	    "{\"type\":\"m.room.message\",\"event_id\":\"$9\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"no prefix in a FAQ room\"}}]}},"
	    "\"!a:test.local\":{\"timeline\":{\"events\":["
	    "{\"type\":\"m.room.message\",\"event_id\":\"$10\",\"sender\":"
	    "\"@alice:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"a DM\"}}]}}"
	    "}}}");
	CHECK_INT(rc, 0);
	CHECK_INT(g.n, 7);
	CHECK_STR(g.text[0], "!faq what is sertraline");
	CHECK_INT(g.from_mod[0], 0);
	CHECK_STR(g.text[1], "side effects?");	/* display-name address */
	CHECK_STR(g.thread[1], "$root");
	CHECK_INT(g.from_mod[1], 1);		/* power level 50 */
	CHECK_STR(g.text[2], "hey there");	/* m.mentions */
	CHECK_STR(g.text[3], "!faq edited");
	CHECK_INT(g.is_edit[3], 1);
	CHECK_INT(g.is_edit[0], 0);
	CHECK_INT(g.from_mod[4], 1);		/* configured moderator */
	CHECK_STR(g.room[5], "!faq:test.local");
	CHECK_STR(g.text[6], "a DM");
	CHECK_INT(g.is_dm[6], 1);
	CHECK_INT(g.is_dm[0], 0);
	CHECK_INT(count_out(m, MX_OUT_SEND), 7);
	CHECK_STR(m->own_name, "Helper");

	/* a reply: m.notice, HTML, rich reply, thread; stable txnId */
	{
		struct mx_out *o = m->out_head->next;	/* reply to $5 */
		cJSON *c = cJSON_Parse(o->body);
		const cJSON *rel = cJSON_GetObjectItem(c, "m.relates_to");

		CHECK_STR(o->event, "$5");
		CHECK_STR(cJSON_GetObjectItem(c, "msgtype")->valuestring,
		    "m.notice");
		CHECK_STR(cJSON_GetObjectItem(c, "body")->valuestring,
		    "answer <b> plain");
		CHECK_STR(cJSON_GetObjectItem(c, "format")->valuestring,
		    "org.matrix.custom.html");
		CHECK_STR(cJSON_GetObjectItem(c,
		    "formatted_body")->valuestring,
		    "<p>answer &lt;b&gt;</p><p><em>Not medical advice."
		    "</em></p>");
		CHECK_STR(cJSON_GetObjectItem(rel, "rel_type")->valuestring,
		    "m.thread");
		CHECK_STR(cJSON_GetObjectItem(rel, "event_id")->valuestring,
		    "$root");
		CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(rel,
		    "m.in_reply_to"), "event_id")->valuestring, "$5");
		cJSON_Delete(c);
		old = strdup(m->out_head->txn);
	}

	/* the batch again (a since that did not move): nothing twice */
	drain(m);
	g.n = 0;
	rc = handle(m, "{\"next_batch\":\"s3\",\"rooms\":{\"join\":{"
	    "\"!r:test.local\":{\"timeline\":{\"events\":["
	    "{\"type\":\"m.room.message\",\"event_id\":\"$1\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"!faq what is sertraline\"}}]}}}}}");
	CHECK_INT(g.n, 0);
	CHECK_INT(m->nout, 0);

	/* same message, fresh adapter: same txnId (retries never dupe) */
	{
		struct got g2;
		struct matrix *m2;

		memset(&g2, 0, sizeof(g2));
		g2.reply = 1;
		m2 = mx_new(config(base_cfg, &d), NULL, dispatch, &g2);
		m2->initial = 0;
		handle(m2, "{\"next_batch\":\"s3\",\"rooms\":{\"join\":{"
		    "\"!r:test.local\":{\"timeline\":{\"events\":["
		    "{\"type\":\"m.room.message\",\"event_id\":\"$1\","
		    "\"sender\":\"@bob:test.local\",\"content\":{\"msgtype\":"
		    "\"m.text\",\"body\":\"!faq what is sertraline\"}}]}}}}}");
		CHECK(m2->out_head != NULL);
		if (m2->out_head != NULL)
			CHECK_STR(m2->out_head->txn, old);
		mx_free(m2);
	}
	free(old);

	/* encrypted room: one notice, only once */
	rc = handle(m, "{\"next_batch\":\"s4\",\"rooms\":{\"join\":{"
	    "\"!e:test.local\":{\"state\":{\"events\":[{\"type\":"
	    "\"m.room.encryption\",\"state_key\":\"\",\"sender\":\"@x:y\","
	    "\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}}]},"
	    "\"timeline\":{\"events\":[{\"type\":\"m.room.encrypted\","
	    "\"event_id\":\"$e1\",\"sender\":\"@bob:test.local\",\"content\":"
	    "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"ciphertext\":\"x\"}}]}"
	    "}}}}");
	CHECK_INT(count_out(m, MX_OUT_SEND), 1);
	rc = handle(m, "{\"next_batch\":\"s5\",\"rooms\":{\"join\":{"
	    "\"!e:test.local\":{\"timeline\":{\"events\":[{\"type\":"
	    "\"m.room.encrypted\",\"event_id\":\"$e2\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"ciphertext\":\"y\"}}]}}}}}");
	CHECK_INT(count_out(m, MX_OUT_SEND), 1);
	drain(m);

	/* alone but someone is invited (a DM we opened): stay */
	rc = handle(m, "{\"next_batch\":\"s6a\",\"rooms\":{\"join\":{"
	    "\"!r:test.local\":{\"summary\":{\"m.joined_member_count\":1,"
	    "\"m.invited_member_count\":1}}}}}");
	CHECK_INT(count_out(m, MX_OUT_LEAVE), 0);
	/* alone in a room: leave */
	rc = handle(m, "{\"next_batch\":\"s6\",\"rooms\":{\"join\":{"
	    "\"!r:test.local\":{\"summary\":{\"m.joined_member_count\":1,"
	    "\"m.invited_member_count\":0}}}}}");
	CHECK_INT(count_out(m, MX_OUT_LEAVE), 1);
	CHECK(mx_room_get(m, "!r:test.local", 0) == NULL);
	drain(m);

	/* hostile input: skipped, never a crash, since kept on garbage */
	g.n = 0;
	CHECK_INT(handle(m, "not json"), -1);
	CHECK_INT(handle(m, "[1,2]"), -1);
	CHECK_INT(handle(m, "{\"rooms\":{}}"), -1);
	CHECK_INT(handle(m, "{\"next_batch\":7}"), -1);
	CHECK_STR(m->since, "s6");
	rc = handle(m, "{\"next_batch\":\"s7\",\"rooms\":{\"join\":["
	    "1,2],\"invite\":{\"!x:y\":5,\"nosigil\":{}}},\"account_data\":"
	    "{\"events\":[{\"type\":\"m.direct\",\"content\":{\"@u:v\":"
	    "[1,\"!dm:v\",{}]}}]}}");
	CHECK_INT(rc, 0);
	CHECK(mx_is_dm_room(m, "!dm:v"));
	rc = handle(m, "{\"next_batch\":\"s8\",\"rooms\":{\"join\":{"
	    "\"!h:test.local\":{\"summary\":[],\"state\":{\"events\":"
	    "[\"x\",{\"type\":5}]},\"timeline\":{\"events\":["
	    "\"str\",7,null,{\"type\":\"m.room.message\"},"
	    "{\"type\":\"m.room.message\",\"event_id\":5,\"sender\":\"@a:b\","
	    "\"content\":{}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$h1\",\"sender\":"
	    "\"@a:b\",\"content\":\"str\"},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$h2\",\"sender\":"
	    "\"@a:b\",\"content\":{\"msgtype\":\"m.text\",\"body\":7}},"
	    "{\"type\":\"m.room.message\",\"event_id\":\"$h3\",\"sender\":"
	    "\"@a:b\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"!faq ok\","
	    "\"m.relates_to\":\"x\",\"m.mentions\":{\"user_ids\":7}}}"
	    "]}}}}}");
	CHECK_INT(rc, 0);
	CHECK_INT(g.n, 1);
	CHECK_STR(g.text[0], "!faq ok");
	CHECK_STR(m->since, "s8");
	{
		/* a 20 KB body is skipped, not answered */
		size_t n = 20000;
		char *big = malloc(n + 512), *p;

		p = big + snprintf(big, 512, "{\"next_batch\":\"s9\",\"rooms\":"
		    "{\"join\":{\"!h:test.local\":{\"timeline\":{\"events\":["
		    "{\"type\":\"m.room.message\",\"event_id\":\"$big\","
		    "\"sender\":\"@a:b\",\"content\":{\"msgtype\":\"m.text\","
		    "\"body\":\"!faq ");
		memset(p, 'a', n);
		snprintf(p + n, 64, "\"}}]}}}}}");
		g.n = 0;
		CHECK_INT(handle(m, big), 0);
		CHECK_INT(g.n, 0);
		CHECK(mx_seen(m, "$big"));
		free(big);
	}
	drain(m);
	mx_free(m);
	diag_free(&d);
}

static void
test_html(void)
{
	char *s = mx_html_escape("<a href='x'>&\"\n", 16);
	struct reply r;
	char *c, *link;
	struct escalation e;

	CHECK_STR(s, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;\n");
	free(s);
	memset(&r, 0, sizeof(r));
	r.kind = REPLY_ANSWER;
	r.body = "line1\nline2 & <x>";
	r.nsources = 2;
	r.sources[0].title = "NHS <Sertraline>";
	r.sources[0].url = "https://nhs.uk/a?b=1&c=\"2\"";
	r.sources[0].publisher = "NHS";
	r.sources[1].title = "Bad link";
	r.sources[1].url = "javascript:alert(1)";
	r.disclaimer = "General information.";
	c = mx_fmt_reply(&r, "$q", NULL);
	CHECK(strstr(c, "line1<br>line2 &amp; &lt;x&gt;") != NULL);
	CHECK(strstr(c, "<a href=\\\"https://nhs.uk/a?b=1&amp;c=&quot;2&quot;"
	    "\\\">NHS &lt;Sertraline&gt;</a> (NHS)") != NULL);
	CHECK(strstr(c, "javascript") == NULL || strstr(c,
	    "href=\\\"javascript") == NULL);
	CHECK(strstr(c, "\"m.in_reply_to\":{\"event_id\":\"$q\"}") != NULL);
	CHECK(strstr(c, "m.thread") == NULL);
	free(c);
	link = mx_fmt_link("!r:x.org", "$e/1", "x.org");
	CHECK_STR(link, "https://matrix.to/#/%21r%3Ax.org/%24e%2F1?via=x.org");
	free(link);
	memset(&e, 0, sizeof(e));
	e.present = 1;
	e.level = CRISIS_ACUTE;
	e.kind = CRISIS_SUICIDE;
	e.room = "!r:x.org";
	e.id = "$e";
	e.user = "@u:x.org";
	c = mx_fmt_escalation(&e, "x.org");
	CHECK(strstr(c, "acute (suicide)") != NULL);
	CHECK(strstr(c, "https://matrix.to/#/%21r%3Ax.org/%24e") != NULL);
	CHECK(strstr(c, "Message:") == NULL && strstr(c, "blockquote") ==
	    NULL);
	free(c);
	/* privacy.escalation_include_text: the text, escaped, marked cut */
	e.text = "<b>help</b> & \xff";
	e.len = strlen(e.text);
	e.text_cut = 1;
	c = mx_fmt_escalation(&e, "x.org");
	CHECK(strstr(c, "\\nMessage: <b>help</b> & \xef\xbf\xbd [...]") !=
	    NULL);
	CHECK(strstr(c, "<blockquote>&lt;b&gt;help&lt;/b&gt; &amp; "
	    "\xef\xbf\xbd [...]</blockquote>") != NULL);
	free(c);
}

static void
test_store(void)
{
	char dir[] = "/tmp/test_matrix_XXXXXX";
	struct diag d;
	struct matrix *m;
	struct got g;
	char path[128];

	CHECK(mkdtemp(dir) != NULL);
	diag_init(&d);
	memset(&g, 0, sizeof(g));
	g.reply = 1;
	m = mx_new(config(base_cfg, &d), dir, dispatch, &g);
	m->initial = 0;
	m->seq++;
	handle(m, "{\"next_batch\":\"s10\",\"rooms\":{\"join\":{"
	    "\"!r:test.local\":{\"timeline\":{\"events\":["
	    "{\"type\":\"m.room.message\",\"event_id\":\"$s1\",\"sender\":"
	    "\"@bob:test.local\",\"content\":{\"msgtype\":\"m.text\","
	    "\"body\":\"!faq q\"}}]}}}}}");
	mx_pend_push(m);
	CHECK(m->saved_since == NULL);		/* reply not out yet */
	CHECK(!mx_seen(m, "$s1"));
	m->seq++;
	handle(m, "{\"next_batch\":\"s11\"}");
	mx_pend_push(m);
	CHECK(m->saved_since == NULL);
	drain(m);
	CHECK_STR(m->saved_since, "s11");
	CHECK(mx_seen(m, "$s1"));
	mx_free(m);

	memset(&g, 0, sizeof(g));
	m = mx_new(config(base_cfg, &d), dir, dispatch, &g);
	CHECK(!m->initial);
	CHECK(m->full_state);
	CHECK_STR(m->since, "s11");
	CHECK(mx_seen(m, "$s1"));
	mx_free(m);
	snprintf(path, sizeof(path), "%s/matrix.json", dir);
	unlink(path);
	rmdir(dir);
	diag_free(&d);
}

int
main(void)
{
	test_config();
	test_sync();
	test_html();
	test_store();
	return CHECK_DONE();
}
