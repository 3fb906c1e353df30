/*
 * modcmd.h -- moderator commands, the same on every platform:
 *   !faq help          what the commands do
 *   !faq reload        reload the knowledge base now
 *   !faq stats         counters and the KB version
 *   !faq unanswered [DAYS]  the most asked unanswered questions
 * "!faq" followed by anything else is a question addressed to the bot.
 */
#ifndef MODCMD_H
#define MODCMD_H

#include <stddef.h>

struct bot;

enum modcmd {
	MODCMD_NONE,		/* not a command */
	MODCMD_HELP,
	MODCMD_RELOAD,
	MODCMD_STATS,
	MODCMD_UNANSWERED,
};

#define MODCMD_PREFIX	"!faq"

/* modcmd.c */
/*
 * modcmd_parse() recognises a command in text (leading/trailing spaces
 * ignored, command word case-insensitive).  *arg gets the DAYS of
 * "unanswered" (0 when absent).  Returns MODCMD_NONE for anything else.
 */
enum modcmd	 modcmd_parse(const char *text, size_t len, long *arg);
/* If text starts with "!faq " return the offset of the question after
 * it (0 when there is no prefix). */
size_t		 modcmd_strip_prefix(const char *text, size_t len);
const char	*modcmd_str(enum modcmd cmd);
/* Run cmd; returns the reply text (caller frees). */
char		*modcmd_run(struct bot *b, enum modcmd cmd, long arg);
/* The polite refusal shown to non-moderators. */
const char	*modcmd_refusal(void);

#endif /* MODCMD_H */
