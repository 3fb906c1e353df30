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
/* Load + crisis_new(); NULL after adding problems to d. */
struct crisis	*crisis_load(const char *path, struct diag *d);

#endif /* CRISIS_LOAD_H */
