/*
 * crisis_examples.c -- reads the crisis backstop's training file
 * (faq/crisis-examples.tsv: text<TAB>level<TAB>kind) into plain struct
 * crisis_example for intents/crisis_model.c, validating every line and
 * reporting each problem as "file:line: message".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crisis_load.h"
#include "diag.h"
#include "kbjson.h"
#include "xmalloc.h"

#define EX_MAX_LINE	2048	/* bytes of one line, newline included */
#define EX_MAX_TEXT	1000	/* bytes of one message */
#define EX_MAX_ROWS	100000

char *
crisis_examples_path(const char *crisis_path)
{
	const char *slash = strrchr(crisis_path, '/');

	if (slash == NULL)
		return xstrdup(CRISIS_EXAMPLES_FILE);
	return xasprintf("%.*s/%s", (int)(slash - crisis_path), crisis_path,
	    CRISIS_EXAMPLES_FILE);
}

void
crisis_examples_free(struct crisis_example *ex, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ex[i].text);
	free(ex);
}

/* Checks one split line; 0, or 1 after reporting it. */
static int
check_row(const char *path, int lineno, char **f, int nf,
    struct crisis_example *e, struct diag *d)
{
	size_t len;

	if (nf != 3) {
		diag_addf(d, "%s:%d: want 3 tab-separated fields "
		    "(text, level, kind), got %d", path, lineno, nf);
		return 1;
	}
	len = strlen(f[0]);
	if (len == 0 || len > EX_MAX_TEXT ||
	    kbjson_utf8_chars(f[0], len) < 0) {
		diag_addf(d, "%s:%d: text must be 1 to %d bytes of UTF-8",
		    path, lineno, EX_MAX_TEXT);
		return 1;
	}
	if (crisis_level_parse(f[1], &e->level) == -1) {
		diag_addf(d, "%s:%d: unknown level \"%s\" (none, mention, "
		    "concern, acute)", path, lineno, f[1]);
		return 1;
	}
	if (crisis_kind_parse(f[2], &e->kind) == -1) {
		diag_addf(d, "%s:%d: unknown kind \"%s\"", path, lineno, f[2]);
		return 1;
	}
	if ((e->level == CRISIS_NONE) != (e->kind == CRISIS_KIND_NONE)) {
		diag_addf(d, "%s:%d: kind must be none exactly when level "
		    "is none", path, lineno);
		return 1;
	}
	return 0;
}

/* Open-addressing set of the texts kept so far (indices into ex), so the
 * duplicate check is not quadratic in the number of messages. */
#define DUP_SLOTS	(1u << 18)	/* a power of two, >= 2x rows */
_Static_assert(DUP_SLOTS >= 2 * EX_MAX_ROWS, "DUP_SLOTS too small");

static uint32_t
text_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of text: the one holding it, or the empty one to fill. */
static size_t
dup_slot(const int32_t *slot, const struct crisis_example *ex,
    const char *text)
{
	size_t j = text_hash(text) & (DUP_SLOTS - 1);

	while (slot[j] >= 0 && strcmp(ex[slot[j]].text, text) != 0)
		j = (j + 1) & (DUP_SLOTS - 1);
	return j;
}

int
crisis_examples_load(const char *path, struct crisis_example **out,
    size_t *nout, struct diag *d)
{
	FILE *fp;
	char line[EX_MAX_LINE], *f[4], *p;
	struct crisis_example *ex = NULL, e;
	size_t n = 0, bad = 0, len, j;
	int32_t *slot;
	int lineno = 0, nf;

	*out = NULL;
	*nout = 0;
	if ((fp = fopen(path, "r")) == NULL) {
		diag_addf(d, "%s: %s", path, strerror(errno));
		return -1;
	}
	slot = xreallocarray(NULL, DUP_SLOTS, sizeof(*slot));
	memset(slot, 0xff, DUP_SLOTS * sizeof(*slot));	/* all -1 */
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			diag_addf(d, "%s:%d: line longer than %d bytes", path,
			    lineno, EX_MAX_LINE - 2);
			bad++;
			while (fgets(line, sizeof(line), fp) != NULL &&
			    strchr(line, '\n') == NULL)
				;
			continue;
		}
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		nf = 0;
		for (p = line; nf < 4; nf++) {
			f[nf] = p;
			if ((p = strchr(p, '\t')) == NULL) {
				nf++;
				break;
			}
			*p++ = '\0';
		}
		memset(&e, 0, sizeof(e));
		if (check_row(path, lineno, f, nf, &e, d) != 0) {
			bad++;
			continue;
		}
		j = dup_slot(slot, ex, f[0]);
		if (slot[j] >= 0) {
			diag_addf(d, "%s:%d: duplicate message", path, lineno);
			bad++;
			continue;
		}
		if (n == EX_MAX_ROWS) {
			diag_addf(d, "%s:%d: more than %d messages", path,
			    lineno, EX_MAX_ROWS);
			bad++;
			break;
		}
		ex = xreallocarray(ex, n + 1, sizeof(*ex));
		e.text = xstrdup(f[0]);
		slot[j] = (int32_t)n;
		ex[n++] = e;
	}
	free(slot);
	if (ferror(fp)) {
		diag_addf(d, "%s: read error", path);
		bad++;
	}
	fclose(fp);
	if (bad == 0 && n == 0) {
		diag_addf(d, "%s: no messages", path);
		bad++;
	}
	if (bad > 0) {
		crisis_examples_free(ex, n);
		return -1;
	}
	*out = ex;
	*nout = n;
	return 0;
}
