/*
 * webchat_int.h -- what the web chat's own files share (webchat.c, the
 * websocket side; webchat_http.c, the page): the platform state and one
 * connection's state.  Not for other parts of the daemon.
 */
#ifndef WEBCHAT_INT_H
#define WEBCHAT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>
#include <uv.h>

#include "platform.h"
#include "webchat.h"
#include "webchat_limit.h"

#define WC_ID_SLOTS	4096	/* power of two */
#define WC_NASSETS	3

/* One file of the page, read at start, with LWS_PRE bytes of headroom. */
struct wc_asset {
	const char	*path;		/* "/app.js" */
	const char	*file;		/* "app.js" */
	const char	*type;		/* Content-Type */
	unsigned char	*mem;		/* LWS_PRE + len */
	size_t		 len;
};

/* A queued outgoing websocket message. */
struct wc_out {
	struct wc_out	*next;
	size_t		 len;
	unsigned char	 buf[];		/* LWS_PRE + len */
};

enum wc_closing { WC_OPEN, WC_CLOSE_AFTER, WC_CLOSE_NOW };

/* lws per-session memory: an HTTP request or a chat websocket. */
struct wc_conn {
	/* HTTP */
	const unsigned char	*body;		/* what to write, or NULL */
	size_t			 body_len;
	int			 pending;	/* body still to write */
	/* websocket */
	int			 is_ws;
	struct lws		*wsi;
	uint64_t		 id;
	char			 idstr[24];	/* "w<id>": room and user */
	struct wc_conn		*hnext;		/* id table chain */
	struct wcl_ip		*ip;		/* address entry, or NULL */
	struct wcl_bucket	 bucket;
	unsigned long		 nmsg;		/* messages received */
	unsigned long		 limited_msg;	/* over the limit, or 0 */
	int			 strikes;	/* limited in a row */
	char			*rx;		/* message being gathered */
	size_t			 rxlen, rxcap;
	struct wc_out		*outq, *outtail;
	size_t			 outbytes;
	enum wc_closing		 closing;
	int			 close_code;
};

struct webchat {
	struct platform		 plat;
	const struct webchat_cfg *cfg;
	struct webchat_env	 env;
	struct lws_context	*ctx;
	struct lws_vhost	*vhost;
	struct lws_protocols	 protocols[2];
	void			*loops[1];
	struct wc_asset		 assets[WC_NASSETS];
	char			*csp;
	char			**origins;	/* effective allow-list */
	size_t			 norigins;
	struct wcl_ips		*ips;
	struct wc_conn		*ids[WC_ID_SLOTS];
	uint64_t		 next_id;
	size_t			 nconns;
	int			 port;
	int			 stopping;
	const char		*status;
	uv_timer_t		 stop_timer;
	unsigned		 stop_waited;
	void			(*done)(struct platform *);
	/* counters (for tests and logs) */
	unsigned long		 accepted, refused_origin, refused_proto,
				 refused_path, refused_full, refused_ip;
	unsigned long		 questions, replies, bad_messages, too_big,
				 flood_limited;
};

/* webchat_http.c */
int	wc_assets_load(struct webchat *wc);	/* 0 or -1 (logged) */
void	wc_assets_free(struct webchat *wc);
void	wc_http_csp(struct webchat *wc);	/* builds wc->csp */
/* LWS_CALLBACK_HTTP: answer a GET of the page, 404/405 otherwise. */
int	wc_http_request(struct webchat *wc, struct lws *wsi,
	    struct wc_conn *c, const char *path);
int	wc_http_writable(struct webchat *wc, struct lws *wsi,
	    struct wc_conn *c);

#endif /* WEBCHAT_INT_H */
