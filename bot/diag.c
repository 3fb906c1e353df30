/*
 * diag.c -- a growable list of diagnostics and a JSON file loader that
 * reports parse errors with line and column.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "xmalloc.h"

void
diag_init(struct diag *d)
{
	d->msgs = NULL;
	d->n = 0;
	d->cap = 0;
}

void
diag_addf(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup("(out of memory formatting a diagnostic)");
	va_end(ap);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->msgs = xreallocarray(d->msgs, d->cap, sizeof(*d->msgs));
	}
	d->msgs[d->n++] = msg;
}

void
diag_print(const struct diag *d, void *stream)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf((FILE *)stream, "%s\n", d->msgs[i]);
}

void
diag_free(struct diag *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	diag_init(d);
}

/* Line and column (1-based) of offset off in text. */
static void
pos_of(const char *text, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && text[i] != '\0'; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

void
diag_json_pos(const char *text, const char *needle, int *line, int *col)
{
	char quoted[512];
	const char *p;
	int n;

	*line = 0;
	*col = 0;
	n = snprintf(quoted, sizeof(quoted), "\"%s\"", needle);
	if (n < 0 || (size_t)n >= sizeof(quoted))
		return;
	if ((p = strstr(text, quoted)) == NULL)
		return;
	pos_of(text, (size_t)(p - text), line, col);
}

struct cJSON *
diag_json_file(const char *path, size_t maxbytes, struct diag *d)
{
	FILE *fp;
	char *buf;
	size_t len;
	cJSON *doc;
	int line, col;

	if ((fp = fopen(path, "rb")) == NULL) {
		diag_addf(d, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(maxbytes + 1);
	len = fread(buf, 1, maxbytes + 1, fp);
	if (ferror(fp)) {
		diag_addf(d, "%s: read error: %s", path, strerror(errno));
		goto fail;
	}
	if (len > maxbytes) {
		diag_addf(d, "%s: file larger than %zu bytes", path, maxbytes);
		goto fail;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL) {
		diag_addf(d, "%s: contains a NUL byte", path);
		goto fail;
	}
	doc = cJSON_ParseWithLengthOpts(buf, len, NULL, 0);
	if (doc == NULL) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = len;

		if (at != NULL && at >= buf && at <= buf + len)
			off = (size_t)(at - buf);
		pos_of(buf, off, &line, &col);
		diag_addf(d, "%s:%d:%d: invalid JSON", path, line, col);
		goto fail;
	}
	fclose(fp);
	free(buf);
	return doc;
fail:
	fclose(fp);
	free(buf);
	return NULL;
}
