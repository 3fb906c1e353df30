/*
 * pipeline.c -- one message in, one reply (and maybe one escalation) out:
 * crisis check first, with a per-user memory; acute/concern get the
 * crisis reply alone; abuse aimed at others goes to moderators only;
 * edits are re-checked for crisis and never answered from the FAQ;
 * everything else is matched and composed.  No platform, network or
 * clock here: the caller passes the time.
 *
 * DESIGN: the per-user state (crisis memory, escalation dedupe and rate
 * limit) lives in a fixed pool of opts.max_users entries, found through
 * a chained hash table and kept in least-recently-seen order, so memory
 * stays bounded however many users write: the stalest user is evicted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "hotlines.h"
#include "intents.h"
#include "kbset.h"
#include "pipeline.h"
#include "xmalloc.h"

#define DEFAULT_REGION		"US"
#define DEFAULT_WINDOW		600.0
#define DEFAULT_ESC_MAX		3
#define DEFAULT_MAX_USERS	4096
#define MAX_KEY			512	/* platform + user id, truncated */

struct user {
	char			 key[MAX_KEY];
	uint64_t		 hash;
	struct user		*next_hash;	/* bucket chain */
	struct user		*prev_lru;	/* more recently seen */
	struct user		*next_lru;	/* less recently seen */
	double			 last_seen;
	struct crisis_memory	 mem;		/* the detector's context */
	/* escalations: dedupe per level, rate limit per window */
	enum crisis_level	 esc_level;	/* highest sent in window */
	enum crisis_kind	 esc_kind;
	double			 esc_start;	/* window start */
	unsigned		 esc_count;
};

struct pipeline {
	struct pipeline_opts	 opts;
	char			*region;
	struct user		*pool;
	size_t			 nused;
	struct user		**buckets;
	size_t			 nbuckets;
	struct user		*lru_head;	/* most recent */
	struct user		*lru_tail;	/* least recent: evicted */
	struct matcher_ws	*ws;		/* stemmer for every check */
};

const char *
reply_kind_str(enum reply_kind kind)
{
	switch (kind) {
	case REPLY_NONE:
		return "none";
	case REPLY_ANSWER:
		return "answer";
	case REPLY_NO_MATCH:
		return "no_match";
	case REPLY_CRISIS:
		return "crisis";
	}
	return "unknown";
}

struct pipeline *
pipeline_new(const struct pipeline_opts *opts)
{
	struct pipeline *p = xcalloc(1, sizeof(*p));

	if (opts != NULL)
		p->opts = *opts;
	p->region = xstrdup(p->opts.region != NULL && p->opts.region[0] ?
	    p->opts.region : DEFAULT_REGION);
	p->opts.region = p->region;
	if (p->opts.crisis_memory < 0)
		p->opts.crisis_memory = 0;
	if (p->opts.escalate_window <= 0)
		p->opts.escalate_window = DEFAULT_WINDOW;
	if (p->opts.escalate_max == 0)
		p->opts.escalate_max = DEFAULT_ESC_MAX;
	if (p->opts.max_users == 0)
		p->opts.max_users = DEFAULT_MAX_USERS;
	p->pool = xcalloc(p->opts.max_users, sizeof(*p->pool));
	p->nbuckets = 16;
	while (p->nbuckets < p->opts.max_users)
		p->nbuckets *= 2;
	p->buckets = xcalloc(p->nbuckets, sizeof(*p->buckets));
	p->ws = xmatcher_ws_new();
	return p;
}

void
pipeline_free(struct pipeline *p)
{
	if (p == NULL)
		return;
	free(p->pool);
	free(p->buckets);
	free(p->region);
	matcher_ws_free(p->ws);
	free(p);
}

const char *
pipeline_region(const struct pipeline *p)
{
	return p->region;
}

size_t
pipeline_nusers(const struct pipeline *p)
{
	return p->nused;
}

void
reply_free(struct reply *r)
{
	if (r == NULL)
		return;
	free(r->body);
	free(r->footer);
	free(r->text);
	kbset_unref(r->kb);
	memset(r, 0, sizeof(*r));
}

static uint64_t
hash_key(const char *s)
{
	return mio_hash(MIO_HASH_INIT, s, strlen(s));
}

static void
lru_unlink(struct pipeline *p, struct user *u)
{
	if (u->prev_lru != NULL)
		u->prev_lru->next_lru = u->next_lru;
	else
		p->lru_head = u->next_lru;
	if (u->next_lru != NULL)
		u->next_lru->prev_lru = u->prev_lru;
	else
		p->lru_tail = u->prev_lru;
	u->prev_lru = u->next_lru = NULL;
}

static void
lru_push_front(struct pipeline *p, struct user *u)
{
	u->prev_lru = NULL;
	u->next_lru = p->lru_head;
	if (p->lru_head != NULL)
		p->lru_head->prev_lru = u;
	p->lru_head = u;
	if (p->lru_tail == NULL)
		p->lru_tail = u;
}

static void
bucket_remove(struct pipeline *p, struct user *u)
{
	struct user **pp = &p->buckets[u->hash & (p->nbuckets - 1)];

	while (*pp != NULL && *pp != u)
		pp = &(*pp)->next_hash;
	if (*pp == u)
		*pp = u->next_hash;
	u->next_hash = NULL;
}

/*
 * The state of msg's author (platform + user), created when new; the
 * least recently seen user is evicted when the pool is full.  Never NULL.
 */
static struct user *
user_get(struct pipeline *p, const struct message *msg, double now)
{
	char key[MAX_KEY];
	struct user *u;
	uint64_t h;

	/* truncation only merges ids longer than MAX_KEY: acceptable */
	snprintf(key, sizeof(key), "%s\x1f%s",
	    msg->platform != NULL ? msg->platform : "",
	    msg->user != NULL ? msg->user : "");
	h = hash_key(key);
	for (u = p->buckets[h & (p->nbuckets - 1)]; u != NULL;
	    u = u->next_hash)
		if (u->hash == h && strcmp(u->key, key) == 0)
			break;
	if (u != NULL) {
		lru_unlink(p, u);
	} else {
		if (p->nused < p->opts.max_users)
			u = &p->pool[p->nused++];
		else {
			u = p->lru_tail;
			lru_unlink(p, u);
			bucket_remove(p, u);
		}
		memset(u, 0, sizeof(*u));
		memcpy(u->key, key, sizeof(key));
		u->hash = h;
		u->next_hash = p->buckets[h & (p->nbuckets - 1)];
		p->buckets[h & (p->nbuckets - 1)] = u;
	}
	u->last_seen = now;
	lru_push_front(p, u);
	return u;
}

/*
 * Should this crisis be escalated for u at now?  Deduplicated: within the
 * window a level (and kind) already escalated is not sent again, a higher
 * level is.  Rate limited: at most escalate_max per window.
 */
static int
escalation_due(struct pipeline *p, struct user *u,
    const struct crisis_result *cr, double now)
{
	if (u->esc_count == 0 || now - u->esc_start >= p->opts.escalate_window) {
		u->esc_start = now;
		u->esc_count = 0;
		u->esc_level = CRISIS_NONE;
		u->esc_kind = CRISIS_KIND_NONE;
	}
	if (u->esc_count > 0 && cr->level <= u->esc_level &&
	    (cr->kind == u->esc_kind || cr->level < u->esc_level))
		return 0;		/* already told the moderators */
	if (u->esc_count >= p->opts.escalate_max)
		return 0;		/* rate limit */
	u->esc_count++;
	if (cr->level > u->esc_level || u->esc_kind == CRISIS_KIND_NONE) {
		u->esc_level = cr->level;
		u->esc_kind = cr->kind;
	}
	return 1;
}

static void
fill_escalation(struct escalation *esc, const struct message *msg,
    const struct crisis_result *cr)
{
	esc->present = 1;
	esc->level = cr->level;
	esc->kind = cr->kind;
	esc->platform = msg->platform;
	esc->room = msg->room;
	esc->user = msg->user;
	esc->id = msg->id;
}

/*
 * The crisis check with the author's memory: the detector itself keeps
 * what it needs (e.g. "I want to die" then "how many klonopin is too
 * many" within its window is acute) in u->mem.
 */
static void
crisis_step(struct pipeline *p, struct kbset *ks, struct user *u,
    const struct message *msg, double now, struct crisis_result *cr)
{
	/* an operator's shorter window wins over the rules' own */
	if (p->opts.crisis_memory > 0 && u->mem.at > 0 &&
	    now - u->mem.at > p->opts.crisis_memory)
		memset(&u->mem, 0, sizeof(u->mem));
	crisis_check_ws(kbset_crisis(ks), p->ws,
	    msg->text != NULL ? msg->text : "",
	    msg->text != NULL ? msg->len : 0, &u->mem, now, cr);
}

/*
 * The crisis reply for cr in the pipeline's region (owned).  Should the
 * composer ever have nothing for a concern/acute message, the author still
 * gets the region's emergency and crisis line from the hotlines file
 * rather than silence.
 */
static char *
crisis_text(struct pipeline *p, struct kbset *ks,
    const struct crisis_result *cr)
{
	const struct hotline_region *r;
	char *t;

	t = crisis_reply_compose(kbset_hotlines(ks), p->region, cr);
	if (t != NULL)
		return t;
	r = hotlines_region(kbset_hotlines(ks), p->region);
	return xasprintf("I'm a bot, and what you wrote sounds serious. If "
	    "you or someone else is in danger right now, call %s. You can "
	    "also reach a crisis line: %s.", r->emergency,
	    r->crisis.name != NULL && r->crisis.call != NULL ?
	    r->crisis.call : kbset_hotlines(ks)->directory);
}

/* The one-line resource footer for a mention-level message, or NULL. */
static char *
mention_footer(struct pipeline *p, struct kbset *ks)
{
	const char *f = hotlines_footer(kbset_hotlines(ks), p->region);

	return f != NULL ? xstrdup(f) : NULL;
}

int
pipeline_handle(struct pipeline *p, struct kbset *ks,
    const struct message *msg, double now, struct reply *out,
    struct escalation *esc)
{
	struct match_result m;
	struct crisis_result cr;
	struct user *u;
	const char *text = msg->text != NULL ? msg->text : "";

	memset(out, 0, sizeof(*out));
	memset(esc, 0, sizeof(*esc));
	if (ks == NULL)
		return -1;
	out->kb = kbset_ref(ks);
	u = user_get(p, msg, now);
	crisis_step(p, ks, u, msg, now, &cr);
	out->crisis = cr;

	if (cr.kind == CRISIS_ABUSE_OF_OTHERS) {
		/* Never a crisis message at someone else: moderators only. */
		if (escalation_due(p, u, &cr, now))
			fill_escalation(esc, msg, &cr);
		out->kind = REPLY_NONE;
		compose_render(out, ks);
		return 0;
	}
	if (cr.level >= CRISIS_CONCERN) {
		if (escalation_due(p, u, &cr, now))
			fill_escalation(esc, msg, &cr);
		out->kind = REPLY_CRISIS;
		out->body = crisis_text(p, ks, &cr);
		compose_render(out, ks);
		return 0;
	}
	if (msg->is_edit) {
		/* an edit is only re-checked for crisis */
		out->kind = REPLY_NONE;
		compose_render(out, ks);
		return 0;
	}
	if (cr.level == CRISIS_MENTION)
		out->footer = mention_footer(p, ks);
	matcher_match_ws(kbset_matcher(ks), p->ws, text,
	    msg->text != NULL ? msg->len : 0, &m);
	memcpy(out->alts, m.alts, sizeof(out->alts));
	out->nalts = m.nalts < MATCH_MAX_ALTS ? m.nalts : MATCH_MAX_ALTS;
	if (m.intent >= 0)
		compose_answer(out, ks, m.intent, m.confidence);
	else
		compose_no_match(out, ks, &m);
	return 0;
}

void
escalation_set_text(struct escalation *e, const char *text, size_t len,
    size_t cap)
{
	e->text = text;
	e->len = len;
	e->text_cut = 0;
	if (text == NULL) {
		e->len = 0;
		return;
	}
	if (len <= cap)
		return;
	/* back off continuation bytes (10xxxxxx) to a character start */
	while (cap > 0 && ((unsigned char)text[cap] & 0xC0) == 0x80)
		cap--;
	e->len = cap;
	e->text_cut = 1;
}
