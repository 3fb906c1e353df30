/*
 * test_compose.c -- reply text: answer, one Source line per article with
 * "not stated" fields spelled out and links only when known, footer,
 * disclaimer; no-match wording with at most three close suggestions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compose.h"
#include "diag.h"
#include "kbfixture.h"
#include "kbset.h"
#include "xmalloc.h"

static void
test_source_line(void)
{
	struct reply_source s = { "x", "Title", "Pub", "2023-04-01",
	    "https://e.org/a" };
	char buf[256], small[16];
	size_t n;

	n = compose_source_line(buf, sizeof(buf), &s, "not stated");
	CHECK_STR(buf, "Source: Title (Pub, 2023-04-01) https://e.org/a");
	CHECK_INT(n, strlen(buf));
	s.publisher = "not stated";
	s.date = "not stated";
	s.url = "not stated";
	compose_source_line(buf, sizeof(buf), &s, "not stated");
	CHECK_STR(buf, "Source: Title (publisher not stated, date not "
	    "stated)");
	s.title = "not stated";
	s.publisher = NULL;
	compose_source_line(buf, sizeof(buf), &s, "not stated");
	CHECK_STR(buf, "Source: untitled article (publisher not stated, "
	    "date not stated)");
	/* truncation is safe and reports the needed length */
	n = compose_source_line(small, sizeof(small), &s, "not stated");
	CHECK_INT(strlen(small), sizeof(small) - 1);
	CHECK(n > sizeof(small));
}

static void
test_answer(struct kbset *ks)
{
	struct reply r;

	memset(&r, 0, sizeof(r));
	compose_answer(&r, ks, 0, 0.87);
	CHECK_INT(r.kind, REPLY_ANSWER);
	CHECK_STR(r.intent, "drug.what_is");
	CHECK_INT(r.nsources, 2);
	CHECK_STR(r.text, "Drugol is a made-up medicine.\n\n"
	    "Source: Article A (Pub, 2023-04-01) https://example.org/a\n"
	    "Source: Article B (publisher not stated, date not stated)\n\n"
	    "General information, not medical advice.");
	reply_free(&r);

	/* bot.* intents: no Source line; a footer goes before the
	 * disclaimer */
	memset(&r, 0, sizeof(r));
	r.footer = xstrdup("Footer line.");
	compose_answer(&r, ks, 2, 0.9);
	CHECK_INT(r.nsources, 0);
	CHECK_STR(r.text, "Hello! Ask me about drugol.\n\nFooter line.\n"
	    "General information, not medical advice.");
	CHECK(strstr(r.text, "Source:") == NULL);
	reply_free(&r);
	reply_free(&r);		/* twice is safe */
}

static void
test_no_match(struct kbset *ks)
{
	struct reply r;
	struct match_result m;

	memset(&m, 0, sizeof(m));
	m.intent = -1;
	m.confidence = 0.2;
	m.alts[0].intent = 1;
	m.alts[0].confidence = 0.4;
	m.alts[1].intent = 2;		/* bot.greeting: never suggested */
	m.alts[1].confidence = 0.3;
	m.alts[2].intent = 0;
	m.alts[2].confidence = 0.05;	/* too far */
	m.nalts = 3;
	memset(&r, 0, sizeof(r));
	compose_no_match(&r, ks, &m);
	CHECK_INT(r.kind, REPLY_NO_MATCH);
	CHECK(r.intent == NULL);
	CHECK_INT(r.nsuggest, 1);
	CHECK_STR(r.text, "Sorry, I don't know that.\n"
	    "Did you mean:\n- What are drugol's side effects?\n"
	    "Ask a doctor or pharmacist.");
	reply_free(&r);

	/* nothing close: no "did you mean" at all */
	m.nalts = 0;
	compose_no_match(&r, ks, &m);
	CHECK_INT(r.nsuggest, 0);
	CHECK(strstr(r.text, "Did you mean") == NULL);
	CHECK(strstr(r.text, "doctor or pharmacist") != NULL);
	reply_free(&r);

	/* out-of-range indices from a confused caller are skipped */
	m.alts[0].intent = 99;
	m.alts[0].confidence = 0.9;
	m.alts[1].intent = 0;
	m.alts[1].confidence = 0.5;
	m.alts[2].intent = 0;
	m.alts[2].confidence = 0.5;
	m.nalts = 3;
	compose_no_match(&r, ks, &m);
	CHECK_INT(r.nsuggest, 1);	/* duplicates collapsed */
	reply_free(&r);
}

int
main(void)
{
	struct diag d;
	struct kbset *ks;

	test_source_line();
	if (fx_make() == NULL) {
		fprintf(stderr, "cannot create the fixture KB\n");
		return 1;
	}
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	if (ks != NULL) {
		test_answer(ks);
		test_no_match(ks);
		kbset_unref(ks);
	} else
		diag_print(&d, stderr);
	diag_free(&d);
	fx_cleanup();
	return CHECK_DONE();
}
