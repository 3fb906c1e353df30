/*
 * platforms.h -- the registry of platform adapters: one row per adapter
 * (name -> config parser, config destructor, constructor).  config.c
 * hands each enabled platform's JSON section to its config function;
 * the daemon calls create() for each enabled platform at start.
 *
 * Adding an adapter: declare its three functions in its own header and
 * add a row to the table in platforms.c.  The config function receives
 * the whole section (including the "enabled" key, which it must accept),
 * validates its own keys and appends every problem to d as
 * "file: NAME.key: message" (see cfg.h for readers that do this), and
 * returns 0 with its parsed config in *out, or -1.
 */
#ifndef PLATFORMS_H
#define PLATFORMS_H

#include <stddef.h>

struct bot;
struct cJSON;
struct diag;
struct platform;

typedef int	(*platform_config_fn)(const struct cJSON *section,
		    const char *file, struct diag *d, void **out);

struct platform_entry {
	const char		*name;		/* config section name */
	platform_config_fn	 config;
	void			(*config_free)(void *cfg);	/* NULL ok */
	/*
	 * Build the platform (not started yet).  cfg is borrowed and lives
	 * until the platform is freed; bot is borrowed for the same time
	 * (loop, state, metrics, config).  NULL after logging why.
	 */
	struct platform		*(*create)(struct bot *bot, void *cfg);
	/* 1 when a successful create() takes ownership of cfg (the
	 * platform frees it); 0 when cfg stays the config's. */
	int			 create_owns_cfg;
	/* 1 when it reads the process's stdin: one such platform at most */
	int			 uses_stdin;
};

/* platforms.c */
size_t				 platforms_count(void);
const struct platform_entry	*platforms_get(size_t i);
const struct platform_entry	*platforms_find(const char *name);

#endif /* PLATFORMS_H */
