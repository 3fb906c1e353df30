/*
 * config.c -- parse and validate the daemon's JSON config file.
 *
 * Every problem is collected (cfg.c readers append to the diag and
 * return -1) so `faqbot check-config` shows them all at once.  Platform
 * sections are handed to the adapter's own config function from the
 * registry (platforms.c); this file knows no platform's keys except
 * "enabled".  No I/O besides reading the file; nothing is logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cfg.h"
#include "config.h"
#include "diag.h"
#include "platforms.h"
#include "xmalloc.h"

static const char *const top_keys[] = {
	"kb_dir", "hotlines", "state_dir", "region", "log_level", "privacy",
	"flood", "moderators", "unanswered", "admin", "drain_timeout_ms",
	"watch_kb", NULL
};

static void
defaults(struct config *c)
{
	c->region = xstrdup("US");
	c->kb_dir = xstrdup("faq");
	c->log_level = LOG_LEVEL_INFO;
	c->unanswered_enabled = 0;	/* stores user texts: opt-in only */
	c->unanswered_retention_days = 30;
	c->unanswered_max_bytes = 1024 * 1024;
	c->drain_timeout_ms = 5000;
	c->watch_debounce_ms = 200;
}

/* An optional sub-object: NULL when absent, reported if not an object. */
static const cJSON *
section(const struct cfg_ctx *top, const cJSON *root, const char *key,
    int *rc)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, key);

	if (s != NULL && !cJSON_IsObject(s)) {
		cfg_error(top, key, "expected an object");
		*rc = -1;
		return NULL;
	}
	return s;
}

/* need_state: state_dir (or $STATE_DIRECTORY) is required. */
static int
parse_core(struct config *c, const cJSON *root, const struct cfg_ctx *top,
    int need_state)
{
	static const char *const privacy_keys[] = { "log_message_text",
	    "escalation_include_text", NULL };
	static const char *const flood_keys[] = { "user_rate", "user_burst",
	    "room_rate", "room_burst", NULL };
	static const char *const mod_keys[] = { "users", NULL };
	static const char *const un_keys[] = { "enabled", "retention_days",
	    "max_bytes", NULL };
	static const char *const admin_keys[] = { "listen", NULL };
	static const char *const watch_keys[] = { "enabled", "debounce_ms",
	    NULL };
	const cJSON *s;
	char *level = NULL;
	int rc = 0;
	size_t i;

	rc |= cfg_string(top, root, "kb_dir", CFG_OPTIONAL, 4096, &c->kb_dir);
	rc |= cfg_string(top, root, "hotlines", CFG_OPTIONAL, 4096,
	    &c->hotlines);
	rc |= cfg_string(top, root, "state_dir", CFG_OPTIONAL, 4096,
	    &c->state_dir);
	if (c->state_dir == NULL && getenv("STATE_DIRECTORY") != NULL &&
	    getenv("STATE_DIRECTORY")[0] != '\0') {
		/* systemd StateDirectory=; the first of a ':' list */
		const char *sd = getenv("STATE_DIRECTORY");

		c->state_dir = xstrndup(sd, strcspn(sd, ":"));
	}
	if (need_state && c->state_dir == NULL &&
	    cJSON_GetObjectItemCaseSensitive(root, "state_dir") == NULL) {
		cfg_error(top, "state_dir", "missing required key (or run "
		    "with $STATE_DIRECTORY set)");
		rc = -1;
	}
	if (cfg_string(top, root, "region", CFG_OPTIONAL, 16,
	    &c->region) == 0) {
		for (i = 0; c->region[i] != '\0'; i++)
			if (!((c->region[i] >= 'A' && c->region[i] <= 'Z') ||
			    c->region[i] == '-')) {
				cfg_error(top, "region", "expected an upper-"
				    "case region code such as \"US\" or "
				    "\"GB\"");
				rc = -1;
				break;
			}
	} else
		rc = -1;
	if (cfg_string(top, root, "log_level", CFG_OPTIONAL, 16,
	    &level) == -1)
		rc = -1;
	else if (level != NULL && log_level_parse(level, &c->log_level) ==
	    -1) {
		cfg_error(top, "log_level", "expected error, warn, info or "
		    "debug");
		rc = -1;
	}
	free(level);
	rc |= cfg_long(top, root, "drain_timeout_ms", CFG_OPTIONAL, 0,
	    600000, &c->drain_timeout_ms);

	if ((s = section(top, root, "privacy", &rc)) != NULL) {
		struct cfg_ctx x = { top->file, "privacy", top->d };

		rc |= cfg_keys(&x, s, privacy_keys);
		rc |= cfg_bool(&x, s, "log_message_text", CFG_OPTIONAL,
		    &c->log_message_text);
		rc |= cfg_bool(&x, s, "escalation_include_text", CFG_OPTIONAL,
		    &c->escalation_include_text);
	}
	if ((s = section(top, root, "flood", &rc)) != NULL) {
		struct cfg_ctx x = { top->file, "flood", top->d };

		rc |= cfg_keys(&x, s, flood_keys);
		rc |= cfg_double(&x, s, "user_rate", CFG_OPTIONAL, 0, 1e6,
		    &c->user_rate);
		rc |= cfg_double(&x, s, "user_burst", CFG_OPTIONAL, 1, 1e6,
		    &c->user_burst);
		rc |= cfg_double(&x, s, "room_rate", CFG_OPTIONAL, 0, 1e6,
		    &c->room_rate);
		rc |= cfg_double(&x, s, "room_burst", CFG_OPTIONAL, 1, 1e6,
		    &c->room_burst);
	}
	if ((s = section(top, root, "moderators", &rc)) != NULL) {
		struct cfg_ctx x = { top->file, "moderators", top->d };

		rc |= cfg_keys(&x, s, mod_keys);
		if (cfg_strv(&x, s, "users", CFG_OPTIONAL, 1024,
		    &c->moderators, &c->nmoderators) == 0) {
			for (i = 0; i < c->nmoderators; i++) {
				const char *u = c->moderators[i];
				const char *col = strchr(u, ':');

				if (col == NULL || col == u || col[1] == '\0') {
					char k[32];

					(void)snprintf(k, sizeof(k),
					    "users[%zu]", i);
					cfg_error(&x, k, "expected "
					    "\"platform:user-id\"");
					rc = -1;
				}
			}
		} else
			rc = -1;
	}
	if ((s = section(top, root, "unanswered", &rc)) != NULL) {
		struct cfg_ctx x = { top->file, "unanswered", top->d };

		rc |= cfg_keys(&x, s, un_keys);
		rc |= cfg_bool(&x, s, "enabled", CFG_OPTIONAL,
		    &c->unanswered_enabled);
		rc |= cfg_long(&x, s, "retention_days", CFG_OPTIONAL, 1, 3650,
		    &c->unanswered_retention_days);
		rc |= cfg_long(&x, s, "max_bytes", CFG_OPTIONAL, 4096,
		    1L << 30, &c->unanswered_max_bytes);
	}
	if ((s = section(top, root, "admin", &rc)) != NULL) {
		struct cfg_ctx x = { top->file, "admin", top->d };

		rc |= cfg_keys(&x, s, admin_keys);
		rc |= cfg_hostport(&x, s, "listen", CFG_REQUIRED,
		    &c->admin_host, &c->admin_port);
	}
	if ((s = section(top, root, "watch_kb", &rc)) != NULL) {
		struct cfg_ctx x = { top->file, "watch_kb", top->d };

		rc |= cfg_keys(&x, s, watch_keys);
		rc |= cfg_bool(&x, s, "enabled", CFG_OPTIONAL, &c->watch_kb);
		rc |= cfg_long(&x, s, "debounce_ms", CFG_OPTIONAL, 0, 60000,
		    &c->watch_debounce_ms);
	}
	return rc ? -1 : 0;
}

/* Unknown top-level keys (neither core keys nor a platform name). */
static int
check_top_keys(const cJSON *root, const struct cfg_ctx *top)
{
	const cJSON *it;
	size_t i;
	int rc = 0, known;

	cJSON_ArrayForEach(it, root) {
		known = platforms_find(it->string) != NULL;
		for (i = 0; !known && top_keys[i] != NULL; i++)
			known = strcmp(it->string, top_keys[i]) == 0;
		if (!known) {
			cfg_error(top, it->string, "unknown key");
			rc = -1;
		}
	}
	return rc;
}

static int
parse_platforms(struct config *c, const cJSON *root,
    const struct cfg_ctx *top)
{
	const struct platform_entry *e;
	const char *stdin_user = NULL;
	const cJSON *s;
	size_t i;
	int rc = 0, enabled;
	void *pcfg;

	for (i = 0; i < platforms_count(); i++) {
		e = platforms_get(i);
		if ((s = section(top, root, e->name, &rc)) == NULL)
			continue;
		{
			struct cfg_ctx x = { top->file, e->name, top->d };

			enabled = 1;
			if (cfg_bool(&x, s, "enabled", CFG_OPTIONAL,
			    &enabled) == -1) {
				rc = -1;
				continue;
			}
		}
		if (!enabled)
			continue;
		pcfg = NULL;
		if (e->config(s, top->file, top->d, &pcfg) == -1) {
			rc = -1;
			continue;
		}
		if (c->nplatforms == CONFIG_MAX_PLATFORMS) {
			if (e->config_free != NULL)
				e->config_free(pcfg);
			continue;
		}
		c->platforms[c->nplatforms].entry = e;
		c->platforms[c->nplatforms].cfg = pcfg;
		c->nplatforms++;
		if (e->uses_stdin) {
			if (stdin_user != NULL) {
				struct cfg_ctx x = { top->file, e->name,
				    top->d };

				cfg_error(&x, "enabled", "cannot be enabled "
				    "with \"%s\": both read stdin",
				    stdin_user);
				rc = -1;
			}
			stdin_user = e->name;
		}
	}
	return rc;
}

static struct config *
from_json(const cJSON *root, const char *file, int need_state,
    struct diag *d)
{
	struct cfg_ctx top = { file, "", d };
	struct config *c;
	int rc = 0;

	if (!cJSON_IsObject(root)) {
		diag_addf(d, "%s: the configuration must be a JSON object",
		    file);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->file = xstrdup(file);
	defaults(c);
	rc |= check_top_keys(root, &top);
	rc |= parse_core(c, root, &top, need_state);
	rc |= parse_platforms(c, root, &top);
	if (rc != 0) {
		config_free(c);
		return NULL;
	}
	return c;
}

struct config *
config_load(const char *path, struct diag *d)
{
	struct config *c;
	cJSON *root;

	if ((root = diag_json_file(path, CONFIG_MAX_FILE, d)) == NULL)
		return NULL;
	c = from_json(root, path, 1, d);
	cJSON_Delete(root);
	return c;
}

struct config *
config_parse(const char *text, size_t len, const char *file,
    struct diag *d)
{
	struct config *c;
	cJSON *root;

	if (len > CONFIG_MAX_FILE) {
		diag_addf(d, "%s: file larger than %d bytes", file,
		    CONFIG_MAX_FILE);
		return NULL;
	}
	if ((root = cJSON_ParseWithLength(text, len)) == NULL) {
		diag_addf(d, "%s: invalid JSON", file);
		return NULL;
	}
	c = from_json(root, file, 1, d);
	cJSON_Delete(root);
	return c;
}

struct config *
config_console(const char *kb_dir, const char *hotlines, const char *crisis,
    const char *region, struct diag *d)
{
	cJSON *root, *un, *con;
	struct config *c;

	if ((root = cJSON_CreateObject()) == NULL ||
	    (un = cJSON_AddObjectToObject(root, "unanswered")) == NULL ||
	    (con = cJSON_AddObjectToObject(root, "console")) == NULL ||
	    cJSON_AddStringToObject(root, "kb_dir", kb_dir) == NULL ||
	    (hotlines != NULL && cJSON_AddStringToObject(root, "hotlines",
	    hotlines) == NULL) ||
	    (region != NULL && cJSON_AddStringToObject(root, "region",
	    region) == NULL) ||
	    cJSON_AddStringToObject(root, "log_level", "warn") == NULL ||
	    cJSON_AddFalseToObject(un, "enabled") == NULL ||
	    cJSON_AddTrueToObject(con, "enabled") == NULL)
		fatalx("config: out of memory");
	c = from_json(root, "faqbot console", 0, d);
	cJSON_Delete(root);
	if (c != NULL) {
		free(c->state_dir);	/* even with $STATE_DIRECTORY set */
		c->state_dir = NULL;
		c->crisis = crisis != NULL ? xstrdup(crisis) : NULL;
	}
	return c;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nplatforms; i++)
		if (c->platforms[i].entry->config_free != NULL &&
		    c->platforms[i].cfg != NULL)
			c->platforms[i].entry->config_free(
			    c->platforms[i].cfg);
	free(c->file);
	free(c->kb_dir);
	free(c->hotlines);
	free(c->crisis);
	free(c->state_dir);
	free(c->region);
	cfg_strv_free(c->moderators);
	free(c->admin_host);
	free(c);
}

int
config_is_moderator(const struct config *c, const char *platform,
    const char *user)
{
	size_t i, plen;

	if (platform == NULL || user == NULL)
		return 0;
	plen = strlen(platform);
	for (i = 0; i < c->nmoderators; i++) {
		const char *m = c->moderators[i];

		if (strncmp(m, platform, plen) == 0 && m[plen] == ':' &&
		    strcmp(m + plen + 1, user) == 0)
			return 1;
	}
	return 0;
}

void *
config_platform(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nplatforms; i++)
		if (strcmp(c->platforms[i].entry->name, name) == 0)
			return c->platforms[i].cfg;
	return NULL;
}
