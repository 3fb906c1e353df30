/*
 * pipeline.h -- one incoming message in, one reply out.
 *
 * The pipeline is what every front end shares (console, `faqbot ask`, the
 * stdio/Matrix/Discord/web platforms): crisis check first, then (unless the
 * message is acute) intent matching, then composing the reply with its
 * sources and disclaimer.  It knows nothing about platforms or the network.
 *
 * A struct kbset is everything a reload replaces (KB, lexicon, matcher,
 * crisis rules, hotlines).  It is reference counted: a reply keeps the
 * kbset it was made from, so a reload never pulls strings from under an
 * in-flight message.
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stddef.h>
#include "intents.h"
#include "crisis.h"

struct kbset;

/* An incoming message, as an adapter hands it over (all borrowed). */
struct message {
	const char	*platform;	/* "console", "stdio", "matrix", ... */
	const char	*room;		/* room / channel id; NULL for console */
	const char	*user;		/* author id: crisis memory, flood */
	const char	*id;		/* platform message id (links) */
	const char	*thread;	/* thread root id, or NULL */
	const char	*text;		/* UTF-8, not necessarily NUL-free */
	size_t		 len;
	int		 is_dm;
	int		 is_edit;	/* edits: crisis re-check only */
	int		 from_moderator;/* adapter decided: may use !faq cmds */
};

enum reply_kind {
	REPLY_NONE,		/* nothing to send (e.g. harmless edit) */
	REPLY_ANSWER,		/* FAQ answer with sources + disclaimer */
	REPLY_NO_MATCH,		/* "I don't know" + suggestions, or an
				   out-of-scope topic's reply */
	REPLY_CRISIS,		/* acute or concern crisis reply */
};

struct reply_source {			/* borrowed from the kbset */
	const char	*id;
	const char	*title;
	const char	*publisher;
	const char	*date;
	const char	*url;
};

#define REPLY_MAX_SOURCES	4
#define REPLY_MAX_SUGGEST	3

struct reply {
	enum reply_kind		 kind;
	const char		*intent;	/* intent id or NULL */
	double			 confidence;
	char			*body;		/* answer / crisis text (owned) */
	struct reply_source	 sources[REPLY_MAX_SOURCES];
	size_t			 nsources;
	const char		*suggest[REPLY_MAX_SUGGEST];	/* questions */
	size_t			 nsuggest;
	char			*footer;	/* mention-level resource line */
	const char		*disclaimer;
	struct crisis_result	 crisis;
	char			*text;		/* full plain-text rendering */
	struct kbset		*kb;		/* reference held by the reply */
	/* the matcher's runners-up (indices into the kbset's KB) */
	struct match_alt	 alts[MATCH_MAX_ALTS];
	size_t			 nalts;
	/* REPLY_NO_MATCH because of an out-of-scope topic: its id
	 * (borrowed from the kbset), else NULL */
	const char		*out_of_scope;
};

/* What moderators are told about a concern/acute message. */
struct escalation {
	int			 present;
	enum crisis_level	 level;
	enum crisis_kind	 kind;
	const char		*platform;	/* borrowed from the message */
	const char		*room;
	const char		*user;
	const char		*id;
	/*
	 * The message text for the moderators, or NULL.  The pipeline
	 * never sets it; the router does, capped, only when the config's
	 * privacy.escalation_include_text allows (borrowed, len bytes).
	 */
	const char		*text;
	size_t			 len;
	int			 text_cut;	/* text was cut to the cap */
};

/* Bytes of a message's text an escalation carries at most. */
#define ESCALATION_TEXT_MAX	500

/* What a pipeline remembers between messages; zero fields take defaults. */
struct pipeline_opts {
	const char	*region;	/* hotline region, "US" when NULL */
	double		 crisis_memory;	/* forget a user's crisis context
					   after this many seconds; 0: the
					   crisis rules' own window only */
	double		 escalate_window;/* seconds: one escalation per user
					   and level per window (default 600) */
	unsigned	 escalate_max;	/* escalations per user per window
					   whatever the level (default 3) */
	size_t		 max_users;	/* users remembered; the oldest is
					   evicted beyond it (default 4096) */
};

struct pipeline;

/* pipeline.c */
/*
 * pipeline_new() copies opts (NULL: all defaults; region is copied).
 * Never fails (out of memory is fatal).  Free with pipeline_free().
 */
struct pipeline	*pipeline_new(const struct pipeline_opts *opts);
void		 pipeline_free(struct pipeline *p);
const char	*pipeline_region(const struct pipeline *p);
size_t		 pipeline_nusers(const struct pipeline *p);	/* remembered */

/*
 * pipeline_handle() runs one message through crisis check, matching and
 * composing, at time now (seconds, any monotonic origin).  out is always
 * filled (kind REPLY_NONE when nothing is to be sent) and holds a
 * reference to kb until reply_free(out).  esc->present is set when the
 * moderators must be told (concern/acute, abuse of others), after
 * per-user dedupe and rate limit; its strings are borrowed from msg.
 * Returns 0, or -1 if kb is NULL (out is then REPLY_NONE).
 */
int		 pipeline_handle(struct pipeline *p, struct kbset *kb,
		    const struct message *msg, double now, struct reply *out,
		    struct escalation *esc);

/*
 * escalation_set_text() lets e carry text (len bytes, borrowed) for the
 * moderators, cut to at most cap bytes on a UTF-8 character boundary
 * (text_cut set when cut).  The caller decides whether the config allows
 * it (privacy.escalation_include_text).
 */
void		 escalation_set_text(struct escalation *e, const char *text,
		    size_t len, size_t cap);

/* Release what a reply owns (and its kbset reference); safe twice. */
void		 reply_free(struct reply *r);

const char	*reply_kind_str(enum reply_kind kind);

#endif /* PIPELINE_H */
