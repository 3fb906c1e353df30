/*
 * matrix.h -- the Matrix platform adapter (client-server API v1.x,
 * /_matrix/client/v3) on the daemon's loop: login, /sync long-poll,
 * invites, replies as m.notice, escalations to a moderators' room.
 *
 * Public part: the "matrix" config section and the constructor.  The
 * adapter's internals (sync handler, outbox, formatting, state file)
 * are in matrix_int.h, for the unit tests, the fuzzer and the bench.
 */
#ifndef MATRIX_H
#define MATRIX_H

#include <stddef.h>
#include <uv.h>

#include "platform.h"

struct bot;
struct cJSON;
struct diag;

enum matrix_answer {		/* when a room's messages are answered */
	MATRIX_ANSWER_DEFAULT,	/* mentions and prefix (DMs: always) */
	MATRIX_ANSWER_ALL,	/* FAQ room: every message */
	MATRIX_ANSWER_MENTION,	/* only mentions */
	MATRIX_ANSWER_PREFIX,	/* only the prefix */
	MATRIX_ANSWER_NONE	/* never (moderator commands still work) */
};

struct matrix_room_cfg {
	char			*id;
	enum matrix_answer	 answer;
	int			 crisis_by_dm;	/* -1: the global setting */
};

struct matrix_config {
	char			*homeserver;	/* base URL, no trailing / */
	char			*user_id;	/* "@bot:server" */
	char			*token_file;
	char			*token_credential; /* $CREDENTIALS_DIRECTORY */
	char			*token_env;	/* environment variable */
	char			*password_file;	/* m.login.password */
	char			*device_id;
	char			*display_name;	/* extra mention name */
	char			**allow_invites_from;	/* NULL-ended */
	size_t			 nallow;
	char			*prefix;	/* "!faq" (fixed) */
	struct matrix_room_cfg	*rooms;
	size_t			 nrooms;
	char			*moderators_room;
	char			**moderators;	/* user ids, NULL-ended */
	size_t			 nmoderators;
	long			 moderator_power_level;	/* -1: off */
	int			 crisis_by_dm;
	int			 encrypted_notice;
	int			 leave_when_alone;
	char			*ca_file;
	long			 sync_timeout_ms;
	long			 backoff_max_ms;
};

/* What the adapter tells the daemon (all optional; arg is theirs). */
struct matrix_hooks {
	/* unrecoverable (revoked token): default fatalx() */
	void	(*fatal)(void *arg, const char *why);
	void	(*ratelimited)(void *arg, double seconds);
	void	(*reconnect)(void *arg);
	void	(*error)(void *arg);
	void	*arg;
};

/* matrix_config.c */
/*
 * matrix_config() validates the "matrix" section (file names the config
 * file for messages), adding "file: matrix.key: message" to d for every
 * problem.  On success *out is a struct matrix_config the caller frees
 * with matrix_config_free(); returns 0 or -1.
 */
int	matrix_config(const struct cJSON *section, const char *file,
	    struct diag *d, void **out);
void	matrix_config_free(void *cfg);

/* matrix.c */
/*
 * matrix_create() makes the platform from a validated config (ownership
 * of cfg passes to the platform) on loop, keeping its state files in
 * state_dir.  dispatch/router are stored in the platform.  Returns NULL
 * after logging when the HTTP client cannot be set up.
 */
struct platform	*matrix_create(void *cfg, uv_loop_t *loop,
		    const char *state_dir, platform_dispatch_fn dispatch,
		    void *router);

/* matrix_bot.c: the registry's create() (daemon loop, state, router) */
struct platform	*matrix_bot_create(struct bot *b, void *cfg);

/* Install hooks (copied) on a platform made by matrix_create(). */
void		 matrix_set_hooks(struct platform *p,
		    const struct matrix_hooks *h);

#endif /* MATRIX_H */
