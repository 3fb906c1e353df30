/*
 * unanswered.c -- append-only JSON Lines log of unanswered questions,
 * with retention and a size cap, and the grouping report behind
 * `faqbot unanswered` and `!faq unanswered`.
 *
 * DESIGN: the daemon keeps an O_APPEND descriptor and writes each line
 * with one write(); pruning rewrites the file atomically (state.c) and
 * reopens it.  Grouping folds each question (norm_fold), keeps its words
 * of three letters or more minus a few stop words, and puts it in the
 * first group whose word set overlaps it by Jaccard >= 0.5.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "intents.h"
#include "state.h"
#include "strbuf.h"
#include "unanswered.h"
#include "xmalloc.h"

static int	prune(struct unanswered *, time_t, size_t, char *, size_t);

struct unanswered {
	char	*path;
	int	 fd;
	long	 retention_days;
	long	 max_bytes;
	off_t	 size;
};

static int
reopen(struct unanswered *u, char *err, size_t errlen)
{
	struct stat sb;

	if (u->fd != -1)
		close(u->fd);
	u->fd = open(u->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (u->fd == -1 || fstat(u->fd, &sb) == -1) {
		snprintf(err, errlen, "%s: %s", u->path, strerror(errno));
		return -1;
	}
	u->size = sb.st_size;
	return 0;
}

struct unanswered *
unanswered_open(const char *path, long retention_days, long max_bytes,
    time_t now, char *err, size_t errlen)
{
	struct unanswered *u = xcalloc(1, sizeof(*u));

	u->path = xstrdup(path);
	u->fd = -1;
	u->retention_days = retention_days;
	u->max_bytes = max_bytes;
	if (reopen(u, err, errlen) == -1 ||
	    unanswered_prune(u, now, err, errlen) == -1) {
		unanswered_close(u);
		return NULL;
	}
	return u;
}

void
unanswered_close(struct unanswered *u)
{
	if (u == NULL)
		return;
	if (u->fd != -1)
		close(u->fd);
	free(u->path);
	free(u);
}

const char *
unanswered_path(const struct unanswered *u)
{
	return u->path;
}

static void
iso_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
}

static time_t
parse_time(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || (end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) ==
	    NULL || *end != '\0')
		return (time_t)-1;
	return timegm(&tm);
}

/* Cut len back to a UTF-8 boundary at most max bytes. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

int
unanswered_add(struct unanswered *u, time_t now, const char *platform,
    const char *text, size_t len, char *err, size_t errlen)
{
	struct strbuf sb;
	char ts[32];
	ssize_t w;
	int rc = 0;

	iso_time(now, ts, sizeof(ts));
	sb_init(&sb);
	sb_printf(&sb, "{\"ts\":\"%s\",\"platform\":", ts);
	sb_json_str(&sb, platform, strlen(platform));
	sb_puts(&sb, ",\"text\":");
	sb_json_str(&sb, text, utf8_cut(text, len, UNANSWERED_MAX_TEXT));
	sb_puts(&sb, "}\n");
	if (u->size + (off_t)sb.len > (off_t)u->max_bytes &&
	    prune(u, now, sb.len, err, errlen) == -1)
		rc = -1;
	if (rc == 0 && (off_t)sb.len <= (off_t)u->max_bytes) {
		w = write(u->fd, sb.s, sb.len);
		if (w != (ssize_t)sb.len) {
			snprintf(err, errlen, "%s: write: %s", u->path,
			    w == -1 ? strerror(errno) : "short write");
			rc = -1;
		} else
			u->size += w;
	}
	sb_free(&sb);
	return rc;
}

/* The whole file, at most cap bytes (NULL and 1 when missing). */
static char *
slurp(const char *path, size_t cap, size_t *len, int *missing, char *err,
    size_t errlen)
{
	FILE *fp;
	char *buf;

	*missing = 0;
	if ((fp = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT) {
			*missing = 1;
			return NULL;
		}
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap + 1);
	*len = fread(buf, 1, cap, fp);
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: read error", path);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	buf[*len] = '\0';
	return buf;
}

/* Timestamp of one log line, or -1 for a malformed line. */
static time_t
line_time(const char *line, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(line, len);
	const cJSON *ts;
	time_t t = (time_t)-1;

	if (doc == NULL)
		return t;
	ts = cJSON_GetObjectItemCaseSensitive(doc, "ts");
	if (cJSON_IsString(ts))
		t = parse_time(ts->valuestring);
	cJSON_Delete(doc);
	return t;
}

int
unanswered_prune(struct unanswered *u, time_t now, char *err, size_t errlen)
{
	return prune(u, now, 0, err, errlen);
}

/* Drop expired lines; then, if need more bytes would pass the cap, keep
 * only the newest lines within 3/4 of it. */
static int
prune(struct unanswered *u, time_t now, size_t need, char *err,
    size_t errlen)
{
	char *buf, *p, *nl;
	size_t len = 0, keep_from, total;
	time_t cutoff = now - (time_t)u->retention_days * 86400;
	struct strbuf out;
	int missing, rc;

	buf = slurp(u->path, (size_t)u->max_bytes * 2 + 65536, &len,
	    &missing, err, errlen);
	if (buf == NULL)
		return missing ? reopen(u, err, errlen) : -1;
	sb_init(&out);
	for (p = buf; p < buf + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			break;		/* a torn last line is dropped */
		time_t t = line_time(p, (size_t)(nl - p));

		if (t != (time_t)-1 && t >= cutoff)
			sb_append(&out, p, (size_t)(nl - p + 1));
	}
	/* over the cap: keep the newest lines within 3/4 of it */
	keep_from = 0;
	total = out.len;
	if (total + need > (size_t)u->max_bytes) {
		size_t target = (size_t)u->max_bytes / 4 * 3;

		keep_from = total > target ? total - target : total;
		while (keep_from > 0 && keep_from < total &&
		    out.s[keep_from - 1] != '\n')
			keep_from++;
	}
	if (total == len && keep_from == 0 && memcmp(out.s ? out.s : "", buf,
	    len) == 0) {
		rc = reopen(u, err, errlen);	/* nothing to drop */
	} else {
		rc = state_write_file(u->path, out.s ? out.s + keep_from : "",
		    total - keep_from, err, errlen);
		if (rc == 0)
			rc = reopen(u, err, errlen);
	}
	sb_free(&out);
	free(buf);
	return rc;
}

/* ---- report ---- */

struct group {
	char		*text;		/* first question seen (folded) */
	char		**words;	/* sorted unique words */
	size_t		 nwords;
	unsigned long	 count;
};

static int
stopword(const char *w)
{
	static const char *const sw[] = { "the", "and", "for", "are", "can",
	    "you", "with", "what", "does", "how", "this", "that", "have",
	    "from", "your", "not", "but", "was", "any", "will", "should",
	    "about", "when", "why", "who", "which", "there", "their", "its",
	    "into", "them", "then", "than", "too", "very", "also", NULL };
	size_t i;

	for (i = 0; sw[i] != NULL; i++)
		if (strcmp(w, sw[i]) == 0)
			return 1;
	return 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Words of a folded question: sorted, unique, stop words removed. */
static char **
words_of(const char *folded, size_t *n)
{
	char **v = NULL;
	size_t cnt = 0, cap = 0, i, j;
	const char *p = folded, *s;

	while (*p != '\0') {
		while (*p != '\0' && !((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80))
			p++;
		s = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (unsigned char)*p >= 0x80)
			p++;
		if (p - s >= 3 && cnt < 64) {
			char *w = xstrndup(s, (size_t)(p - s));

			if (stopword(w)) {
				free(w);
				continue;
			}
			if (cnt == cap) {
				cap = cap ? cap * 2 : 8;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			v[cnt++] = w;
		}
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmpstr);
	for (i = 0, j = 0; i < cnt; i++) {
		if (j > 0 && strcmp(v[j - 1], v[i]) == 0)
			free(v[i]);
		else
			v[j++] = v[i];
	}
	*n = j;
	return v;
}

static double
jaccard(char **a, size_t na, char **b, size_t nb)
{
	size_t i = 0, j = 0, inter = 0;
	int c;

	if (na == 0 && nb == 0)
		return 1.0;
	while (i < na && j < nb) {
		c = strcmp(a[i], b[j]);
		if (c == 0) {
			inter++;
			i++;
			j++;
		} else if (c < 0)
			i++;
		else
			j++;
	}
	return (double)inter / (double)(na + nb - inter);
}

static void
free_words(char **w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

static int
cmpgroup(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->text, y->text);
}

static void
add_question(struct group **gs, size_t *ng, size_t *cap, const char *text,
    size_t len)
{
	char folded[UNANSWERED_MAX_TEXT * 4 + 1];
	char **w;
	size_t nw, i;
	struct group *g;

	if (norm_fold(text, len, folded, sizeof(folded)) < 0)
		return;
	w = words_of(folded, &nw);
	for (i = 0; i < *ng; i++) {
		g = &(*gs)[i];
		if ((nw == 0 && g->nwords == 0 && strcmp(g->text, folded) == 0) ||
		    (nw > 0 && jaccard(g->words, g->nwords, w, nw) >= 0.5)) {
			g->count++;
			free_words(w, nw);
			return;
		}
	}
	if (*ng == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*gs = xreallocarray(*gs, *cap, sizeof(**gs));
	}
	g = &(*gs)[(*ng)++];
	g->text = xstrdup(folded);
	g->words = w;
	g->nwords = nw;
	g->count = 1;
}

long
unanswered_report(const char *path, time_t since, size_t top,
    struct strbuf *out, char *err, size_t errlen)
{
	struct group *gs = NULL;
	size_t ng = 0, cap = 0, len = 0, i;
	char *buf, *p, *nl;
	long nread = 0;
	int missing;

	buf = slurp(path, 64u * 1024 * 1024, &len, &missing, err, errlen);
	if (buf == NULL)
		return missing ? 0 : -1;
	for (p = buf; p < buf + len && nread < UNANSWERED_MAX_LINES;
	    p = nl + 1) {
		cJSON *doc;
		const cJSON *ts, *tx;

		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			break;
		if ((doc = cJSON_ParseWithLength(p, (size_t)(nl - p))) == NULL)
			continue;
		ts = cJSON_GetObjectItemCaseSensitive(doc, "ts");
		tx = cJSON_GetObjectItemCaseSensitive(doc, "text");
		if (cJSON_IsString(ts) && cJSON_IsString(tx) &&
		    parse_time(ts->valuestring) >= since) {
			add_question(&gs, &ng, &cap, tx->valuestring,
			    strlen(tx->valuestring));
			nread++;
		}
		cJSON_Delete(doc);
	}
	free(buf);
	if (ng > 1)
		qsort(gs, ng, sizeof(*gs), cmpgroup);
	for (i = 0; i < ng; i++) {
		if (top == 0 || i < top)
			sb_printf(out, "%lu  %s\n", gs[i].count, gs[i].text);
		free(gs[i].text);
		free_words(gs[i].words, gs[i].nwords);
	}
	free(gs);
	return nread;
}
