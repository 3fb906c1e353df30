/*
 * console.h -- the terminal chat as reusable pieces: a greeting, one line
 * in -> one reply out through the shared pipeline, escalations printed as
 * marked lines.  `faqbot console` drives it from a blocking read loop;
 * the daemon may drive the same functions from its event loop.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include <stdio.h>

#include "pipeline.h"

struct kbset;
struct console;

/* console.c */
/* A console session (owns its pipeline; opts copied).  Never NULL. */
struct console	*console_new(const struct pipeline_opts *opts);
void		 console_free(struct console *c);

/* The start greeting: what the bot can answer (messages.json) and how
 * to leave. */
void		 console_greet(const struct kbset *ks, FILE *out);

/*
 * console_line() answers one typed line (len bytes) at time now: the
 * reply text to out, an escalation (if any) to err as one line starting
 * "*** escalation".  Blank lines are ignored.  Returns 1 when the user
 * asked to quit ("/quit", "/exit"), else 0.
 */
int		 console_line(struct console *c, struct kbset *ks,
		    const char *text, size_t len, double now, FILE *out,
		    FILE *err);

/* One-line description of e for logs/terminals (no message text). */
size_t		 console_escalation_str(char *buf, size_t cap,
		    const struct escalation *e);

#endif /* CONSOLE_H */
