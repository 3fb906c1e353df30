/*
 * webchat_bot.c -- the web chat's row in the daemon: builds the platform
 * on the daemon's loop and gives it the crisis contacts for the
 * configured region.  The rest of the web chat knows nothing of struct
 * bot (webchat.c runs on any loop with any dispatch).
 *
 * The contacts come from the hotlines file the daemon is configured with
 * (config "hotlines", default config/hotlines.json), loaded here once at
 * start: the kbset does not hand out its hotlines table, so a reload
 * (SIGHUP) refreshes the numbers in the reply texts but not these links
 * until the next start.
 */
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "config.h"
#include "diag.h"
#include "hotlines.h"
#include "log.h"
#include "pipeline.h"
#include "webchat.h"
#include "xmalloc.h"

#define DEFAULT_HOTLINES	"config/hotlines.json"

/* What the contacts callback needs; owned by the platform's env. */
struct wc_host {
	struct hotlines	*hotlines;	/* NULL: none could be loaded */
	char		*region;
	char		 buf[WEBCHAT_MAX_CONTACTS][3][WEBCHAT_CONTACT_BUF];
};

static size_t
bot_contacts(void *arg, const struct reply *r, struct webchat_contact *out,
    size_t max)
{
	struct wc_host *h = arg;

	if (max > WEBCHAT_MAX_CONTACTS)
		max = WEBCHAT_MAX_CONTACTS;
	return webchat_contacts(h->hotlines, h->region, &r->crisis, out,
	    h->buf, max);
}

static void
host_free(void *arg)
{
	struct wc_host *h = arg;

	if (h == NULL)
		return;
	hotlines_free(h->hotlines);
	free(h->region);
	free(h);
}

struct platform *
webchat_create(struct bot *b, void *cfg)
{
	struct webchat_env env;
	struct wc_host *h = xcalloc(1, sizeof(*h));
	const char *path = b->cfg->hotlines != NULL ? b->cfg->hotlines :
	    DEFAULT_HOTLINES;
	struct diag d;

	diag_init(&d);
	if ((h->hotlines = hotlines_load(path, &d)) == NULL) {
		/* the kbset loads the same file and refuses to start
		 * without it; this is only the links on the page */
		log_warnx("webchat: no crisis links on the page: %s: "
		    "cannot load", path);
	}
	diag_free(&d);
	h->region = xstrdup(b->cfg->region != NULL ? b->cfg->region : "US");
	memset(&env, 0, sizeof(env));
	env.loop = b->loop;
	env.contacts = bot_contacts;
	env.arg = h;
	env.arg_free = host_free;
	return webchat_new(cfg, &env);
}
