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

int
main(void)
{
	struct diag d;
	struct kbset *ks;

	if (fx_make() == NULL) {
		fprintf(stderr, "cannot create the fixture KB\n");
		return 1;
	}
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	if (ks != NULL) {
		test_answer(ks);
		test_bounded(ks);
		kbset_unref(ks);
	} else
		diag_print(&d, stderr);
	diag_free(&d);
	test_reference();
	fx_cleanup();
	return CHECK_DONE();
}
