/*
 * secret.c -- read secrets from private files, systemd credentials or
 * environment variables, and wipe them after use.  Error messages name
 * the file or variable, never the content.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cfg.h"
#include "secret.h"
#include "xmalloc.h"

void
secret_free(char *s, size_t len)
{
	if (s == NULL)
		return;
	explicit_bzero(s, len);
	free(s);
}

void
secret_ref_free(struct secret_ref *r)
{
	if (r == NULL)
		return;
	free(r->where);
	r->where = NULL;
	r->src = SECRET_NONE;
}

/* Open path for reading a secret: must be a private regular file. */
static int
open_private(const char *path, int check_mode, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "cannot stat %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", path);
		close(fd);
		return -1;
	}
	if (check_mode && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		snprintf(err, errlen, "%s is readable by group or others "
		    "(mode %03o); chmod 600 it", path,
		    (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	return fd;
}

int
secret_check_file(const char *path, char *err, size_t errlen)
{
	int fd;

	if ((fd = open_private(path, 1, err, errlen)) == -1)
		return -1;
	close(fd);
	return 0;
}

/* Path of a systemd credential, or -1 when $CREDENTIALS_DIRECTORY unset. */
static int
cred_path(const char *name, char *buf, size_t len, char *err, size_t errlen)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	int n;

	if (dir == NULL || dir[0] == '\0') {
		snprintf(err, errlen, "credential %s: $CREDENTIALS_DIRECTORY "
		    "is not set (LoadCredential= in the unit)", name);
		return -1;
	}
	n = snprintf(buf, len, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "credential %s: path too long", name);
		return -1;
	}
	return 0;
}

int
secret_ref_parse(const struct cfg_ctx *c, const cJSON *obj,
    const char *name, int required, struct secret_ref *out)
{
	static const char *suffix[] = { "_file", "_credential", "_env" };
	static const enum secret_src srcs[] = { SECRET_FILE,
	    SECRET_CREDENTIAL, SECRET_ENV };
	char key[128], err[512];
	char *val;
	size_t i, found = 0;
	int rc = 0;

	out->src = SECRET_NONE;
	out->where = NULL;
	for (i = 0; i < 3; i++) {
		val = NULL;
		(void)snprintf(key, sizeof(key), "%s%s", name, suffix[i]);
		if (cfg_string(c, obj, key, CFG_OPTIONAL, 1024, &val) == -1) {
			rc = -1;
			continue;
		}
		if (val == NULL)
			continue;
		if (++found > 1) {
			cfg_error(c, key, "give only one of %s_file, "
			    "%s_credential, %s_env", name, name, name);
			free(val);
			rc = -1;
			continue;
		}
		out->src = srcs[i];
		out->where = val;
		if (srcs[i] == SECRET_FILE &&
		    secret_check_file(val, err, sizeof(err)) == -1) {
			cfg_error(c, key, "unreadable token file: %s", err);
			rc = -1;
		}
		if (srcs[i] == SECRET_CREDENTIAL && strchr(val, '/') != NULL) {
			cfg_error(c, key, "credential name must not contain "
			    "'/'");
			rc = -1;
		}
	}
	if (found == 0 && required) {
		cfg_error(c, NULL, "missing required key: one of %s_file, "
		    "%s_credential or %s_env", name, name, name);
		rc = -1;
	}
	if (rc == -1)
		secret_ref_free(out);
	return rc;
}

/* Read a whole secret file (at most SECRET_MAX bytes). */
static int
read_fd(int fd, const char *what, char **out, size_t *len, char *err,
    size_t errlen)
{
	char *buf;
	size_t n = 0;
	ssize_t r;

	buf = xmalloc(SECRET_MAX + 1);
	for (;;) {
		r = read(fd, buf + n, SECRET_MAX + 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errlen, "cannot read %s: %s", what,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > SECRET_MAX) {
			snprintf(err, errlen, "%s is larger than %d bytes",
			    what, SECRET_MAX);
			goto fail;
		}
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if (n == 0 || memchr(buf, '\0', n) != NULL) {
		snprintf(err, errlen, "%s is empty or contains a NUL byte",
		    what);
		goto fail;
	}
	*out = buf;
	*len = n;
	return 0;
fail:
	secret_free(buf, SECRET_MAX + 1);
	return -1;
}

int
secret_load(const struct secret_ref *r, char **out, size_t *len, char *err,
    size_t errlen)
{
	char path[4096];
	const char *v;
	int fd, rc;

	switch (r->src) {
	case SECRET_FILE:
		if ((fd = open_private(r->where, 1, err, errlen)) == -1)
			return -1;
		rc = read_fd(fd, r->where, out, len, err, errlen);
		close(fd);
		return rc;
	case SECRET_CREDENTIAL:
		if (cred_path(r->where, path, sizeof(path), err, errlen) == -1)
			return -1;
		/* systemd makes credentials private to the service */
		if ((fd = open_private(path, 0, err, errlen)) == -1)
			return -1;
		rc = read_fd(fd, path, out, len, err, errlen);
		close(fd);
		return rc;
	case SECRET_ENV:
		v = getenv(r->where);
		if (v == NULL || v[0] == '\0') {
			snprintf(err, errlen, "environment variable %s is not "
			    "set", r->where);
			return -1;
		}
		if (strlen(v) > SECRET_MAX) {
			snprintf(err, errlen, "environment variable %s is "
			    "too long", r->where);
			return -1;
		}
		*len = strlen(v);
		*out = xstrndup(v, *len);
		return 0;
	case SECRET_NONE:
	default:
		snprintf(err, errlen, "no secret configured");
		return -1;
	}
}
