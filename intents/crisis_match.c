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
	if (pt->t == PT_GAP) {
		for (g = 0; g <= CGAP_MAX && pos + g <= n; g++) {
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

static int
find_matches(const struct crisis *c, const struct ctok *t, int n,
    struct cmatch *m)
{
	int pos, nm = 0, k;

	for (pos = 0; pos < n; pos++) {
		int e = t[pos].e;

		if (e >= 0)
			for (k = c->first_off[e]; k < c->first_off[e + 1]; k++)
				try_phrase(c, c->first_ph[k], t, n, pos, m, &nm);
		if (t[pos].num >= 0)
			for (k = 0; k < c->nnum_ph; k++)
				try_phrase(c, c->num_ph[k], t, n, pos, m, &nm);
		for (k = 0; k < c->npre_ph; k++)
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

/* Subject of match x: 1 the author, 2 "you", 3 someone else, 0 nobody. */
static int
subject_of(const struct crisis *c, const struct ctok *t, int n,
    const struct cmatch *m, int nm, const struct cmatch *x)
{
	int i, lim, found[4] = { 0, 0, 0, 0 };

	if (x->self)
		return x->self;
	for (i = x->start; i < x->end; i++) {
		int p = t[i].e >= 0 ? c->ents[t[i].e].person : 0;

		if (p && !is_possessive(&t[i]) && !in_info(c, m, nm, i))
			found[p] = 1;
	}
	if (found[1])
		return 1;
	if (found[3])
		return 3;
	if (found[2])
		return 2;
	/* an object right after: "how many would kill me" */
	if (x->end < n && t[x->end].brk == BRK_NONE && t[x->end].e >= 0 &&
	    !is_possessive(&t[x->end]) && c->ents[t[x->end].e].person != 0 &&
	    !in_info(c, m, nm, x->end))
		return c->ents[t[x->end].e].person;
	lim = x->start - 8 < 0 ? 0 : x->start - 8;
	for (i = x->start - 1; i >= lim; i--) {
		int p;

		if (t[i + 1].brk == BRK_STRONG)
			break;
		p = t[i].e >= 0 ? c->ents[t[i].e].person : 0;
		if (p && !is_possessive(&t[i]) && !in_info(c, m, nm, i))
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
		if (t[i].sent == sent && t[i].e >= 0 &&
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

/* An "if" earlier in x's clause: "if you want to kill yourself, call". */
static int
conditional(const struct crisis *c, const struct ctok *t,
    const struct cmatch *x)
{
	int i;

	for (i = x->start - 1; i >= 0 && i >= x->start - 8; i--) {
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

/* Level of signal x before urgency and context, or -1 if dropped. */
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
	if (r->negatable && (negated(c, t, x) || recovered(c, t, n, m, nm, x)))
		return -1;
	x->person = subject_of(c, t, n, m, nm, x);
	switch (x->person) {
	case 1:	level = (int)r->level; break;
	case 2:	/* a topic with "you" is the generic you */
		level = (int)(r->topic ? r->impersonal : r->second);
		break;
	case 3:	level = (int)r->third; break;
	default: level = (int)r->impersonal; break;
	}
	if (x->person == 2 && level > CRISIS_MENTION &&
	    (t[x->start].question || conditional(c, t, x)))
		level = CRISIS_MENTION;
	if (r->topic && level > CRISIS_MENTION && (t[x->start].question ||
	    ((x->person == 0 || x->person == 2) &&
	    info_in_sentence(c, t, m, nm, t[x->start].sent))))
		level = CRISIS_MENTION;
	return level;
}

/* The first live urgent match near sentence sent, or -1. */
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

void
crisis_match_window(const struct crisis *c, const struct ctok *t, size_t n,
    const struct crisis_memory *mem, int mem_live, struct crisis_result *res,
    unsigned *signals)
{
	struct cmatch m[CM_MAX];
	int nm, k, best = -1, ideation = 0, lethalq = 0;

	memset(res, 0, sizeof(*res));
	*signals = 0;
	nm = find_matches(c, t, (int)n, m);
	/* modifiers first: idioms and negations cancel them too */
	for (k = 0; k < nm; k++) {
		int role = role_of(c, &m[k]), j;

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
		m[k].emergency = r->emergency && lv == CRISIS_ACUTE;
		if (lv == CRISIS_CONCERN && m[k].person != 2 &&
		    (r->kind == CRISIS_SUICIDE || r->kind == CRISIS_SELF_HARM ||
		    r->kind == CRISIS_VIOLENCE) &&
		    (u = urgent_near(c, t, m, nm, t[m[k].start].sent)) >= 0) {
			lv = CRISIS_ACUTE;
			m[k].urgent_rule = m[u].rule;
			m[k].emergency = r->kind == CRISIS_VIOLENCE ||
			    c->rules[m[u].rule].emergency;
		}
		m[k].level = lv;
	}
	/* context from the author's earlier messages */
	if (mem_live) {
		int had_signal = 0;

		for (k = 0; k < nm; k++) {
			const struct crisis_rule *r = &c->rules[m[k].rule];

			if (r->role != CRISIS_ROLE_SIGNAL || m[k].dead)
				continue;
			had_signal = 1;
			if ((mem->signals & CSIG_IDEATION) &&
			    r->kind == CRISIS_OVERDOSE &&
			    m[k].level == CRISIS_CONCERN && m[k].person != 3) {
				m[k].level = CRISIS_ACUTE;
				res->from_context = 1;
			}
			if ((mem->signals & CSIG_LETHALQ) &&
			    (r->kind == CRISIS_SUICIDE ||
			    r->kind == CRISIS_SELF_HARM) &&
			    m[k].level == CRISIS_CONCERN && m[k].person != 3) {
				m[k].level = CRISIS_ACUTE;
				res->from_context = 1;
			}
		}
		for (k = 0; k < nm; k++) {
			const struct crisis_rule *r = &c->rules[m[k].rule];

			if (m[k].dead || !(mem->signals & CSIG_IDEATION))
				continue;
			if (r->role == CRISIS_ROLE_CONTEXT ||
			    (r->role == CRISIS_ROLE_URGENT && !had_signal)) {
				m[k].level = CRISIS_ACUTE;
				m[k].emergency = r->emergency;
				m[k].person = 1;
				res->from_context = 1;
			}
		}
	}
	for (k = 0; k < nm; k++) {
		const struct crisis_rule *r = &c->rules[m[k].rule];
		int role = (int)r->role;

		if (m[k].dead || m[k].level == CRISIS_NONE)
			continue;
		if (role != CRISIS_ROLE_SIGNAL && role != CRISIS_ROLE_CONTEXT &&
		    role != CRISIS_ROLE_URGENT)
			continue;
		if (best < 0 || m[k].level > m[best].level ||
		    (m[k].level == m[best].level &&
		    kind_rank(c->rules[m[k].rule].kind) >
		    kind_rank(c->rules[m[best].rule].kind)))
			best = k;
	}
	if (best < 0)
		return;
	res->level = (enum crisis_level)m[best].level;
	res->kind = c->rules[m[best].rule].kind;
	if (res->kind == CRISIS_KIND_NONE)
		res->kind = CRISIS_SUICIDE;
	res->third_party = m[best].person == 3;
	add_name(res, c->rules[m[best].rule].name);
	for (k = 0; k < nm; k++) {
		const struct crisis_rule *r = &c->rules[m[k].rule];

		if (m[k].dead || m[k].level == CRISIS_NONE ||
		    (r->role != CRISIS_ROLE_SIGNAL &&
		    r->role != CRISIS_ROLE_CONTEXT &&
		    r->role != CRISIS_ROLE_URGENT))
			continue;
		if (m[k].level == m[best].level) {
			add_name(res, r->name);
			if (m[k].urgent_rule >= 0)
				add_name(res, c->rules[m[k].urgent_rule].name);
			if (m[k].emergency)
				res->emergency = 1;
		}
		if (m[k].level >= CRISIS_CONCERN && m[k].person != 2 &&
		    m[k].person != 3 &&
		    (r->kind == CRISIS_SUICIDE || r->kind == CRISIS_SELF_HARM))
			ideation = 1;
		if (m[k].level >= CRISIS_CONCERN && r->kind == CRISIS_OVERDOSE &&
		    !r->emergency && m[k].person != 3)
			lethalq = 1;
	}
	if (res->level != CRISIS_ACUTE)
		res->emergency = 0;
	*signals = (ideation ? CSIG_IDEATION : 0) | (lethalq ? CSIG_LETHALQ : 0);
}
