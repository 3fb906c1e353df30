/*
 * state.c -- atomic key/value files in the state directory.
 *
 * DESIGN: a value is written to ".KEY.tmp" beside its file (O_EXCL, so
 * two writers never share it; one loop thread means there is only one),
 * fsync'ed, renamed over KEY and the directory fsync'ed so the rename is
 * durable.  Readers only ever open KEY, which is always a complete old
 * or new value.  Leftover ".*.tmp" files from a crash are removed by
 * state_open().
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "xmalloc.h"

struct state {
	char	*dir;
};

int
state_key_ok(const char *key)
{
	size_t i;

	if (key == NULL || key[0] == '\0' || key[0] == '.')
		return 0;
	for (i = 0; key[i] != '\0'; i++) {
		char ch = key[i];

		if (i >= 128)
			return 0;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		    ch == '-'))
			return 0;
	}
	return 1;
}

/* Remove ".*.tmp" leftovers of interrupted writes. */
static void
clean_tmp(const char *dir)
{
	struct dirent *de;
	DIR *dp;
	size_t n;
	char path[4096];

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' && n > 5 &&
		    strcmp(de->d_name + n - 4, ".tmp") == 0) {
			if (snprintf(path, sizeof(path), "%s/%s", dir,
			    de->d_name) < (int)sizeof(path))
				(void)unlink(path);
		}
	}
	closedir(dp);
}

struct state *
state_open(const char *dir, char *err, size_t errlen)
{
	struct state *st;
	struct stat sb;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create state directory %s: %s",
		    dir, strerror(errno));
		return NULL;
	}
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "state directory %s is not a directory",
		    dir);
		return NULL;
	}
	if (access(dir, W_OK | X_OK) == -1) {
		snprintf(err, errlen, "state directory %s: %s", dir,
		    strerror(errno));
		return NULL;
	}
	clean_tmp(dir);
	st = xcalloc(1, sizeof(*st));
	st->dir = xstrdup(dir);
	return st;
}

void
state_close(struct state *st)
{
	if (st == NULL)
		return;
	free(st->dir);
	free(st);
}

const char *
state_dir(const struct state *st)
{
	return st->dir;
}

static int
key_path(const struct state *st, const char *key, const char *pre,
    const char *suf, char *buf, size_t len, char *err, size_t errlen)
{
	int n;

	if (!state_key_ok(key)) {
		snprintf(err, errlen, "invalid state key");
		return -1;
	}
	n = snprintf(buf, len, "%s/%s%s%s", st->dir, pre, key, suf);
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "state path too long");
		return -1;
	}
	return 0;
}

int
state_get(struct state *st, const char *key, char **out, size_t *len,
    char *err, size_t errlen)
{
	char path[4096], *buf;
	struct stat sb;
	size_t n = 0;
	ssize_t r;
	int fd;

	*out = NULL;
	*len = 0;
	if (key_path(st, key, "", "", path, sizeof(path), err, errlen) == -1)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > (off_t)STATE_MAX_VALUE) {
		snprintf(err, errlen, "%s: not a regular file or too large",
		    path);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (n < (size_t)sb.st_size) {
		r = read(fd, buf + n, (size_t)sb.st_size - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n != (size_t)sb.st_size) {
		snprintf(err, errlen, "%s: short read", path);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int
fsync_dir(const char *path, char *err, size_t errlen)
{
	char *copy = xstrdup(path);
	int fd, rc = 0;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC))
	    == -1 || fsync(fd) == -1) {
		snprintf(err, errlen, "fsync of the directory of %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (fd != -1)
		close(fd);
	free(copy);
	return rc;
}

int
state_write_file(const char *path, const void *val, size_t len, char *err,
    size_t errlen)
{
	char tmp[4096], *copy, *base;
	const char *p = val;
	size_t done = 0;
	ssize_t w;
	int fd, n;

	copy = xstrdup(path);
	base = basename(copy);
	n = snprintf(tmp, sizeof(tmp), "%.*s.%s.tmp",
	    (int)(strlen(path) - strlen(base)), path, base);
	free(copy);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	while (done < len) {
		w = write(fd, p + done, len - done);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			snprintf(err, errlen, "write %s: %s", tmp,
			    strerror(errno));
			goto fail;
		}
		done += (size_t)w;
	}
	if (fsync(fd) == -1) {
		snprintf(err, errlen, "fsync %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		snprintf(err, errlen, "close %s: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "rename %s: %s", path, strerror(errno));
		goto fail;
	}
	return fsync_dir(path, err, errlen);
fail:
	if (fd != -1)
		close(fd);
	(void)unlink(tmp);
	return -1;
}

int
state_put(struct state *st, const char *key, const void *val, size_t len,
    char *err, size_t errlen)
{
	char path[4096];

	if (len > STATE_MAX_VALUE) {
		snprintf(err, errlen, "state value for %s too large", key);
		return -1;
	}
	if (key_path(st, key, "", "", path, sizeof(path), err, errlen) == -1)
		return -1;
	return state_write_file(path, val, len, err, errlen);
}

int
state_del(struct state *st, const char *key, char *err, size_t errlen)
{
	char path[4096];

	if (key_path(st, key, "", "", path, sizeof(path), err, errlen) == -1)
		return -1;
	if (unlink(path) == -1 && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return fsync_dir(path, err, errlen);
}
