/*
 * cmdutil.h -- small helpers the faqbot subcommands share: loading a KB
 * with its problems printed, a monotonic clock, a capped line reader, and
 * the JSON shape of one answered question (`ask --json`).
 */
#ifndef CMDUTIL_H
#define CMDUTIL_H

#include <stddef.h>
#include <stdio.h>

#include "pipeline.h"

struct cJSON;
struct kbset;

/* Longest question line read from stdin (bytes). */
#define CMD_MAX_LINE	(16 * 1024)

/* The shipped crisis rules, used for a KB directory without its own. */
#define CMD_DEFAULT_CRISIS	"faq/crisis.json"
#define CMD_DEFAULT_HOTLINES	"config/hotlines.json"
/* Where `make install` puts the KB and hotlines (default PREFIX); used
 * when the default "faq" is not in the current directory. */
#define CMD_SHARE_DIR		"/usr/local/share/faqbot"

/* cmdutil.c */
/* Load kbdir; on failure print every problem to stderr prefixed with
 * "faqbot CMD: " and return NULL.  The default "faq" falls back to the
 * installed CMD_SHARE_DIR/faq (and its hotlines.json) when absent. */
struct kbset	*cmd_load_kb(const char *cmd, const char *kbdir,
		    const char *hotlines);
double		 cmd_now(void);		/* seconds, monotonic */
/* Warn on stderr when region is not in the hotlines file (the
 * international directory is used then). */
void		 cmd_check_region(const char *cmd, const struct kbset *ks,
		    const char *region);

/*
 * cmd_read_line() reads one line (without its newline) of at most
 * CMD_MAX_LINE bytes into buf (CMD_MAX_LINE + 1 bytes); longer lines are
 * consumed to their end and reported with *toolong set.  NUL bytes are
 * kept (the length is the truth).  Returns the length, or -1 at EOF.
 */
long		 cmd_read_line(FILE *fp, char *buf, int *toolong);

/*
 * cmd_text_json() is text (len bytes, any bytes) as valid UTF-8 for a
 * JSON string: invalid sequences and NUL bytes become U+FFFD.  Caller
 * frees.
 */
char		*cmd_text_json(const char *text, size_t len);

/*
 * cmd_reply_json() builds the object `faqbot ask --json` prints for one
 * question and its reply (caller deletes): text, intent, confidence,
 * alternatives, crisis {level, kind, matched}, reply kind and text.
 */
struct cJSON	*cmd_reply_json(const char *text, size_t len,
		    const struct reply *r);

#endif /* CMDUTIL_H */
