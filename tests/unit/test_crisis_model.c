/*
 * test_crisis_model.c -- the crisis detector's learned backstop
 * (intents/crisis_model.c, trained on faq/crisis-examples.tsv): it raises
 * a held-out indirect message the rules miss, never lowers a rule result,
 * leaves idioms and medication questions alone, names "model:<class>";
 * its training errors; and the examples loader's file:line errors
 * (bot/crisis_examples.c).  The messages here are not in the training
 * file nor in tests/eval/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crisis.h"
#include "crisis_load.h"
#include "diag.h"

static enum crisis_level
level(const struct crisis *c, const char *text, struct crisis_result *r)
{
	crisis_check(c, text, strlen(text), NULL, 0, r);
	return r->level;
}

/* Held out: messages the rules alone miss and the backstop catches. */
static void
check_raises(const struct crisis *full, const struct crisis *rules)
{
	static const char *const held[] = {
		"i wrote my parents letters explaining everything, nobody "
		    "will need to wonder why",
		"i've said my goodbyes to everyone who matters",
	};
	struct crisis_result r;
	size_t i;

	for (i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		CHECK(level(rules, held[i], &r) < CRISIS_CONCERN);
		CHECK(level(full, held[i], &r) >= CRISIS_CONCERN);
		CHECK(r.kind == CRISIS_SUICIDE);
		CHECK(r.nmatched >= 1 && r.matched[0] != NULL &&
		    strncmp(r.matched[0], "model:", 6) == 0);
	}
}

/* Idioms, games and medication questions stay none (not trained on). */
static void
check_quiet(const struct crisis *full)
{
	static const char *const quiet[] = {
		"this commute is killing me",
		"i'm dying to see the new season",
		"my knees are killing me after the hike",
		"we got wiped out in the final round",
		"i could murder a pizza",
		"how long does klonopin withdrawal last",
		"can xanax make you feel depressed",
		"is melatonin habit forming",
		"what time should i take my clonazepam",
		/* a bare drug name is too little to go on */
		"klonopin??",
		"zoloft",
		"xanax?!",
	};
	struct crisis_result r;
	size_t i;

	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		if (level(full, quiet[i], &r) != CRISIS_NONE)
			fprintf(stderr, "  \"%s\": %s\n", quiet[i],
			    crisis_level_str(r.level));
		CHECK(r.level == CRISIS_NONE);
	}
}

/*
 * The backstop's concern about low mood stays when stated and also when
 * asked as an FAQ question: no cap on questions (it cost acute recall).
 */
static void
check_faq_question(const struct crisis *full)
{
	static const char *const told =
	    "ive felt empty and numb for weeks and nothing is fun anymore";
	static const char *const asked =
	    "ive felt empty and numb for weeks and nothing is fun anymore, "
	    "could it be depression?";
	struct crisis_result r;

	CHECK(level(full, told, &r) == CRISIS_CONCERN);
	CHECK(level(full, asked, &r) == CRISIS_CONCERN);
	CHECK(r.kind == CRISIS_SUICIDE);
}

/*
 * A model trained to call crisis wording "none" never lowers the rules,
 * and the rules' acute stays acute with the shipped backstop too.
 */
static void
check_never_lowers(struct crisis *rules)
{
	static const char *const texts[] = {
		"I want to kill myself", "i took 30 of my xanax",
		"my husband hits me", "kys loser",
		"hello there", "what is a good day", "have a nice day",
	};
	struct crisis_example ex[7];
	struct crisis_result r1, r2;
	struct crisis_model *m;
	char err[256];
	size_t i;
	enum crisis_level before[4];

	for (i = 0; i < 4; i++)
		before[i] = level(rules, texts[i], &r1);
	for (i = 0; i < 7; i++) {
		ex[i].text = (char *)texts[i];
		ex[i].level = i < 4 ? CRISIS_NONE : CRISIS_CONCERN;
		ex[i].kind = i < 4 ? CRISIS_KIND_NONE : CRISIS_SUICIDE;
	}
	m = crisis_model_new(ex, 7, NULL, err, sizeof(err));
	CHECK(m != NULL);
	crisis_set_model(rules, m);
	CHECK(crisis_get_model(rules) == m);
	for (i = 0; i < 4; i++) {
		CHECK(before[i] >= CRISIS_CONCERN);
		CHECK(level(rules, texts[i], &r2) == before[i]);
		CHECK(r2.nmatched == 0 || strncmp(r2.matched[0], "model:",
		    6) != 0);
	}
	crisis_set_model(rules, NULL);
	CHECK(crisis_get_model(rules) == NULL);
	(void)r1;
}

static void
check_model_errors(void)
{
	struct crisis_example ex[3] = {
		{ "hello", CRISIS_NONE, CRISIS_KIND_NONE },
		{ "nice weather", CRISIS_NONE, CRISIS_KIND_NONE },
		{ "what is klonopin", CRISIS_MENTION, CRISIS_OVERDOSE },
	};
	struct crisis_model_score s[3];
	char err[256] = "";

	/* no concern/acute class */
	CHECK(crisis_model_new(ex, 3, NULL, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "concern or acute") != NULL);
	ex[2].text = (char *)"";
	ex[2].level = CRISIS_ACUTE;
	CHECK(crisis_model_new(ex, 3, NULL, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "example 3") != NULL);
	CHECK(crisis_model_cv(ex, 3, NULL, 5, s, err, sizeof(err)) == -1);
	/* no model: nothing to score */
	memset(s, 1, sizeof(s[0]));
	crisis_model_score(NULL, NULL, "x", 1, &s[0]);
	CHECK(s[0].escalate == 0 && s[0].name == NULL);
}

/* The examples file: every bad line reported with file:line. */
static void
check_loader(void)
{
	const char *path = "build/tests/crisis-examples-bad.tsv";
	struct crisis_example *ex;
	struct diag d;
	size_t n, i;
	FILE *fp;
	int found[7] = { 0 };
	static const char *const want[7] = {
		":3: want 3 tab-separated fields",
		":4: unknown level \"urgent\"",
		":5: unknown kind \"sad\"",
		":6: kind must be none exactly",
		":7: kind must be none exactly",
		":8: duplicate message",
		":9: text must be",
	};

	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	fputs("# comment\n"
	    "i want to vanish\tconcern\tsuicide\n"
	    "only two\tnone\n"
	    "a\turgent\tsuicide\n"
	    "b\tacute\tsad\n"
	    "c\tacute\tnone\n"
	    "d\tnone\tsuicide\n"
	    "i want to vanish\tconcern\tsuicide\n"
	    "\tnone\tnone\n", fp);
	fclose(fp);
	diag_init(&d);
	CHECK(crisis_examples_load(path, &ex, &n, &d) == -1);
	CHECK(ex == NULL && n == 0);
	for (i = 0; i < d.n; i++) {
		size_t k;

		for (k = 0; k < 7; k++)
			if (strstr(d.msgs[i], path) == d.msgs[i] &&
			    strstr(d.msgs[i], want[k]) != NULL)
				found[k] = 1;
	}
	for (i = 0; i < 7; i++) {
		if (!found[i])
			fprintf(stderr, "  missing error %s\n", want[i]);
		CHECK(found[i]);
	}
	CHECK(d.n == 7);
	diag_free(&d);

	diag_init(&d);
	CHECK(crisis_examples_load("build/tests/no-such.tsv", &ex, &n,
	    &d) == -1);
	CHECK(d.n == 1);
	diag_free(&d);

	/* the shipped file loads, with every level */
	diag_init(&d);
	CHECK(crisis_examples_load("faq/crisis-examples.tsv", &ex, &n,
	    &d) == 0);
	CHECK(n >= 700);
	if (ex != NULL) {
		int lv[4] = { 0 };

		for (i = 0; i < n; i++)
			lv[ex[i].level]++;
		CHECK(lv[0] > 0 && lv[1] > 0 && lv[2] > 0 && lv[3] > 0);
	}
	crisis_examples_free(ex, n);
	diag_free(&d);

	/* backstop_classes must name classes of the file */
	fp = fopen("build/tests/crisis-bs.json", "w");
	CHECK(fp != NULL);
	if (fp != NULL) {
		fputs("{\"classes\": {\"med\": [\"pills\"]},\n"
		    " \"backstop_classes\": [\"med\", \"nope\"],\n"
		    " \"rules\": [{\"name\": \"a\", \"kind\": \"suicide\","
		    " \"level\": \"acute\", \"phrases\": [\"kill myself\"]}]}\n",
		    fp);
		fclose(fp);
		diag_init(&d);
		CHECK(crisis_load("build/tests/crisis-bs.json", &d) == NULL);
		CHECK(d.n == 1 && strstr(d.msgs[0],
		    "build/tests/crisis-bs.json:2:") == d.msgs[0] &&
		    strstr(d.msgs[0], "unknown class \"nope\"") != NULL);
		diag_free(&d);
	}

	{
		char *p = crisis_examples_path("faq/crisis.json");

		CHECK_STR(p, "faq/crisis-examples.tsv");
		free(p);
		p = crisis_examples_path("crisis.json");
		CHECK_STR(p, "crisis-examples.tsv");
		free(p);
	}
}

int
main(void)
{
	struct diag d;
	struct crisis *full, *rules;

	diag_init(&d);
	full = crisis_load("faq/crisis.json", &d);
	rules = crisis_load("faq/crisis.json", &d);
	diag_print(&d, stderr);
	diag_free(&d);
	CHECK(full != NULL && rules != NULL);
	if (full != NULL && rules != NULL) {
		CHECK(crisis_get_model(full) != NULL);
		CHECK(crisis_model_nclasses(crisis_get_model(full)) >= 10);
		CHECK(crisis_model_nexamples(crisis_get_model(full)) >= 700);
		crisis_set_model(rules, NULL);
		check_raises(full, rules);
		check_quiet(full);
		check_faq_question(full);
		check_never_lowers(rules);
	}
	check_model_errors();
	check_loader();
	crisis_free(full);
	crisis_free(rules);
	return CHECK_DONE();
}
