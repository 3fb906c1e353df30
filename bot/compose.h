/*
 * compose.h -- turning a match into the reply text users see: the answer,
 * one "Source:" line per cited article, and the disclaimer; or, with no
 * match, a kind "I don't know", up to three "did you mean" questions and
 * a pointer to a doctor or pharmacist.  No I/O; strings are borrowed from
 * the kbset except body/footer/text, which the reply owns.
 */
#ifndef COMPOSE_H
#define COMPOSE_H

#include <stddef.h>

#include "pipeline.h"

struct kbset;

/* An alternative is offered as "did you mean" from this confidence up. */
#define COMPOSE_SUGGEST_MIN	0.25

/* compose.c */
/*
 * compose_answer() fills r for intent (index into the kbset's KB) with
 * its answer, sources and the disclaimer.  compose_no_match() fills r
 * from m's alternatives or, when m->topic names an out-of-scope topic,
 * with that topic's reply (r->out_of_scope = its id), the doctor
 * pointer and the disclaimer, without suggestions.  Both render r->text (owned by r) and keep any
 * r->footer already set (appended before the disclaimer).
 */
void	compose_answer(struct reply *r, const struct kbset *ks, int intent,
	    double confidence);
void	compose_no_match(struct reply *r, const struct kbset *ks,
	    const struct match_result *m);

/*
 * compose_source_line() writes "Source: title (publisher, date), url"
 * for s into buf (always NUL-terminated, truncated to cap); fields equal
 * to not_stated read "publisher not stated" etc.  Returns the length
 * that was needed (like snprintf).
 */
size_t	compose_source_line(char *buf, size_t cap,
	    const struct reply_source *s, const char *not_stated);

/* compose_render() rebuilds r->text from body, sources, suggestions,
 * footer and disclaimer (owned by r; the old text is freed). */
void	compose_render(struct reply *r, const struct kbset *ks);

#endif /* COMPOSE_H */
