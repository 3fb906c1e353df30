/*
 * webchat_proto.c -- parse the page's JSON messages and render the
 * daemon's (see webchat_proto.h).  Pure apart from allocation: no
 * network, no logging, no clock, so the fuzzer can drive it directly.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pipeline.h"
#include "webchat.h"
#include "webchat_proto.h"
#include "xmalloc.h"

const char *
wcp_strerror(enum wcp_err e)
{
	switch (e) {
	case WCP_OK:
		return "ok";
	case WCP_ERR_JSON:
		return "The message was not understood (expected a JSON object).";
	case WCP_ERR_TYPE:
		return "The message type was not understood.";
	case WCP_ERR_TEXT:
		return "Please type a question.";
	case WCP_ERR_UTF8:
		return "The question contains invalid characters.";
	case WCP_ERR_TOO_LONG:
		return "That question is too long; please shorten it.";
	}
	return "The message was not understood.";
}

const char *
wcp_code(enum wcp_err e)
{
	switch (e) {
	case WCP_OK:
		return "ok";
	case WCP_ERR_JSON:
		return "bad_json";
	case WCP_ERR_TYPE:
		return "bad_type";
	case WCP_ERR_TEXT:
		return "bad_text";
	case WCP_ERR_UTF8:
		return "bad_utf8";
	case WCP_ERR_TOO_LONG:
		return "too_long";
	}
	return "bad_message";
}

/* Strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF), no NUL. */
int
wcp_utf8_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	unsigned long cp, min;

	while (i < len) {
		unsigned char c = p[i];

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

enum wcp_err
wcp_parse_ask(const char *buf, size_t len, size_t maxtext, char **text,
    size_t *tlen)
{
	cJSON *doc, *type, *t;
	enum wcp_err e = WCP_OK;
	size_t n;

	*text = NULL;
	*tlen = 0;
	if ((doc = cJSON_ParseWithLength(buf, len)) == NULL)
		return WCP_ERR_JSON;
	if (!cJSON_IsObject(doc)) {
		e = WCP_ERR_JSON;
		goto out;
	}
	type = cJSON_GetObjectItemCaseSensitive(doc, "type");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "ask") != 0) {
		e = WCP_ERR_TYPE;
		goto out;
	}
	t = cJSON_GetObjectItemCaseSensitive(doc, "text");
	if (!cJSON_IsString(t) || t->valuestring == NULL ||
	    blank(t->valuestring)) {
		e = WCP_ERR_TEXT;
		goto out;
	}
	/* cJSON stops at an escaped \u0000: the copy is what it kept */
	n = strlen(t->valuestring);
	if (n > maxtext) {
		e = WCP_ERR_TOO_LONG;
		goto out;
	}
	if (!wcp_utf8_ok(t->valuestring, n)) {
		e = WCP_ERR_UTF8;
		goto out;
	}
	*text = xstrndup(t->valuestring, n);
	*tlen = n;
out:
	cJSON_Delete(doc);
	return e;
}

/* Print doc compactly and free it; out of memory is fatal. */
static char *
render(cJSON *doc)
{
	char *s, *copy;

	if (doc == NULL || (s = cJSON_PrintUnformatted(doc)) == NULL) {
		cJSON_Delete(doc);
		return xstrdup("{\"type\":\"error\",\"code\":\"internal\"}");
	}
	cJSON_Delete(doc);
	copy = xstrdup(s);	/* hand out memory from our allocator */
	cJSON_free(s);
	return copy;
}

/* Add key: s (valid UTF-8 only; NULL and invalid strings are skipped). */
static void
add_str(cJSON *obj, const char *key, const char *s)
{
	if (s != NULL && wcp_utf8_ok(s, strlen(s)))
		cJSON_AddStringToObject(obj, key, s);
}

char *
wcp_hello(const char *title, const char *greeting)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return render(NULL);
	cJSON_AddStringToObject(o, "type", "hello");
	add_str(o, "title", title);
	add_str(o, "greeting", greeting);
	return render(o);
}

char *
wcp_error(const char *code, const char *message)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return render(NULL);
	cJSON_AddStringToObject(o, "type", "error");
	add_str(o, "code", code);
	add_str(o, "message", message);
	return render(o);
}

static const char *
kind_str(enum reply_kind k)
{
	switch (k) {
	case REPLY_ANSWER:
		return "answer";
	case REPLY_NO_MATCH:
		return "no_match";
	case REPLY_CRISIS:
		return "crisis";
	case REPLY_NONE:
		break;
	}
	return "none";
}

char *
wcp_reply(const struct reply *r, const struct wcp_extra *x)
{
	static const struct wcp_extra none;
	cJSON *o, *a, *s;
	size_t i;

	if (x == NULL)
		x = &none;
	if ((o = cJSON_CreateObject()) == NULL)
		return render(NULL);
	cJSON_AddStringToObject(o, "type", "reply");
	cJSON_AddStringToObject(o, "kind", kind_str(r->kind));
	if (r->kind == REPLY_CRISIS && x->ncontacts > 0 &&
	    (a = cJSON_AddArrayToObject(o, "contacts")) != NULL) {
		for (i = 0; i < x->ncontacts; i++) {
			if ((s = cJSON_CreateObject()) == NULL)
				break;
			add_str(s, "label", x->contacts[i].label);
			add_str(s, "tel", x->contacts[i].tel);
			add_str(s, "sms", x->contacts[i].sms);
			add_str(s, "sms_body", x->contacts[i].sms_body);
			add_str(s, "text", x->contacts[i].text);
			cJSON_AddItemToArray(a, s);
		}
	}
	add_str(o, "body", r->body != NULL ? r->body : r->text);
	if (r->nsources > 0 &&
	    (a = cJSON_AddArrayToObject(o, "sources")) != NULL) {
		for (i = 0; i < r->nsources && i < REPLY_MAX_SOURCES; i++) {
			if ((s = cJSON_CreateObject()) == NULL)
				break;
			add_str(s, "title", r->sources[i].title);
			add_str(s, "publisher", r->sources[i].publisher);
			add_str(s, "date", r->sources[i].date);
			add_str(s, "url", r->sources[i].url);
			cJSON_AddItemToArray(a, s);
		}
	}
	add_str(o, "footer", r->footer);
	if (r->nsuggest > 0)
		add_str(o, "suggest_title", x->suggest_title);
	if (r->nsuggest > 0 &&
	    (a = cJSON_AddArrayToObject(o, "suggest")) != NULL) {
		for (i = 0; i < r->nsuggest && i < REPLY_MAX_SUGGEST; i++)
			if (r->suggest[i] != NULL &&
			    wcp_utf8_ok(r->suggest[i], strlen(r->suggest[i])))
				cJSON_AddItemToArray(a,
				    cJSON_CreateString(r->suggest[i]));
	}
	if (r->kind == REPLY_NO_MATCH)
		add_str(o, "note", x->note);
	add_str(o, "disclaimer", r->disclaimer);
	return render(o);
}
