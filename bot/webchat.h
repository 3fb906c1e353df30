/*
 * webchat.h -- the "webchat" platform: the daemon serves a small chat
 * page (index.html, app.js, style.css) and a websocket endpoint /ws
 * (subprotocol "faqbot-chat") with libwebsockets on the daemon's libuv
 * loop.  Each question goes through the platform dispatch like any other
 * platform's; the reply goes back as one JSON message (webchat_proto.h).
 *
 * Nothing is stored about a visitor: a connection is known by a counter
 * ("w17"), the per-IP limits keep only a salted 64-bit hash of the
 * address in memory while the address is active, and no address is ever
 * logged.  The page carries no cookies.
 */
#ifndef WEBCHAT_H
#define WEBCHAT_H

#include <stddef.h>

#include <uv.h>

#include "platform.h"

struct bot;
struct cJSON;
struct crisis_result;
struct hotlines;
struct diag;
struct reply;

#define WEBCHAT_MAX_ORIGINS	32
#define WEBCHAT_MAX_ASSET	(1024 * 1024)	/* one page asset */

/* The parsed "webchat" config section (webchat_config.c). */
struct webchat_cfg {
	char	 *listen;		/* address, default "127.0.0.1" */
	long	  port;			/* default 8080; 0: any free port */
	char	**origins;		/* allowed Origin values; NULL-ended;
					   none: the page's own URLs */
	size_t	  norigins;
	char	 *title;		/* page title */
	char	 *greeting;		/* first bot line on the page */
	char	 *assets_dir;		/* NULL: WEBCHAT_ASSETS_DIR */
	long	  max_message_bytes;	/* one websocket message */
	long	  idle_timeout_s;	/* websocket without a message */
	double	  conn_rate, conn_burst;/* questions per connection */
	double	  ip_rate, ip_burst;	/* questions per address */
	long	  max_connections;	/* all websockets */
	long	  max_connections_per_ip;
	char	 *frame_ancestors;	/* CSP frame-ancestors value */
};

/* One tappable crisis contact (strings borrowed). */
struct webchat_contact {
	const char	*label;		/* "988 Suicide & Crisis Lifeline" */
	const char	*tel;		/* "988", or NULL */
	const char	*sms;		/* "741741", or NULL */
	const char	*sms_body;	/* "HOME", or NULL */
	const char	*text;		/* shown when no number ("findahelpline.com") */
};

#define WEBCHAT_MAX_CONTACTS	8
#define WEBCHAT_CONTACT_BUF	64	/* one number (and SMS keyword) */

/*
 * What the platform needs from its host besides the loop: the contacts
 * to show first with a crisis reply (fills out, returns how many; NULL:
 * none) and the clock (seconds, monotonic).
 */
struct webchat_env {
	uv_loop_t	*loop;
	size_t		(*contacts)(void *arg, const struct reply *r,
			    struct webchat_contact *out, size_t max);
	void		*arg;
	void		(*arg_free)(void *arg);	/* with the platform; NULL ok */
};

/* webchat_config.c */
/*
 * webchat_config() validates the "webchat" section (every problem goes
 * to d as "file: webchat.key: message") and returns 0 with a config in
 * *out (free with webchat_config_free), or -1.
 */
int		 webchat_config(const struct cJSON *section, const char *file,
		    struct diag *d, void **out);
void		 webchat_config_free(void *cfg);
/* Defaults for every key (what an empty section gives); caller frees. */
struct webchat_cfg *webchat_config_default(void);

/* webchat.c */
/*
 * webchat_new() makes the platform (not listening until start()).  cfg
 * and env are borrowed for the platform's life.  The page assets are
 * read at start().  Free with p->ops->free after stop.
 */
struct platform	*webchat_new(const struct webchat_cfg *cfg,
		    const struct webchat_env *env);
/* The bound TCP port once started (0 before). */
int		 webchat_port(const struct platform *p);
/* Open websocket connections. */
size_t		 webchat_nconns(const struct platform *p);

/* webchat_contacts.c */
/*
 * webchat_contacts() fills out (at most max) with the contacts for a
 * concern/acute crisis in region, from h; numbers are copied into buf
 * (three WEBCHAT_CONTACT_BUF buffers per contact), names borrowed
 * from h.  Returns how many; 0 below concern or without h.
 */
size_t		 webchat_contacts(const struct hotlines *h, const char *region,
		    const struct crisis_result *cr,
		    struct webchat_contact *out,
		    char (*buf)[3][WEBCHAT_CONTACT_BUF], size_t max);

/* webchat_bot.c: the daemon's registry entry (platforms.c). */
struct platform	*webchat_create(struct bot *bot, void *cfg);

#endif /* WEBCHAT_H */
