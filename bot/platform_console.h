/*
 * platform_console.h -- the "console" platform: a person at this
 * terminal chats with the bot on the daemon's loop, beside any other
 * platform (`make run`: web chat + console in one `faqbot run`).
 *
 * It reads stdin a line at a time without blocking the loop (linein.c),
 * greets, prompts "> " on a terminal, prints each reply as plain text on
 * stdout and each escalation as one "*** escalation" line on stderr.
 * "/quit", "/exit" or the end of input leave the console; the daemon
 * then stops only when the console was its one platform, else the
 * other platforms go on (the console's status becomes "closed").
 * `faqbot console` is this platform alone (cmd_console.c).
 */
#ifndef PLATFORM_CONSOLE_H
#define PLATFORM_CONSOLE_H

struct bot;
struct cJSON;
struct diag;
struct platform;

#define CONSOLE_MAX_LINE	16384

/* platform_console.c */
int		 console_config(const struct cJSON *section, const char *file,
		    struct diag *d, void **out);
void		 console_config_free(void *cfg);
struct platform	*console_create(struct bot *bot, void *cfg);

#endif /* PLATFORM_CONSOLE_H */
