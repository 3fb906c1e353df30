/*
 * test_pipeline.c -- one message in, one reply out: FAQ answers and
 * no-match replies, edits never answered from the FAQ, the reply keeping
 * its kbset alive, the bounded per-user table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "kbfixture.h"
#include "kbset.h"
#include "pipeline.h"

static struct message
msg_of(const char *user, const char *text)
{
	struct message m;

	memset(&m, 0, sizeof(m));
	m.platform = "test";
	m.room = "!room";
	m.user = user;
	m.id = "$event";
	m.text = text;
	m.len = strlen(text);
	return m;
}

static void
test_answer(struct kbset *ks)
{
	struct pipeline *p = pipeline_new(NULL);
	struct message m = msg_of("@ann", "what is drugol");
	struct reply r;
	struct escalation e;

	CHECK_STR(pipeline_region(p), "US");
	CHECK_INT(pipeline_handle(p, ks, &m, 1.0, &r, &e), 0);
	CHECK_INT(r.kind, REPLY_ANSWER);
	CHECK_STR(r.intent, "drug.what_is");
	CHECK(r.text != NULL && strstr(r.text, "made-up medicine") != NULL);
	CHECK(strstr(r.text, "Source: Article A") != NULL);
	CHECK(strstr(r.text, "not medical advice") != NULL);
	CHECK_INT(r.crisis.level, CRISIS_NONE);
	CHECK_INT(e.present, 0);
	CHECK(r.kb == ks);
	reply_free(&r);

	/* no match: kind words, no FAQ answer */
	m = msg_of("@ann", "what is the capital of peru");
	pipeline_handle(p, ks, &m, 2.0, &r, &e);
	CHECK_INT(r.kind, REPLY_NO_MATCH);
	CHECK(r.intent == NULL);
	CHECK(strstr(r.text, "Sorry, I don't know that.") != NULL);
	CHECK(strstr(r.text, "doctor or pharmacist") != NULL);
	reply_free(&r);

	/* an edit is never answered from the FAQ */
	m = msg_of("@ann", "what is drugol");
	m.is_edit = 1;
	pipeline_handle(p, ks, &m, 3.0, &r, &e);
	CHECK_INT(r.kind, REPLY_NONE);
	CHECK(r.intent == NULL);
	CHECK(r.text == NULL || strstr(r.text, "made-up") == NULL);
	CHECK_INT(e.present, 0);
	reply_free(&r);

	/* NUL bytes, invalid UTF-8, empty: a reply, never a crash */
	m = msg_of("@ann", "what");
	m.text = "what\0is drugol\xff";
	m.len = 15;
	CHECK_INT(pipeline_handle(p, ks, &m, 4.0, &r, &e), 0);
	CHECK(r.kind == REPLY_ANSWER || r.kind == REPLY_NO_MATCH);
	reply_free(&r);
	m.text = NULL;
	m.len = 0;
	CHECK_INT(pipeline_handle(p, ks, &m, 5.0, &r, &e), 0);
	CHECK_INT(r.kind, REPLY_NO_MATCH);
	reply_free(&r);

	/* no kbset: an error, nothing to send */
	m = msg_of("@ann", "what is drugol");
	CHECK_INT(pipeline_handle(p, NULL, &m, 6.0, &r, &e), -1);
	CHECK_INT(r.kind, REPLY_NONE);
	reply_free(&r);
	pipeline_free(p);
	pipeline_free(NULL);
}

/* A reply keeps its kbset: the caller may drop its own reference (a
 * reload) while the reply is in flight. */
static void
test_reference(void)
{
	struct diag d;
	struct kbset *ks;
	struct pipeline *p = pipeline_new(NULL);
	struct message m = msg_of("@ann", "drugol side effects");
	struct reply r;
	struct escalation e;

	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	if (ks == NULL) {
		diag_free(&d);
		pipeline_free(p);
		return;
	}
	pipeline_handle(p, ks, &m, 1.0, &r, &e);
	kbset_unref(ks);		/* the reload's drop */
	CHECK_STR(r.intent, "drug.side");	/* still valid (ASan) */
	CHECK_STR(r.sources[0].title, "Article A");
	reply_free(&r);			/* last reference: freed here */
	diag_free(&d);
	pipeline_free(p);
}

/* Crisis before everything: acute and concern get the crisis reply
 * alone, mention the answer plus a footer, abuse of others nothing. */
static void
test_crisis(struct kbset *ks)
{
	struct pipeline *p = pipeline_new(NULL);
	struct message m;
	struct reply r;
	struct escalation e;

	/* acute: crisis reply only, no FAQ text, escalation for the author */
	m = msg_of("@ann", "what is drugol? I want to kill myself tonight");
	pipeline_handle(p, ks, &m, 10.0, &r, &e);
	CHECK_INT(r.kind, REPLY_CRISIS);
	CHECK_INT(r.crisis.level, CRISIS_ACUTE);
	CHECK(r.intent == NULL);
	CHECK_INT(r.nsources, 0);
	CHECK(strstr(r.text, "made-up medicine") == NULL);
	CHECK(strstr(r.text, "Source:") == NULL);
	CHECK(strstr(r.text, "988") != NULL);		/* US default */
	CHECK(strstr(r.text, "bot") != NULL);
	CHECK_INT(e.present, 1);
	CHECK_INT(e.level, CRISIS_ACUTE);
	CHECK_STR(e.user, "@ann");
	CHECK_STR(e.room, "!room");
	CHECK_STR(e.id, "$event");
	CHECK_STR(e.platform, "test");
	reply_free(&r);

	/* the same again soon: replied to, but moderators not told twice */
	m = msg_of("@ann", "i want to kill myself");
	pipeline_handle(p, ks, &m, 20.0, &r, &e);
	CHECK_INT(r.kind, REPLY_CRISIS);
	CHECK_INT(e.present, 0);
	reply_free(&r);

	/* another user is escalated independently */
	m = msg_of("@bob", "i want to kill myself");
	pipeline_handle(p, ks, &m, 21.0, &r, &e);
	CHECK_INT(e.present, 1);
	CHECK_STR(e.user, "@bob");
	reply_free(&r);

	/* mention: the FAQ answer and a one-line footer */
	m = msg_of("@cat", "can drugol cause suicidal thoughts");
	pipeline_handle(p, ks, &m, 30.0, &r, &e);
	CHECK_INT(r.crisis.level, CRISIS_MENTION);
	CHECK(r.kind == REPLY_ANSWER || r.kind == REPLY_NO_MATCH);
	CHECK(r.footer != NULL && strstr(r.text, r.footer) != NULL);
	CHECK_INT(e.present, 0);
	reply_free(&r);

	/* abuse aimed at someone else: no reply to anyone, moderators only */
	m = msg_of("@dan", "kys");
	pipeline_handle(p, ks, &m, 40.0, &r, &e);
	CHECK_INT(r.crisis.kind, CRISIS_ABUSE_OF_OTHERS);
	CHECK_INT(r.kind, REPLY_NONE);
	CHECK(r.text == NULL || r.text[0] == '\0');
	CHECK_INT(e.present, 1);
	CHECK_INT(e.kind, CRISIS_ABUSE_OF_OTHERS);
	CHECK_STR(e.user, "@dan");		/* the author, not a target */
	reply_free(&r);
	{
		/* other wordings of it: never a crisis reply at anybody */
		static const char *const kys[] = { "go kill yourself loser",
		    "kill urself", "why dont you just die",
		    "k y s you absolute clown", "||kys||" };
		size_t i;

		for (i = 0; i < sizeof(kys) / sizeof(kys[0]); i++) {
			m = msg_of("@dan", kys[i]);
			pipeline_handle(p, ks, &m, 41.0 + (double)i, &r, &e);
			CHECK_INT(r.crisis.kind, CRISIS_ABUSE_OF_OTHERS);
			CHECK_INT(r.kind, REPLY_NONE);
			CHECK(r.text == NULL || r.text[0] == '\0');
			reply_free(&r);
		}
	}

	/* an edit is re-checked: harmless then crisis */
	m = msg_of("@eve", "what is drugol");
	m.is_edit = 1;
	pipeline_handle(p, ks, &m, 50.0, &r, &e);
	CHECK_INT(r.kind, REPLY_NONE);
	reply_free(&r);
	m = msg_of("@eve", "i want to kill myself");
	m.is_edit = 1;
	pipeline_handle(p, ks, &m, 51.0, &r, &e);
	CHECK_INT(r.kind, REPLY_CRISIS);
	CHECK_INT(e.present, 1);
	reply_free(&r);

	/* context: ideation, then a lethal-dose question, is acute */
	m = msg_of("@fay", "i want to die");
	pipeline_handle(p, ks, &m, 60.0, &r, &e);
	CHECK(r.crisis.level >= CRISIS_CONCERN);
	reply_free(&r);
	m = msg_of("@fay", "how many klonopin is too many");
	pipeline_handle(p, ks, &m, 90.0, &r, &e);
	CHECK_INT(r.crisis.level, CRISIS_ACUTE);
	CHECK_INT(r.kind, REPLY_CRISIS);
	reply_free(&r);
	/* ... but not for someone else */
	m = msg_of("@gus", "how many klonopin is too many");
	pipeline_handle(p, ks, &m, 91.0, &r, &e);
	CHECK(r.crisis.level < CRISIS_ACUTE);
	reply_free(&r);
	pipeline_free(p);
}

/* Escalations: dedupe per user and level, a higher level goes through,
 * at most escalate_max per window, a new window starts afresh. */
static void
test_escalation_limits(struct kbset *ks)
{
	struct pipeline_opts o;
	struct pipeline *p;
	struct message m;
	struct reply r;
	struct escalation e;
	int sent = 0, i;

	memset(&o, 0, sizeof(o));
	o.escalate_window = 100;
	o.escalate_max = 2;
	p = pipeline_new(&o);
	m = msg_of("@ann", "my friend says she wants to die");	/* concern */
	pipeline_handle(p, ks, &m, 0.0, &r, &e);
	CHECK_INT(r.crisis.level, CRISIS_CONCERN);
	CHECK_INT(e.present, 1);
	reply_free(&r);
	pipeline_handle(p, ks, &m, 1.0, &r, &e);
	CHECK_INT(e.present, 0);		/* duplicate */
	reply_free(&r);
	m = msg_of("@ann", "i want to kill myself");		/* acute */
	pipeline_handle(p, ks, &m, 2.0, &r, &e);
	CHECK_INT(e.present, 1);		/* higher level */
	CHECK_INT(e.level, CRISIS_ACUTE);
	reply_free(&r);
	m = msg_of("@ann", "i took 40 pills");		/* acute, overdose */
	for (i = 0; i < 10; i++) {
		pipeline_handle(p, ks, &m, 3.0 + i, &r, &e);
		CHECK_INT(r.kind, REPLY_CRISIS);	/* always answered */
		sent += e.present;
		reply_free(&r);
	}
	CHECK_INT(sent, 0);			/* rate limit: 2 per window */
	pipeline_handle(p, ks, &m, 150.0, &r, &e);
	CHECK_INT(e.present, 1);		/* next window */
	reply_free(&r);
	pipeline_free(p);
}

/* The per-user table never grows past max_users. */
static void
test_bounded(struct kbset *ks)
{
	struct pipeline_opts o;
	struct pipeline *p;
	struct message m;
	struct reply r;
	struct escalation e;
	char user[32];
	int i;

	memset(&o, 0, sizeof(o));
	o.max_users = 8;
	o.region = "UK";
	p = pipeline_new(&o);
	CHECK_STR(pipeline_region(p), "UK");
	for (i = 0; i < 100; i++) {
		snprintf(user, sizeof(user), "@u%d", i);
		m = msg_of(user, "hello");
		pipeline_handle(p, ks, &m, (double)i, &r, &e);
		reply_free(&r);
		CHECK(pipeline_nusers(p) <= 8);
	}
	CHECK_INT(pipeline_nusers(p), 8);
	/* an old user coming back reuses a slot */
	m = msg_of("@u3", "hello");
	pipeline_handle(p, ks, &m, 200.0, &r, &e);
	reply_free(&r);
	CHECK_INT(pipeline_nusers(p), 8);
	pipeline_free(p);
}

/* The moderators' copy of a text: whole when short, else cut on a
 * character boundary; the pipeline itself never attaches text. */
static void
test_escalation_text(struct kbset *ks)
{
	struct pipeline *p = pipeline_new(NULL);
	struct escalation e;
	struct message m;
	struct reply r;
	/* "ab" then U+00E9 (2 bytes) then U+20AC (3 bytes) */
	const char *t = "ab\xc3\xa9\xe2\x82\xac";

	memset(&e, 0, sizeof(e));
	escalation_set_text(&e, t, 7, 500);
	CHECK(e.text == t && e.len == 7 && e.text_cut == 0);
	escalation_set_text(&e, t, 7, 3);	/* inside the e-acute */
	CHECK_INT(e.len, 2);
	CHECK_INT(e.text_cut, 1);
	escalation_set_text(&e, t, 7, 4);
	CHECK_INT(e.len, 4);
	escalation_set_text(&e, t, 7, 6);	/* inside the euro sign */
	CHECK_INT(e.len, 4);
	escalation_set_text(&e, t, 7, 7);
	CHECK(e.len == 7 && e.text_cut == 0);
	escalation_set_text(&e, NULL, 5, 3);
	CHECK(e.text == NULL && e.len == 0 && e.text_cut == 0);

	memset(&m, 0, sizeof(m));
	m.platform = "test";
	m.user = "u";
	m.text = "I want to kill myself";
	m.len = strlen(m.text);
	CHECK_INT(pipeline_handle(p, ks, &m, 1.0, &r, &e), 0);
	CHECK(e.present && e.text == NULL && e.len == 0);
	reply_free(&r);
	pipeline_free(p);
}

int
main(void)
{
	struct kbset *ks;

	ks = fx_load();
	CHECK(ks != NULL);
	if (ks != NULL) {
		test_answer(ks);
		test_bounded(ks);
		test_crisis(ks);
		test_escalation_limits(ks);
		test_escalation_text(ks);
		kbset_unref(ks);
	}
	test_reference();
	fx_cleanup();
	return CHECK_DONE();
}
