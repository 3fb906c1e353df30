/*
 * console.h -- what the terminal chat prints, as plain functions on a
 * FILE: the greeting, the quit words, an escalation as one marked line.
 * The console platform (platform_console.c) reads the terminal on the
 * daemon's loop and uses these; `faqbot ask` borrows the escalation line.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include <stdio.h>

#include "pipeline.h"

struct kbset;

/* console.c */
/* The start greeting: what the bot can answer (messages.json) and how
 * to leave. */
void		 console_greet(const struct kbset *ks, FILE *out);

/* 1 when the line (len bytes) is blank (spaces, tabs, CR). */
int		 console_is_blank(const char *text, size_t len);

/* 1 when the line asks to leave: "/quit", "/exit", "quit", "exit". */
int		 console_is_quit(const char *text, size_t len);

/*
 * One-line description of e for terminals: level, kind, platform, room,
 * user, message id, and the message text only when e carries it
 * (privacy.escalation_include_text), as a JSON string so it stays one
 * line.  Writes at most cap bytes (NUL included) to buf; returns the
 * length it wanted (snprintf style).
 */
size_t		 console_escalation_str(char *buf, size_t cap,
		    const struct escalation *e);

#endif /* CONSOLE_H */
