/*
 * platform_stdio.h -- the line-based platform for tests and scripting:
 * one message per line on stdin, one JSON object per reply on stdout.
 *
 * Input: a plain line is a question from the configured user; a line
 * that is a JSON object {"text": "...", "user": "...", "room": "..."}
 * sets the author and room too.  Output, one line each, flushed:
 *   {"in": N, "kind": "answer", "reply": "...", "intent": "...",
 *    "confidence": 0.87, "crisis": {"level": "none", "kind": "none"},
 *    "sources": ["..."]}
 *   {"in": N, "escalation": {"level": "acute", "kind": "suicide"}}
 *   {"in": N, "error": "line too long"}
 * N is the 1-based input line number.  End of input stops the daemon
 * gracefully (exit 0 once everything is answered).
 */
#ifndef PLATFORM_STDIO_H
#define PLATFORM_STDIO_H

struct bot;
struct cJSON;
struct diag;
struct platform;

#define STDIO_MAX_LINE	16384

/* platform_stdio.c */
int		 stdio_config(const struct cJSON *section, const char *file,
		    struct diag *d, void **out);
void		 stdio_config_free(void *cfg);
struct platform	*stdio_create(struct bot *bot, void *cfg);

#endif /* PLATFORM_STDIO_H */
