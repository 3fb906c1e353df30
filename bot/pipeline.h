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
	REPLY_NO_MATCH,		/* "I don't know" + suggestions */
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
};

#endif /* PIPELINE_H */
