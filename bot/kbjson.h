/*
 * kbjson.h -- turning the knowledge base's JSON files into the plain
 * structs of intents.h, checking every field on the way.  No file I/O
 * beyond the documents handed in; kbset.c decides which files to read.
 */
#ifndef KBJSON_H
#define KBJSON_H

#include <stddef.h>

#include "intents.h"

struct cJSON;
struct diag;

/* Caps on what one KB may hold (outside input). */
#define KBJSON_MAX_INTENTS	4096
#define KBJSON_MAX_TOPICS	64
#define KBJSON_MAX_EXAMPLES	4096	/* per intent */
#define KBJSON_MAX_SOURCES	256
#define KBJSON_MAX_CONCEPTS	8192
#define KBJSON_MAX_VARIANTS	256	/* per concept */
#define KBJSON_MAX_STRING	4096	/* bytes, any one string field */
#define KBJSON_MAX_ANSWER	700	/* UTF-8 characters */
#define KBJSON_MIN_EXAMPLES	12

/* kbjson.c */
/*
 * Each kbjson_add_*() appends what doc (borrowed) holds to kb, reporting
 * every problem to d prefixed with file (the name shown to the user).
 * Returns the number of problems found (0 = clean).  Entries with
 * problems are still added when usable, so later checks (unknown ids,
 * duplicates) report on everything at once.
 */
size_t	kbjson_add_sources(struct kb *kb, const struct cJSON *doc,
	    const char *file, struct diag *d);
size_t	kbjson_add_intents(struct kb *kb, const struct cJSON *doc,
	    const char *file, struct diag *d);
size_t	kbjson_add_lexicon(struct kb *kb, const struct cJSON *doc,
	    const char *file, struct diag *d);
/* faq/out_of_scope.json: {"topics": [{"id", "reply", "examples"}]};
 * the same rules as intents (id, non-empty reply of at most
 * KBJSON_MAX_ANSWER characters, at least KBJSON_MIN_EXAMPLES examples). */
size_t	kbjson_add_topics(struct kb *kb, const struct cJSON *doc,
	    const char *file, struct diag *d);

/*
 * kbjson_crosscheck() runs the checks that span files once everything is
 * loaded: unknown source ids, duplicate intent ids, an example under two
 * intents (case- and space-insensitive), unknown related ids.  files[i]
 * names the file intent i came from.  Returns the number of problems.
 */
size_t	kbjson_crosscheck(const struct kb *kb, const char *const *files,
	    struct diag *d);
/*
 * kbjson_crosscheck_topics() checks kb's out-of-scope topics (all from
 * topic_file) against each other and the intents: duplicate ids (a topic
 * id may not be an intent id either) and an example under a topic that
 * is also under another topic or an intent.  Returns the number of
 * problems; 0 when kb has no topics.
 */
size_t	kbjson_crosscheck_topics(const struct kb *kb,
	    const char *const *files, const char *topic_file,
	    struct diag *d);

/* kbjson_free() releases every string and array of kb; kb itself is the
 * caller's.  Zeroes kb. */
void	kbjson_free(struct kb *kb);

/* Number of UTF-8 characters in s, or -1 if s is not valid UTF-8. */
long	kbjson_utf8_chars(const char *s, size_t len);

#endif /* KBJSON_H */
