/*
 * unanswered.h -- the log of questions the bot could not answer, kept in
 * the state directory to improve the FAQ, and its report.
 *
 * One JSON object per line: {"ts": "2026-01-31T12:00:00Z", "platform":
 * "matrix", "text": "..."} -- never a user or room id.  Lines older than
 * retention_days are pruned (at open, then hourly by the daemon), and
 * the file never grows past max_bytes (the oldest lines go first).
 */
#ifndef UNANSWERED_H
#define UNANSWERED_H

#include <stddef.h>
#include <time.h>

struct strbuf;
struct unanswered;

#define UNANSWERED_FILE		"unanswered.jsonl"
#define UNANSWERED_MAX_TEXT	500	/* bytes of a question kept */
#define UNANSWERED_MAX_LINES	100000	/* lines a report reads */

/* unanswered.c */
/* Open (create) the log at path; NULL with a message in err. */
struct unanswered	*unanswered_open(const char *path, long retention_days,
			    long max_bytes, time_t now, char *err,
			    size_t errlen);
void			 unanswered_close(struct unanswered *u);
/* Append one question; 0 or -1 with a message in err. */
int			 unanswered_add(struct unanswered *u, time_t now,
			    const char *platform, const char *text,
			    size_t len, char *err, size_t errlen);
/* Drop expired lines and enforce the size cap; 0 or -1. */
int			 unanswered_prune(struct unanswered *u, time_t now,
			    char *err, size_t errlen);
const char		*unanswered_path(const struct unanswered *u);
/*
 * unanswered_report() reads the log at path, keeps lines newer than
 * since (0: all), groups similar questions (folded text, token overlap)
 * and appends the top groups to out as "COUNT  QUESTION\n", most asked
 * first (at most top groups; 0 = all).  Returns the number of questions
 * read, or -1 with a message in err (a missing file is 0 questions).
 */
long			 unanswered_report(const char *path, time_t since,
			    size_t top, struct strbuf *out, char *err,
			    size_t errlen);

#endif /* UNANSWERED_H */
