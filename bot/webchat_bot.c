/*
 * webchat_bot.c -- the web chat's row in the daemon: builds the platform
 * on the daemon's loop and gives it the crisis contacts for the
 * configured region.  The rest of the web chat knows nothing of struct
 * bot (webchat.c runs on any loop with any dispatch).
 *
 * The contacts come from the hotlines inside the kbset the reply was
 * made from (the reply holds a reference to it), so a reload (SIGHUP,
 * "!faq reload", inotify) refreshes the tappable links together with the
 * reply text, through the same one-pointer swap, and a reply's text and
 * links always come from the same hotlines file.
 */
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "config.h"
#include "kbset.h"
#include "pipeline.h"
#include "webchat.h"
#include "xmalloc.h"

/* What the contacts callback needs; owned by the platform's env. */
struct wc_host {
	char	*region;
	char	 buf[WEBCHAT_MAX_CONTACTS][3][WEBCHAT_CONTACT_BUF];
};

static size_t
bot_contacts(void *arg, const struct reply *r, struct webchat_contact *out,
    size_t max)
{
	struct wc_host *h = arg;

	if (r->kb == NULL)
		return 0;
	if (max > WEBCHAT_MAX_CONTACTS)
		max = WEBCHAT_MAX_CONTACTS;
	return webchat_contacts(kbset_hotlines(r->kb), h->region, &r->crisis,
	    out, h->buf, max);
}

static void
host_free(void *arg)
{
	struct wc_host *h = arg;

	if (h == NULL)
		return;
	free(h->region);
	free(h);
}

struct platform *
webchat_create(struct bot *b, void *cfg)
{
	struct webchat_env env;
	struct wc_host *h = xcalloc(1, sizeof(*h));

	h->region = xstrdup(b->cfg->region != NULL ? b->cfg->region : "US");
	memset(&env, 0, sizeof(env));
	env.loop = b->loop;
	env.contacts = bot_contacts;
	env.arg = h;
	env.arg_free = host_free;
	return webchat_new(cfg, &env);
}
