/*
 * discord_render.c -- a pipeline reply as Discord message content: the
 * answer, suggestions, the sources line with masked links
 * ([title](<url>): no embed previews), the resource footer and the
 * disclaimer, within the 2000-character limit.  When too long, the
 * answer body is shortened first; sources, footer and disclaimer stay.
 * Only if they alone do not fit (very long titles or URLs in a KB) does
 * the sources line lose its links, then its end; the footer and the
 * disclaimer are never touched unless they alone pass the limit.
 * Also the JSON body of a reply (message_reference, no mentions parsed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "discord.h"
#include "xmalloc.h"

struct sbuf {
	char	*p;
	size_t	 len, cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Characters (code points) in the UTF-8 text s[0..len). */
size_t
discord_utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Bytes of the first chars characters of s (a code-point boundary). */
static size_t
utf8_prefix(const char *s, size_t len, size_t chars)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (n == chars)
				return i;
			n++;
		}
	}
	return len;
}

/* A title inside [...]: brackets would end the link text early. */
static void
sb_title(struct sbuf *b, const char *t)
{
	for (; *t != '\0'; t++) {
		if (*t == '[' || *t == ']')
			sb_add(b, "(", 0);
		else
			sb_add(b, t, 1);
	}
}

static int
url_maskable(const char *u)
{
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return 0;
	return strpbrk(u, " <>()[]\n\t") == NULL;
}

static void
render_sources(struct sbuf *b, const struct reply *r, int links)
{
	const struct reply_source *s;
	size_t i;

	if (r->nsources == 0)
		return;
	sb_str(b, r->nsources == 1 ? "Source: " : "Sources: ");
	for (i = 0; i < r->nsources && i < REPLY_MAX_SOURCES; i++) {
		s = &r->sources[i];
		if (i > 0)
			sb_str(b, "; ");
		if (links && s->url != NULL && url_maskable(s->url)) {
			sb_str(b, "[");
			sb_title(b, s->title != NULL ? s->title : s->url);
			sb_str(b, "](<");
			sb_str(b, s->url);
			sb_str(b, ">)");
		} else if (s->title != NULL)
			sb_str(b, s->title);
		else if (!links && s->url != NULL)
			sb_str(b, s->url);
		if (s->publisher != NULL || s->date != NULL) {
			sb_str(b, " (");
			if (s->publisher != NULL)
				sb_str(b, s->publisher);
			if (s->publisher != NULL && s->date != NULL)
				sb_str(b, ", ");
			if (s->date != NULL)
				sb_str(b, s->date);
			sb_str(b, ")");
		}
	}
}

static size_t
sb_chars(const struct sbuf *b)
{
	return b->len > 0 ? discord_utf8_chars(b->p, b->len) : 0;
}

/* Append the first max characters of s[0..len), "..." ending a cut. */
static void
sb_cut(struct sbuf *b, const char *s, size_t len, size_t max)
{
	if (discord_utf8_chars(s, len) <= max) {
		sb_add(b, s, len);
		return;
	}
	if (max == 0)
		return;
	sb_add(b, s, utf8_prefix(s, len, max - 1));
	sb_str(b, "\xe2\x80\xa6");
}

/*
 * The end of a reply (sources line, footer, disclaimer) in tail, within
 * limit characters if at all possible: the sources with masked links;
 * if that is too long, without links; then the sources line cut short.
 * Footer and disclaimer are whole unless they alone pass the limit
 * (then the footer is cut, and the disclaimer only if it alone does).
 */
static void
render_tail(struct sbuf *tail, const struct reply *r, size_t limit)
{
	struct sbuf src = { 0 }, foot = { 0 };
	const char *disc = r->disclaimer != NULL && r->disclaimer[0] != '\0' ?
	    r->disclaimer : NULL;
	size_t dchars = disc != NULL ? discord_utf8_chars(disc, strlen(disc)) :
	    0, fmax, need;

	if (r->footer != NULL && r->footer[0] != '\0') {
		fmax = limit > dchars + 1 ? limit - dchars - 1 : 0;
		sb_cut(&foot, r->footer, strlen(r->footer), fmax);
	}
	need = sb_chars(&foot) + dchars + (foot.len > 0 && disc != NULL);
	render_sources(&src, r, 1);
	if (src.len > 0 && sb_chars(&src) + 1 + need > limit) {
		src.len = 0;
		render_sources(&src, r, 0);
	}
	if (src.len > 0) {
		sb_cut(tail, src.p, src.len, limit > need + 1 ?
		    limit - need - 1 : 0);
		if (tail->len > 0 && (foot.len > 0 || disc != NULL))
			sb_str(tail, "\n");
	}
	if (foot.len > 0) {
		sb_add(tail, foot.p, foot.len);
		if (disc != NULL)
			sb_str(tail, "\n");
	}
	if (disc != NULL)
		sb_cut(tail, disc, strlen(disc), limit);
	free(src.p);
	free(foot.p);
}

char *
discord_render(const struct reply *r, size_t limit)
{
	struct sbuf head = { 0 }, tail = { 0 }, out = { 0 };
	const char *body = r->body != NULL ? r->body : r->text;
	size_t i, tchars, hchars, avail, cut;

	if (body != NULL)
		sb_str(&head, body);
	for (i = 0; i < r->nsuggest && i < REPLY_MAX_SUGGEST; i++) {
		if (r->suggest[i] == NULL)
			continue;
		sb_str(&head, "\n- ");
		sb_str(&head, r->suggest[i]);
	}
	render_tail(&tail, r, limit);
	sb_str(&out, "");
	tchars = tail.len ? discord_utf8_chars(tail.p, tail.len) + 2 : 0;
	hchars = head.len ? discord_utf8_chars(head.p, head.len) : 0;
	avail = limit > tchars ? limit - tchars : 0;
	if (hchars > avail) {
		/* keep whole characters, end with an ellipsis */
		cut = avail > 1 ? utf8_prefix(head.p, head.len, avail - 1) : 0;
		if (cut > 0) {
			sb_add(&out, head.p, cut);
			sb_str(&out, "\xe2\x80\xa6");
		}
	} else if (head.len > 0)
		sb_add(&out, head.p, head.len);
	if (tail.len > 0) {
		if (out.len > 0)
			sb_str(&out, "\n\n");
		sb_add(&out, tail.p, tail.len);
	}
	free(head.p);
	free(tail.p);
	return out.p;
}

/*
 * discord_reply_body() builds {"content", "allowed_mentions": {"parse":
 * []}, "message_reference"} (message_id NULL: no reference); flags is
 * added when non-zero; nonce with "enforce_nonce": true when not NULL
 * (Discord then returns the message it already created with that nonce
 * in the last few minutes instead of creating another).  Caller frees.
 */
char *
discord_reply_body(const char *content, const char *channel_id,
    const char *message_id, const char *nonce, int flags)
{
	cJSON *o = cJSON_CreateObject(), *am, *ref;
	char *s;

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "content", content);
	am = cJSON_AddObjectToObject(o, "allowed_mentions");
	cJSON_AddItemToObject(am, "parse", cJSON_CreateArray());
	if (message_id != NULL) {
		ref = cJSON_AddObjectToObject(o, "message_reference");
		cJSON_AddStringToObject(ref, "message_id", message_id);
		if (channel_id != NULL)
			cJSON_AddStringToObject(ref, "channel_id", channel_id);
		cJSON_AddFalseToObject(ref, "fail_if_not_exists");
	}
	if (flags != 0)
		cJSON_AddNumberToObject(o, "flags", flags);
	if (nonce != NULL) {
		cJSON_AddStringToObject(o, "nonce", nonce);
		cJSON_AddTrueToObject(o, "enforce_nonce");
	}
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}
