/*
 * matrix_store.c -- what the Matrix adapter keeps across restarts, in
 * its state directory: matrix.json (the since token of the last fully
 * handled batch, the event ids already answered, rooms already told
 * they are encrypted, DM rooms) and matrix-token (an access token from
 * password login, mode 0600).  Every write is atomic (temp file, fsync,
 * rename, fsync of the directory).  Secrets are read here and never
 * logged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "matrix_int.h"
#include "xmalloc.h"

#define STATE_FILE	"matrix.json"
#define TOKEN_FILE	"matrix-token"
#define STATE_MAX	(2u * 1024 * 1024)
#define SECRET_MAX	4096

int
mx_write_atomic(const char *dir, const char *name, const char *data,
    size_t len, int mode)
{
	char tmp[4096], dst[4096];
	int fd, n1, n2;
	ssize_t w;
	size_t off = 0;

	n1 = snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	n2 = snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	if (n1 < 0 || (size_t)n1 >= sizeof(tmp) || n2 < 0 ||
	    (size_t)n2 >= sizeof(dst)) {
		log_warnx("matrix: state path too long");
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1) {
		log_warn("matrix: %s", tmp);
		return -1;
	}
	while (off < len) {
		if ((w = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("matrix: write %s", tmp);
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) == -1) {
		log_warn("matrix: fsync %s", tmp);
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		log_warn("matrix: close %s", tmp);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, dst) == -1) {
		log_warn("matrix: rename %s", dst);
		goto fail;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	return 0;
fail:
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

/* Read at most max bytes of path; NULL (errno set) on failure. */
static char *
read_file(const char *path, size_t max, size_t *lenp, int secret)
{
	struct stat st;
	char *buf;
	ssize_t r;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (secret && (st.st_mode & (S_IRWXG | S_IRWXO)))) {
		close(fd);
		errno = EPERM;
		return NULL;
	}
	buf = xmalloc(max + 1);
	while (len < max) {
		if ((r = read(fd, buf + len, max - len)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			explicit_bzero(buf, max + 1);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

void
mx_secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

static char *
secret_read(const char *path, int quiet_missing)
{
	char *buf, *out;
	size_t len, n;

	if ((buf = read_file(path, SECRET_MAX, &len, 1)) == NULL) {
		if (errno == ENOENT && quiet_missing)
			return NULL;
		if (errno == EPERM)
			log_warnx("matrix: %s: not a regular file or "
			    "accessible by group or others: refused", path);
		else
			log_warn("matrix: cannot read %s", path);
		return NULL;
	}
	n = strcspn(buf, "\r\n");
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	out = n > 0 ? xstrndup(buf, n) : NULL;
	explicit_bzero(buf, len);
	free(buf);
	if (out == NULL)
		log_warnx("matrix: %s is empty", path);
	return out;
}

char *
mx_secret_file(const char *path)
{
	return secret_read(path, 0);
}

int
mx_store_token_save(struct matrix *m, const char *token)
{
	if (m->state_dir == NULL)
		return 0;
	return mx_write_atomic(m->state_dir, TOKEN_FILE, token,
	    strlen(token), 0600);
}

char *
mx_store_token_load(struct matrix *m)
{
	char path[4096];
	int n;

	if (m->state_dir == NULL)
		return NULL;
	n = snprintf(path, sizeof(path), "%s/%s", m->state_dir, TOKEN_FILE);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	return secret_read(path, 1);
}

static void
add_strings(cJSON *o, const char *key, char **v, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
}

int
mx_store_save(struct matrix *m)
{
	cJSON *o = cJSON_CreateObject(), *a;
	char *text, **seen;
	size_t i, n;
	int rc;

	if (m->saved_since != NULL)
		cJSON_AddStringToObject(o, "since", m->saved_since);
	/* oldest first, so a reload refills the ring in order */
	seen = xcalloc(m->nseen + 1, sizeof(*seen));
	for (i = 0, n = 0; i < m->nseen; i++)
		seen[n++] = m->seen[(m->seen_next + i) % m->nseen];
	add_strings(o, "seen", seen, n);
	free(seen);
	a = cJSON_AddArrayToObject(o, "notified");
	for (i = 0; i < m->nrooms; i++)
		if (m->rooms[i].notified)
			cJSON_AddItemToArray(a,
			    cJSON_CreateString(m->rooms[i].id));
	add_strings(o, "dm", m->dm_rooms, m->ndm);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		fatalx("matrix: out of memory saving state");
	rc = mx_write_atomic(m->state_dir, STATE_FILE, text, strlen(text),
	    0600);
	free(text);
	return rc;
}

int
mx_store_load(struct matrix *m)
{
	char path[4096], *text;
	size_t len;
	cJSON *o;
	const cJSON *v, *it;
	struct mx_room *r;
	int n;

	if (m->state_dir == NULL)
		return 0;
	n = snprintf(path, sizeof(path), "%s/%s", m->state_dir, STATE_FILE);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	if ((text = read_file(path, STATE_MAX, &len, 0)) == NULL) {
		if (errno == ENOENT)
			return 0;
		log_warn("matrix: cannot read %s", path);
		return -1;
	}
	o = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsObject(o)) {
		log_warnx("matrix: %s is not valid JSON: starting afresh",
		    path);
		cJSON_Delete(o);
		return 0;
	}
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "since"))
	    && v->valuestring[0] != '\0') {
		m->since = xstrdup(v->valuestring);
		m->saved_since = xstrdup(v->valuestring);
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "seen"))
		if (cJSON_IsString(it))
			mx_seen_add(m, it->valuestring);
	cJSON_ArrayForEach(it,
	    cJSON_GetObjectItemCaseSensitive(o, "notified"))
		if (cJSON_IsString(it) && (r = mx_room_get(m,
		    it->valuestring, 1)) != NULL)
			r->notified = 1;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "dm"))
		if (cJSON_IsString(it))
			mx_dm_add(m, it->valuestring);
	cJSON_Delete(o);
	m->dirty = 0;
	return 0;
}
