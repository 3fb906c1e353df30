/*
 * discord.h -- the Discord adapter: configuration, gateway state machine,
 * websocket transport, REST queue, payload parsing and reply rendering.
 *
 * Only discord_config_*() and discord_platform_new() are meant for the
 * daemon; the rest is shared between the adapter's files (and its tests).
 * Nothing here logs a token or a message text.
 */
#ifndef DISCORD_H
#define DISCORD_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

struct cJSON;
struct diag;
struct uv_loop_s;

/* Gateway intents (bit numbers from the Discord API docs). */
#define DISCORD_INTENT_GUILDS		(1 << 0)
#define DISCORD_INTENT_GUILD_MESSAGES	(1 << 9)
#define DISCORD_INTENT_DIRECT_MESSAGES	(1 << 12)
#define DISCORD_INTENT_MESSAGE_CONTENT	(1 << 15)

#define DISCORD_MAX_CONTENT	2000	/* characters in a message */
#define DISCORD_MAX_TOKEN	4096	/* bytes read from a token file */
#define DISCORD_MAX_LIST	256	/* ids in one config list */
#define DISCORD_NONCE_MAX	25	/* characters of a message nonce */

/* The "discord" config section, validated (owned strings). */
struct discord_config {
	char	*api_base;	/* "https://discord.com/api/v10" */
	char	*gateway_url;	/* override of GET /gateway/bot, or NULL */
	char	*token;		/* secret: never logged; wiped on free */
	char	*application_id;/* NULL: taken from READY */
	char	**guild_ids;	/* slash command per guild; none: global */
	size_t	  nguild_ids;
	int	  message_content;	/* message-based answering */
	char	*prefix;	/* "!faq" */
	char	**faq_channels;
	size_t	  nfaq_channels;
	char	**mod_users;
	size_t	  nmod_users;
	char	**mod_roles;
	size_t	  nmod_roles;
	char	*moderators_channel;	/* NULL: escalations only logged */
	int	  ephemeral_crisis;
	int	  ephemeral_answers;
	int	  shard_id;
	int	  shard_count;	/* 0: no shard field in IDENTIFY */
	long	  backoff_min_ms;
	long	  backoff_max_ms;
	long	  defer_ms;	/* interaction: defer when no reply by then */
	size_t	  max_frame;	/* reassembled gateway message cap */
	int	  compress;	/* zlib-stream transport compression */
};

/* discord_config.c */
/*
 * discord_config_parse() validates section (the "discord" object of file)
 * and reads the token.  Every problem is added to d as
 * "file: discord.key: message".  On success *out is an owned
 * struct discord_config (free with discord_config_free()) and 0 is
 * returned; -1 otherwise.  The signature is the daemon's config_fn.
 */
int	discord_config_parse(const struct cJSON *section, const char *file,
	    struct diag *d, void **out);
void	discord_config_free(void *cfg);	/* NULL ok */
int	discord_url_loopback_ok(const char *url, const char *secure,
	    const char *plain);
uint32_t discord_config_intents(const struct discord_config *c);

/* discord_close.c: gateway close codes */
enum discord_close_action {
	DISCORD_CLOSE_RESUME,		/* reconnect and RESUME */
	DISCORD_CLOSE_NEW_SESSION,	/* reconnect and IDENTIFY */
	DISCORD_CLOSE_FATAL,		/* stop: configuration problem */
};
enum discord_close_action discord_close_classify(int code);
uint64_t	 discord_backoff_ms(int attempt, long min_ms, long max_ms,
		    double r);
const char	*discord_close_str(int code);
const char	*discord_op_str(int op);

/* discord_gateway.c: the protocol state machine, no I/O of its own */
enum discord_gw_state {
	DISCORD_GW_IDLE,	/* not connected */
	DISCORD_GW_HELLO,	/* socket open, waiting for HELLO */
	DISCORD_GW_IDENTIFYING,	/* IDENTIFY or RESUME sent */
	DISCORD_GW_READY,	/* READY / RESUMED seen */
	DISCORD_GW_FATAL,
};

/* What a gateway payload is (the owner paces answers to op 1). */
enum discord_gw_send {
	DISCORD_GW_SEND_PAYLOAD,	/* IDENTIFY, RESUME */
	DISCORD_GW_SEND_HEARTBEAT,	/* our own, every interval */
	DISCORD_GW_SEND_HB_ANSWER,	/* asked for by the server (op 1) */
};

/* What the state machine asks its owner to do. */
struct discord_gw_sink {
	/* Queue one gateway payload (JSON text, borrowed); kind says what. */
	void	(*send)(void *arg, const char *json, enum discord_gw_send kind);
	/* Start heartbeats: first after first_ms, then every interval_ms. */
	void	(*heartbeat_start)(void *arg, uint64_t first_ms,
		    uint64_t interval_ms);
	/* Close the socket with code; the owner reconnects as told. */
	void	(*close)(void *arg, int code, enum discord_close_action then);
	/* An event (t, d borrowed until return). */
	void	(*dispatch)(void *arg, const char *t, const struct cJSON *d);
	/* A fatal error: stop, no reconnect (reason is for the log). */
	void	(*fatal)(void *arg, const char *reason);
	void	(*ready)(void *arg, int resumed);
	double	(*random)(void *arg);		/* [0, 1) */
};

struct discord_gw {
	const struct discord_gw_sink	*sink;
	void				*arg;
	const char			*token;		/* borrowed */
	uint32_t			 intents;
	int				 shard_id, shard_count;
	enum discord_gw_state		 state;
	char				*session_id;
	char				*resume_url;
	char				*user_id;	/* the bot's own id */
	char				*app_id;
	long long			 seq;		/* -1: none yet */
	uint64_t			 hb_interval;
	int				 ack_pending;
	int				 want_resume;	/* next HELLO: RESUME */
	uint64_t			 heartbeats, acks, dispatches;
	uint64_t			 duplicates, bad_payloads;
};

void	discord_gw_init(struct discord_gw *gw, const struct discord_gw_sink *s,
	    void *arg, const char *token, uint32_t intents, int shard_id,
	    int shard_count);
void	discord_gw_reset(struct discord_gw *gw);	/* frees strings */
/* A new socket is open: expect HELLO. */
void	discord_gw_opened(struct discord_gw *gw);
/*
 * discord_gw_handle() processes one whole gateway message (text, len).
 * Returns 0, or -1 when it is not a valid payload (bad_payloads counted;
 * the caller has already been told to close through the sink).
 */
int	discord_gw_handle(struct discord_gw *gw, const char *text, size_t len);
/* The heartbeat timer fired: send op 1, or declare a zombie. */
void	discord_gw_heartbeat_due(struct discord_gw *gw);
/* Forget the session (next connection identifies afresh). */
void	discord_gw_forget_session(struct discord_gw *gw);

/* discord_session.c: the session kept in the state directory */
struct state;
int	discord_session_save(struct state *st, const struct discord_gw *gw,
	    int shard_id, int shard_count);
int	discord_session_load(struct state *st, struct discord_gw *gw,
	    int shard_id, int shard_count);
int	discord_session_forget(struct state *st);

/* discord_msg.c: MESSAGE_CREATE / INTERACTION_CREATE to struct message */
struct discord_incoming {
	int	 is_interaction;
	char	*id;		/* message or interaction id */
	char	*channel_id;
	char	*guild_id;	/* NULL in DMs */
	char	*user_id;
	char	*token;		/* interaction token (secret-ish) */
	char	*text;		/* question, prefix/mention stripped */
	char	*rev;		/* an edit's revision (edited_timestamp) */
	int	 is_dm;
	int	 is_edit;
	int	 from_moderator;
};

/* Why an event is not answered (or DISCORD_IN_OK). */
enum discord_in_status {
	DISCORD_IN_OK,
	DISCORD_IN_IGNORED,	/* bot, self, webhook, not addressed */
	DISCORD_IN_INVALID,	/* missing fields */
};

/*
 * discord_msg_parse() decides whether a MESSAGE_CREATE (is_edit 0) or
 * MESSAGE_UPDATE (is_edit 1) payload d is addressed to the bot (DM,
 * mention, prefix, FAQ channel) and fills in (owned strings; free with
 * discord_incoming_free()) when it returns DISCORD_IN_OK.
 */
enum discord_in_status discord_msg_parse(const struct cJSON *d,
	    const struct discord_config *c, const char *self_id, int is_edit,
	    struct discord_incoming *in);
/* Same for an INTERACTION_CREATE: /faq question:<text>. */
enum discord_in_status discord_interaction_parse(const struct cJSON *d,
	    const struct discord_config *c, struct discord_incoming *in);
void	discord_incoming_free(struct discord_incoming *in);
void	discord_incoming_to_message(const struct discord_incoming *in,
	    struct message *m);

/* discord_render.c: a reply as Discord message content */
/*
 * discord_render() returns the content (owned, caller frees) of r within
 * limit characters: the answer body is shortened first; the sources line,
 * the footer and the disclaimer are never dropped.  Links are masked
 * [title](<url>) so that Discord shows no embed preview.
 */
char	*discord_render(const struct reply *r, size_t limit);
size_t	 discord_utf8_chars(const char *s, size_t len);
/*
 * The JSON body of a channel message replying to message_id (owned);
 * nonce (NULL: none) is sent with enforce_nonce.
 */
char	*discord_reply_body(const char *content, const char *channel_id,
	    const char *message_id, const char *nonce, int ephemeral_flags);

/* discord_nonce.c: a reply's nonce, derived from the question */
#define DISCORD_NONCE_REPLY		'r'	/* the answer */
#define DISCORD_NONCE_ESCALATION	'e'	/* the moderators' post */
void	discord_nonce(char buf[DISCORD_NONCE_MAX + 1], char kind,
	    const char *id, const char *rev);

/* discord_bucket.c: which rate limit a REST request counts against */
struct discord_limits;

/* One rate limit: a bucket (or a route not yet seen) and a major param. */
struct discord_limit {
	struct discord_limit	*next;
	char			*name;		/* bucket hash or route */
	char			*major;		/* "channels/ID", "" */
	int			 inflight;	/* a request is out on it */
	int			 blocked;	/* REST pump scratch */
	int			 have;		/* remaining/reset_at known */
	long			 remaining;
	uint64_t		 reset_at;	/* loop ms */
};

int	discord_route_split(const char *method, const char *path,
	    char *route, size_t rcap, char *major, size_t mcap);
struct discord_limits	*discord_limits_new(void);
void	discord_limits_free(struct discord_limits *L);	/* NULL ok */
struct discord_limit *discord_limits_get(struct discord_limits *L,
	    const char *route, const char *major, uint64_t now);
struct discord_limit *discord_limits_learn(struct discord_limits *L,
	    const char *route, const char *major, const char *bucket,
	    uint64_t now);
void	discord_limits_unblock(struct discord_limits *L);
size_t	discord_limits_count(const struct discord_limits *L);

/* discord_rest.c: rate-limited request queue */
struct discord_rest;

/* A finished REST call: status 2xx, or the final failure. */
typedef void (*discord_rest_done_fn)(void *arg, long status,
    const char *body);

struct discord_rest_stats {
	uint64_t	sent, ok, retried_429, retried_5xx, dropped, waits;
	uint64_t	global_waits;
};

struct discord_rest	*discord_rest_new(struct uv_loop_s *loop,
			    const char *api_base, const char *token,
			    void (*on_unauthorized)(void *), void *arg);
/*
 * discord_rest_call() queues method path (relative to api_base) with a
 * JSON body (copied; NULL none).  route is the rate-limit key (method and
 * path with minor ids replaced).  done may be NULL.
 */
void	discord_rest_call(struct discord_rest *r, const char *method,
	    const char *path, const char *body, discord_rest_done_fn done,
	    void *arg);
size_t	discord_rest_pending(const struct discord_rest *r);
/* Tell the daemon about rate-limit waits (seconds) and dropped calls. */
void	discord_rest_set_wait_hook(struct discord_rest *r,
	    void (*waited)(void *, double), void (*error)(void *), void *arg);
const struct discord_rest_stats *discord_rest_stats(
	    const struct discord_rest *r);
void	discord_rest_close(struct discord_rest *r);
char	*discord_rest_route(const char *method, const char *path);

/* discord_ws.c: the websocket (libwebsockets on the libuv loop) */
struct discord_ws;

struct discord_ws_cb {
	void	(*opened)(void *arg);
	void	(*message)(void *arg, const char *text, size_t len);
	/* code: close code from the server, or 1006 when the link died */
	void	(*closed)(void *arg, int code);
	/* a frame beyond max_frame or binary/garbage: close is under way */
	void	(*too_big)(void *arg, size_t len);
};

/*
 * discord_ws_new(): compress asks for zlib-stream transport compression
 * (compress=zlib-stream in the URL; binary messages are inflated through
 * one zlib stream per connection, the inflated size capped by max_frame).
 */
struct discord_ws	*discord_ws_new(struct uv_loop_s *loop,
			    const struct discord_ws_cb *cb, void *arg,
			    size_t max_frame, int compress);
/* Connect to url ("wss://host/?v=10&encoding=json"); 0 or -1. */
int	discord_ws_connect(struct discord_ws *ws, const char *url);
/* Queue a text message (copied); 0 or -1 when not connected. */
int	discord_ws_send(struct discord_ws *ws, const char *text);
/* Close with code (no further callbacks except closed). */
void	discord_ws_close(struct discord_ws *ws, int code);
int	discord_ws_is_open(const struct discord_ws *ws);
/* Begin closing (stop); the loop must turn before discord_ws_free(). */
void	discord_ws_shutdown(struct discord_ws *ws);
void	discord_ws_free(struct discord_ws *ws);

/* discord.c: the platform */
/*
 * discord_platform_new() makes the adapter (cfg owned by the platform
 * from here on).  start() connects; the platform runs on loop.
 */
struct platform	*discord_platform_new(struct uv_loop_s *loop,
		    struct discord_config *cfg, platform_dispatch_fn dispatch,
		    void *router);
/* What the daemon wants to hear about (all optional). */
struct discord_hooks {
	void	(*fatal)(void *arg, const char *why);
	void	(*reconnect)(void *arg);
	void	(*ratelimited)(void *arg, double seconds);
	void	(*error)(void *arg);
	void	*arg;
};
void	discord_set_hooks(struct platform *p, const struct discord_hooks *h);
/*
 * discord_set_state() keeps the gateway session in st (borrowed; it must
 * outlive the platform) and, before start(), loads a stored one so that
 * the first connection RESUMEs it.  Without it nothing is persisted.
 */
void	discord_set_state(struct platform *p, struct state *st);

/* discord_bot.c: the daemon's registry row (cfg owned on success) */
struct bot;
struct platform	*discord_bot_create(struct bot *b, void *cfg);

/*
 * discord_platform_feed() hands one gateway message to the adapter as if
 * it came from the socket (benchmarks and tests; no network needed).
 */
void	discord_platform_feed(struct platform *p, const char *text,
	    size_t len);
size_t	discord_platform_rest_pending(const struct platform *p);

/* Counters for tests, /metrics and benchmarks. */
struct discord_stats {
	uint64_t	 dispatches, answered, ignored, replies, reconnects;
	uint64_t	 identifies, resumes, zombies, frames_too_big;
	uint64_t	 session_saves;
	uint64_t	 gw_sends;
	uint64_t	 gw_answers_held;	/* op 1 answers over the cap */
	uint64_t	 rest_sent, rest_429, rest_global_429, rest_5xx_retries;
	uint64_t	 rest_bucket_waits;
	const char	*fatal_reason;
};
void	discord_platform_stats(const struct platform *p,
	    struct discord_stats *out);

#endif /* DISCORD_H */
