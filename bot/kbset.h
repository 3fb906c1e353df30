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
#define KBSET_MAX_ANSWER_CHARS	700	/* UTF-8 characters */
#define KBSET_MIN_EXAMPLES	12

/* kbset.c */
/*
 * kbset_load() reads kbdir (sources.json, every intents/NAME.json in name order,
 * lexicon.json, messages.json, crisis.json, required-intents.tsv when
 * present) and hotlines_path (NULL: "config/hotlines.json"), validates
 * all of it and trains the matcher.  Returns a kbset with one reference,
 * or NULL after adding every problem to d ("file:line:col: msg" or
 * "file: intent-id: msg").
 */
struct kbset		*kbset_load(const char *kbdir,
			    const char *hotlines_path, struct diag *d);
struct kbset		*kbset_ref(struct kbset *ks);
void			 kbset_unref(struct kbset *ks);	/* NULL ok */

const struct kb		*kbset_kb(const struct kbset *ks);
const struct matcher	*kbset_matcher(const struct kbset *ks);
const char		*kbset_version(const struct kbset *ks);
const char		*kbset_dir(const struct kbset *ks);
size_t			 kbset_nexamples(const struct kbset *ks);
double			 kbset_load_seconds(const struct kbset *ks);

/* messages.json wording (never NULL once loaded) */
const char		*kbset_msg_disclaimer(const struct kbset *ks);
const char		*kbset_msg_greeting(const struct kbset *ks);
const char		*kbset_msg_no_match(const struct kbset *ks);
const char		*kbset_msg_did_you_mean(const struct kbset *ks);
const char		*kbset_msg_see_doctor(const struct kbset *ks);

/* index of an intent id, or -1 */
int			 kbset_intent_index(const struct kbset *ks,
			    const char *id);

#endif /* KBSET_H */
