/*
 * crisis_match.c -- finds the rules' phrases in a window of canonical
 * tokens, then combines them into one level and kind.
 *
 * DESIGN: a phrase match only says "these words are here".  The level
 * comes from the rule and from code that reads the words around it:
 *   - idioms ("killing me", "rather die than") cancel signals they overlap;
 *   - a signal inside a longer signal ("kill myself" in "want to kill
 *     myself") gives way to the longer one;
 *   - the subject: a reflexive in the phrase ({self}), else a subject word
 *     inside it, else the nearest one before it in the sentence (the
 *     author, "you", someone else, or nobody);
 *   - negation just before ("I'm not suicidal") and recovery words around
 *     it ("2 years free of self harm") cancel it, unless the negation is
 *     part of the phrase ("I don't want to live");
 *   - topic rules (nouns like "suicide") are a mention inside a question;
 *   - plan, means or time in the same or a neighbouring sentence make a
 *     concern acute; so does recent ideation in the author's memory for a
 *     lethal-dose question, or a context phrase ("I took them").
 * Nothing here allocates.
 */
#include <string.h>

#include "crisis_int.h"

struct cmatch {
	int	rule;
	int	start;
	int	end;		/* exclusive */
	int	self;		/* person of a {self} in the phrase */
	int	person;
	int	level;		/* after combining */
	int	dead;
	int	emergency;
	int	urgent_rule;	/* rule that made it acute, or -1 */
	enum crisis_kind kind;	/* set by context, else from the rule */
};

static int
tok_match(const struct crisis *c, const struct ptok *pt, const struct ctok *t,
    int *self)
{
	int k;

	switch (pt->t) {
	case PT_WORD:
		return t->e == pt->id || (pt->id == c->to_id && t->num == 2);
	case PT_ALT:
		for (k = 0; k < pt->nalts; k++)
			if (t->e == pt->alts[k])
				return 1;
		return 0;
	case PT_PREFIX:
		return t->len >= pt->plen && memcmp(t->w, pt->pre, pt->plen) == 0;
	case PT_CLASS:
		return t->e >= 0 &&
		    (c->ents[t->e].classes & ((uint64_t)1 << pt->id)) != 0;
	case PT_SELF:
		if (t->e < 0 || c->ents[t->e].self == 0)
			return 0;
		*self = c->ents[t->e].self;
		return 1;
	case PT_NUM:
		return t->num >= 0;
	case PT_MANY:
		return t->num >= CMANY_MIN ||
		    (t->e >= 0 && (c->ents[t->e].flags & WF_MANY));
	default:
		return 0;
	}
}

/* Is t a unit after a number ("10 mg", "6 hours")? */
static int
is_unit(const struct ctok *t)
{
	static const char *const units[] = { "mg", "mgs", "mcg", "g", "gram",
	    "grams", "ml", "milligram", "milligrams", "microgram",
	    "micrograms", "units", "iu", "hours", "hour", "hrs", "hr", "days",
	    "day", "minutes", "mins", "min", "years", "year", "yrs", "weeks",
	    "week", "months", "month", "am", "pm", "times", "percent", "kg",
	    "lbs", "pounds", "km", "kms", "miles", "x", "h", "oclock",
	    "seconds", "secs", "steps", "people", NULL };
	size_t i;

	for (i = 0; units[i] != NULL; i++)
		if (strcmp(t->w, units[i]) == 0)
			return 1;
	return 0;
}

/* End (exclusive) of phrase ph matched from token k at pos, or -1. */
static int
phrase_at(const struct crisis *c, const struct cphrase *ph, int k,
    const struct ctok *t, int n, int pos, int *self)
{
	const struct ptok *pt;
	int g;

	if (k == ph->ntok)
		return pos;
	pt = &ph->tok[k];
	if (pt->t == PT_GAP || pt->t == PT_GAPW) {
		int max = pt->t == PT_GAP ? CGAP_MAX : CGAPW_MAX;

		for (g = 0; g <= max && pos + g <= n; g++) {
			int r;

			if (g > 0 && t[pos + g - 1].brk == BRK_STRONG)
				break;
			if ((r = phrase_at(c, ph, k + 1, t, n, pos + g,
			    self)) >= 0)
				return r;
		}
		return -1;
	}
	if (pos >= n)
		return -1;
	if (k > 0 && t[pos].brk == BRK_STRONG)
		return -1;
	if (!tok_match(c, pt, &t[pos], self))
		return -1;
	if ((pt->t == PT_MANY || pt->t == PT_NUM) && t[pos].num >= 0 &&
	    pos + 1 < n && is_unit(&t[pos + 1]))
		return -1;
	return phrase_at(c, ph, k + 1, t, n, pos + 1, self);
}

static void
try_phrase(const struct crisis *c, int pi, const struct ctok *t, int n,
    int pos, struct cmatch *m, int *nm)
{
	const struct cphrase *ph = &c->phrases[pi];
	int end, self = 0, k;

	if (ph->anchor && pos > 0 && t[pos].brk != BRK_STRONG)
		return;
	if ((end = phrase_at(c, ph, 0, t, n, pos, &self)) < 0)
		return;
	for (k = 0; k < *nm; k++)
		if (m[k].rule == ph->rule && m[k].start == pos) {
			if (end > m[k].end) {
				m[k].end = end;
				m[k].self = self;
			}
			return;
		}
	if (*nm >= CM_MAX)
		return;
	memset(&m[*nm], 0, sizeof(m[*nm]));
	m[*nm].rule = ph->rule;
	m[*nm].start = pos;
	m[*nm].end = end;
	m[*nm].self = self;
	m[*nm].urgent_rule = -1;
	(*nm)++;
}

/* Can phrase pi match at all, given the words and classes present? */
#define PH_OK(c, pi, w, cl) \
	(((c)->phrases[pi].need_words & ~(w)) == 0 && \
	((c)->phrases[pi].need_classes & ~(cl)) == 0)

static int
find_matches(const struct crisis *c, const struct ctok *t, int n,
    struct cmatch *m)
{
	int pos, nm = 0, k;
	uint64_t w = 0, cl = 0;

	for (pos = 0; pos < n; pos++)
		if (t[pos].e >= 0) {
			w |= (uint64_t)1 << (t[pos].e % 64);
			cl |= c->ents[t[pos].e].classes;
		}
	if (c->to_id >= 0)
		w |= (uint64_t)1 << (c->to_id % 64);	/* "2" for "to" */
	for (pos = 0; pos < n; pos++) {
		int e = t[pos].e;

		if (e >= 0)
			for (k = c->first_off[e]; k < c->first_off[e + 1];
			    k++) {
				const struct cfirst *f = &c->first_ph[k];

				if ((f->need_words & ~w) == 0 &&
				    (f->need_classes & ~cl) == 0)
					try_phrase(c, f->ph, t, n, pos, m,
					    &nm);
			}
		if (t[pos].num >= 0)
			for (k = 0; k < c->nnum_ph; k++)
				if (PH_OK(c, c->num_ph[k], w, cl))
					try_phrase(c, c->num_ph[k], t, n, pos,
					    m, &nm);
		for (k = 0; k < c->npre_ph; k++)
			if (PH_OK(c, c->pre_ph[k], w, cl))
				try_phrase(c, c->pre_ph[k], t, n, pos, m, &nm);
	}
	return nm;
}

static int
role_of(const struct crisis *c, const struct cmatch *m)
{
	return (int)c->rules[m->rule].role;
}

static int
overlaps(const struct cmatch *a, const struct cmatch *b)
{
	return a->start < b->end && b->start < a->end;
}

static int
is_possessive(const struct ctok *t)
{
	return strcmp(t->w, "my") == 0 || strcmp(t->w, "our") == 0 ||
	    strcmp(t->w, "your") == 0 || strcmp(t->w, "his") == 0 ||
	    strcmp(t->w, "their") == 0 || strcmp(t->w, "mine") == 0;
}

/* Is token i inside an info phrase ("I heard", "I read")? */
static int
in_info(const struct crisis *c, const struct cmatch *m, int nm, int i)
{
	int k;

	for (k = 0; k < nm; k++)
		if (role_of(c, &m[k]) == CRISIS_ROLE_INFO &&
		    i >= m[k].start && i < m[k].end)
			return 1;
	return 0;
}

/* An info phrase ("side effect", "I heard") in sentence sent? */
static int
info_in_sentence(const struct crisis *c, const struct ctok *t,
    const struct cmatch *m, int nm, int sent)
{
	int k;

	for (k = 0; k < nm; k++)
		if (role_of(c, &m[k]) == CRISIS_ROLE_INFO &&
		    t[m[k].start].sent == sent)
			return 1;
	return 0;
}

static int
person_of(const struct crisis *c, const struct ctok *t, int obj)
{
	const struct centry *e;

	if (t->e < 0)
		return 0;
	e = &c->ents[t->e];
	if (e->person == 0 || is_possessive(t))
		return 0;
	if (((e->flags & WF_OBJ) != 0) != (obj != 0))
		return 0;
	return e->person;
}

/*
 * Subject of match x: 1 the author, 2 "you", 3 someone else, 0 nobody.
 * In turn: a reflexive in the phrase; a subject pronoun or person noun
 * inside it (the author first); an object right after ("would kill me");
 * the nearest subject before it in the sentence; an object before it.
 */
static int
subject_of(const struct crisis *c, const struct ctok *t, int n,
    const struct cmatch *m, int nm, const struct cmatch *x)
{
	int i, lim, obj, found[4];

	if (x->self)
		return x->self;
	for (obj = 0; obj < 2; obj++) {
		memset(found, 0, sizeof(found));
		for (i = x->start; i < x->end; i++) {
			int p = person_of(c, &t[i], obj);

			if (p && !in_info(c, m, nm, i))
				found[p] = 1;
		}
		if (found[1])
			return 1;
		if (found[3])
			return 3;
		if (found[2])
			return 2;
	}
	if (x->end < n && t[x->end].brk == BRK_NONE && t[x->end].e >= 0 &&
	    !is_possessive(&t[x->end]) && c->ents[t[x->end].e].person != 0 &&
	    !in_info(c, m, nm, x->end))
		return c->ents[t[x->end].e].person;
	lim = x->start - 8 < 0 ? 0 : x->start - 8;
	for (obj = 0; obj < 2; obj++)
		for (i = x->start - 1; i >= lim; i--) {
			int p;

			if (t[i + 1].brk == BRK_STRONG)
				break;
			p = person_of(c, &t[i], obj);
			if (p && !in_info(c, m, nm, i))
				return p;
		}
	return 0;
}

/* A negation in the three words before x, within its clause? */
static int
negated(const struct crisis *c, const struct ctok *t, const struct cmatch *x)
{
	int i, lim = x->start - 3 < 0 ? 0 : x->start - 3;

	for (i = x->start - 1; i >= lim; i--) {
		int f;

		if (t[i + 1].brk != BRK_NONE)
			break;
		f = t[i].e >= 0 ? c->ents[t[i].e].flags : 0;
		if (f & WF_SCOPE)
			break;
		if (f & WF_NEG) {
			if (i + 1 < x->start && t[i + 1].e >= 0 &&
			    (c->ents[t[i + 1].e].flags & WF_NEGSKIP))
				return 0;
			if (i > 0 && strcmp(t[i - 1].w, "why") == 0)
				return 0;
			return 1;
		}
	}
	return 0;
}

/* No boundary or scope word between token a (inclusive) and b? */
static int
same_clause(const struct crisis *c, const struct ctok *t, int a, int b)
{
	int i;

	for (i = a + 1; i <= b; i++) {
		if (t[i].brk != BRK_NONE)
			return 0;
		if (t[i].e >= 0 && (c->ents[t[i].e].flags & WF_SCOPE) &&
		    !(c->ents[t[i].e].flags & WF_COND))
			return 0;
	}
	return 1;
}

static int
sentence_has(const struct crisis *c, const struct ctok *t, int n, int sent,
    unsigned flag)
{
	int i;

	for (i = 0; i < n; i++)
		if (t[i].sent == sent && t[i].e >= 0 && !t[i].question &&
		    (c->ents[t[i].e].flags & flag))
			return 1;
	return 0;
}

/* Recovery words ("free of", "used to") next to x, in its clause? */
static int
recovered(const struct crisis *c, const struct ctok *t, int n,
    const struct cmatch *m, int nm, const struct cmatch *x)
{
	int k;

	for (k = 0; k < nm; k++) {
		const struct cmatch *r = &m[k];

		if (role_of(c, r) != CRISIS_ROLE_RECOVERY || r->dead)
			continue;
		if (r->end <= x->start && x->start - r->end <= 5 &&
		    same_clause(c, t, r->end - 1, x->start))
			break;
		if (r->start >= x->end && r->start - x->end <= 2 &&
		    same_clause(c, t, x->end - 1, r->start))
			break;
		if (overlaps(r, x) && r->start < x->start)
			break;
	}
	if (k == nm)
		return 0;
	return !sentence_has(c, t, n, t[x->start].sent, WF_RELAPSE);
}

/* "just"/"go"/"please" right before x: "why don't you just die". */
static int
imperative(const struct crisis *c, const struct ctok *t,
    const struct cmatch *x)
{
	int i;

	for (i = x->start - 1; i <= x->start; i++)
		if (i >= 0 && t[i].e >= 0 &&
		    (c->ents[t[i].e].flags & WF_IMPER) != 0 &&
		    strcmp(t[i].w, "should") != 0)
			return 1;
	return 0;
}

/* An "if" earlier in x's clause: "if you want to kill yourself, call". */
static int
conditional(const struct crisis *c, const struct ctok *t,
    const struct cmatch *x)
{
	int i;

	for (i = x->start - 1; i >= 0 && i >= x->start - 8; i--) {
		if (i >= x->start - 2 && t[i].e >= 0 &&
		    (c->ents[t[i].e].flags & WF_IMPER))
			return 0;
		if (t[i].e >= 0 && (c->ents[t[i].e].flags & WF_COND))
			return 1;
		if (t[i].brk != BRK_NONE)
			break;
	}
	return 0;
}

static int
kind_rank(enum crisis_kind k)
{
	switch (k) {
	case CRISIS_OVERDOSE:		return 6;
	case CRISIS_SELF_HARM:		return 5;
	case CRISIS_SUICIDE:		return 4;
	case CRISIS_MEDICAL_EMERGENCY:	return 3;
	case CRISIS_VIOLENCE:		return 2;
	case CRISIS_ABUSE_OF_OTHERS:	return 1;
	default:			return 0;
	}
}

static void
add_name(struct crisis_result *res, const char *name)
{
	size_t j;

	for (j = 0; j < res->nmatched; j++)
		if (res->matched[j] == name)
			return;
	if (res->nmatched < CRISIS_MAX_MATCHED)
		res->matched[res->nmatched++] = name;
}

/* A strong info phrase ("what does .. mean", "asked if") in sentence? */
static int
strong_info(const struct crisis *c, const struct ctok *t,
    const struct cmatch *m, int nm, int sent)
{
	int k;

	for (k = 0; k < nm; k++)
		if (role_of(c, &m[k]) == CRISIS_ROLE_INFO &&
		    c->rules[m[k].rule].strong && t[m[k].start].sent == sent)
			return 1;
	return 0;
}

/* Is token k the word w? */
static int
word_is(const struct ctok *t, const char *w)
{
	size_t len = strlen(w);

	return t->len == len && memcmp(t->w, w, len) == 0;
}

/*
 * Does the message ask a medication or FAQ question: a question clause
 * naming a word of the classes in bits (class "med" or "faq": "can i
 * still take klonopin", "could that be depression") that is no plea for
 * help ("can anyone help me with my meds")?
 */
int
crisis_faq_question(const struct crisis *c, const struct ctok *t, int n,
    uint64_t bits)
{
	int i = 0;

	while (i < n) {
		int j, subject = 0, plea = 0;

		if (!t[i].question) {
			i++;
			continue;
		}
		for (j = i; j < n && t[j].question; j++) {
			if (t[j].e >= 0 && (c->ents[t[j].e].classes & bits))
				subject = 1;
			if (word_is(&t[j], "help") || word_is(&t[j], "talk"))
				plea = 1;
		}
		if (subject && !plea)
			return 1;
		i = j;
	}
	return 0;
}

/*
 * Level of signal x before urgency and context, or -1 if it does not
 * count at all (idiom, inside a longer signal).  Negated or recovered
 * signals and those framed as a question about words or other people
 * ("what does kms mean") are mentions.
 */
static int
signal_level(const struct crisis *c, const struct ctok *t, int n,
    struct cmatch *m, int nm, struct cmatch *x)
{
	const struct crisis_rule *r = &c->rules[x->rule];
	int k, level;

	for (k = 0; k < nm; k++) {
		const struct cmatch *y = &m[k];

		if (y == x)
			continue;
		if (role_of(c, y) == CRISIS_ROLE_IDIOM && overlaps(x, y))
			return -1;
		if (role_of(c, y) == CRISIS_ROLE_SIGNAL && !y->dead &&
		    y->start <= x->start && y->end >= x->end &&
		    (y->end - y->start) > (x->end - x->start))
			return -1;
	}
	x->person = subject_of(c, t, n, m, nm, x);
	switch (x->person) {
	case 1:	level = (int)r->level; break;
	case 2:	/* a topic with "you" is the generic you */
		level = (int)(r->topic ? r->impersonal : r->second);
		break;
	case 3:	level = (int)r->third; break;
	default: level = (int)r->impersonal; break;
	}
	if (level > CRISIS_MENTION && r->negatable &&
	    (negated(c, t, x) || recovered(c, t, n, m, nm, x)))
		return CRISIS_MENTION;
	if (level > CRISIS_MENTION &&
	    strong_info(c, t, m, nm, t[x->start].sent))
		return CRISIS_MENTION;
	if (x->person == 2 && r->kind == CRISIS_ABUSE_OF_OTHERS &&
	    level > CRISIS_MENTION && !imperative(c, t, x) &&
	    (t[x->start].question || conditional(c, t, x)))
		level = CRISIS_MENTION;
	if (r->topic && level > CRISIS_MENTION && (t[x->start].question ||
	    ((x->person == 0 || x->person == 2) &&
	    info_in_sentence(c, t, m, nm, t[x->start].sent))))
		level = CRISIS_MENTION;
	/* "im depressed, can i still start klonopin": the FAQ question is
	 * what is asked; a bare "im depressed" stays the rule's level */
	if (r->asked && x->person == 1 && level > CRISIS_MENTION &&
	    !t[x->start].question &&
	    crisis_faq_question(c, t, n, c->med_bits | c->faq_bits))
		level = CRISIS_MENTION;
	return level;
}

/* The first live urgent match (a time too) near sentence sent, or -1. */
static int
urgent_near(const struct crisis *c, const struct ctok *t, struct cmatch *m,
    int nm, int sent)
{
	int k;

	for (k = 0; k < nm; k++) {
		int d;

		if (role_of(c, &m[k]) != CRISIS_ROLE_URGENT || m[k].dead)
			continue;
		d = t[m[k].start].sent - sent;
		if (d >= -1 && d <= 1)
			return k;
	}
	return -1;
}

static enum crisis_kind
kind_of(const struct crisis *c, const struct cmatch *x)
{
	const struct crisis_rule *r = &c->rules[x->rule];

	if (x->kind != CRISIS_KIND_NONE)
		return x->kind;
	if (x->person == 1 && r->self_kind != CRISIS_KIND_NONE)
		return r->self_kind;
	return r->kind != CRISIS_KIND_NONE ? r->kind : CRISIS_SUICIDE;
}

/* The kind an earlier message lends a context escalation. */
static enum crisis_kind
mem_kind(const struct crisis_memory *mem, enum crisis_kind def)
{
	if (mem->kind == CRISIS_SUICIDE || mem->kind == CRISIS_SELF_HARM)
		return mem->kind;
	return def;
}

/* Raises x to acute from context. */
static void
from_context(struct cmatch *x, enum crisis_kind kind,
    struct crisis_result *res)
{
	x->level = CRISIS_ACUTE;
	x->kind = kind;
	res->from_context = 1;
}

/* Context from the author's earlier messages (mem) and this one. */
static void
apply_context(const struct crisis *c, struct cmatch *m,
    int nm, const struct crisis_memory *mem, int mem_live,
    struct crisis_result *res)
{
	unsigned bits = mem_live ? mem->signals : 0, here = 0;
	int k, live_signal = 0, urgent = -1, any_urgent = -1, ctx = -1;

	for (k = 0; k < nm; k++) {
		const struct crisis_rule *r = &c->rules[m[k].rule];

		if (m[k].dead)
			continue;
		if (r->role == CRISIS_ROLE_URGENT && !r->time && urgent < 0)
			urgent = k;
		if (r->role == CRISIS_ROLE_URGENT && any_urgent < 0)
			any_urgent = k;
		if (r->role == CRISIS_ROLE_CONTEXT && ctx < 0)
			ctx = k;
		if (r->role != CRISIS_ROLE_SIGNAL || m[k].level < CRISIS_MENTION)
			continue;
		if (m[k].level >= CRISIS_CONCERN)
			live_signal = 1;
		/* ideation in this message wakes its context phrases ("i
		 * want to die. i'm ready") as an earlier message would */
		if (m[k].level >= CRISIS_CONCERN && m[k].person != 2)
			here |= r->memory & CRISIS_MEM_IDEATION;
		if ((m[k].person == 2 && r->kind == CRISIS_ABUSE_OF_OTHERS) ||
		    m[k].level == CRISIS_ACUTE)
			continue;
		/* a lethal-amount or method question after ideation */
		if ((bits & (CRISIS_MEM_IDEATION | CRISIS_MEM_PLAN)) &&
		    r->method)
			from_context(&m[k], r->kind == CRISIS_SELF_HARM ?
			    CRISIS_SELF_HARM : mem_kind(mem, CRISIS_SUICIDE),
			    res);
		/* ideation after a lethal-amount question or a plan */
		else if ((bits & (CRISIS_MEM_LETHALQ | CRISIS_MEM_PLAN)) &&
		    m[k].level == CRISIS_CONCERN &&
		    (r->kind == CRISIS_SUICIDE || r->kind == CRISIS_SELF_HARM))
			from_context(&m[k], r->kind, res);
	}
	for (k = 0; k < nm; k++) {
		const struct crisis_rule *r = &c->rules[m[k].rule];

		if (m[k].dead)
			continue;
		if (r->role == CRISIS_ROLE_CONTEXT) {
			/* "i took them", "goodbye": only after a signal, or
			 * with a plan or means in the same message (a time
			 * alone is not enough: "i'm done for today") */
			if (((bits | here) & r->needs) || (urgent >= 0 &&
			    (r->needs & CRISIS_MEM_IDEATION))) {
				m[k].person = 1;
				m[k].emergency = r->emergency;
				from_context(&m[k], r->kind == CRISIS_SUICIDE ?
				    mem_kind(mem, CRISIS_SUICIDE) : r->kind,
				    res);
				if (!(bits & r->needs))
					res->from_context = 0;
			}
		} else if (r->role == CRISIS_ROLE_URGENT && !live_signal &&
		    k == any_urgent) {
			if (bits & CRISIS_MEM_IDEATION)
				from_context(&m[k], mem_kind(mem,
				    CRISIS_SUICIDE), res);
			else if (bits & CRISIS_MEM_VIOLENCE) {
				from_context(&m[k], CRISIS_VIOLENCE, res);
				m[k].emergency = 1;
			}
		}
	}
}

void
crisis_match_window(const struct crisis *c, const struct ctok *t, size_t n,
    const struct crisis_memory *mem, int mem_live, struct crisis_result *res,
    unsigned *signals)
{
	struct cmatch m[CM_MAX];
	int nm, k, best = -1;
	unsigned bits = 0;

	memset(res, 0, sizeof(*res));
	*signals = 0;
	nm = find_matches(c, t, (int)n, m);
	/* modifiers first: idioms and negations cancel them too */
	for (k = 0; k < nm; k++) {
		int role = role_of(c, &m[k]), j;

		m[k].kind = CRISIS_KIND_NONE;
		if (role == CRISIS_ROLE_SIGNAL || role == CRISIS_ROLE_IDIOM ||
		    role == CRISIS_ROLE_INFO)
			continue;
		for (j = 0; j < nm; j++)
			if (role_of(c, &m[j]) == CRISIS_ROLE_IDIOM &&
			    overlaps(&m[k], &m[j]))
				m[k].dead = 1;
		if (role != CRISIS_ROLE_RECOVERY && c->rules[m[k].rule].negatable
		    && negated(c, t, &m[k]))
			m[k].dead = 1;
	}
	for (k = 0; k < nm; k++) {
		const struct crisis_rule *r = &c->rules[m[k].rule];
		int lv, u;

		if (r->role != CRISIS_ROLE_SIGNAL)
			continue;
		if ((lv = signal_level(c, t, (int)n, m, nm, &m[k])) < 0 ||
		    lv == CRISIS_NONE) {
			m[k].dead = 1;
			continue;
		}
		u = lv >= CRISIS_CONCERN && m[k].person != 2 ?
		    urgent_near(c, t, m, nm, t[m[k].start].sent) : -1;
		if (r->urgent_only) {
			/* "he'll kill me", "going to do it": only with a
			 * weapon, plan or time */
			if (u < 0) {
				m[k].dead = 1;
				continue;
			}
			lv = CRISIS_ACUTE;
		}
		m[k].emergency = r->emergency && lv == CRISIS_ACUTE;
		if (u >= 0 && lv == CRISIS_CONCERN &&
		    (r->kind == CRISIS_SUICIDE || r->kind == CRISIS_SELF_HARM ||
		    r->kind == CRISIS_VIOLENCE))
			lv = CRISIS_ACUTE;
		if (u >= 0 && lv == CRISIS_ACUTE) {
			m[k].urgent_rule = m[u].rule;
			if (r->kind == CRISIS_VIOLENCE ||
			    c->rules[m[u].rule].emergency)
				m[k].emergency = 1;
		}
		m[k].level = lv;
	}
	apply_context(c, m, nm, mem, mem_live, res);
	for (k = 0; k < nm; k++) {
		const struct crisis_rule *r = &c->rules[m[k].rule];
		int role = (int)r->role;

		if (m[k].dead || m[k].level == CRISIS_NONE)
			continue;
		if (role != CRISIS_ROLE_SIGNAL && role != CRISIS_ROLE_CONTEXT &&
		    role != CRISIS_ROLE_URGENT)
			continue;
		if (m[k].level >= CRISIS_CONCERN && m[k].person != 2)
			bits |= r->memory;
		if (best < 0 || m[k].level > m[best].level ||
		    (m[k].level == m[best].level &&
		    kind_rank(kind_of(c, &m[k])) >
		    kind_rank(kind_of(c, &m[best]))))
			best = k;
	}
	for (k = 0; k < nm; k++)
		if (!m[k].dead && role_of(c, &m[k]) == CRISIS_ROLE_URGENT)
			bits |= c->rules[m[k].rule].memory;
	*signals = bits;
	if (best < 0)
		return;
	res->level = (enum crisis_level)m[best].level;
	res->kind = kind_of(c, &m[best]);
	/* bleeding from self-harm is self-harm (the reply still puts the
	 * emergency number first) */
	if (res->kind == CRISIS_MEDICAL_EMERGENCY)
		for (k = 0; k < nm; k++)
			if (!m[k].dead && m[k].level >= CRISIS_CONCERN &&
			    c->rules[m[k].rule].role == CRISIS_ROLE_SIGNAL &&
			    kind_of(c, &m[k]) == CRISIS_SELF_HARM &&
			    m[k].person == m[best].person) {
				res->kind = CRISIS_SELF_HARM;
				break;
			}
	res->third_party = m[best].person == 3;
	add_name(res, c->rules[m[best].rule].name);
	for (k = 0; k < nm; k++) {
		const struct crisis_rule *r = &c->rules[m[k].rule];

		if (m[k].dead || m[k].level != m[best].level ||
		    (r->role != CRISIS_ROLE_SIGNAL &&
		    r->role != CRISIS_ROLE_CONTEXT &&
		    r->role != CRISIS_ROLE_URGENT))
			continue;
		add_name(res, r->name);
		if (m[k].urgent_rule >= 0)
			add_name(res, c->rules[m[k].urgent_rule].name);
		if (m[k].emergency)
			res->emergency = 1;
	}
	if (res->level != CRISIS_ACUTE)
		res->emergency = 0;
}
