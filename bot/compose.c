/*
 * compose.c -- the text of a reply: answer + "Source:" lines + footer +
 * disclaimer, a kind no-match with "did you mean" questions, or an
 * out-of-scope topic's reply + doctor pointer + disclaimer.  Wording
 * comes from messages.json through the kbset; nothing medical is written
 * here.  Kept allocation-light: it runs for every message.
 */
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "kbset.h"
#include "xmalloc.h"

/* A growable string; only ever grows by what the KB and wording hold,
 * all capped at load time. */
struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
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
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static int
stated(const char *v, const char *not_stated)
{
	return v != NULL && v[0] != '\0' && strcmp(v, not_stated) != 0 &&
	    strcmp(v, "not stated") != 0;
}

/* Append to buf at *off without overflowing; counts what was needed. */
static void
put(char *buf, size_t cap, size_t *off, const char *s)
{
	size_t n = strlen(s);

	if (*off < cap) {
		size_t room = cap - *off - 1;

		memcpy(buf + *off, s, n < room ? n : room);
		buf[*off + (n < room ? n : room)] = '\0';
	}
	*off += n;
}

size_t
compose_source_line(char *buf, size_t cap, const struct reply_source *s,
    const char *not_stated)
{
	size_t off = 0;

	if (cap > 0)
		buf[0] = '\0';
	put(buf, cap, &off, "Source: ");
	put(buf, cap, &off, stated(s->title, not_stated) ? s->title :
	    "untitled article");
	put(buf, cap, &off, " (");
	if (stated(s->publisher, not_stated))
		put(buf, cap, &off, s->publisher);
	else
		put(buf, cap, &off, "publisher not stated");
	put(buf, cap, &off, ", ");
	if (stated(s->date, not_stated))
		put(buf, cap, &off, s->date);
	else
		put(buf, cap, &off, "date not stated");
	put(buf, cap, &off, ")");
	if (stated(s->url, not_stated)) {
		put(buf, cap, &off, " ");
		put(buf, cap, &off, s->url);
	}
	return off;
}

void
compose_render(struct reply *r, const struct kbset *ks)
{
	struct sbuf b = { NULL, 0, 0 };
	const char *ns = kbset_msg(ks, KBSET_MSG_NOT_STATED);
	char line[1024];
	size_t i, n;

	free(r->text);
	r->text = NULL;
	if (r->body != NULL)
		sb_str(&b, r->body);
	if (r->kind == REPLY_CRISIS || r->kind == REPLY_NONE) {
		r->text = b.p != NULL ? b.p : xstrdup("");
		return;
	}
	if (r->nsources > 0)
		sb_str(&b, "\n");
	for (i = 0; i < r->nsources; i++) {
		n = compose_source_line(line, sizeof(line), &r->sources[i], ns);
		sb_str(&b, "\n");
		sb_add(&b, line, n < sizeof(line) ? n : sizeof(line) - 1);
	}
	if (r->nsuggest > 0) {
		sb_str(&b, "\n");
		sb_str(&b, kbset_msg(ks, KBSET_MSG_DID_YOU_MEAN));
		for (i = 0; i < r->nsuggest; i++) {
			sb_str(&b, "\n- ");
			sb_str(&b, r->suggest[i]);
		}
	}
	if (r->kind == REPLY_NO_MATCH) {
		sb_str(&b, "\n");
		sb_str(&b, kbset_msg(ks, KBSET_MSG_SEE_DOCTOR));
	}
	if (r->footer != NULL) {
		sb_str(&b, "\n\n");
		sb_str(&b, r->footer);
	}
	if (r->disclaimer != NULL) {
		sb_str(&b, r->footer != NULL ? "\n" : "\n\n");
		sb_str(&b, r->disclaimer);
	}
	r->text = b.p != NULL ? b.p : xstrdup("");
}

/* Source id -> its record in the KB, or NULL. */
static const struct kb_source *
find_source(const struct kb *kb, const char *id)
{
	size_t i;

	for (i = 0; i < kb->nsources; i++)
		if (strcmp(kb->sources[i].id, id) == 0)
			return &kb->sources[i];
	return NULL;
}

void
compose_answer(struct reply *r, const struct kbset *ks, int intent,
    double confidence)
{
	const struct kb *kb = kbset_kb(ks);
	const struct kb_intent *in = &kb->intents[intent];
	size_t i;

	r->kind = REPLY_ANSWER;
	r->intent = in->id;
	r->out_of_scope = NULL;
	r->confidence = confidence;
	free(r->body);
	r->body = xstrdup(in->answer);
	r->nsources = 0;
	for (i = 0; i < in->nsources && r->nsources < REPLY_MAX_SOURCES;
	    i++) {
		const struct kb_source *s = find_source(kb, in->sources[i]);
		struct reply_source *rs;

		if (s == NULL)
			continue;	/* kbset_load rejects this */
		rs = &r->sources[r->nsources++];
		rs->id = s->id;
		rs->title = s->title;
		rs->publisher = s->publisher;
		rs->date = s->date;
		rs->url = s->url;
	}
	r->nsuggest = 0;
	r->disclaimer = kbset_msg(ks, KBSET_MSG_DISCLAIMER);
	compose_render(r, ks);
}

void
compose_no_match(struct reply *r, const struct kbset *ks,
    const struct match_result *m)
{
	const struct kb *kb = kbset_kb(ks);
	size_t i, j;

	r->kind = REPLY_NO_MATCH;
	r->intent = NULL;
	r->out_of_scope = NULL;
	r->confidence = m->confidence;
	free(r->body);
	r->nsources = 0;
	r->nsuggest = 0;
	if (m->topic > 0 && (size_t)m->topic <= kb->ntopics) {
		/* an out-of-scope topic: its own reply, no suggestions
		 * (they would be off the question), the doctor pointer and
		 * the disclaimer */
		const struct kb_topic *t = &kb->topics[m->topic - 1];

		r->out_of_scope = t->id;
		r->body = xstrdup(t->reply);
		r->disclaimer = kbset_msg(ks, KBSET_MSG_DISCLAIMER);
		compose_render(r, ks);
		return;
	}
	r->body = xstrdup(kbset_msg(ks, KBSET_MSG_NO_MATCH));
	for (i = 0; i < m->nalts && r->nsuggest < REPLY_MAX_SUGGEST; i++) {
		const struct match_alt *a = &m->alts[i];
		const char *q;

		if (a->intent < 0 || (size_t)a->intent >= kb->nintents ||
		    a->confidence < COMPOSE_SUGGEST_MIN)
			continue;
		/* bot.* intents are not worth suggesting */
		if (strncmp(kb->intents[a->intent].id, "bot.", 4) == 0)
			continue;
		q = kb->intents[a->intent].question;
		for (j = 0; j < r->nsuggest; j++)
			if (r->suggest[j] == q)
				break;
		if (j == r->nsuggest)
			r->suggest[r->nsuggest++] = q;
	}
	r->disclaimer = NULL;
	compose_render(r, ks);
}
