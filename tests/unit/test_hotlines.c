/*
 * test_hotlines.c -- config/hotlines.json loads and validates, and the
 * crisis replies built from it follow the safe-messaging rules: the
 * region's numbers present, the emergency number first when the body is
 * in danger, says it is a bot, no dose digits, no FAQ text, no "committed
 * suicide", no secrecy promise, no moralising; abuse of others gets no
 * reply.  Replies are checked for real detector results too.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "crisis.h"
#include "crisis_load.h"
#include "diag.h"
#include "hotlines.h"

static const char *const regions[] = { "US", "CA", "UK", "IE", "AU", "EU",
    "other", "FR", NULL };

/* Every digit run in s must be part of a number from the region. */
static int
digits_only_numbers(const char *s, const struct hotline_region *r)
{
	const char *p = s;

	while (*p != '\0') {
		const char *q;
		char run[64];
		size_t n = 0;

		if (!isdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		/* take the run with its separators: "1-800-222-1222" */
		for (q = p; *q != '\0' && (isdigit((unsigned char)*q) ||
		    ((*q == '-' || *q == ' ') && isdigit((unsigned char)q[1])))
		    && n + 1 < sizeof(run); q++)
			run[n++] = *q;
		run[n] = '\0';
		if (!((r->emergency && strstr(r->emergency, run)) ||
		    (r->emergency_alt && strstr(r->emergency_alt, run)) ||
		    (r->crisis.call && strstr(r->crisis.call, run)) ||
		    (r->crisis.text && strstr(r->crisis.text, run)) ||
		    (r->crisis.chat && strstr(r->crisis.chat, run)) ||
		    (r->text_line.text && strstr(r->text_line.text, run)) ||
		    (r->poison.call && strstr(r->poison.call, run)) ||
		    (r->poison.note && strstr(r->poison.note, run)) ||
		    (r->crisis.note && strstr(r->crisis.note, run)) ||
		    (r->crisis.name && strstr(r->crisis.name, run)) ||
		    (r->sexual_assault.call &&
		    strstr(r->sexual_assault.call, run)) ||
		    (r->domestic_violence.call &&
		    strstr(r->domestic_violence.call, run)) ||
		    (r->domestic_violence.text &&
		    strstr(r->domestic_violence.text, run)))) {
			fprintf(stderr, "  stray digits \"%s\" in: %s\n", run, s);
			return 0;
		}
		p = q;
	}
	return 1;
}

static int
has(const char *s, const char *needle)
{
	return s != NULL && strcasestr(s, needle) != NULL;
}

/* The rules every reply to a crisis message keeps. */
static void
check_reply_rules(const char *txt, const struct hotline_region *r, int acute)
{
	CHECK(txt != NULL);
	if (txt == NULL)
		return;
	CHECK(has(txt, "bot"));
	CHECK(!has(txt, "committed suicide"));
	CHECK(!has(txt, "commit suicide"));
	CHECK(!has(txt, "secret"));
	CHECK(!has(txt, "confidential"));
	CHECK(!has(txt, "between us"));
	CHECK(!has(txt, "precious"));
	CHECK(!has(txt, "so much to live for"));
	CHECK(!has(txt, "selfish"));
	CHECK(!has(txt, " mg"));
	CHECK(!has(txt, "press 3"));
	CHECK(!has(txt, "Source:"));
	CHECK(has(txt, "keep talking"));
	if (acute)
		CHECK(has(txt, r->emergency));
	CHECK(digits_only_numbers(txt, r));
	CHECK(strlen(txt) < 2000);
}

static void
check_load(struct hotlines *h)
{
	const struct hotline_region *r;
	size_t i;

	CHECK_STR(h->last_verified, "2026-11");
	for (i = 0; regions[i] != NULL; i++)
		CHECK(hotlines_region(h, regions[i]) != NULL);
	CHECK_STR(hotlines_region(h, NULL)->code, "US");
	CHECK_STR(hotlines_region(h, "uk")->code, "UK");
	CHECK_STR(hotlines_region(h, "GB")->code, "UK");
	CHECK_STR(hotlines_region(h, "FR")->code, "other");
	CHECK(!hotlines_has_region(h, "FR"));
	CHECK(hotlines_has_region(h, "au"));
	r = hotlines_region(h, "US");
	CHECK_STR(r->emergency, "911");
	CHECK_STR(r->crisis.call, "988");
	CHECK_STR(r->poison.call, "1-800-222-1222");
	CHECK_STR(hotlines_region(h, "UK")->emergency, "999");
	CHECK_STR(hotlines_region(h, "AU")->emergency, "000");
	CHECK_STR(hotlines_region(h, "AU")->crisis.call, "13 11 14");
	CHECK_STR(hotlines_region(h, "IE")->crisis.call, "116 123");
	CHECK_STR(hotlines_region(h, "CA")->crisis.call, "988");
	CHECK_STR(hotlines_region(h, "EU")->emergency, "112");
	/* footers: one line with the region's line or the directory */
	CHECK(has(hotlines_footer(h, "US"), "988"));
	CHECK(has(hotlines_footer(h, "UK"), "116 123"));
	CHECK(has(hotlines_footer(h, "EU"), "findahelpline.com"));
	CHECK(has(hotlines_footer(h, "ZZ"), "findahelpline.com"));
	CHECK(strchr(hotlines_footer(h, "US"), '\n') == NULL);
}

static void
set(struct crisis_result *res, enum crisis_level l, enum crisis_kind k,
    int emergency, int third, const char *rule)
{
	memset(res, 0, sizeof(*res));
	res->level = l;
	res->kind = k;
	res->emergency = emergency;
	res->third_party = third;
	res->matched[0] = rule;
	res->nmatched = 1;
}

static void
check_replies(struct hotlines *h)
{
	struct crisis_result res;
	size_t i;
	char *t;

	for (i = 0; regions[i] != NULL; i++) {
		const struct hotline_region *r = hotlines_region(h, regions[i]);
		const char *emerg = r->emergency;
		char *p;

		/* acute suicide: crisis line first, emergency after */
		set(&res, CRISIS_ACUTE, CRISIS_SUICIDE, 0, 0, "suicide.intent");
		t = crisis_reply_compose(h, regions[i], &res);
		check_reply_rules(t, r, res.level == CRISIS_ACUTE);
		if (t != NULL && r->crisis.call != NULL) {
			p = strstr(t, r->crisis.call);
			CHECK(p != NULL && p < strstr(t, emerg));
		}
		if (t != NULL && strcmp(r->code, "other") != 0)
			CHECK(has(t, "findahelpline.com"));
		free(t);
		/* acute overdose, emergency: emergency number first */
		set(&res, CRISIS_ACUTE, CRISIS_OVERDOSE, 1, 0, "overdose.taken");
		t = crisis_reply_compose(h, regions[i], &res);
		check_reply_rules(t, r, res.level == CRISIS_ACUTE);
		if (t != NULL) {
			p = strstr(t, emerg);
			CHECK(p != NULL);
			if (r->crisis.call != NULL)
				CHECK(p < strstr(t, r->crisis.call));
			if (r->poison.call != NULL)
				CHECK(has(t, r->poison.call));
		}
		free(t);
		/* medical emergency: emergency first */
		set(&res, CRISIS_ACUTE, CRISIS_MEDICAL_EMERGENCY, 1, 1,
		    "medical.breathing");
		t = crisis_reply_compose(h, regions[i], &res);
		check_reply_rules(t, r, res.level == CRISIS_ACUTE);
		CHECK(t != NULL && strstr(t, emerg) != NULL &&
		    strstr(t, emerg) - t < 60);
		free(t);
		/* concerns: one resource each, all the rules */
		set(&res, CRISIS_CONCERN, CRISIS_SUICIDE, 0, 0,
		    "suicide.passive");
		t = crisis_reply_compose(h, regions[i], &res);
		check_reply_rules(t, r, res.level == CRISIS_ACUTE);
		free(t);
		set(&res, CRISIS_CONCERN, CRISIS_SUICIDE, 0, 1,
		    "suicide.intent");
		t = crisis_reply_compose(h, regions[i], &res);
		check_reply_rules(t, r, res.level == CRISIS_ACUTE);
		CHECK(has(t, "ask them"));
		free(t);
		set(&res, CRISIS_CONCERN, CRISIS_OVERDOSE, 0, 0,
		    "overdose.lethal_question");
		t = crisis_reply_compose(h, regions[i], &res);
		check_reply_rules(t, r, res.level == CRISIS_ACUTE);
		CHECK(has(t, "can't help with amounts"));
		free(t);
		set(&res, CRISIS_CONCERN, CRISIS_VIOLENCE, 0, 0,
		    "violence.sexual");
		t = crisis_reply_compose(h, regions[i], &res);
		check_reply_rules(t, r, res.level == CRISIS_ACUTE);
		CHECK(has(t, "not your fault"));
		free(t);
		/* abuse aimed at others, and mentions: no crisis reply */
		set(&res, CRISIS_CONCERN, CRISIS_ABUSE_OF_OTHERS, 0, 0,
		    "abuse.kys");
		CHECK(crisis_reply_compose(h, regions[i], &res) == NULL);
		set(&res, CRISIS_MENTION, CRISIS_SUICIDE, 0, 0,
		    "suicide.topic");
		CHECK(crisis_reply_compose(h, regions[i], &res) == NULL);
	}
	/* US specifics: 988 call/text/chat, Poison Help, RAINN, DV line */
	set(&res, CRISIS_ACUTE, CRISIS_SUICIDE, 0, 0, "suicide.intent");
	t = crisis_reply_compose(h, "US", &res);
	CHECK(has(t, "call or text 988"));
	CHECK(has(t, "988lifeline.org"));
	free(t);
	set(&res, CRISIS_CONCERN, CRISIS_VIOLENCE, 0, 0, "violence.sexual");
	t = crisis_reply_compose(h, "US", &res);
	CHECK(has(t, "800-656-4673"));
	free(t);
	set(&res, CRISIS_CONCERN, CRISIS_VIOLENCE, 0, 0, "violence.domestic");
	t = crisis_reply_compose(h, "US", &res);
	CHECK(has(t, "800-799-7233"));
	free(t);
	set(&res, CRISIS_CONCERN, CRISIS_OVERDOSE, 0, 0,
	    "overdose.lethal_question");
	t = crisis_reply_compose(h, "US", &res);
	CHECK(has(t, "1-800-222-1222"));
	free(t);
}

/* Real messages through the detector, then the reply. */
static void
check_end_to_end(struct hotlines *h)
{
	static const char *const msgs[] = {
		"how many klonopin would kill me",
		"I took 30 klonopin",
		"my son swallowed my pills",
		"what's the lethal dose of zoloft? asking for a friend",
		"I want to kill myself tonight",
		"he's not breathing",
		NULL,
	};
	struct diag d;
	struct crisis *c;
	size_t i;

	diag_init(&d);
	c = crisis_load("faq/crisis.json", &d);
	diag_free(&d);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	for (i = 0; msgs[i] != NULL; i++) {
		struct crisis_result res;
		char *t;

		crisis_check(c, msgs[i], strlen(msgs[i]), NULL, 0, &res);
		CHECK(res.level >= CRISIS_CONCERN);
		t = crisis_reply_compose(h, "US", &res);
		check_reply_rules(t, hotlines_region(h, "US"),
		    res.level == CRISIS_ACUTE);
		if (res.kind == CRISIS_OVERDOSE && res.level == CRISIS_ACUTE &&
		    res.emergency && t != NULL)
			CHECK(strstr(t, "911") != NULL &&
			    (strstr(t, "988") == NULL ||
			    strstr(t, "911") < strstr(t, "988")));
		free(t);
	}
	crisis_free(c);
}

static void
check_validation(void)
{
	const char *path = "build/tests/hotlines-bad.json";
	struct diag d;
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		CHECK(0);
		return;
	}
	fputs("{\"last_verified\": \"Nov 2026\", \"directory\": \"\",\n"
	    " \"regions\": {\"US\": {\"name\": \"US\", \"emergency\": \" \","
	    " \"crisis\": {\"name\": \"x\"}}}}\n", fp);
	fclose(fp);
	diag_init(&d);
	CHECK(hotlines_load(path, &d) == NULL);
	/* date, directory, emergency empty, crisis number, 6 regions */
	CHECK(d.n >= 10);
	diag_print(&d, stderr);
	diag_free(&d);
	remove(path);
	diag_init(&d);
	CHECK(hotlines_load("build/tests/no-such-file.json", &d) == NULL);
	CHECK_INT(d.n, 1);
	diag_free(&d);
}

int
main(void)
{
	struct diag d;
	struct hotlines *h;

	diag_init(&d);
	h = hotlines_load("config/hotlines.json", &d);
	diag_print(&d, stderr);
	diag_free(&d);
	CHECK(h != NULL);
	if (h != NULL) {
		check_load(h);
		check_replies(h);
		check_end_to_end(h);
	}
	check_validation();
	hotlines_free(h);
	return CHECK_DONE();
}
