/*
 * secret.h -- tokens and passwords, never in the config file itself.
 *
 * A config section names where a secret lives with one of three keys
 * (for the secret "token": "token_file", "token_credential",
 * "token_env"):
 *   NAME_file        a file readable only by its owner (mode 0600/0400)
 *   NAME_credential  a systemd credential: $CREDENTIALS_DIRECTORY/VALUE
 *   NAME_env         an environment variable
 * secret_ref_parse() validates the choice while the config is read (and
 * checks that the file is readable and private); secret_load() reads the
 * value when the adapter starts.  Secrets are wiped with explicit_bzero()
 * by secret_free(); they never appear in a diag or a log line.
 */
#ifndef SECRET_H
#define SECRET_H

#include <stddef.h>

struct cJSON;
struct cfg_ctx;

enum secret_src { SECRET_NONE, SECRET_FILE, SECRET_CREDENTIAL, SECRET_ENV };

struct secret_ref {
	enum secret_src	 src;
	char		*where;		/* path, credential name or env var */
};

#define SECRET_MAX	8192		/* bytes a secret may have */

/* secret.c */
/*
 * Read NAME_file / NAME_credential / NAME_env from obj (exactly one when
 * required; at most one always).  Checks a file exists, is a regular
 * file, is not group/other-readable and is readable.  0, or -1 after
 * adding errors to c->d.  Free out with secret_ref_free().
 */
int	secret_ref_parse(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *name, int required, struct secret_ref *out);
void	secret_ref_free(struct secret_ref *r);
/*
 * Load the secret (trailing newline stripped).  Returns a NUL-terminated
 * copy in *out (length in *len) that the caller wipes and frees with
 * secret_free(), or -1 with a message (never the secret) in err.
 */
int	secret_load(const struct secret_ref *r, char **out, size_t *len,
	    char *err, size_t errlen);
void	secret_free(char *s, size_t len);
/* Check a token file as above; 0, or -1 with a message in err. */
int	secret_check_file(const char *path, char *err, size_t errlen);

#endif /* SECRET_H */
