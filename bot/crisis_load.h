/*
 * crisis_load.h -- the crisis phrase file (faq/crisis.json) to plain
 * struct crisis_rules for the detector, validated (every problem reported
 * through a struct diag).
 */
#ifndef CRISIS_LOAD_H
#define CRISIS_LOAD_H

#include "crisis.h"

struct diag;

/* crisis_load.c */
/*
 * crisis_rules_load() reads and validates path into out (caller frees
 * with crisis_rules_free()).  Returns 0, or -1 after adding every problem
 * to d as "file:line:col: rule NAME: message" (out is then empty).
 */
int		 crisis_rules_load(const char *path, struct crisis_rules *out,
		    struct diag *d);
void		 crisis_rules_free(struct crisis_rules *r);	/* NULL ok */
/*
 * Load + crisis_new(); when CRISIS_EXAMPLES_FILE sits beside path, also
 * loads it and trains the learned backstop (crisis_set_model()).  NULL
 * after adding problems to d.
 */
struct crisis	*crisis_load(const char *path, struct diag *d);
/* crisis_load() with the backstop read from (or written to) the model
 * cache in cache_dir (bot/modelcache.h); what happened goes to note. */
struct modelcache_note;
struct crisis	*crisis_load_cached(const char *path, const char *cache_dir,
		    struct modelcache_note *note, struct diag *d);

#define CRISIS_MAX_CLASSES	64	/* word classes in crisis.json */
/*
 * The backstop's options for rules r: default thresholds, the word
 * classes r names in "backstop_classes" as the model's lexicon (copied
 * into sel, nsel entries; o borrows sel and r).
 */
void		 crisis_model_opts_init(struct crisis_model_opts *o,
		    const struct crisis_rules *r, struct crisis_class *sel,
		    size_t nsel);

/* crisis_examples.c: the backstop's training file */
#define CRISIS_EXAMPLES_FILE	"crisis-examples.tsv"
/* The examples file beside a crisis.json path (caller frees). */
char		*crisis_examples_path(const char *crisis_path);
/*
 * crisis_examples_load() reads text<TAB>level<TAB>kind lines ('#' and
 * blank lines skipped) into *out (n in *nout; free with
 * crisis_examples_free()).  Returns 0, or -1 after adding every problem
 * to d as "file:line: message".
 */
int		 crisis_examples_load(const char *path,
		    struct crisis_example **out, size_t *nout, struct diag *d);
void		 crisis_examples_free(struct crisis_example *ex, size_t n);

#endif /* CRISIS_LOAD_H */
