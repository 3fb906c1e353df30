/*
 * crisis_int.h -- internals shared by crisis.c (compiling the rules),
 * crisis_norm.c (text to canonical tokens) and crisis_match.c (phrases,
 * then the combining rules).  Not a public interface.
 */
#ifndef CRISIS_INT_H
#define CRISIS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "crisis.h"

#define CW_MAX		32	/* bytes kept of one word (incl. NUL) */
#define CT_MAX		512	/* tokens in one window */
#define CM_MAX		64	/* phrase matches kept per window */
#define CWIN_BYTES	1024	/* input bytes per window */
#define CWIN_OVERLAP	160	/* bytes windows share */
#define CGAP_MAX	4	/* words a ".." gap may skip */
#define CGAPW_MAX	8	/* words a "..." gap may skip */
#define CMANY_MIN	6	/* {many}: a number at least this */

/* Boundary before a token. */
#define BRK_NONE	0
#define BRK_WEAK	1	/* comma, "and", "but": ends negation scope */
#define BRK_STRONG	2	/* end of sentence */

/* Word flags (builtin grammar, see crisis.c). */
#define WF_NEG		0x0001	/* negation cue: not, never, dont ... */
#define WF_SCOPE	0x0002	/* ends a negation scope: and, but ... */
#define WF_QSTART	0x0004	/* starts a question: can, does, how ... */
#define WF_RELAPSE	0x0008	/* again, relapsed: recovery is over */
#define WF_HEAD		0x0010	/* may start a glued compound */
#define WF_MANY		0x0020	/* all, whole, handful: for {many} */
#define WF_COND		0x0040	/* if, unless: not aimed at anyone */
#define WF_NEGSKIP	0x0080	/* "not that", "why not": no negation */
#define WF_OBJ		0x0100	/* object pronoun: me, him, them */
#define WF_IMPER	0x0200	/* "just", "go", "please": imperative */

struct centry {
	char		 w[CW_MAX];
	uint8_t		 len;
	int8_t		 person;	/* subject: 1 I, 2 you, 3 someone */
	int8_t		 self;		/* reflexive: 1, 2, 3 or 0 */
	uint16_t	 flags;
	uint64_t	 classes;	/* bit i: member of class i */
	int		 alias;		/* single-word alias, or -1 */
	int		 pair;		/* used as a pair alias' first word */
	int		 fuzzy;		/* a spelling-repair target */
	int		 keeponly;	/* only in "keep": never a target */
	uint32_t	 mask;		/* crisis_letter_mask() of w */
};

struct calias {
	int	*to;		/* entry ids */
	int	 nto;
};

enum ptype {
	PT_WORD, PT_ALT, PT_PREFIX, PT_CLASS, PT_SELF, PT_NUM, PT_MANY, PT_GAP,
	PT_GAPW,
};

struct ptok {
	uint8_t		 t;
	int		 id;		/* entry (WORD) or class (CLASS) */
	int		*alts;		/* ALT */
	int		 nalts;
	char		 pre[CW_MAX];	/* PREFIX */
	uint8_t		 plen;
};

struct cphrase {
	uint64_t	 need_words;	/* bits (entry % 64) of its words */
	uint64_t	 need_classes;	/* bits of its classes */
	struct ptok	*tok;
	int		 ntok;
	int		 rule;
	int		 anchor;	/* ^: sentence start only */
};

/* A string -> int open-addressing map: key, hash and value side by side,
 * so that a probe reads one slot. */
struct cslot {
	char		*key;	/* borrowed from entries / owned pair keys;
				   NULL: empty */
	uint32_t	 hash;	/* of key: compared first */
	int		 val;
};

struct cmap {
	struct cslot	*slots;
	size_t		 cap;	/* power of two */
	size_t		 n;
};

/* A word that may start a glued compound, with what split_word() checks
 * first, so that most heads are passed over without reading their entry. */
struct chead {
	int		 id;	/* entry */
	uint8_t		 len;
	char		 c1;	/* its second letter */
};

/* A phrase in an entry's first-token list, with the words and classes it
 * needs (struct cphrase), so that the phrases a message lacks the words
 * for are passed over without reading them. */
struct cfirst {
	uint64_t	 need_words;
	uint64_t	 need_classes;
	int		 ph;
};

struct crisis {
	struct crisis_rule	*rules;		/* copies (names, levels) */
	size_t			 nrules;
	struct centry		*ents;
	size_t			 nents, capents;
	struct cmap		 words;		/* word -> entry */
	struct cmap		 pairs;		/* "a b" -> alias */
	char			**pairkeys;
	size_t			 npairkeys;
	struct calias		*aliases;
	size_t			 naliases;
	struct cphrase		*phrases;
	size_t			 nphrases;
	int			*first_off;	/* CSR: entry -> phrases */
	struct cfirst		*first_ph;
	int			*num_ph;	/* phrases starting {num}/{many} */
	int			 nnum_ph;
	int			*pre_ph;	/* phrases starting with prefix */
	int			 npre_ph;
	int			*fuzzy;		/* entries that are targets */
	int			 nfuzzy;
	int			*fz[26][CW_MAX];	/* spelling targets by
						   first letter and length */
	uint32_t		*fzmask[26][CW_MAX];	/* their letter masks,
						   read before the entries */
	int			 nfz[26][CW_MAX];
	struct chead		*heads[26];	/* compound heads by letter */
	int			 nheads[26];
	int			 to_id;		/* entry of "to" (matches "2") */
	uint64_t		 med_bits;	/* class "med": drug words */
	uint64_t		 faq_bits;	/* class "faq": FAQ subjects
						   ("depression", "dose") */
	double			 context_seconds;
	struct crisis_model	*model;		/* backstop, or NULL (owned) */
};

struct ctok {
	char	 w[CW_MAX];
	uint8_t	 len;
	uint8_t	 brk;		/* BRK_* before this token */
	uint8_t	 single;	/* raw token was one letter */
	uint8_t	 question;	/* its clause starts like a question */
	int	 e;		/* entry or -1 */
	long	 num;		/* value if a number, else -1 */
	int	 sent;		/* sentence number */
};

/* crisis.c */
/* Bit i for letter 'a' + i of w, bit 26 for anything else: two words one
 * edit apart differ in at most two bits (a cheap spelling prefilter). */
uint32_t crisis_letter_mask(const char *w, size_t len);
int	crisis_lookup(const struct crisis *c, const char *w, size_t len);
/* The value for key (len bytes) in m, or -1. */
int	crisis_map_get(const struct cmap *m, const char *key, size_t len);

/* crisis_norm.c */
size_t	crisis_norm_tokens(const struct crisis *c, const char *text,
	    size_t len, struct ctok *out, size_t cap);

/* crisis_match.c */
void	crisis_match_window(const struct crisis *c, const struct ctok *t,
	    size_t n, const struct crisis_memory *mem, int mem_live,
	    struct crisis_result *res, unsigned *signals);
int	crisis_faq_question(const struct crisis *c, const struct ctok *t,
	    int n, uint64_t bits);

#endif /* CRISIS_INT_H */
