/*
 * crisis.h -- public interface of the crisis detector (crisis.c).
 *
 * Pure like the matcher: the caller passes the phrase rules (loaded by the
 * daemon from the data file), the per-user memory and the current time.
 * Levels and kinds follow shared/spec/crisis.md.
 *
 * The phrases are data (faq/crisis.json, loaded by bot/crisis_load.c into
 * struct crisis_rules); how matches combine -- who the subject is,
 * negation, recovery, idioms, urgency, informational questions, context
 * across messages -- is code (crisis.c), with tests.
 */
#ifndef CRISIS_H
#define CRISIS_H

#include <stddef.h>
#include <stdint.h>

enum crisis_level {
	CRISIS_NONE,
	CRISIS_MENTION,		/* informational: FAQ answer + footer */
	CRISIS_CONCERN,		/* risk without immediacy */
	CRISIS_ACUTE,		/* danger to life now */
};

enum crisis_kind {
	CRISIS_KIND_NONE,
	CRISIS_SUICIDE,
	CRISIS_SELF_HARM,
	CRISIS_OVERDOSE,
	CRISIS_MEDICAL_EMERGENCY,
	CRISIS_VIOLENCE,
	CRISIS_ABUSE_OF_OTHERS,
};

#define CRISIS_MAX_MATCHED 8

struct crisis_result {
	enum crisis_level	 level;
	enum crisis_kind	 kind;
	const char		*matched[CRISIS_MAX_MATCHED];	/* rule names,
				   borrowed from the crisis (rules' lifetime) */
	size_t			 nmatched;
	int			 emergency;	/* body in danger now: the
						   emergency number first */
	int			 third_party;	/* about someone else */
	int			 from_context;	/* raised by an earlier message */
};

/* ---- the rules as plain data (owned by whoever built them) ---- */

/*
 * What a rule's phrases do.  SIGNAL rules raise a level; the others are
 * modifiers the combining code reads.
 */
enum crisis_role {
	CRISIS_ROLE_SIGNAL,	/* a crisis phrase: level per subject */
	CRISIS_ROLE_IDIOM,	/* "killing me": cancels signals it overlaps */
	CRISIS_ROLE_RECOVERY,	/* "free of", "used to": cancels what follows */
	CRISIS_ROLE_URGENT,	/* plan, means, time: concern -> acute */
	CRISIS_ROLE_CONTEXT,	/* acute only after recent ideation */
	CRISIS_ROLE_INFO,	/* "side effect", "cause": informational */
};

/*
 * One rule.  Phrase syntax (tokens separated by spaces, matched on word
 * boundaries after folding):
 *   word        the word (after aliases and spelling repair)
 *   a|b|c       any of these words
 *   pre*        any word starting with pre
 *   @class      any word of that class (struct crisis_class)
 *   {self}      a reflexive pronoun; sets the subject (myself, herself...)
 *   {num}       a number
 *   ..          a gap of up to 4 words (within the sentence)
 *   ...         a gap of up to 8 words (within the sentence)
 *   {many}      a number of 6 or more (not "10 mg"), or all/whole/bunch
 *   ^           only at the start of a sentence (first token only)
 * Levels by subject: level (the author, or no subject: "wanna die"),
 * third (someone else), impersonal (a general question: no subject at
 * all in a question), second ("you": dropped unless the rule says).
 */
struct crisis_rule {
	char			 *name;		/* "suicide.intent" */
	enum crisis_role	  role;
	enum crisis_kind	  kind;
	enum crisis_level	  level;	/* author */
	enum crisis_level	  third;	/* someone else */
	enum crisis_level	  impersonal;	/* no subject */
	enum crisis_level	  second;	/* aimed at "you" */
	int			  emergency;	/* body in danger */
	int			  negatable;	/* "not"/"never" before cancels */
	int			  topic;	/* a noun ("suicide"): mention
						   unless the author's own */
	enum crisis_kind	  self_kind;	/* kind when the subject is the
						   author (NONE: kind) */
	int			  method;	/* a means/amount question: acute
						   after recent ideation */
	int			  urgent_only;	/* counts only with a plan, means
						   or time cue nearby: acute */
	int			  strong;	/* info: turns every signal of
						   its sentence into a mention */
	int			  asked;	/* topic: the author's statement
						   ("im depressed") is a mention
						   when the message also asks a
						   question that is no plea for
						   help ("can i still take X") */
	int			  time;		/* urgent: a time alone
						   ("tomorrow"): makes a signal
						   nearby acute, but never wakes
						   a context phrase ("im done")
						   and leaves no memory */
	unsigned		  memory;	/* CRISIS_MEM_* this sets */
	unsigned		  needs;	/* context: CRISIS_MEM_* that
						   enable it (0: ideation) */
	char			**phrases;
	size_t			  nphrases;
};

/* A word or two that stand for other words: "kms" -> "kill myself". */
struct crisis_alias {
	char	*from;		/* one or two words */
	char	*to;		/* one or more words */
};

/* A named word list for @name in phrases: "@pills". */
struct crisis_class {
	char	 *name;
	char	**words;
	size_t	  nwords;
};

struct crisis_rules {
	struct crisis_rule	*rules;
	size_t			 nrules;
	struct crisis_alias	*aliases;
	size_t			 naliases;
	struct crisis_class	*classes;
	size_t			 nclasses;
	char			**fuzzy;	/* words repaired within one
						   edit ("sucidal") */
	size_t			 nfuzzy;
	char			**keep;		/* real words never repaired
						   ("overdoes", "breeding") */
	size_t			 nkeep;
	char			**backstop_classes;	/* classes the learned
						   backstop uses as its
						   lexicon (crisis_model.c) */
	size_t			 nbackstop_classes;
	double			 context_seconds;	/* memory window */
};

/* What a message leaves in the author's memory (struct crisis_memory). */
#define CRISIS_MEM_IDEATION	0x01	/* suicide / self-harm thoughts */
#define CRISIS_MEM_LETHALQ	0x02	/* asked about lethal amounts */
#define CRISIS_MEM_INGESTED	0x04	/* took too much / mixed */
#define CRISIS_MEM_VIOLENCE	0x08	/* violence at home */
#define CRISIS_MEM_PLAN		0x10	/* a plan, means or farewell */

/*
 * Per-user memory, owned by the caller (one per author), zero-initialised
 * before first use.  crisis_check() reads and updates it.
 */
struct crisis_memory {
	double			 at;		/* time of the last signal */
	enum crisis_level	 level;		/* its level */
	enum crisis_kind	 kind;
	unsigned		 signals;	/* CRISIS_MEM_* bits */
};

struct crisis;
struct matcher_ws;	/* intents.h */

/* crisis.c */
const char	*crisis_level_str(enum crisis_level level);
const char	*crisis_kind_str(enum crisis_kind kind);
const char	*crisis_role_str(enum crisis_role role);
/* Names as in crisis.md ("acute", "self_harm"); 0, or -1 if unknown. */
int		 crisis_level_parse(const char *s, enum crisis_level *out);
int		 crisis_kind_parse(const char *s, enum crisis_kind *out);
int		 crisis_role_parse(const char *s, enum crisis_role *out);

/*
 * crisis_phrase_check() validates one phrase against rules (classes must
 * exist, syntax).  Returns 0, or -1 with a message in err.
 */
int		 crisis_phrase_check(const struct crisis_rules *rules,
		    const char *phrase, char *err, size_t errlen);

/*
 * crisis_new() compiles rules (copied: rules may be freed afterwards).
 * Returns NULL with a message in err on a bad phrase or out of memory.
 * Free with crisis_free().
 */
struct crisis	*crisis_new(const struct crisis_rules *rules, char *err,
		    size_t errlen);

/*
 * crisis_check() classifies one UTF-8 message (any bytes, any length).
 * mem is the author's memory (NULL: no context), now the caller's clock
 * in seconds.  Never fails; read-only on c, so one crisis may be shared.
 * res->matched points into c.
 */
void		 crisis_check(const struct crisis *c, const char *text,
		    size_t len, struct crisis_memory *mem, double now,
		    struct crisis_result *res);
/*
 * crisis_check_ws() is crisis_check() with the caller's workspace for the
 * learned backstop (intents.h: matcher_ws_new(), one per thread or
 * caller; NULL: a stemmer per call when a word needs one).  Use it on
 * every message: it keeps the check within its latency budget.
 */
void		 crisis_check_ws(const struct crisis *c, struct matcher_ws *ws,
		    const char *text, size_t len, struct crisis_memory *mem,
		    double now, struct crisis_result *res);

void		 crisis_free(struct crisis *c);

/* ---- crisis_model.c: the learned backstop ---- */

/*
 * One labelled training message (faq/crisis-examples.tsv, loaded by the
 * daemon).  kind is CRISIS_KIND_NONE exactly when level is CRISIS_NONE.
 */
struct crisis_example {
	char			*text;
	enum crisis_level	 level;
	enum crisis_kind	 kind;
};

/*
 * Default thresholds on the model's probabilities, chosen by 10-fold
 * cross-validation on faq/crisis-examples.tsv (README, crisis section).
 */
#define CRISIS_MODEL_CONCERN	0.90	/* P(concern or acute) to raise */
#define CRISIS_MODEL_ACUTE	0.90	/* P(acute) to raise to acute */
#define CRISIS_MODEL_MENTION	0.98	/* P(concern or acute) to raise a
					   message the rules call a mention
					   (negation, recovery, question) */

struct crisis_model_opts {
	double	concern;	/* <0: CRISIS_MODEL_CONCERN */
	double	acute;		/* <0: CRISIS_MODEL_ACUTE */
	double	mention;	/* <0: CRISIS_MODEL_MENTION */
	/* word classes of the rules (crisis.json "classes", may be NULL):
	   each becomes one lexicon concept of the model, so "tablets" in
	   a message counts like "pills" in the examples (copied) */
	const struct crisis_class *classes;
	size_t	nclasses;
};

/* What the model says about one message. */
struct crisis_model_score {
	double			 escalate;	/* P(concern or acute) */
	double			 acute;		/* P(acute) */
	enum crisis_kind	 kind;		/* of the likeliest concern or
						   acute class */
	enum crisis_kind	 acute_kind;	/* of the likeliest acute one */
	const char		*name;		/* "model:acute.suicide":
						   that class (borrowed) */
	const char		*acute_name;
};

struct crisis_model;

/*
 * crisis_model_new() trains the backstop: one class per level.kind of the
 * examples (every mention one class, none one class), learned by the
 * library's matcher (matcher.c).  The examples are copied.  Returns NULL
 * with a message in err when a class is missing (none and at least one
 * concern or acute class are needed) or out of memory.
 */
struct crisis_model	*crisis_model_new(const struct crisis_example *ex,
			    size_t n, const struct crisis_model_opts *opts,
			    char *err, size_t errlen);
/*
 * crisis_model_save() serialises the trained backstop into *out
 * (malloc'd, *len bytes; caller frees); 0 or -1 (out of memory).
 * crisis_model_load() builds the backstop of crisis_model_new() for the
 * same examples and opts from those bytes instead of training; NULL with
 * a message in err when they are not such a model (see matcher_load()).
 * crisis_model_digest() hashes what crisis_model_new() learns from (the
 * examples, the opts' word classes), for keying a cache of those bytes.
 */
uint64_t		 crisis_model_digest(const struct crisis_example *ex,
			    size_t n, const struct crisis_model_opts *opts);
int			 crisis_model_save(const struct crisis_model *m,
			    unsigned char **out, size_t *len);
struct crisis_model	*crisis_model_load(const struct crisis_example *ex,
			    size_t n, const struct crisis_model_opts *opts,
			    const unsigned char *buf, size_t len, char *err,
			    size_t errlen);
/* Scores one UTF-8 message with workspace ws (NULL: a stemmer per call
 * when needed); never fails (no words: all 0). */
void			 crisis_model_score(const struct crisis_model *m,
			    struct matcher_ws *ws, const char *text,
			    size_t len, struct crisis_model_score *out);
/*
 * The level the backstop gives a message the rules put at level rules
 * (CRISIS_NONE unless it raises it: the rules said none or mention and
 * the score passes the thresholds), its kind and class name
 * ("model:concern.suicide"; NULL when it does not raise).
 */
enum crisis_level	 crisis_model_level(const struct crisis_model *m,
			    const struct crisis_model_score *s,
			    enum crisis_level rules, enum crisis_kind *kind,
			    const char **name);
/* Number of classes and training messages, for logs. */
size_t			 crisis_model_nclasses(const struct crisis_model *m);
size_t			 crisis_model_nexamples(const struct crisis_model *m);
/*
 * crisis_model_cv() scores every example by a model trained without its
 * fold (example i is in fold i % folds) into out[i] (n entries; names
 * in out are NULL).  Returns 0, or -1 with a message in err.
 */
int			 crisis_model_cv(const struct crisis_example *ex,
			    size_t n, const struct crisis_model_opts *opts,
			    int folds, struct crisis_model_score *out,
			    char *err, size_t errlen);
void			 crisis_model_free(struct crisis_model *m);

/*
 * crisis_set_model() gives c a backstop (c owns it from now on and frees
 * any previous one; NULL removes it).  crisis_check() then raises a
 * none or mention result of the rules to concern or acute when the model
 * is confident (never lowers one), and names "model:<class>" in matched.
 * Not while other threads check with c.
 */
void			 crisis_set_model(struct crisis *c,
			    struct crisis_model *m);
const struct crisis_model *crisis_get_model(const struct crisis *c);

#endif /* CRISIS_H */
