/*
 * kbset.h -- everything a reload replaces, loaded from a KB directory:
 * the KB as plain structs (intents.h), the trained matcher, the crisis
 * rules and the hotlines.  Reference counted (see pipeline.h).
 * Loading validates everything and reports every problem found.
 */
#ifndef KBSET_H
#define KBSET_H

#include <stddef.h>

#include "intents.h"
#include "pipeline.h"

struct diag;

/* Caps on the files a KB directory may hold. */
#define KBSET_MAX_FILE		(4u * 1024 * 1024)	/* one JSON file */
#define KBSET_MAX_INTENT_FILES	256

/* The wording of faq/messages.json (keys in this order). */
enum kbset_msg {
	KBSET_MSG_DISCLAIMER,	/* "disclaimer" */
	KBSET_MSG_GREETING,	/* "greeting": console start */
	KBSET_MSG_NO_MATCH,	/* "no_match" */
	KBSET_MSG_DID_YOU_MEAN,	/* "did_you_mean" */
	KBSET_MSG_SEE_DOCTOR,	/* "see_doctor" */
	KBSET_MSG_NOT_STATED,	/* "not_stated": missing source fields */
	KBSET_NMSG
};

/* Where the parts come from, when not the defaults. */
struct kbset_opts {
	const char	*hotlines;	/* NULL: config/hotlines.json */
	const char	*crisis;	/* NULL: KBDIR/crisis.json */
	const char	*cache_dir;	/* model cache (bot/modelcache.h);
					   NULL: always train */
};

/* kbset.c */
/*
 * kbset_load() reads kbdir (sources.json, every intents/NAME.json in name
 * order, lexicon.json, messages.json, out_of_scope.json, crisis.json and
 * crisis-examples.tsv beside it (the crisis backstop's training file),
 * required-intents.tsv when present) and hotlines_path (NULL:
 * "config/hotlines.json"), validates all of it and trains the matcher.
 * Returns a kbset with one reference, or NULL after adding every problem
 * to d ("file:line:col: msg" or "file: intent-id: msg").
 */
struct kbset		*kbset_load(const char *kbdir,
			    const char *hotlines_path, struct diag *d);
struct kbset		*kbset_load_opts(const char *kbdir,
			    const struct kbset_opts *opts, struct diag *d);
struct kbset		*kbset_ref(struct kbset *ks);
void			 kbset_unref(struct kbset *ks);	/* NULL ok */

const struct kb		*kbset_kb(const struct kbset *ks);
const struct matcher	*kbset_matcher(const struct kbset *ks);
const struct crisis	*kbset_crisis(const struct kbset *ks);
const struct hotlines	*kbset_hotlines(const struct kbset *ks);
const char		*kbset_version(const struct kbset *ks);
const char		*kbset_dir(const struct kbset *ks);
size_t			 kbset_nexamples(const struct kbset *ks);
double			 kbset_load_seconds(const struct kbset *ks);
/* What the model cache did during the load ("matcher: loaded from the
 * cache in 2.1 ms; ..."), NULL without a cache; *warn (may be NULL) is
 * 1 when a cache file was refused or could not be written. */
const char		*kbset_cache_note(const struct kbset *ks, int *warn);

/* messages.json wording (never NULL once loaded) */
const char		*kbset_msg(const struct kbset *ks,
			    enum kbset_msg which);

/* index of an intent id, or -1 */
int			 kbset_intent_index(const struct kbset *ks,
			    const char *id);

#endif /* KBSET_H */
