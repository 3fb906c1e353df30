/*
 * config.h -- the daemon's configuration, read from one JSON file
 * (config/faqbot.example.json; every key is documented in README.md and
 * faqbot.json(5)).  config_load() parses and validates all of it,
 * reporting every problem as "file: key.path: message".
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "log.h"

struct diag;
struct platform_entry;

#define CONFIG_MAX_FILE		(1024 * 1024)
#define CONFIG_MAX_PLATFORMS	8

struct config_platform {
	const struct platform_entry	*entry;
	void				*cfg;	/* adapter-owned config */
};

struct config {
	char		*file;
	char		*kb_dir;		/* default "faq" */
	char		*hotlines;		/* NULL: kbset's default */
	char		*crisis;		/* NULL: kb_dir/crisis.json;
						   not a key (faqbot console) */
	char		*state_dir;		/* or $STATE_DIRECTORY; NULL
						   only from config_console() */
	char		*region;		/* default "US" */
	enum log_level	 log_level;		/* default info */
	int		 log_message_text;	/* privacy, default 0 */
	int		 escalation_include_text;/* privacy, default 0 */
	double		 user_rate, user_burst;	/* messages/s; 0 = off */
	double		 room_rate, room_burst;
	char		**moderators;		/* "platform:user id" */
	size_t		 nmoderators;
	int		 unanswered_enabled;	/* default 0 (privacy) */
	long		 unanswered_retention_days;	/* default 30 */
	long		 unanswered_max_bytes;	/* default 1 MiB */
	char		*admin_host;		/* NULL: no admin listener */
	int		 admin_port;
	long		 drain_timeout_ms;	/* default 5000 */
	int		 watch_kb;		/* default 0 */
	long		 watch_debounce_ms;	/* default 200 */
	struct config_platform	 platforms[CONFIG_MAX_PLATFORMS];
	size_t		 nplatforms;		/* enabled ones */
};

/* config.c */
/*
 * config_load() reads and validates path.  Returns a config the caller
 * frees with config_free(), or NULL after adding every problem to d.
 */
struct config	*config_load(const char *path, struct diag *d);
/* Same from text in memory (file names the source in messages). */
struct config	*config_parse(const char *text, size_t len, const char *file,
		    struct diag *d);
/*
 * config_console() is the configuration `faqbot console` runs with: the
 * console platform alone, no state directory, no unanswered log, logs
 * at warn.  hotlines, crisis and region may be NULL (defaults).  NULL
 * after adding problems to d (e.g. a malformed region).
 */
struct config	*config_console(const char *kb_dir, const char *hotlines,
		    const char *crisis, const char *region, struct diag *d);
void		 config_free(struct config *c);
/* Is "platform:user" listed as a moderator? */
int		 config_is_moderator(const struct config *c,
		    const char *platform, const char *user);
/* The enabled platform config of that name, or NULL. */
void		*config_platform(const struct config *c, const char *name);

#endif /* CONFIG_H */
