/*
 * test_oos.c -- out-of-scope topics end to end: the matcher rejects
 * through a topic on a synthetic KB, the loader validates
 * out_of_scope.json (every problem reported), compose writes the topic's
 * reply with the doctor pointer and disclaimer, and `ask --json` names the
 * topic.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "cmdutil.h"
#include "compose.h"
#include "diag.h"
#include "intents.h"
#include "kbset.h"
#include "pipeline.h"
#include "kbfixture.h"

/* ---- the matcher on a synthetic KB ---- */

static char *ex_cat[] = { "how do i feed my cat", "what do cats eat",
	"cat food advice", "best food for a kitten", "my cat will not eat",
	"what should my cat eat", "can cats eat fish" };
static char *ex_car[] = { "how do i change a flat tyre",
	"my car has a flat tire", "replace a punctured tyre",
	"changing the wheel on my car", "spare wheel help",
	"how to fit the spare tyre", "flat tyre on the motorway" };
static char *ex_weather[] = { "will it rain tomorrow",
	"what is the weather like", "is it sunny today",
	"weather forecast for the weekend", "how cold will it be tonight",
	"will it snow this week", "is it going to be windy",
	"rain forecast today", "what is the temperature outside",
	"do i need an umbrella today", "is there a storm coming",
	"how hot will it be tomorrow" };
static char *ex_price[] = { "how much does cat food cost",
	"price of a new tyre", "where can i buy cheap tyres",
	"is there a discount on cat food", "how much is a spare wheel",
	"cheapest cat food", "tyre prices near me", "cat food coupon",
	"how expensive is a tyre change", "cost of feeding a cat",
	"where to buy cat food cheap", "best deal on tyres" };
static struct kb_intent intents[] = {
	{ "pets.feed_cat", "What should I feed my cat?", ex_cat, 7, "a",
	    NULL, 0, NULL, 0 },
	{ "car.flat_tyre", "How do I change a flat tyre?", ex_car, 7, "b",
	    NULL, 0, NULL, 0 },
};
static struct kb_topic topics[] = {
	{ "weather", "I can't forecast the weather.", ex_weather, 12 },
	{ "prices", "I can't help with prices.", ex_price, 12 },
};

static void
test_matcher(void)
{
	struct kb kb;
	struct matcher *m, *plain;
	struct match_result r;
	struct matcher_opts zero = { 0.0 };
	char err[256];
	const char *q;

	memset(&kb, 0, sizeof(kb));
	kb.intents = intents;
	kb.nintents = 2;
	kb.topics = topics;
	kb.ntopics = 2;
	m = matcher_new(&kb, NULL, err, sizeof(err));
	CHECK(m != NULL);
	if (m == NULL) {
		fprintf(stderr, "matcher_new: %s\n", err);
		return;
	}
	/* in scope: answered, no topic */
	q = "what food should my cat eat";
	matcher_match(m, q, strlen(q), &r);
	CHECK_INT(r.intent, 0);
	CHECK_INT(r.topic, 0);
	q = "i have a flat tyre";
	matcher_match(m, q, strlen(q), &r);
	CHECK_INT(r.intent, 1);
	CHECK_INT(r.topic, 0);
	/* a topic's question: no match, the topic named, alts are intents */
	q = "is it going to rain today";
	matcher_match(m, q, strlen(q), &r);
	CHECK_INT(r.intent, -1);
	CHECK_INT(r.topic, 1);
	CHECK(r.topic_confidence > 0.5 && r.topic_confidence <= 1);
	CHECK(r.nalts >= 1 && r.nalts <= 2);
	CHECK(r.alts[0].intent >= 0 && r.alts[0].intent < 2);
	/* words shared with intents ("cat food") but a price question */
	q = "how much does cat food cost at the shop";
	matcher_match(m, q, strlen(q), &r);
	CHECK_INT(r.intent, -1);
	CHECK_INT(r.topic, 2);
	/* gibberish: nothing at all */
	q = "";
	matcher_match(m, q, 0, &r);
	CHECK_INT(r.intent, -1);
	CHECK_INT(r.topic, 0);
	matcher_free(m);

	/* without topics (and at threshold 0) the same price question goes
	 * to the cat intent: the topic is what rejects it */
	kb.topics = NULL;
	kb.ntopics = 0;
	plain = matcher_new(&kb, &zero, err, sizeof(err));
	CHECK(plain != NULL);
	if (plain != NULL) {
		q = "how much does cat food cost at the shop";
		matcher_match(plain, q, strlen(q), &r);
		CHECK_INT(r.topic, 0);
		CHECK_INT(r.intent, 0);
		matcher_free(plain);
	}
}

/* ---- the loader ---- */

static int
has_diag(const struct diag *d, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->msgs[i], a) != NULL &&
		    (b == NULL || strstr(d->msgs[i], b) != NULL))
			return 1;
	return 0;
}

static char *
long_reply(size_t chars)
{
	char *s = malloc(chars + 1);

	memset(s, 'x', chars);
	s[chars] = '\0';
	return s;
}

static const char topics_ok[] =
    "{\"topics\": [\n"
    " {\"id\": \"dose\", \"reply\": \"I can't advise on doses.\",\n"
    "  \"examples\": [" FX_EX("how much drugol dose") "]},\n"
    " {\"id\": \"weather\", \"reply\": \"I can't forecast.\",\n"
    "  \"examples\": [" FX_EX("will it rain") "]}\n"
    "]}\n";

static void
test_loader(void)
{
	struct diag d;
	struct kbset *ks;
	char *r701 = long_reply(701), *r700 = long_reply(700), *b;
	size_t blen, i;

	/* valid */
	fx_write("out_of_scope.json", topics_ok);
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	if (ks != NULL) {
		CHECK_INT(kbset_kb(ks)->ntopics, 2);
		CHECK_STR(kbset_kb(ks)->topics[0].id, "dose");
		CHECK_INT(kbset_kb(ks)->topics[1].nexamples, 12);
		kbset_unref(ks);
	} else
		diag_print(&d, stderr);
	diag_free(&d);

	/* one topic per problem */
	blen = strlen(r701) + strlen(r700) + 4096;
	b = malloc(blen);
	snprintf(b, blen,
	    "{\"topics\": [\n"
	    " {\"id\": \"no_reply\", \"examples\": [" FX_EX("no reply") "]},\n"
	    " {\"id\": \"empty_reply\", \"reply\": \"\",\n"
	    "  \"examples\": [" FX_EX("empty reply") "]},\n"
	    " {\"id\": \"too_long\", \"reply\": \"%s\",\n"
	    "  \"examples\": [" FX_EX("too long") "]},\n"
	    " {\"id\": \"just_fits\", \"reply\": \"%s\",\n"
	    "  \"examples\": [" FX_EX("just fits") "]},\n"
	    " {\"id\": \"few\", \"reply\": \"r\",\n"
	    "  \"examples\": [\"only one\", \"only two\"]},\n"
	    " {\"id\": \"drug.side\", \"reply\": \"r\",\n"
	    "  \"examples\": [" FX_EX("intent id") "]},\n"
	    " {\"id\": \"twice\", \"reply\": \"r\",\n"
	    "  \"examples\": [" FX_EX("twice a") "]},\n"
	    " {\"id\": \"twice\", \"reply\": \"r\",\n"
	    "  \"examples\": [" FX_EX("twice b") "]},\n"
	    " {\"id\": \"shared\", \"reply\": \"r\", \"colour\": 1,\n"
	    "  \"examples\": [" FX_EX("shared") ", \"What is  DRUGOL one\",\n"
	    "  \"too long one\"]}\n"
	    "]}\n", r701, r700);
	fx_write("out_of_scope.json", b);
	free(b);
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	for (i = 0; i < d.n; i++)
		fprintf(stderr, "  diag: %s\n", d.msgs[i]);
	CHECK(has_diag(&d, "out_of_scope.json: no_reply: ",
	    "missing field \"reply\""));
	CHECK(has_diag(&d, "out_of_scope.json: empty_reply: ",
	    "\"reply\" is empty"));
	CHECK(has_diag(&d, "out_of_scope.json: too_long: ",
	    "reply is 701 characters (limit 700)"));
	CHECK(!has_diag(&d, "just_fits", NULL));
	CHECK(has_diag(&d, "out_of_scope.json: few: ", "at least 12"));
	CHECK(has_diag(&d, "out_of_scope.json: drug.side: duplicate id",
	    "an intent"));
	CHECK(has_diag(&d, "out_of_scope.json: twice: duplicate id",
	    "a topic"));
	CHECK(has_diag(&d, "out_of_scope.json: shared: unknown key",
	    "colour"));
	CHECK(has_diag(&d, "shared: example \"what is drugol one\" is also "
	    "under drug.what_is", NULL));
	CHECK(has_diag(&d, "shared: example \"too long one\" is also "
	    "under too_long", NULL));
	CHECK_INT(d.n, 9);
	diag_free(&d);

	/* not JSON */
	fx_write("out_of_scope.json", "{\"topics\": [\n oops\n]}\n");
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	CHECK(has_diag(&d, "out_of_scope.json:2:", "invalid JSON"));
	diag_free(&d);
	free(r701);
	free(r700);
}

/* ---- compose and ask --json ---- */

static void
test_compose(void)
{
	struct diag d;
	struct kbset *ks;
	struct reply r;
	struct match_result m;
	cJSON *o;
	const cJSON *it;

	fx_write("out_of_scope.json", topics_ok);
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	diag_free(&d);
	if (ks == NULL)
		return;
	memset(&m, 0, sizeof(m));
	m.intent = -1;
	m.confidence = 0.6;
	m.topic = 1;			/* "dose" */
	m.topic_confidence = 0.8;
	m.alts[0].intent = 1;
	m.alts[0].confidence = 0.6;
	m.nalts = 1;
	memset(&r, 0, sizeof(r));
	r.kb = kbset_ref(ks);
	compose_no_match(&r, ks, &m);
	CHECK_INT(r.kind, REPLY_NO_MATCH);
	CHECK(r.intent == NULL);
	CHECK_STR(r.out_of_scope, "dose");
	CHECK_INT(r.nsuggest, 0);	/* no "did you mean" */
	CHECK_STR(r.text, "I can't advise on doses.\n"
	    "Ask a doctor or pharmacist.\n\n"
	    "General information, not medical advice.");

	o = cmd_reply_json("how much", 8, &r);
	it = cJSON_GetObjectItemCaseSensitive(o, "out_of_scope");
	CHECK(cJSON_IsString(it) && strcmp(it->valuestring, "dose") == 0);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "intent")));
	cJSON_Delete(o);

	/* an answer afterwards clears the topic */
	compose_answer(&r, ks, 0, 0.9);
	CHECK(r.out_of_scope == NULL);
	o = cmd_reply_json("what is drugol", 14, &r);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o,
	    "out_of_scope")));
	cJSON_Delete(o);
	reply_free(&r);

	/* a zeroed result (topic 0) or a topic index out of range: the
	 * generic no-match */
	m.topic = 0;
	memset(&r, 0, sizeof(r));
	compose_no_match(&r, ks, &m);
	CHECK(r.out_of_scope == NULL);
	CHECK(strncmp(r.text, "Sorry, I don't know that.", 25) == 0);
	reply_free(&r);
	m.topic = 3;
	compose_no_match(&r, ks, &m);
	CHECK(r.out_of_scope == NULL);
	reply_free(&r);
	kbset_unref(ks);
}

int
main(void)
{
	test_matcher();
	if (fx_make() == NULL) {
		fprintf(stderr, "cannot create the fixture KB\n");
		return 1;
	}
	test_loader();
	test_compose();
	fx_remove("out_of_scope.json");
	fx_cleanup();
	return CHECK_DONE();
}
