/*
 * intents.h -- public interface of libintents: text normalisation and FAQ
 * intent matching.  (Crisis detection has its own header, crisis.h.)
 *
 * The library is pure: no I/O, no network, no logging, no globals, no
 * clock.  The daemon loads the knowledge base from JSON and hands it here
 * as the plain structs below; errors come back through (err, errlen).
 * Nothing in the matcher is specific to medication: any KB works.
 */
#ifndef INTENTS_H
#define INTENTS_H

#include <stddef.h>
#include <stdint.h>

/* ---- the knowledge base as plain data (owned by whoever built it) ---- */

struct kb_source {
	char	*id;		/* "psychreg-klonopin-depression" */
	char	*title;
	char	*publisher;	/* "not stated" where the article is silent */
	char	*author;
	char	*date;
	char	*url;
	char	*caveat;
};

struct kb_intent {
	char	 *id;		/* "klonopin.is_antidepressant" */
	char	 *question;	/* canonical question */
	char	**examples;	/* example user questions */
	size_t	  nexamples;
	char	 *answer;	/* project's own words, <= 700 bytes */
	char	**sources;	/* source ids */
	size_t	  nsources;
	char	**related;	/* related intent ids (optional) */
	size_t	  nrelated;
};

/* One lexicon concept: every variant maps to canonical. */
struct kb_concept {
	char	 *canonical;	/* "clonazepam" */
	char	**variants;	/* "klonopin", "klonapin", "rivotril", ... */
	size_t	  nvariants;
};

/*
 * An out-of-scope topic: questions the KB must NOT answer (doses, other
 * drugs, ...).  The matcher trains each topic as an extra "reject" class:
 * a question whose best class is a topic is a no-match reported with the
 * topic, so that the caller can reply with the topic's own text.
 */
struct kb_topic {
	char	 *id;		/* "dose" */
	char	 *reply;	/* what to say instead, <= 700 characters */
	char	**examples;	/* example questions of the topic */
	size_t	  nexamples;
};

struct kb {
	struct kb_source	*sources;
	size_t			 nsources;
	struct kb_intent	*intents;
	size_t			 nintents;
	struct kb_concept	*concepts;
	size_t			 nconcepts;
	char			*stopwords_extra;	/* unused, NULL */
	struct kb_topic		*topics;	/* optional reject classes */
	size_t			 ntopics;
};

/* ---- normalize.c: Unicode folding ---- */

/*
 * norm_fold() writes a folded copy of the UTF-8 text (len bytes) to out
 * (outcap bytes, always NUL-terminated): lower case, accents and
 * compatibility forms folded, zero-width and control characters dropped,
 * Unicode punctuation mapped to ASCII, common look-alike letters mapped to
 * Latin.  Invalid UTF-8 bytes become spaces.  Returns the length written
 * (truncated to outcap - 1), or -1 if outcap is 0.
 */
long	norm_fold(const char *text, size_t len, char *out, size_t outcap);

/* ---- matcher.c: the intent matcher ---- */

#define MATCH_MAX_ALTS 3

struct matcher;

struct matcher_opts {
	double	threshold;	/* reject below this confidence; <0 = default
				   (MATCHER_DEFAULT_THRESHOLD) */
};

/* Default threshold, chosen on CLINC150 val simulations of a small KB
 * (README, matcher section). */
#define MATCHER_DEFAULT_THRESHOLD	0.50

struct match_alt {
	int	intent;		/* index into kb->intents */
	double	confidence;	/* in [0, 1] */
};

struct match_result {
	int			intent;		/* index, or -1: no match */
	double			confidence;	/* of the best intent, [0,1] */
	struct match_alt	alts[MATCH_MAX_ALTS];	/* runners-up, best first */
	size_t			nalts;
	int			topic;		/* 0, or 1 + the index into
						   kb->topics when the best
						   class is an out-of-scope
						   topic (intent is then -1);
						   0 so that a zeroed result
						   means "no topic" */
	double			topic_confidence; /* of that topic */
};

/*
 * matcher_new() trains a matcher from kb's example questions (and canonical
 * questions), its out-of-scope topics' examples (one reject class per
 * topic) and its lexicon.  kb is borrowed: it must outlive the matcher.  Returns NULL with a message in err on failure (out of memory,
 * empty KB).  Free with matcher_free().
 */
struct matcher	*matcher_new(const struct kb *kb, const struct matcher_opts *opts,
		    char *err, size_t errlen);

/*
 * matcher_match() classifies one UTF-8 question.  Never fails on any
 * input (empty, invalid UTF-8, NUL bytes, huge: only the first 2 KB of
 * folded text are read): the worst case is "no match".  On a match,
 * intent is the best intent and alts the runners-up.  On no match, intent
 * is -1, confidence is still the best intent's confidence and alts holds
 * the best candidates (best first, up to MATCH_MAX_ALTS) for "did you
 * mean" suggestions; nalts is 0 when the text has no words.  When the
 * best class is one of kb->topics, intent is -1, topic is 1 + its index
 * and topic_confidence its confidence; alts still lists the best intents
 * (confidence: theirs).  topic is 0 otherwise.  Safe to call
 * concurrently on one matcher (it is read-only; a stemmer for unknown
 * words is created per call: see matcher_match_ws() to reuse one).
 */
void		 matcher_match(const struct matcher *m, const char *text,
		    size_t len, struct match_result *res);

/*
 * A workspace for analysing text: a stemmer for words the training text
 * never had (libstemmer objects keep state, so one cannot be shared by
 * threads, and creating one costs more than a whole match).  Create one
 * per thread or caller with matcher_ws_new() (NULL: out of memory), pass
 * it to matcher_match_ws() and crisis_check_ws() with any matcher or
 * detector, free it with matcher_ws_free().  The functions without _ws
 * create a stemmer per call when they need one.
 */
struct matcher_ws;

struct matcher_ws *matcher_ws_new(void);
void		 matcher_ws_free(struct matcher_ws *ws);
/* matcher_match() using ws (NULL: as matcher_match). */
void		 matcher_match_ws(const struct matcher *m,
		    struct matcher_ws *ws, const char *text, size_t len,
		    struct match_result *res);

void		 matcher_free(struct matcher *m);

/*
 * matcher_save() serialises the trained matcher's model (not the KB) into
 * *out (malloc'd, *len bytes; caller frees); 0 or -1 (out of memory).
 * matcher_load() rebuilds a matcher for kb from such bytes instead of
 * training: the vocabulary is rebuilt from kb, the model is read.  It
 * returns NULL with a message in err when buf is not a model trained on
 * this kb's classes, texts and vocabulary with the parameters
 * matcher_new() would use (any corruption included); the caller then
 * trains with matcher_new().  kb is borrowed as by matcher_new().
 */
/*
 * matcher_digest() is a 64-bit hash of everything in kb that training
 * reads (every class's texts in order, the lexicon), for keying a cache
 * of matcher_save() bytes: answers, sources and ids do not count.
 */
uint64_t	 matcher_digest(const struct kb *kb);
int		 matcher_save(const struct matcher *m, unsigned char **out,
		    size_t *len);
struct matcher	*matcher_load(const struct kb *kb,
		    const struct matcher_opts *opts, const unsigned char *buf,
		    size_t len, char *err, size_t errlen);

/* ---- model_io.c: the model cache's container ---- */

/*
 * A cache file holds a key (the caller's: what the models were built
 * from, e.g. a hash of the KB files and the program's build id) and up
 * to MIO_MAX_PARTS byte strings (the serialised models), then a
 * checksum of everything before it.
 */
#define MIO_VERSION	1
#define MIO_MAX_PARTS	8

struct mio_part {
	const unsigned char	*data;
	size_t			 len;
};

/* mio_seal(): the container for key and parts in *out (malloc'd, *outlen
 * bytes; caller frees).  0, or -1 (out of memory, key over 4 KB, too
 * many parts). */
int		 mio_seal(const char *key, const struct mio_part *parts,
		    size_t nparts, unsigned char **out, size_t *outlen);
/*
 * mio_open() checks buf (magic, version, checksum, key equal to key,
 * exactly nparts parts, no stray bytes) and points parts[] into buf.
 * Returns MIO_OK; MIO_OTHER_KEY for an intact container with another key
 * (a stale cache); MIO_CORRUPT for anything else ("checksum mismatch
 * ...", "truncated ..."); the reason in err.
 */
enum mio_status {
	MIO_OK = 0,
	MIO_CORRUPT,
	MIO_OTHER_KEY,
};

enum mio_status	 mio_open(const unsigned char *buf, size_t len,
		    const char *key, struct mio_part *parts, size_t nparts,
		    char *err, size_t errlen);
uint64_t	 mio_checksum(const unsigned char *p, size_t n);
/* FNV-1a 64 of n bytes, continuing from h (start: MIO_HASH_INIT);
 * mio_hash_str() hashes a string's length, then its bytes (NULL: a
 * length no string has). */
#define MIO_HASH_INIT	0xcbf29ce484222325ULL
uint64_t	 mio_hash(uint64_t h, const void *p, size_t n);
uint64_t	 mio_hash_str(uint64_t h, const char *s);

#endif /* INTENTS_H */
