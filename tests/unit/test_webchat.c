/*
 * test_webchat.c -- the web chat's parts that need no network: the JSON
 * protocol (parsing every kind of bad message, rendering replies with
 * hostile strings), the flood buckets and per-address table, and the
 * "webchat" config section (defaults, every error with its key path).
 * The server itself is tested by tests/integration/test_webchat.py.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "diag.h"
#include "hotlines.h"
#include "pipeline.h"
#include "webchat.h"
#include "webchat_limit.h"
#include "webchat_proto.h"

static enum wcp_err
parse(const char *s, size_t max, char **text)
{
	size_t n;

	return wcp_parse_ask(s, strlen(s), max, text, &n);
}

static void
test_parse(void)
{
	char *t = NULL;
	size_t n;

	CHECK_INT(parse("{\"type\":\"ask\",\"text\":\"what is xanax\"}", 100,
	    &t), WCP_OK);
	CHECK_STR(t, "what is xanax");
	free(t);
	/* extra keys are ignored; unicode escapes decoded */
	CHECK_INT(parse("{\"text\":\"caf\\u00e9\",\"type\":\"ask\",\"x\":1}",
	    100, &t), WCP_OK);
	CHECK_STR(t, "caf\xc3\xa9");
	free(t);
	CHECK_INT(parse("", 100, &t), WCP_ERR_JSON);
	CHECK(t == NULL);
	CHECK_INT(parse("{", 100, &t), WCP_ERR_JSON);
	CHECK_INT(parse("[1,2]", 100, &t), WCP_ERR_JSON);
	CHECK_INT(parse("\"ask\"", 100, &t), WCP_ERR_JSON);
	CHECK_INT(parse("{\"text\":\"hi\"}", 100, &t), WCP_ERR_TYPE);
	CHECK_INT(parse("{\"type\":\"hello\",\"text\":\"hi\"}", 100, &t),
	    WCP_ERR_TYPE);
	CHECK_INT(parse("{\"type\":7,\"text\":\"hi\"}", 100, &t),
	    WCP_ERR_TYPE);
	CHECK_INT(parse("{\"type\":\"ask\"}", 100, &t), WCP_ERR_TEXT);
	CHECK_INT(parse("{\"type\":\"ask\",\"text\":5}", 100, &t),
	    WCP_ERR_TEXT);
	CHECK_INT(parse("{\"type\":\"ask\",\"text\":\"  \\n\"}", 100, &t),
	    WCP_ERR_TEXT);
	CHECK_INT(parse("{\"type\":\"ask\",\"text\":\"0123456789\"}", 9, &t),
	    WCP_ERR_TOO_LONG);
	CHECK_INT(parse("{\"type\":\"ask\",\"text\":\"0123456789\"}", 10,
	    &t), WCP_OK);
	free(t);
	/* raw bytes that are not UTF-8; cJSON refuses a lone surrogate */
	CHECK_INT(parse("{\"type\":\"ask\",\"text\":\"a\xff b\"}", 100, &t),
	    WCP_ERR_UTF8);
	CHECK(t == NULL);
	CHECK_INT(parse("{\"type\":\"ask\",\"text\":\"a\\ud800b\"}", 100, &t),
	    WCP_ERR_JSON);
	/* not NUL-terminated input, bytes beyond len are ignored */
	CHECK_INT(wcp_parse_ask("{\"type\":\"ask\",\"text\":\"x\"}garbage",
	    25, 100, &t, &n), WCP_OK);
	CHECK_INT(n, 1);
	free(t);
	CHECK_STR(wcp_code(WCP_ERR_JSON), "bad_json");
	CHECK(strlen(wcp_strerror(WCP_ERR_TOO_LONG)) > 0);
}

static void
test_utf8(void)
{
	CHECK(wcp_utf8_ok("abc", 3));
	CHECK(wcp_utf8_ok("\xe2\x82\xac", 3));
	CHECK(wcp_utf8_ok("\xf0\x9f\x98\x80", 4));
	CHECK(!wcp_utf8_ok("\xc0\xaf", 2));		/* overlong */
	CHECK(!wcp_utf8_ok("\xed\xa0\x80", 3));		/* surrogate */
	CHECK(!wcp_utf8_ok("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	CHECK(!wcp_utf8_ok("\xe2\x82", 2));		/* truncated */
	CHECK(!wcp_utf8_ok("a\0b", 3));			/* NUL */
	CHECK(!wcp_utf8_ok("\xff", 1));
}

static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
test_render(void)
{
	struct reply r;
	struct webchat_contact c[2] = {
		{ "988 Lifeline", "988", "988", NULL, NULL },
		{ "Find a helpline", NULL, NULL, NULL, "findahelpline.com" },
	};
	struct wcp_extra x = { c, 2, "Did you mean:", "Ask a pharmacist." };
	char body[] = "Use <b>care</b> & \"quotes\"\n</script>";
	char *s;
	cJSON *o, *a;

	memset(&r, 0, sizeof(r));
	r.kind = REPLY_ANSWER;
	r.body = body;
	r.nsources = 1;
	r.sources[0].title = "Article <A>";
	r.sources[0].publisher = "Pub";
	r.sources[0].date = "2023";
	r.sources[0].url = "https://example.org/a?x=1&y=\"2\"";
	r.disclaimer = "Not medical advice.";
	r.nsuggest = 2;
	r.suggest[0] = "What is Xanax?";
	r.suggest[1] = "bad \xff utf8";		/* dropped, never sent */
	s = wcp_reply(&r, &x);
	CHECK(strstr(s, "<b>") != NULL);	/* JSON, not HTML: the page */
	CHECK(strstr(s, "\\\"quotes\\\"") != NULL);	/* uses textContent */
	CHECK(strstr(s, "\xff") == NULL);
	o = cJSON_Parse(s);
	CHECK(o != NULL);
	CHECK_STR(jstr(o, "type"), "reply");
	CHECK_STR(jstr(o, "kind"), "answer");
	CHECK_STR(jstr(o, "body"), body);
	CHECK_STR(jstr(o, "disclaimer"), "Not medical advice.");
	CHECK(cJSON_GetObjectItem(o, "contacts") == NULL);	/* not crisis */
	a = cJSON_GetObjectItem(o, "sources");
	CHECK_INT(cJSON_GetArraySize(a), 1);
	CHECK_STR(jstr(cJSON_GetArrayItem(a, 0), "url"),
	    "https://example.org/a?x=1&y=\"2\"");
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(o, "suggest")), 1);
	CHECK_STR(jstr(o, "suggest_title"), "Did you mean:");
	CHECK(jstr(o, "note") == NULL);		/* only with no_match */
	cJSON_Delete(o);
	free(s);

	r.kind = REPLY_NO_MATCH;
	r.nsuggest = 0;
	r.disclaimer = NULL;
	s = wcp_reply(&r, NULL);
	o = cJSON_Parse(s);
	CHECK_STR(jstr(o, "kind"), "no_match");
	CHECK(jstr(o, "note") == NULL && jstr(o, "suggest_title") == NULL);
	cJSON_Delete(o);
	free(s);
	s = wcp_reply(&r, &x);
	o = cJSON_Parse(s);
	CHECK_STR(jstr(o, "note"), "Ask a pharmacist.");
	CHECK(jstr(o, "suggest_title") == NULL);	/* no suggestions */
	CHECK(cJSON_GetObjectItem(o, "contacts") == NULL);
	cJSON_Delete(o);
	free(s);

	r.kind = REPLY_CRISIS;
	r.nsources = 0;
	r.nsuggest = 0;
	s = wcp_reply(&r, &x);
	o = cJSON_Parse(s);
	CHECK_STR(jstr(o, "kind"), "crisis");
	a = cJSON_GetObjectItem(o, "contacts");
	CHECK_INT(cJSON_GetArraySize(a), 2);
	CHECK_STR(jstr(cJSON_GetArrayItem(a, 0), "tel"), "988");
	CHECK_STR(jstr(cJSON_GetArrayItem(a, 1), "text"), "findahelpline.com");
	CHECK(jstr(cJSON_GetArrayItem(a, 1), "tel") == NULL);
	/* contacts come before the body in the message */
	CHECK(strstr(s, "\"contacts\"") < strstr(s, "\"body\""));
	cJSON_Delete(o);
	free(s);

	s = wcp_hello("T \"1\"", NULL);
	o = cJSON_Parse(s);
	CHECK_STR(jstr(o, "type"), "hello");
	CHECK_STR(jstr(o, "title"), "T \"1\"");
	CHECK(jstr(o, "greeting") == NULL);
	cJSON_Delete(o);
	free(s);
	s = wcp_error("flood", "slow");
	CHECK_STR(s, "{\"type\":\"error\",\"code\":\"flood\",\"message\":\"slow\"}");
	free(s);
}

static void
test_bucket(void)
{
	struct wcl_bucket b = { 0 };
	int i, n = 0;

	for (i = 0; i < 10; i++)
		n += wcl_take(&b, 1.0, 3, 100.0);
	CHECK_INT(n, 3);			/* the burst */
	CHECK(!wcl_take(&b, 1.0, 3, 100.5));
	CHECK(wcl_take(&b, 1.0, 3, 101.1));	/* one refilled */
	CHECK(!wcl_take(&b, 1.0, 3, 101.2));
	CHECK(!wcl_full(&b, 1.0, 3, 102.0));
	CHECK(wcl_full(&b, 1.0, 3, 200.0));
	memset(&b, 0, sizeof(b));
	for (n = 0, i = 0; i < 1000; i++)
		n += wcl_take(&b, 0, 1, 0);	/* rate 0: off */
	CHECK_INT(n, 1000);
}

static void
test_ips(void)
{
	struct wcl_ips *t = wcl_ips_new(2, 42);
	struct wcl_ip *a, *b, *c;

	a = wcl_ip_get(t, "192.0.2.1", 1, 2, 0);
	b = wcl_ip_get(t, "192.0.2.2", 1, 2, 0);
	CHECK(a != NULL && b != NULL && a != b);
	CHECK(wcl_ip_get(t, "192.0.2.1", 1, 2, 0) == a);
	CHECK_INT(wcl_ips_count(t), 2);
	a->conns = 1;
	b->conns = 1;
	CHECK(wcl_ip_get(t, "192.0.2.3", 1, 2, 0) == NULL);	/* full */
	b->conns = 0;
	wcl_take(&b->bucket, 1, 2, 0);
	/* b is idle but its bucket is not full yet: still refused */
	CHECK(wcl_ip_get(t, "192.0.2.3", 1, 2, 0.5) == NULL);
	/* once refilled, b is swept and the new address fits */
	c = wcl_ip_get(t, "192.0.2.3", 1, 2, 10);
	CHECK(c != NULL);
	CHECK_INT(wcl_ips_count(t), 2);
	a->conns = 0;
	CHECK_INT(wcl_ips_sweep(t, 1, 2, 20), 0);
	wcl_ips_free(t);
	wcl_ips_free(NULL);
}

static struct webchat_cfg *
cfg_parse(const char *json, struct diag *d)
{
	cJSON *doc = cJSON_Parse(json);
	void *out = NULL;

	if (doc == NULL)
		return NULL;
	if (webchat_config(doc, "t.json", d, &out) == -1)
		out = NULL;
	cJSON_Delete(doc);
	return out;
}

static int
has_diag(const struct diag *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->msgs[i], needle) != NULL)
			return 1;
	fprintf(stderr, "no diag containing \"%s\"\n", needle);
	return 0;
}

static void
test_config(void)
{
	struct webchat_cfg *w;
	struct diag d;

	diag_init(&d);
	w = cfg_parse("{\"enabled\":true}", &d);
	CHECK(w != NULL);
	if (w != NULL) {
		CHECK_STR(w->listen, "127.0.0.1");
		CHECK_INT(w->port, 8080);
		CHECK_INT(w->norigins, 0);
		CHECK_STR(w->frame_ancestors, "'none'");
		CHECK(w->max_message_bytes > 0 && w->idle_timeout_s > 0);
	}
	webchat_config_free(w);

	w = cfg_parse("{\"listen\":\"::1\",\"port\":0,\"allowed_origins\":"
	    "[\"https://chat.example.org\",\"http://localhost:8080\"],"
	    "\"title\":\"Clinic\",\"frame_ancestors\":[\"'self'\","
	    "\"https://clinic.example\"],\"max_message_bytes\":1000,"
	    "\"conn_rate\":0.5}", &d);
	CHECK(w != NULL);
	if (w != NULL) {
		CHECK_INT(w->port, 0);
		CHECK_INT(w->norigins, 2);
		CHECK_STR(w->origins[1], "http://localhost:8080");
		CHECK(w->origins[2] == NULL);
		CHECK_STR(w->frame_ancestors, "'self' https://clinic.example");
		CHECK_STR(w->title, "Clinic");
		CHECK_INT(w->max_message_bytes, 1000);
	}
	webchat_config_free(w);
	CHECK_INT(d.n, 0);

	/* every problem reported, each with its key path */
	w = cfg_parse("{\"listen\":\"example.org\",\"port\":70000,"
	    "\"allowed_origins\":[\"https://a.example/path\",5],"
	    "\"title\":\"\",\"max_message_bytes\":10,\"conn_rate\":-1,"
	    "\"frame_ancestors\":[\"'none'\",\"https://x\"],\"colour\":1,"
	    "\"enabled\":\"yes\",\"idle_timeout_s\":1.5}", &d);
	CHECK(w == NULL);
	CHECK(has_diag(&d, "t.json: webchat.listen:"));
	CHECK(has_diag(&d, "t.json: webchat.port:"));
	CHECK(has_diag(&d, "webchat.allowed_origins: [0]"));
	CHECK(has_diag(&d, "webchat.allowed_origins: [1]"));
	CHECK(has_diag(&d, "webchat.title:"));
	CHECK(has_diag(&d, "webchat.max_message_bytes:"));
	CHECK(has_diag(&d, "webchat.conn_rate:"));
	CHECK(has_diag(&d, "webchat.frame_ancestors: [0]"));
	CHECK(has_diag(&d, "webchat.colour: unknown key"));
	CHECK(has_diag(&d, "webchat.enabled:"));
	CHECK(has_diag(&d, "webchat.idle_timeout_s:"));
	CHECK_INT(d.n, 11);
	diag_free(&d);

	diag_init(&d);
	CHECK(cfg_parse("[]", &d) == NULL);
	CHECK(has_diag(&d, "t.json: webchat: must be an object"));
	diag_free(&d);
}

static void
test_contacts(void)
{
	struct webchat_contact c[WEBCHAT_MAX_CONTACTS];
	char buf[WEBCHAT_MAX_CONTACTS][3][WEBCHAT_CONTACT_BUF];
	struct crisis_result cr;
	struct hotlines *h;
	struct diag d;
	size_t n;

	diag_init(&d);
	h = hotlines_load("config/hotlines.json", &d);
	CHECK(h != NULL);
	diag_free(&d);
	if (h == NULL)
		return;
	memset(&cr, 0, sizeof(cr));
	cr.level = CRISIS_MENTION;
	CHECK_INT(webchat_contacts(h, "US", &cr, c, buf, 8), 0);

	/* acute suicide, not an emergency: the crisis line first */
	cr.level = CRISIS_ACUTE;
	cr.kind = CRISIS_SUICIDE;
	n = webchat_contacts(h, "US", &cr, c, buf, 8);
	CHECK(n >= 3);
	CHECK_STR(c[0].tel, "988");
	CHECK_STR(c[0].sms, "988");
	CHECK(c[0].label != NULL && strstr(c[0].label, "988") != NULL);
	CHECK_STR(c[1].sms, "741741");
	CHECK_STR(c[1].sms_body, "HOME");
	CHECK(c[1].tel == NULL);
	CHECK_STR(c[n - 2].label, "Emergency");
	CHECK_STR(c[n - 2].tel, "911");
	CHECK_STR(c[n - 1].text, "findahelpline.com");

	/* an overdose in progress: emergency, then poison help */
	cr.kind = CRISIS_OVERDOSE;
	cr.emergency = 1;
	n = webchat_contacts(h, "US", &cr, c, buf, 8);
	CHECK_STR(c[0].tel, "911");
	CHECK_STR(c[1].tel, "1-800-222-1222");
	CHECK_INT(webchat_contacts(h, "US", &cr, c, buf, 2), 2);

	cr.kind = CRISIS_SUICIDE;
	cr.emergency = 0;
	webchat_contacts(h, "UK", &cr, c, buf, 8);
	CHECK_STR(c[0].tel, "116 123");
	CHECK_STR(c[1].sms, "85258");
	CHECK_STR(c[1].sms_body, "SHOUT");
	n = webchat_contacts(h, "XX", &cr, c, buf, 8);	/* "other" */
	CHECK(n >= 1 && c[0].tel == NULL && c[0].text != NULL);
	hotlines_free(h);
}

int
main(void)
{
	test_contacts();
	test_parse();
	test_utf8();
	test_render();
	test_bucket();
	test_ips();
	test_config();
	return CHECK_DONE();
}
