/*
 * state.h -- small key/value files in the state directory (sync tokens,
 * session ids, sent-message ids, the unanswered log's neighbours).
 *
 * Each key is one file, replaced atomically: write a temporary file,
 * fsync it, rename it over the key, fsync the directory.  A crash or a
 * power cut at any point leaves either the old or the new value, never a
 * mix.  Keys are [A-Za-z0-9._-], 1-128 bytes, not starting with '.'.
 * Synchronous: values are small (capped at STATE_MAX_VALUE).
 */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>

#define STATE_MAX_VALUE	(4u * 1024 * 1024)

struct state;

/* state.c */
/*
 * state_open() creates dir (mode 0700) when missing, removes stale
 * temporary files left by a crash, and returns a handle, or NULL with a
 * message in err.  Free with state_close().
 */
struct state	*state_open(const char *dir, char *err, size_t errlen);
void		 state_close(struct state *st);
const char	*state_dir(const struct state *st);
/*
 * state_get() reads key into a NUL-terminated buffer the caller frees
 * (length in *len).  Returns 0, 1 when the key does not exist (*out
 * NULL), or -1 with a message in err.
 */
int		 state_get(struct state *st, const char *key, char **out,
		    size_t *len, char *err, size_t errlen);
/* Replace key's value atomically; 0 or -1 with a message in err. */
int		 state_put(struct state *st, const char *key, const void *val,
		    size_t len, char *err, size_t errlen);
/* Remove key (absent is fine); 0 or -1. */
int		 state_del(struct state *st, const char *key, char *err,
		    size_t errlen);
/* Is key a valid state key? */
int		 state_key_ok(const char *key);
/* Write path atomically (same steps); for files outside the key space. */
int		 state_write_file(const char *path, const void *val,
		    size_t len, char *err, size_t errlen);

#endif /* STATE_H */
