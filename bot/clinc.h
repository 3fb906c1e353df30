/*
 * clinc.h -- the CLINC150 benchmark (Larson et al., "An Evaluation Dataset
 * for Intent Classification and Out-of-Scope Prediction", EMNLP-IJCNLP
 * 2019): a struct kb built from its train split, and `faqbot clinc`.
 */
#ifndef CLINC_H
#define CLINC_H

#include <stddef.h>

#include "intents.h"

struct cJSON;

/* One labelled utterance of a split; intent is NULL for out-of-scope. */
struct clinc_item {
	const char	*text;		/* borrowed from the cJSON document */
	int		 intent;	/* index into the KB, -1: out of scope */
};

/* clinc.c */
/*
 * clinc_kb_from_json() builds a KB from the "train" split of a parsed
 * data_full.json: one intent per label ("clinc.LABEL", in order of first
 * appearance), the first utterance as the canonical question and the rest
 * as examples.  Strings are copied.  Returns a KB the caller frees with
 * clinc_kb_free(), or NULL with a message in err.
 */
struct kb	*clinc_kb_from_json(const struct cJSON *doc, char *err,
		    size_t errlen);
void		 clinc_kb_free(struct kb *kb);
/*
 * clinc_split() returns the items of split name (e.g. "val", "oos_test")
 * with intents resolved against kb (unknown labels: -1); *n gets the count.
 * Texts are borrowed from doc.  Caller frees the array.  NULL on error.
 */
struct clinc_item *clinc_split(const struct cJSON *doc, const char *name,
		    const struct kb *kb, int oos, size_t *n, char *err,
		    size_t errlen);
/* `faqbot clinc [--data PATH] [--json] [--bench] [--write-kb DIR]` */
int		 cmd_clinc(int argc, char **argv);

#endif /* CLINC_H */
