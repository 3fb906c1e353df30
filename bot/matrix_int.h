/*
 * matrix_int.h -- internals of the Matrix adapter, shared by its files:
 *   matrix.c        platform ops, start-up steps, the /sync loop, backoff
 *   matrix_sync.c   the sync-response handler (JSON in, dispatch + outbox)
 *   matrix_out.c    the outbox: joins, leaves, sends; retries, 429 waits
 *   matrix_fmt.c    reply / escalation / notice content, HTML escaping
 *   matrix_store.c  the state file (since token, seen events) and secrets
 * The unit tests, the fuzzer and the bench use a struct matrix made by
 * mx_new() with no loop: the outbox then only accumulates.
 */
#ifndef MATRIX_INT_H
#define MATRIX_INT_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "matrix.h"

struct cJSON;

#define MX_SEEN_MAX		4096	/* event ids remembered */
#define MX_MAX_BODY		(16u * 1024)	/* longer message: skipped */
#define MX_SYNC_MAX_BYTES	(8u * 1024 * 1024)
#define MX_MAX_ROOMS		10000
#define MX_MAX_OUT		10000	/* queued requests */
#define MX_PEND_MAX		64	/* batches awaiting their sends */
#define MX_RELOGIN_MS		600000	/* no re-login sooner than this */

enum mx_state { MX_CONNECTING, MX_CONNECTED, MX_BACKOFF, MX_STOPPED,
    MX_FATAL };

enum mx_step { MX_STEP_VERSIONS, MX_STEP_LOGIN, MX_STEP_WHOAMI,
    MX_STEP_FILTER, MX_STEP_SYNC };

struct mx_room {
	char		*id;
	int		 encrypted;
	int		 notified;	/* encryption notice sent */
	int		 is_dm;
	long		 joined;	/* m.joined_member_count; -1 unknown */
	long		 invited;	/* m.invited_member_count; -1 unknown */
	int		 invite_done;	/* join/decline queued */
	struct cJSON	*power;		/* m.room.power_levels content */
};

enum mx_out_kind { MX_OUT_SEND, MX_OUT_JOIN, MX_OUT_LEAVE,
    MX_OUT_CREATE_DM, MX_OUT_DIRECT };

struct mx_out {
	enum mx_out_kind	 kind;
	char			*room;	/* target room (CREATE_DM: none) */
	char			*txn;	/* SEND: stable across retries */
	char			*body;	/* JSON request body */
	char			*event;	/* event this answers, or NULL */
	char			*user;	/* CREATE_DM: the user */
	char			*extra;	/* CREATE_DM: content to send */
	unsigned long		 seq;	/* batch it came from */
	int			 attempts;
	struct mx_out		*next;
};

struct mx_pend {
	unsigned long	 seq;
	char		*since;
};

struct matrix {
	struct platform		 plat;
	struct matrix_config	*cfg;
	uv_loop_t		*loop;		/* NULL: offline (tests) */
	struct http		*http;
	char			*state_dir;

	char			*token;		/* secret: never logged */
	char			*filter_id;
	char			*since;		/* last handled batch */
	char			*saved_since;	/* what the state file holds */
	char			*server;	/* server part of user id */
	char			*own_name;	/* display name seen in rooms */
	enum mx_state		 state;
	enum mx_step		 step;
	int			 initial;	/* first start: skip history */
	int			 full_state;	/* next sync: full_state */
	uint64_t		 login_ms;	/* loop time of the last login */

	struct mx_room		*rooms;
	size_t			 nrooms, caprooms;
	char			**dm_rooms;	/* rooms known to be DMs */
	size_t			 ndm;
	struct cJSON		*direct;	/* m.direct content */

	char			*seen[MX_SEEN_MAX];	/* ring */
	size_t			 seen_next, nseen;

	struct mx_out		*out_head, *out_tail;
	size_t			 nout;
	struct mx_pend		 pend[MX_PEND_MAX];
	size_t			 npend;
	unsigned long		 seq;		/* batches handled */
	unsigned long		 txn_base;
	unsigned long		 txn_n;

	struct http_call	*sync_call, *out_call, *step_call;
	uv_timer_t		 sync_timer, out_timer;
	int			 timers_on;
	long			 backoff_ms, out_backoff_ms;
	int			 out_waiting;	/* out_timer armed */
	int			 out_busy;	/* in on_out_done */
	int			 dirty;		/* state file to rewrite */
	int			 stopping;
	void			(*stop_done)(struct platform *);

	int			 owns_cfg;	/* mx_free frees cfg */
	struct matrix_hooks	 hooks;

	/* counters (logs, bench, status) */
	unsigned long		 n_batches, n_messages, n_skipped, n_sent,
				 n_ratelimited, n_retries, n_dropped;
};

/* matrix.c */
struct matrix	*mx_new(struct matrix_config *cfg, const char *state_dir,
		    platform_dispatch_fn dispatch, void *router);
void		 mx_free(struct matrix *m);
struct mx_room	*mx_room_get(struct matrix *m, const char *id, int create);
void		 mx_room_remove(struct matrix *m, const char *id);
int		 mx_is_dm_room(const struct matrix *m, const char *id);
void		 mx_dm_add(struct matrix *m, const char *room);
const char	*mx_state_str(enum mx_state s);
int		 mx_relogin(struct matrix *m);
/* Give up for good: log why, stop all requests, tell the daemon. */
void		 mx_fatal(struct matrix *m, const char *why);

/* matrix_sync.c */
/*
 * mx_sync_handle() handles one /sync response body: dispatches the
 * messages to answer, queues joins, declines, leaves and notices, and
 * sets m->since to next_batch.  Bad events are skipped and logged.
 * Returns 0, or -1 when the body is not a sync response (m->since kept).
 */
int		 mx_sync_handle(struct matrix *m, const char *text,
		    size_t len);
int		 mx_seen(const struct matrix *m, const char *event_id);
void		 mx_seen_add(struct matrix *m, const char *event_id);
/* Is text addressed to the bot (mention of its name or user id)? */
int		 mx_mentions(const struct matrix *m, const struct cJSON *content,
		    const char *body);

/* matrix_out.c */
/*
 * mx_out_push() queues a request; body (JSON text) is taken over.  tag:
 * the event id it answers (seen once sent), or NULL; key: makes the
 * txnId stable across restarts (NULL: a fresh one).
 */
struct mx_out	*mx_out_push(struct matrix *m, enum mx_out_kind kind,
		    const char *room, char *body, const char *tag,
		    const char *key);
void		 mx_out_kick(struct matrix *m);
void		 mx_out_done(struct matrix *m, struct mx_out *o);
void		 mx_out_free(struct mx_out *o);
int		 mx_send(struct platform *p, const struct message *msg,
		    const struct reply *r);
int		 mx_escalate(struct platform *p, const struct escalation *e);
void		 mx_pend_push(struct matrix *m);
void		 mx_persist(struct matrix *m);

/* matrix_fmt.c */
/* HTML-escape s (len bytes) onto a growing buffer; caller frees. */
char		*mx_html_escape(const char *s, size_t len);
/* m.notice content for a reply; caller frees the JSON text. */
char		*mx_fmt_reply(const struct reply *r, const char *in_reply_to,
		    const char *thread);
char		*mx_fmt_escalation(const struct escalation *e,
		    const char *server);
char		*mx_fmt_notice(const char *text);
/* matrix.to link to an event; caller frees. */
char		*mx_fmt_link(const char *room, const char *event,
		    const char *server);

/* matrix_store.c */
int		 mx_store_load(struct matrix *m);
int		 mx_store_save(struct matrix *m);
/* Read a secret (first line, trimmed) from path; caller frees and
 * wipes.  NULL after logging (never the content). */
char		*mx_secret_file(const char *path);
int		 mx_store_token_save(struct matrix *m, const char *token);
char		*mx_store_token_load(struct matrix *m);
void		 mx_secret_free(char *s);
/* Write data to dir/name atomically (temp, fsync, rename); 0 or -1. */
int		 mx_write_atomic(const char *dir, const char *name,
		    const char *data, size_t len, int mode);

#endif /* MATRIX_INT_H */
