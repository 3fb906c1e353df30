/*
 * crisis.c -- the crisis detector's front door: names of levels and kinds,
 * compiling struct crisis_rules into word tables and phrase programs, and
 * crisis_check(), which cuts a message into windows, runs crisis_norm.c and
 * crisis_match.c on each and keeps the author's memory.
 *
 * DESIGN: every word the rules mention becomes an entry in one hash map,
 * with its classes, person, grammar flags and alias.  Message words are
 * looked up once; phrases then compare entry ids.  Phrases are indexed by
 * their first token, so a message costs one lookup per word plus the few
 * phrases that can start there.  The builtin grammar words (pronouns,
 * negations, question words) live here as code, not data: they are how
 * the rules combine, not what they match.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "crisis_int.h"

/* ---- names ---- */

static const char *const level_names[] = {
	"none", "mention", "concern", "acute",
};
static const char *const kind_names[] = {
	"none", "suicide", "self_harm", "overdose", "medical_emergency",
	"violence", "abuse_of_others",
};
static const char *const role_names[] = {
	"signal", "idiom", "recovery", "urgent", "context", "info",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
crisis_level_str(enum crisis_level level)
{
	if ((size_t)level < NELEM(level_names))
		return level_names[level];
	return "unknown";
}

const char *
crisis_kind_str(enum crisis_kind kind)
{
	if ((size_t)kind < NELEM(kind_names))
		return kind_names[kind];
	return "unknown";
}

const char *
crisis_role_str(enum crisis_role role)
{
	if ((size_t)role < NELEM(role_names))
		return role_names[role];
	return "unknown";
}

static int
parse_name(const char *const *names, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

int
crisis_level_parse(const char *s, enum crisis_level *out)
{
	int i = parse_name(level_names, NELEM(level_names), s);

	if (i < 0)
		return -1;
	*out = (enum crisis_level)i;
	return 0;
}

int
crisis_kind_parse(const char *s, enum crisis_kind *out)
{
	int i = parse_name(kind_names, NELEM(kind_names), s);

	if (i < 0)
		return -1;
	*out = (enum crisis_kind)i;
	return 0;
}

int
crisis_role_parse(const char *s, enum crisis_role *out)
{
	int i = parse_name(role_names, NELEM(role_names), s);

	if (i < 0)
		return -1;
	*out = (enum crisis_role)i;
	return 0;
}

/* ---- builtin grammar ---- */

struct gword {
	const char	*w;
	int		 person;
	int		 self;
	unsigned	 flags;
};

static const struct gword grammar[] = {
	/* the author */
	{ "i", 1, 0, 0 }, { "im", 1, 0, 0 }, { "ive", 1, 0, 0 },
	{ "id", 1, 0, 0 }, { "me", 1, 0, WF_OBJ }, { "my", 1, 0, 0 },
	{ "mine", 1, 0, 0 }, { "we", 1, 0, 0 }, { "us", 1, 0, WF_OBJ },
	{ "our", 1, 0, 0 }, { "myself", 1, 1, 0 }, { "meself", 1, 1, 0 },
	{ "ourselves", 1, 1, 0 }, { "mself", 1, 1, 0 },
	/* whoever is addressed */
	{ "you", 2, 0, 0 }, { "u", 2, 0, 0 }, { "ur", 2, 0, 0 },
	{ "youre", 2, 0, 0 }, { "your", 2, 0, 0 }, { "ya", 2, 0, 0 },
	{ "yall", 2, 0, 0 }, { "yourself", 2, 2, 0 }, { "urself", 2, 2, 0 },
	{ "yourselves", 2, 2, 0 }, { "yaself", 2, 2, 0 },
	{ "yoself", 2, 2, 0 },
	/* someone else */
	{ "he", 3, 0, 0 }, { "she", 3, 0, 0 }, { "they", 3, 0, 0 },
	{ "hes", 3, 0, 0 }, { "shes", 3, 0, 0 }, { "theyre", 3, 0, 0 },
	{ "him", 3, 0, WF_OBJ }, { "her", 3, 0, WF_OBJ }, { "them", 3, 0, WF_OBJ },
	{ "his", 3, 0, 0 }, { "their", 3, 0, 0 }, { "himself", 3, 3, 0 },
	{ "herself", 3, 3, 0 }, { "themselves", 3, 3, 0 },
	{ "themself", 3, 3, 0 }, { "friend", 3, 0, 0 },
	{ "friends", 3, 0, 0 }, { "bestie", 3, 0, 0 }, { "bff", 3, 0, 0 },
	{ "son", 3, 0, 0 }, { "daughter", 3, 0, 0 }, { "kid", 3, 0, 0 },
	{ "kids", 3, 0, 0 }, { "child", 3, 0, 0 }, { "toddler", 3, 0, 0 },
	{ "baby", 3, 0, 0 }, { "mom", 3, 0, 0 }, { "mum", 3, 0, 0 },
	{ "mother", 3, 0, 0 }, { "dad", 3, 0, 0 }, { "father", 3, 0, 0 },
	{ "parent", 3, 0, 0 }, { "brother", 3, 0, 0 },
	{ "sister", 3, 0, 0 }, { "wife", 3, 0, 0 }, { "husband", 3, 0, 0 },
	{ "partner", 3, 0, 0 }, { "boyfriend", 3, 0, 0 },
	{ "girlfriend", 3, 0, 0 }, { "bf", 3, 0, 0 }, { "gf", 3, 0, 0 },
	{ "roommate", 3, 0, 0 }, { "coworker", 3, 0, 0 },
	{ "someone", 3, 0, 0 }, { "somebody", 3, 0, 0 },
	{ "person", 3, 0, 0 }, { "patient", 3, 0, 0 },
	{ "grandma", 3, 0, 0 }, { "grandpa", 3, 0, 0 },
	{ "grandmother", 3, 0, 0 }, { "grandfather", 3, 0, 0 },
	{ "cousin", 3, 0, 0 }, { "aunt", 3, 0, 0 }, { "uncle", 3, 0, 0 },
	{ "niece", 3, 0, 0 }, { "nephew", 3, 0, 0 },
	{ "neighbor", 3, 0, 0 }, { "neighbour", 3, 0, 0 },
	{ "teen", 3, 0, 0 }, { "teenager", 3, 0, 0 },
	{ "student", 3, 0, 0 }, { "classmate", 3, 0, 0 },
	{ "fiance", 3, 0, 0 }, { "people", 3, 0, 0 }, { "anyone", 3, 0, 0 },
	{ "everyone", 3, 0, 0 }, { "guy", 3, 0, 0 }, { "girl", 3, 0, 0 },
	{ "boy", 3, 0, 0 }, { "man", 3, 0, 0 }, { "woman", 3, 0, 0 },
	{ "grandson", 3, 0, 0 }, { "granddaughter", 3, 0, 0 },
	/* negation */
	{ "not", 0, 0, WF_NEG }, { "never", 0, 0, WF_NEG },
	{ "dont", 0, 0, WF_NEG }, { "doesnt", 0, 0, WF_NEG },
	{ "didnt", 0, 0, WF_NEG }, { "wont", 0, 0, WF_NEG },
	{ "wouldnt", 0, 0, WF_NEG }, { "isnt", 0, 0, WF_NEG },
	{ "arent", 0, 0, WF_NEG }, { "wasnt", 0, 0, WF_NEG },
	{ "werent", 0, 0, WF_NEG }, { "havent", 0, 0, WF_NEG },
	{ "hasnt", 0, 0, WF_NEG }, { "hadnt", 0, 0, WF_NEG },
	{ "no", 0, 0, WF_NEG }, { "nor", 0, 0, WF_NEG },
	{ "shouldnt", 0, 0, WF_NEG }, { "aint", 0, 0, WF_NEG },
	{ "nt", 0, 0, WF_NEG },
	/* words after a negation that undo it: "not that", "not only" */
	{ "that", 0, 0, WF_NEGSKIP }, { "only", 0, 0, WF_NEGSKIP },
	{ "sure", 0, 0, WF_NEGSKIP }, { "why", 0, 0, WF_QSTART },
	/* scope breakers */
	{ "and", 0, 0, WF_SCOPE }, { "but", 0, 0, WF_SCOPE },
	{ "so", 0, 0, WF_SCOPE }, { "because", 0, 0, WF_SCOPE },
	{ "cause", 0, 0, WF_SCOPE }, { "though", 0, 0, WF_SCOPE },
	{ "although", 0, 0, WF_SCOPE }, { "yet", 0, 0, WF_SCOPE },
	{ "then", 0, 0, WF_SCOPE }, { "now", 0, 0, WF_SCOPE },
	{ "anyway", 0, 0, WF_SCOPE }, { "however", 0, 0, WF_SCOPE },
	/* imperatives before "kill yourself" */
	{ "just", 0, 0, WF_IMPER }, { "go", 0, 0, WF_IMPER },
	{ "please", 0, 0, WF_IMPER }, { "pls", 0, 0, WF_IMPER },
	{ "should", 0, 0, WF_QSTART | WF_IMPER },
	/* conditionals */
	{ "if", 0, 0, WF_COND | WF_SCOPE }, { "unless", 0, 0, WF_COND },
	{ "whether", 0, 0, WF_COND },
	/* question starts */
	{ "can", 0, 0, WF_QSTART }, { "could", 0, 0, WF_QSTART },
	{ "does", 0, 0, WF_QSTART }, { "do", 0, 0, WF_QSTART },
	{ "did", 0, 0, WF_QSTART }, { "is", 0, 0, WF_QSTART },
	{ "are", 0, 0, WF_QSTART }, { "was", 0, 0, WF_QSTART },
	{ "were", 0, 0, WF_QSTART }, { "will", 0, 0, WF_QSTART },
	{ "would", 0, 0, WF_QSTART },
	{ "may", 0, 0, WF_QSTART }, { "might", 0, 0, WF_QSTART },
	{ "what", 0, 0, WF_QSTART }, { "whats", 0, 0, WF_QSTART },
	{ "how", 0, 0, WF_QSTART }, { "hows", 0, 0, WF_QSTART },
	{ "when", 0, 0, WF_QSTART }, { "where", 0, 0, WF_QSTART },
	{ "which", 0, 0, WF_QSTART }, { "who", 0, 0, WF_QSTART },
	{ "has", 0, 0, WF_QSTART }, { "have", 0, 0, WF_QSTART },
	{ "am", 0, 0, WF_QSTART }, { "isit", 0, 0, WF_QSTART },
	/* relapse: recovery words no longer apply */
	{ "again", 0, 0, WF_RELAPSE }, { "relapsed", 0, 0, WF_RELAPSE },
	{ "relapse", 0, 0, WF_RELAPSE }, { "relapsing", 0, 0, WF_RELAPSE },
	/* quantities for {many} */
	{ "all", 0, 0, WF_MANY }, { "whole", 0, 0, WF_MANY },
	{ "entire", 0, 0, WF_MANY }, { "every", 0, 0, WF_MANY },
	{ "handful", 0, 0, WF_MANY }, { "bunch", 0, 0, WF_MANY },
	{ "lot", 0, 0, WF_MANY }, { "lots", 0, 0, WF_MANY },
	{ "dozen", 0, 0, WF_MANY }, { "dozens", 0, 0, WF_MANY },
	{ "several", 0, 0, WF_MANY }, { "six", 0, 0, WF_MANY },
	{ "seven", 0, 0, WF_MANY }, { "eight", 0, 0, WF_MANY },
	{ "nine", 0, 0, WF_MANY }, { "ten", 0, 0, WF_MANY },
	{ "eleven", 0, 0, WF_MANY },
	{ "twenty", 0, 0, WF_MANY }, { "thirty", 0, 0, WF_MANY },
	{ "forty", 0, 0, WF_MANY }, { "fifty", 0, 0, WF_MANY },
	{ "hundred", 0, 0, WF_MANY }, { "fifteen", 0, 0, WF_MANY },
	{ "twelve", 0, 0, WF_MANY }, { "many", 0, 0, WF_MANY },
	{ "bottle", 0, 0, WF_MANY }, { "pack", 0, 0, WF_MANY },
	{ "heaps", 0, 0, WF_MANY }, { "tons", 0, 0, WF_MANY },
	{ "loads", 0, 0, WF_MANY }, { "multiple", 0, 0, WF_MANY },
};

/* ---- the word map ---- */

static uint32_t
hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static int
map_init(struct cmap *m, size_t cap)
{
	m->cap = cap;
	m->n = 0;
	m->slots = calloc(cap, sizeof(*m->slots));
	return m->slots == NULL ? -1 : 0;
}

static void
map_free(struct cmap *m)
{
	free(m->slots);
	m->slots = NULL;
}

int
crisis_map_get(const struct cmap *m, const char *key, size_t len)
{
	size_t i, mask = m->cap - 1;
	uint32_t h;

	if (m->cap == 0)
		return -1;
	h = hash_bytes(key, len);
	i = h & mask;
	while (m->slots[i].key != NULL) {
		const struct cslot *sl = &m->slots[i];

		if (sl->hash == h && memcmp(sl->key, key, len) == 0 &&
		    sl->key[len] == '\0')
			return sl->val;
		i = (i + 1) & mask;
	}
	return -1;
}

static int
map_get(const struct cmap *m, const char *key, size_t len)
{
	return crisis_map_get(m, key, len);
}

/* Grows the map so that it stays at most half full.  0 or -1. */
static int
map_grow(struct cmap *m)
{
	struct cmap n;
	size_t i;

	if (m->n * 2 < m->cap)
		return 0;
	if (map_init(&n, m->cap ? m->cap * 2 : 256) == -1) {
		map_free(&n);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j, mask = n.cap - 1;

		if (m->slots[i].key == NULL)
			continue;
		j = m->slots[i].hash & mask;
		while (n.slots[j].key != NULL)
			j = (j + 1) & mask;
		n.slots[j] = m->slots[i];
		n.n++;
	}
	map_free(m);
	*m = n;
	return 0;
}

/* key is borrowed and must outlive the map. */
static int
map_put(struct cmap *m, char *key, int val)
{
	size_t i, mask, len = strlen(key);
	uint32_t h;

	if (map_grow(m) == -1)
		return -1;
	mask = m->cap - 1;
	h = hash_bytes(key, len);
	i = h & mask;
	while (m->slots[i].key != NULL) {
		if (strcmp(m->slots[i].key, key) == 0) {
			m->slots[i].val = val;
			return 0;
		}
		i = (i + 1) & mask;
	}
	m->slots[i].key = key;
	m->slots[i].val = val;
	m->slots[i].hash = h;
	m->n++;
	return 0;
}

uint32_t
crisis_letter_mask(const char *w, size_t len)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < len; i++)
		m |= w[i] >= 'a' && w[i] <= 'z' ? 1u << (w[i] - 'a') :
		    1u << 26;
	return m;
}

int
crisis_lookup(const struct crisis *c, const char *w, size_t len)
{
	return map_get(&c->words, w, len);
}

/*
 * The entry for word w (added when new), or -1 on out of memory or a word
 * that is not [a-z0-9'] or too long.  Entries are reallocated: callers
 * hold ids, never pointers.
 */
static int
entry_add(struct crisis *c, const char *w, size_t len)
{
	struct centry *e;
	int id;
	size_t i;

	if (len == 0 || len >= CW_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		char ch = w[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '\''))
			return -1;
	}
	if ((id = map_get(&c->words, w, len)) >= 0) {
		c->ents[id].keeponly = 0;	/* used by the rules too */
		return id;
	}
	if (c->nents == c->capents) {
		size_t ncap = c->capents ? c->capents * 2 : 512;
		struct centry *n = realloc(c->ents, ncap * sizeof(*n));

		if (n == NULL)
			return -1;
		/* the map borrows e->w: rebuild its key pointers */
		c->ents = n;
		c->capents = ncap;
		for (i = 0; i < c->words.cap; i++)
			if (c->words.slots[i].key != NULL)
				c->words.slots[i].key =
				    c->ents[c->words.slots[i].val].w;
	}
	e = &c->ents[c->nents];
	memset(e, 0, sizeof(*e));
	memcpy(e->w, w, len);
	e->w[len] = '\0';
	e->len = (uint8_t)len;
	e->alias = -1;
	e->mask = crisis_letter_mask(w, len);
	id = (int)c->nents++;
	if (map_put(&c->words, e->w, id) == -1) {
		c->nents--;
		return -1;
	}
	return id;
}

/* ---- phrases ---- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
class_index(const struct crisis_rules *r, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < r->nclasses; i++)
		if (strlen(r->classes[i].name) == len &&
		    strncmp(r->classes[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static int
word_ok(const char *w, size_t len)
{
	size_t i;

	if (len == 0 || len >= CW_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') ||
		    (w[i] >= '0' && w[i] <= '9')))
			return 0;
	return 1;
}

/*
 * Parses one phrase token (s, len) into pt; with c == NULL only checks
 * syntax.  Returns 0, or -1 with err set.
 */
static int
ptok_parse(struct crisis *c, const struct crisis_rules *r, const char *s,
    size_t len, struct ptok *pt, char *err, size_t errlen)
{
	char tok[128];
	size_t i;

	memset(pt, 0, sizeof(*pt));
	if (len >= sizeof(tok)) {
		set_err(err, errlen, "token too long: %.40s...", s);
		return -1;
	}
	memcpy(tok, s, len);
	tok[len] = '\0';
	if (strcmp(tok, "..") == 0) {
		pt->t = PT_GAP;
		return 0;
	}
	if (strcmp(tok, "...") == 0) {
		pt->t = PT_GAPW;
		return 0;
	}
	if (strcmp(tok, "{self}") == 0) {
		pt->t = PT_SELF;
		return 0;
	}
	if (strcmp(tok, "{num}") == 0) {
		pt->t = PT_NUM;
		return 0;
	}
	if (strcmp(tok, "{many}") == 0) {
		pt->t = PT_MANY;
		return 0;
	}
	if (tok[0] == '@') {
		int ci = class_index(r, tok + 1, len - 1);

		if (ci < 0 || ci >= 64) {
			set_err(err, errlen, "unknown class %s", tok);
			return -1;
		}
		pt->t = PT_CLASS;
		pt->id = ci;
		return 0;
	}
	if (len > 1 && tok[len - 1] == '*') {
		if (!word_ok(tok, len - 1)) {
			set_err(err, errlen, "bad prefix %s", tok);
			return -1;
		}
		pt->t = PT_PREFIX;
		memcpy(pt->pre, tok, len - 1);
		pt->plen = (uint8_t)(len - 1);
		return 0;
	}
	if (strchr(tok, '|') != NULL) {
		const char *p = tok, *bar;
		int n = 0;

		pt->t = PT_ALT;
		for (;;) {
			size_t wl;

			bar = strchr(p, '|');
			wl = bar ? (size_t)(bar - p) : strlen(p);
			if (!word_ok(p, wl)) {
				set_err(err, errlen, "bad alternative in %s",
				    tok);
				return -1;
			}
			n++;
			if (bar == NULL)
				break;
			p = bar + 1;
		}
		if (c == NULL)
			return 0;
		if ((pt->alts = calloc((size_t)n, sizeof(int))) == NULL) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
		p = tok;
		for (i = 0; i < (size_t)n; i++) {
			size_t wl;

			bar = strchr(p, '|');
			wl = bar ? (size_t)(bar - p) : strlen(p);
			if ((pt->alts[i] = entry_add(c, p, wl)) < 0) {
				set_err(err, errlen, "out of memory");
				return -1;
			}
			pt->nalts++;
			p = bar ? bar + 1 : p;
		}
		return 0;
	}
	if (!word_ok(tok, len)) {
		set_err(err, errlen, "bad word '%s' (use a-z 0-9 only)",
		    tok);
		return -1;
	}
	pt->t = PT_WORD;
	if (c != NULL && (pt->id = entry_add(c, tok, len)) < 0) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Parses a whole phrase into ph (c == NULL: syntax check only).  Returns
 * 0, or -1 with err set.
 */
static int
phrase_parse(struct crisis *c, const struct crisis_rules *r,
    const char *phrase, struct cphrase *ph, char *err, size_t errlen)
{
	struct ptok tmp[24];
	const char *p = phrase;
	int n = 0, anchor = 0, i;

	while (*p == ' ')
		p++;
	if (*p == '^') {
		anchor = 1;
		p++;
	}
	while (*p != '\0') {
		const char *e;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		e = p;
		while (*e != '\0' && *e != ' ')
			e++;
		if (n == (int)NELEM(tmp)) {
			set_err(err, errlen, "more than 24 tokens");
			goto fail;
		}
		if (ptok_parse(c, r, p, (size_t)(e - p), &tmp[n], err,
		    errlen) == -1)
			goto fail;
		n++;
		p = e;
	}
	if (n == 0) {
		set_err(err, errlen, "empty phrase");
		return -1;
	}
	if (tmp[0].t == PT_GAP || tmp[n - 1].t == PT_GAP ||
	    tmp[0].t == PT_GAPW || tmp[n - 1].t == PT_GAPW) {
		set_err(err, errlen, "a phrase cannot start or end with ..");
		goto fail;
	}
	for (i = 1; i < n; i++)
		if ((tmp[i].t == PT_GAP || tmp[i].t == PT_GAPW) &&
		    (tmp[i - 1].t == PT_GAP || tmp[i - 1].t == PT_GAPW)) {
			set_err(err, errlen, "two gaps in a row");
			goto fail;
		}
	if (c == NULL || ph == NULL) {
		for (i = 0; i < n; i++)
			free(tmp[i].alts);
		return 0;
	}
	if ((ph->tok = calloc((size_t)n, sizeof(*ph->tok))) == NULL) {
		set_err(err, errlen, "out of memory");
		goto fail;
	}
	memcpy(ph->tok, tmp, (size_t)n * sizeof(*tmp));
	ph->ntok = n;
	ph->anchor = anchor;
	return 0;
fail:
	for (i = 0; i < n; i++)
		free(tmp[i].alts);
	return -1;
}

int
crisis_phrase_check(const struct crisis_rules *rules, const char *phrase,
    char *err, size_t errlen)
{
	if (phrase == NULL) {
		set_err(err, errlen, "no phrase");
		return -1;
	}
	return phrase_parse(NULL, rules, phrase, NULL, err, errlen);
}

/* ---- compiling ---- */

/* The words and classes a phrase cannot match without. */
static void
phrase_needs(struct cphrase *ph)
{
	int k;

	ph->need_words = 0;
	ph->need_classes = 0;
	for (k = 0; k < ph->ntok; k++) {
		const struct ptok *pt = &ph->tok[k];

		if (pt->t == PT_WORD)
			ph->need_words |= (uint64_t)1 << (pt->id % 64);
		else if (pt->t == PT_CLASS)
			ph->need_classes |= (uint64_t)1 << pt->id;
	}
}

/* Adds every word of a space-separated string; ids to out (cap). */
static int
words_add(struct crisis *c, const char *s, int *out, int cap)
{
	int n = 0;

	while (*s != '\0') {
		const char *e;
		int id;

		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		e = s;
		while (*e != '\0' && *e != ' ')
			e++;
		if (n == cap)
			return -1;
		if ((id = entry_add(c, s, (size_t)(e - s))) < 0)
			return -1;
		out[n++] = id;
		s = e;
	}
	return n;
}

static int
compile_aliases(struct crisis *c, const struct crisis_rules *r, char *err,
    size_t errlen)
{
	size_t i;

	c->aliases = calloc(r->naliases + 1, sizeof(*c->aliases));
	c->pairkeys = calloc(r->naliases + 1, sizeof(*c->pairkeys));
	if (c->aliases == NULL || c->pairkeys == NULL)
		goto oom;
	for (i = 0; i < r->naliases; i++) {
		const struct crisis_alias *a = &r->aliases[i];
		int from[3], to[8], nf, nt;

		nf = words_add(c, a->from, from, 3);
		nt = words_add(c, a->to, to, 8);
		if (nf < 1 || nf > 2 || nt < 1) {
			set_err(err, errlen, "alias '%s' -> '%s': one or two "
			    "words to one to eight words", a->from, a->to);
			return -1;
		}
		if ((c->aliases[i].to = calloc((size_t)nt, sizeof(int))) ==
		    NULL)
			goto oom;
		memcpy(c->aliases[i].to, to, (size_t)nt * sizeof(int));
		c->aliases[i].nto = nt;
		c->naliases = i + 1;
		if (nf == 1) {
			c->ents[from[0]].alias = (int)i;
		} else {
			size_t kl = (size_t)c->ents[from[0]].len + 1 +
			    c->ents[from[1]].len + 1;
			char *k = malloc(kl);

			if (k == NULL)
				goto oom;
			snprintf(k, kl, "%s %s", c->ents[from[0]].w,
			    c->ents[from[1]].w);
			c->pairkeys[c->npairkeys++] = k;
			if (map_put(&c->pairs, k, (int)i) == -1)
				goto oom;
			c->ents[from[0]].pair = 1;
		}
	}
	return 0;
oom:
	set_err(err, errlen, "out of memory");
	return -1;
}

/* Adds phrase index pi to the first-token list of entry e (counting pass
 * when ph == NULL). */
static void
index_first(struct crisis *c, int *count, int e, int pi, int pass)
{
	struct cfirst *f;

	if (pass == 0) {
		count[e]++;
		return;
	}
	f = &c->first_ph[c->first_off[e] + --count[e]];
	f->need_words = c->phrases[pi].need_words;
	f->need_classes = c->phrases[pi].need_classes;
	f->ph = pi;
}

static void
index_phrase(struct crisis *c, const struct crisis_rules *r, int *count,
    int pi, int pass)
{
	const struct ptok *pt = &c->phrases[pi].tok[0];
	size_t i, j;
	int k;

	switch (pt->t) {
	case PT_WORD:
		index_first(c, count, pt->id, pi, pass);
		break;
	case PT_ALT:
		for (k = 0; k < pt->nalts; k++)
			index_first(c, count, pt->alts[k], pi, pass);
		break;
	case PT_CLASS:
		for (j = 0; j < r->classes[pt->id].nwords; j++) {
			const char *w = r->classes[pt->id].words[j];
			int e = map_get(&c->words, w, strlen(w));

			if (e >= 0)
				index_first(c, count, e, pi, pass);
		}
		break;
	case PT_SELF:
		for (i = 0; i < c->nents; i++)
			if (c->ents[i].self)
				index_first(c, count, (int)i, pi, pass);
		break;
	case PT_NUM:
	case PT_MANY:
		if (pass == 1)
			c->num_ph[c->nnum_ph++] = pi;
		if (pt->t == PT_MANY)
			for (i = 0; i < c->nents; i++)
				if (c->ents[i].flags & WF_MANY)
					index_first(c, count, (int)i, pi,
					    pass);
		break;
	case PT_PREFIX:
		if (pass == 1)
			c->pre_ph[c->npre_ph++] = pi;
		break;
	default:
		break;
	}
}

static int
compile_index(struct crisis *c, const struct crisis_rules *r)
{
	int *count;
	size_t i, total = 0;
	int pass;

	count = calloc(c->nents + 1, sizeof(int));
	c->first_off = calloc(c->nents + 1, sizeof(int));
	c->num_ph = calloc(c->nphrases + 1, sizeof(int));
	c->pre_ph = calloc(c->nphrases + 1, sizeof(int));
	if (count == NULL || c->first_off == NULL || c->num_ph == NULL ||
	    c->pre_ph == NULL) {
		free(count);
		return -1;
	}
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			for (i = 0; i < c->nents; i++) {
				c->first_off[i] = (int)total;
				total += (size_t)count[i];
				count[i] = (int)(total - (size_t)c->first_off[i]);
			}
			c->first_off[c->nents] = (int)total;
			c->first_ph = calloc(total + 1, sizeof(*c->first_ph));
			if (c->first_ph == NULL) {
				free(count);
				return -1;
			}
		}
		for (i = 0; i < c->nphrases; i++)
			index_phrase(c, r, count, (int)i, pass);
	}
	free(count);
	return 0;
}

/*
 * Words that may start a glued compound ("killmyself", "selfharm"): those
 * that start a phrase, and alias sources, by first letter.
 */
static int
is_head(const struct crisis *c, size_t i)
{
	const struct centry *e = &c->ents[i];

	if (e->len < 2 || e->w[0] < 'a' || e->w[0] > 'z' || e->keeponly ||
	    strchr(e->w, '\'') != NULL)
		return 0;
	return c->first_off[i + 1] > c->first_off[i] || e->alias >= 0 ||
	    e->pair;
}

static int
compile_heads(struct crisis *c)
{
	size_t i;
	int l;

	for (i = 0; i < c->nents; i++)
		if (is_head(c, i))
			c->nheads[c->ents[i].w[0] - 'a']++;
	for (l = 0; l < 26; l++) {
		if ((c->heads[l] = calloc((size_t)c->nheads[l] + 1,
		    sizeof(*c->heads[l]))) == NULL)
			return -1;
		c->nheads[l] = 0;
	}
	for (i = 0; i < c->nents; i++)
		if (is_head(c, i)) {
			struct chead *h;

			l = c->ents[i].w[0] - 'a';
			h = &c->heads[l][c->nheads[l]++];
			h->id = (int)i;
			h->len = c->ents[i].len;
			h->c1 = c->ents[i].w[1];
		}
	return 0;
}

/*
 * Spelling targets bucketed by first letter and length: every word of
 * four or more letters that is not itself a misspelling (alias source).
 */
static int
compile_fuzzy(struct crisis *c)
{
	size_t i;
	int pass, l, n;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->nents; i++) {
			const struct centry *e = &c->ents[i];

			if (e->len < 4 || e->w[0] < 'a' || e->w[0] > 'z' ||
			    e->alias >= 0 || e->pair || e->keeponly ||
			    strchr(e->w, '\'') != NULL)
				continue;
			l = e->w[0] - 'a';
			if (pass == 0) {
				c->nfz[l][e->len]++;
				continue;
			}
			c->fzmask[l][e->len][c->nfz[l][e->len]] = e->mask;
			c->fz[l][e->len][c->nfz[l][e->len]++] = (int)i;
		}
		if (pass == 1)
			break;
		for (l = 0; l < 26; l++)
			for (n = 0; n < CW_MAX; n++) {
				if (c->nfz[l][n] == 0)
					continue;
				c->fz[l][n] = calloc((size_t)c->nfz[l][n],
				    sizeof(int));
				c->fzmask[l][n] = calloc((size_t)c->nfz[l][n],
				    sizeof(uint32_t));
				if (c->fz[l][n] == NULL ||
				    c->fzmask[l][n] == NULL)
					return -1;
				c->nfz[l][n] = 0;
			}
	}
	return 0;
}

struct crisis *
crisis_new(const struct crisis_rules *r, char *err, size_t errlen)
{
	struct crisis *c;
	size_t i, j, np = 0;
	int id;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	if (r->nclasses > 64) {
		set_err(err, errlen, "more than 64 classes");
		goto fail;
	}
	c->context_seconds = r->context_seconds > 0 ? r->context_seconds :
	    600;
	if (map_init(&c->words, 1024) == -1 || map_init(&c->pairs, 256) == -1)
		goto oom;
	for (i = 0; i < NELEM(grammar); i++) {
		if ((id = entry_add(c, grammar[i].w, strlen(grammar[i].w))) < 0)
			goto oom;
		c->ents[id].person = (int8_t)grammar[i].person;
		c->ents[id].self = (int8_t)grammar[i].self;
		c->ents[id].flags |= (uint16_t)grammar[i].flags;
	}
	if ((c->to_id = entry_add(c, "to", 2)) < 0)
		goto oom;
	for (i = 0; i < r->nclasses; i++)
		for (j = 0; j < r->classes[i].nwords; j++) {
			const char *w = r->classes[i].words[j];

			if ((id = entry_add(c, w, strlen(w))) < 0) {
				set_err(err, errlen, "class %s: bad word '%s'",
				    r->classes[i].name, w);
				goto fail;
			}
			c->ents[id].classes |= (uint64_t)1 << i;
		}
	for (i = 0; i < r->nclasses; i++) {
		if (strcmp(r->classes[i].name, "med") == 0)
			c->med_bits |= (uint64_t)1 << i;
		if (strcmp(r->classes[i].name, "faq") == 0)
			c->faq_bits |= (uint64_t)1 << i;
	}
	for (i = 0; i < r->nkeep; i++) {
		size_t before = c->nents;

		if ((id = entry_add(c, r->keep[i], strlen(r->keep[i]))) < 0) {
			set_err(err, errlen, "keep: bad word '%s'",
			    r->keep[i]);
			goto fail;
		}
		if (c->nents > before)
			c->ents[id].keeponly = 1;
	}
	if ((c->fuzzy = calloc(r->nfuzzy + 1, sizeof(int))) == NULL)
		goto oom;
	for (i = 0; i < r->nfuzzy; i++) {
		if ((id = entry_add(c, r->fuzzy[i], strlen(r->fuzzy[i]))) < 0) {
			set_err(err, errlen, "fuzzy: bad word '%s'",
			    r->fuzzy[i]);
			goto fail;
		}
		c->ents[id].fuzzy = 1;
		c->fuzzy[c->nfuzzy++] = id;
	}
	if (compile_aliases(c, r, err, errlen) == -1)
		goto fail;
	if ((c->rules = calloc(r->nrules + 1, sizeof(*c->rules))) == NULL)
		goto oom;
	for (i = 0; i < r->nrules; i++)
		np += r->rules[i].nphrases;
	if ((c->phrases = calloc(np + 1, sizeof(*c->phrases))) == NULL)
		goto oom;
	for (i = 0; i < r->nrules; i++) {
		const struct crisis_rule *src = &r->rules[i];
		struct crisis_rule *dst = &c->rules[i];

		*dst = *src;
		dst->phrases = NULL;
		dst->nphrases = 0;
		if ((dst->name = strdup(src->name ? src->name : "")) == NULL)
			goto oom;
		c->nrules = i + 1;
		for (j = 0; j < src->nphrases; j++) {
			struct cphrase *ph = &c->phrases[c->nphrases];
			char e2[160];

			if (phrase_parse(c, r, src->phrases[j], ph, e2,
			    sizeof(e2)) == -1) {
				set_err(err, errlen, "rule %s: %s", dst->name,
				    e2);
				goto fail;
			}
			ph->rule = (int)i;
			phrase_needs(ph);
			c->nphrases++;
		}
	}
	if (compile_index(c, r) == -1 || compile_heads(c) == -1 ||
	    compile_fuzzy(c) == -1)
		goto oom;
	return c;
oom:
	set_err(err, errlen, "out of memory");
fail:
	crisis_free(c);
	return NULL;
}

void
crisis_free(struct crisis *c)
{
	size_t i;
	int k;

	if (c == NULL)
		return;
	for (i = 0; i < c->nrules; i++)
		free(c->rules[i].name);
	free(c->rules);
	for (i = 0; i < c->nphrases; i++) {
		for (k = 0; k < c->phrases[i].ntok; k++)
			free(c->phrases[i].tok[k].alts);
		free(c->phrases[i].tok);
	}
	free(c->phrases);
	for (i = 0; i < c->naliases; i++)
		free(c->aliases[i].to);
	free(c->aliases);
	for (i = 0; i < c->npairkeys; i++)
		free(c->pairkeys[i]);
	free(c->pairkeys);
	map_free(&c->words);
	map_free(&c->pairs);
	free(c->ents);
	free(c->first_off);
	free(c->first_ph);
	free(c->num_ph);
	free(c->pre_ph);
	free(c->fuzzy);
	crisis_model_free(c->model);
	for (k = 0; k < 26; k++) {
		int n;

		free(c->heads[k]);
		for (n = 0; n < CW_MAX; n++) {
			free(c->fz[k][n]);
			free(c->fzmask[k][n]);
		}
	}
	free(c);
}

/* ---- checking ---- */

/* Keeps the stronger of two results in acc. */
static void
merge_result(struct crisis_result *acc, const struct crisis_result *r)
{
	size_t i, j;

	if (r->level > acc->level) {
		*acc = *r;
		return;
	}
	if (r->level < acc->level || r->level == CRISIS_NONE)
		return;
	acc->emergency |= r->emergency;
	for (i = 0; i < r->nmatched && acc->nmatched < CRISIS_MAX_MATCHED;
	    i++) {
		for (j = 0; j < acc->nmatched; j++)
			if (acc->matched[j] == r->matched[i])
				break;
		if (j == acc->nmatched)
			acc->matched[acc->nmatched++] = r->matched[i];
	}
}

void
crisis_set_model(struct crisis *c, struct crisis_model *m)
{
	if (c == NULL) {
		crisis_model_free(m);
		return;
	}
	crisis_model_free(c->model);
	c->model = m;
}

const struct crisis_model *
crisis_get_model(const struct crisis *c)
{
	return c != NULL ? c->model : NULL;
}

/*
 * Does the message hold a content word besides drug names ("klonopin??"
 * does not)?  Grammar words, numbers, words of two letters and a few
 * function words do not count.
 */
static int
has_content(const struct crisis *c, const struct ctok *t, size_t n)
{
	static const char *const stop[] = { "the", "and", "for", "with",
	    "any", "some", "this", "that", "about", "from" };
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct centry *e = t[i].e >= 0 ? &c->ents[t[i].e] : NULL;
		int skip = 0;

		if (t[i].len < 3 || t[i].num >= 0)
			continue;
		if (e != NULL && (e->flags != 0 || e->person != 0 ||
		    e->self != 0 || (e->classes & c->med_bits)))
			continue;
		for (k = 0; k < NELEM(stop); k++)
			if (strlen(stop[k]) == t[i].len &&
			    memcmp(stop[k], t[i].w, t[i].len) == 0)
				skip = 1;
		if (!skip)
			return 1;
	}
	return 0;
}

/*
 * The backstop: raises a none/mention result when the model is confident,
 * to cap at most, naming its class first in matched; returns the memory
 * bits it sets.
 */
static unsigned
backstop(const struct crisis *c, struct matcher_ws *ws, const char *text,
    size_t len, enum crisis_level cap, struct crisis_result *res)
{
	struct crisis_model_score s;
	enum crisis_level lv;
	enum crisis_kind kind;
	const char *name;
	size_t i;

	if (c->model == NULL || res->level >= CRISIS_CONCERN || len == 0 ||
	    cap <= res->level)
		return 0;
	crisis_model_score(c->model, ws, text, len, &s);
	lv = crisis_model_level(c->model, &s, res->level, &kind, &name);
	if (lv > cap)
		lv = cap;
	if (lv <= res->level || name == NULL)
		return 0;
	res->level = lv;
	res->kind = kind;
	if (res->nmatched == CRISIS_MAX_MATCHED)
		res->nmatched--;
	for (i = res->nmatched; i > 0; i--)
		res->matched[i] = res->matched[i - 1];
	res->matched[0] = name;
	res->nmatched++;
	if (lv < CRISIS_CONCERN)
		return 0;
	if (lv == CRISIS_ACUTE && (kind == CRISIS_OVERDOSE ||
	    kind == CRISIS_MEDICAL_EMERGENCY))
		res->emergency = 1;
	switch (kind) {
	case CRISIS_SUICIDE:
	case CRISIS_SELF_HARM:
		return CRISIS_MEM_IDEATION;
	case CRISIS_OVERDOSE:
		return lv == CRISIS_ACUTE ? CRISIS_MEM_INGESTED :
		    CRISIS_MEM_LETHALQ;
	case CRISIS_VIOLENCE:
		return CRISIS_MEM_VIOLENCE;
	default:
		return 0;
	}
}

void
crisis_check(const struct crisis *c, const char *text, size_t len,
    struct crisis_memory *mem, double now, struct crisis_result *res)
{
	crisis_check_ws(c, NULL, text, len, mem, now, res);
}

void
crisis_check_ws(const struct crisis *c, struct matcher_ws *ws,
    const char *text, size_t len, struct crisis_memory *mem, double now,
    struct crisis_result *res)
{
	static const struct crisis_memory nomem;
	struct ctok tok[CT_MAX];
	size_t off = 0;
	unsigned sig = 0;
	int live = 0, content = 0;

	memset(res, 0, sizeof(*res));
	if (c == NULL)
		return;
	if (text == NULL)
		len = 0;
	if (mem != NULL && mem->at > 0 && now >= mem->at &&
	    now - mem->at <= c->context_seconds && mem->signals != 0)
		live = 1;
	do {
		struct crisis_result wr;
		size_t wlen = len - off, n;
		unsigned wsig = 0;

		if (wlen > CWIN_BYTES) {
			/* end the window at a space when there is one */
			size_t k = CWIN_BYTES;

			while (k > CWIN_BYTES / 2 && text[off + k] != ' ' &&
			    text[off + k] != '\n')
				k--;
			if (k == CWIN_BYTES / 2)
				k = CWIN_BYTES;
			wlen = k;
		}
		n = crisis_norm_tokens(c, text + off, wlen, tok, CT_MAX);
		content |= has_content(c, tok, n);
		crisis_match_window(c, tok, n, live ? mem : &nomem, live, &wr,
		    &wsig);
		sig |= wsig;
		merge_result(res, &wr);
		if (off + wlen >= len)
			break;
		off += wlen > CWIN_OVERLAP * 2 ? wlen - CWIN_OVERLAP : wlen;
	} while (off < len);
	/*
	 * With too little to go on ("klonopin??") the rules alone decide.
	 * A question about an FAQ subject ("could that be depression?") is
	 * not capped: such a cap cost acute recall on unseen wording, and a
	 * missed crisis costs more than a crisis reply to a worried question.
	 */
	sig |= backstop(c, ws, text, len, content ? CRISIS_ACUTE :
	    CRISIS_NONE, res);
	if (mem != NULL) {
		if (!live)
			memset(mem, 0, sizeof(*mem));
		if (sig != 0) {
			mem->at = now;
			mem->signals |= sig;
			if (res->level >= mem->level || !live) {
				mem->level = res->level;
				mem->kind = res->kind;
			}
		}
	}
}
