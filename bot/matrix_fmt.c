/*
 * matrix_fmt.c -- the content of what the Matrix adapter posts: replies
 * (m.notice with a plain body and an HTML formatted_body, rich-reply and
 * thread relations), escalations with a matrix.to link, short notices.
 * Every text that came from outside is HTML-escaped; links are only
 * emitted for http(s) URLs.  No I/O here.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmdutil.h"
#include "http.h"
#include "log.h"
#include "matrix_int.h"
#include "xmalloc.h"

struct buf {
	char	*p;
	size_t	 len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xreallocarray(b->p, cap, 1);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Escape s; newlines become <br> when br is set. */
static void
buf_html(struct buf *b, const char *s, size_t n, int br)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':	rep = "&amp;"; break;
		case '<':	rep = "&lt;"; break;
		case '>':	rep = "&gt;"; break;
		case '"':	rep = "&quot;"; break;
		case '\'':	rep = "&#39;"; break;
		case '\n':	rep = br ? "<br>" : "\n"; break;
		case '\0':	rep = ""; break;
		default:	continue;
		}
		buf_add(b, s + start, i - start);
		buf_str(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

char *
mx_html_escape(const char *s, size_t len)
{
	struct buf b = { NULL, 0, 0 };

	buf_add(&b, "", 0);
	buf_html(&b, s, len, 0);
	return b.p;
}

static int
is_web_url(const char *u)
{
	return u != NULL && (strncmp(u, "https://", 8) == 0 ||
	    strncmp(u, "http://", 7) == 0) && strpbrk(u, " \t\r\n") == NULL;
}

static void
buf_para(struct buf *b, const char *text)
{
	if (text == NULL || text[0] == '\0')
		return;
	buf_str(b, "<p>");
	buf_html(b, text, strlen(text), 1);
	buf_str(b, "</p>");
}

static char *
html_reply(const struct reply *r)
{
	struct buf b = { NULL, 0, 0 };
	const struct reply_source *s;
	size_t i;

	buf_add(&b, "", 0);
	buf_para(&b, r->body);
	if (r->nsuggest > 0) {
		buf_str(&b, "<ul>");
		for (i = 0; i < r->nsuggest && i < REPLY_MAX_SUGGEST; i++) {
			if (r->suggest[i] == NULL)
				continue;
			buf_str(&b, "<li>");
			buf_html(&b, r->suggest[i], strlen(r->suggest[i]), 0);
			buf_str(&b, "</li>");
		}
		buf_str(&b, "</ul>");
	}
	if (r->nsources > 0) {
		buf_str(&b, "<p>Sources:</p><ul>");
		for (i = 0; i < r->nsources && i < REPLY_MAX_SOURCES; i++) {
			s = &r->sources[i];
			buf_str(&b, "<li>");
			if (is_web_url(s->url)) {
				buf_str(&b, "<a href=\"");
				buf_html(&b, s->url, strlen(s->url), 0);
				buf_str(&b, "\">");
			}
			if (s->title != NULL)
				buf_html(&b, s->title, strlen(s->title), 0);
			else if (s->url != NULL)
				buf_html(&b, s->url, strlen(s->url), 0);
			if (is_web_url(s->url))
				buf_str(&b, "</a>");
			if (s->publisher != NULL || s->date != NULL) {
				buf_str(&b, " (");
				if (s->publisher != NULL)
					buf_html(&b, s->publisher,
					    strlen(s->publisher), 0);
				if (s->publisher != NULL && s->date != NULL)
					buf_str(&b, ", ");
				if (s->date != NULL)
					buf_html(&b, s->date, strlen(s->date),
					    0);
				buf_str(&b, ")");
			}
			buf_str(&b, "</li>");
		}
		buf_str(&b, "</ul>");
	}
	buf_para(&b, r->footer);
	if (r->disclaimer != NULL && r->disclaimer[0] != '\0') {
		buf_str(&b, "<p><em>");
		buf_html(&b, r->disclaimer, strlen(r->disclaimer), 1);
		buf_str(&b, "</em></p>");
	}
	return b.p;
}

/* Plain rendering when the pipeline gave none. */
static char *
plain_reply(const struct reply *r)
{
	struct buf b = { NULL, 0, 0 };
	size_t i;

	buf_add(&b, "", 0);
	if (r->body != NULL)
		buf_str(&b, r->body);
	for (i = 0; i < r->nsources && i < REPLY_MAX_SOURCES; i++) {
		buf_str(&b, "\n- ");
		if (r->sources[i].title != NULL)
			buf_str(&b, r->sources[i].title);
		if (r->sources[i].url != NULL) {
			buf_str(&b, " ");
			buf_str(&b, r->sources[i].url);
		}
	}
	if (r->footer != NULL) {
		buf_str(&b, "\n");
		buf_str(&b, r->footer);
	}
	if (r->disclaimer != NULL) {
		buf_str(&b, "\n");
		buf_str(&b, r->disclaimer);
	}
	return b.p;
}

static char *
print_content(cJSON *c)
{
	char *s = cJSON_PrintUnformatted(c);

	cJSON_Delete(c);
	if (s == NULL)
		fatalx("matrix: out of memory formatting content");
	return s;
}

char *
mx_fmt_reply(const struct reply *r, const char *in_reply_to,
    const char *thread)
{
	cJSON *c, *rel, *irt;
	char *html, *plain = NULL;

	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "msgtype", "m.notice");
	if (r->text != NULL && r->text[0] != '\0')
		cJSON_AddStringToObject(c, "body", r->text);
	else {
		plain = plain_reply(r);
		cJSON_AddStringToObject(c, "body", plain);
		free(plain);
	}
	html = html_reply(r);
	cJSON_AddStringToObject(c, "format", "org.matrix.custom.html");
	cJSON_AddStringToObject(c, "formatted_body", html);
	free(html);
	if (in_reply_to != NULL) {
		rel = cJSON_AddObjectToObject(c, "m.relates_to");
		if (thread != NULL) {
			cJSON_AddStringToObject(rel, "rel_type", "m.thread");
			cJSON_AddStringToObject(rel, "event_id", thread);
			cJSON_AddBoolToObject(rel, "is_falling_back", 0);
		}
		irt = cJSON_AddObjectToObject(rel, "m.in_reply_to");
		cJSON_AddStringToObject(irt, "event_id", in_reply_to);
	}
	return print_content(c);
}

char *
mx_fmt_link(const char *room, const char *event, const char *server)
{
	char *er = http_escape(room), *ee = http_escape(event);
	char *es = http_escape(server != NULL ? server : "");
	char *out;

	out = xasprintf("https://matrix.to/#/%s/%s?via=%s", er, ee, es);
	free(er);
	free(ee);
	free(es);
	return out;
}

static const char *
level_str(enum crisis_level l)
{
	switch (l) {
	case CRISIS_NONE:	return "none";
	case CRISIS_MENTION:	return "mention";
	case CRISIS_CONCERN:	return "concern";
	case CRISIS_ACUTE:	return "acute";
	default:		return "unknown";
	}
}

static const char *
kind_str(enum crisis_kind k)
{
	switch (k) {
	case CRISIS_KIND_NONE:		return "none";
	case CRISIS_SUICIDE:		return "suicide";
	case CRISIS_SELF_HARM:		return "self-harm";
	case CRISIS_OVERDOSE:		return "overdose";
	case CRISIS_MEDICAL_EMERGENCY:	return "medical emergency";
	case CRISIS_VIOLENCE:		return "violence";
	case CRISIS_ABUSE_OF_OTHERS:	return "abuse of others";
	default:			return "other";
	}
}

char *
mx_fmt_escalation(const struct escalation *e, const char *server)
{
	cJSON *c;
	char *link, *body, *html, *hl, *hr, *tx, *ht;
	const char *room = e->room != NULL ? e->room : "?", *cut;

	link = e->room != NULL && e->id != NULL ?
	    mx_fmt_link(e->room, e->id, server) : xstrdup("");
	/* the text only when the config allows it (the router decides) */
	tx = e->text != NULL ? cmd_text_json(e->text, e->len) : xstrdup("");
	ht = mx_html_escape(tx, strlen(tx));
	cut = e->text_cut ? " [...]" : "";
	body = xasprintf("faqbot escalation: %s (%s) in %s: %s%s%s%s",
	    level_str(e->level), kind_str(e->kind), room, link,
	    e->text != NULL ? "\nMessage: " : "", tx, cut);
	hl = mx_html_escape(link, strlen(link));
	hr = mx_html_escape(room, strlen(room));
	html = xasprintf("<p><strong>faqbot escalation</strong>: %s (%s) in "
	    "%s: <a href=\"%s\">open the message</a></p>%s%s%s%s",
	    level_str(e->level), kind_str(e->kind), hr, hl,
	    e->text != NULL ? "<blockquote>" : "", ht, cut,
	    e->text != NULL ? "</blockquote>" : "");
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "msgtype", "m.notice");
	cJSON_AddStringToObject(c, "body", body);
	cJSON_AddStringToObject(c, "format", "org.matrix.custom.html");
	cJSON_AddStringToObject(c, "formatted_body", html);
	free(link);
	free(body);
	free(html);
	free(hl);
	free(hr);
	free(tx);
	free(ht);
	return print_content(c);
}

char *
mx_fmt_notice(const char *text)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "msgtype", "m.notice");
	cJSON_AddStringToObject(c, "body", text);
	return print_content(c);
}
