/*
 * cfg.c -- typed readers for config objects: every problem is appended
 * to the caller's diag as "file: key.path: message" and reading goes on,
 * so one run reports every error.  No I/O, no logging.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cfg.h"
#include "diag.h"
#include "xmalloc.h"

void
cfg_error(const struct cfg_ctx *c, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int dot;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	dot = c->path[0] != '\0' && key != NULL;
	if (key == NULL && c->path[0] == '\0')
		diag_addf(c->d, "%s: %s", c->file, msg);
	else
		diag_addf(c->d, "%s: %s%s%s: %s", c->file, c->path,
		    dot ? "." : "", key != NULL ? key : "", msg);
}

int
cfg_object(const struct cfg_ctx *c, const cJSON *obj)
{
	if (obj == NULL || !cJSON_IsObject(obj)) {
		cfg_error(c, NULL, "expected an object");
		return -1;
	}
	return 0;
}

int
cfg_keys(const struct cfg_ctx *c, const cJSON *obj,
    const char *const allowed[])
{
	const cJSON *it;
	size_t i;
	int rc = 0, ok;

	cJSON_ArrayForEach(it, obj) {
		ok = 0;
		for (i = 0; allowed[i] != NULL; i++)
			if (it->string != NULL &&
			    strcmp(it->string, allowed[i]) == 0)
				ok = 1;
		if (!ok) {
			cfg_error(c, it->string ? it->string : "?",
			    "unknown key");
			rc = -1;
		}
	}
	return rc;
}

/* The item for key, or NULL (reported when required). */
static const cJSON *
item(const struct cfg_ctx *c, const cJSON *obj, const char *key,
    int required)
{
	const cJSON *it;

	it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (it == NULL && required)
		cfg_error(c, key, "missing required key");
	return it;
}

int
cfg_bool(const struct cfg_ctx *c, const cJSON *obj, const char *key,
    int required, int *out)
{
	const cJSON *it;

	if ((it = item(c, obj, key, required)) == NULL)
		return required ? -1 : 0;
	if (!cJSON_IsBool(it)) {
		cfg_error(c, key, "expected true or false");
		return -1;
	}
	*out = cJSON_IsTrue(it) ? 1 : 0;
	return 0;
}

int
cfg_double(const struct cfg_ctx *c, const cJSON *obj, const char *key,
    int required, double min, double max, double *out)
{
	const cJSON *it;
	double v;

	if ((it = item(c, obj, key, required)) == NULL)
		return required ? -1 : 0;
	if (!cJSON_IsNumber(it)) {
		cfg_error(c, key, "expected a number");
		return -1;
	}
	v = it->valuedouble;
	if (!isfinite(v) || v < min || v > max) {
		cfg_error(c, key, "must be between %g and %g", min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int
cfg_long(const struct cfg_ctx *c, const cJSON *obj, const char *key,
    int required, long min, long max, long *out)
{
	const cJSON *it;
	double v;

	if ((it = item(c, obj, key, required)) == NULL)
		return required ? -1 : 0;
	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) ||
	    floor(it->valuedouble) != it->valuedouble) {
		cfg_error(c, key, "expected an integer");
		return -1;
	}
	v = it->valuedouble;
	if (v < (double)min || v > (double)max) {
		cfg_error(c, key, "must be between %ld and %ld", min, max);
		return -1;
	}
	*out = (long)v;
	return 0;
}

int
cfg_string(const struct cfg_ctx *c, const cJSON *obj, const char *key,
    int required, size_t maxlen, char **out)
{
	const cJSON *it;
	size_t len;

	if ((it = item(c, obj, key, required)) == NULL)
		return required ? -1 : 0;
	if (!cJSON_IsString(it) || it->valuestring == NULL) {
		cfg_error(c, key, "expected a string");
		return -1;
	}
	len = strlen(it->valuestring);
	if (len == 0) {
		cfg_error(c, key, "must not be empty");
		return -1;
	}
	if (len > maxlen) {
		cfg_error(c, key, "longer than %zu bytes", maxlen);
		return -1;
	}
	free(*out);
	*out = xstrdup(it->valuestring);
	return 0;
}

void
cfg_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int
cfg_strv(const struct cfg_ctx *c, const cJSON *obj, const char *key,
    int required, size_t maxn, char ***out, size_t *n)
{
	const cJSON *it, *e;
	char **v;
	size_t i = 0, cnt;
	int rc = 0;

	if ((it = item(c, obj, key, required)) == NULL)
		return required ? -1 : 0;
	if (!cJSON_IsArray(it)) {
		cfg_error(c, key, "expected an array of strings");
		return -1;
	}
	cnt = (size_t)cJSON_GetArraySize(it);
	if (cnt > maxn) {
		cfg_error(c, key, "more than %zu entries", maxn);
		return -1;
	}
	v = xcalloc(cnt + 1, sizeof(*v));
	cJSON_ArrayForEach(e, it) {
		if (!cJSON_IsString(e) || e->valuestring == NULL ||
		    e->valuestring[0] == '\0' ||
		    strlen(e->valuestring) > 1024) {
			char k[256];

			(void)snprintf(k, sizeof(k), "%s[%zu]", key, i);
			cfg_error(c, k, "expected a non-empty string of at "
			    "most 1024 bytes");
			rc = -1;
			continue;
		}
		v[i++] = xstrdup(e->valuestring);
	}
	if (rc == -1) {
		cfg_strv_free(v);
		return -1;
	}
	cfg_strv_free(*out);
	*out = v;
	if (n != NULL)
		*n = i;
	return 0;
}

/* Is host a loopback name or literal? */
static int
is_loopback(const char *host, size_t len)
{
	if (len == 9 && strncasecmp(host, "localhost", 9) == 0)
		return 1;
	if (len == 5 && strncmp(host, "[::1]", 5) == 0)
		return 1;
	if (len >= 4 && strncmp(host, "127.", 4) == 0) {
		size_t i;

		for (i = 4; i < len; i++)
			if (!isdigit((unsigned char)host[i]) && host[i] != '.')
				return 0;
		return 1;
	}
	return 0;
}

int
cfg_url(const struct cfg_ctx *c, const cJSON *obj, const char *key,
    int required, int loopback_http, char **out)
{
	char *s = NULL;
	const char *h, *end;
	size_t hlen, i;
	int http;

	if (cfg_string(c, obj, key, required, 2048, &s) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (strncmp(s, "https://", 8) == 0) {
		http = 0;
		h = s + 8;
	} else if (strncmp(s, "http://", 7) == 0) {
		http = 1;
		h = s + 7;
	} else {
		cfg_error(c, key, "bad URL: must start with https://");
		goto fail;
	}
	end = h + strcspn(h, "/?#");
	/* host[:port], without userinfo */
	if (memchr(h, '@', (size_t)(end - h)) != NULL) {
		cfg_error(c, key, "bad URL: credentials are not allowed in "
		    "URLs");
		goto fail;
	}
	hlen = (size_t)(end - h);
	if (hlen > 0 && h[0] == '[') {
		const char *rb = memchr(h, ']', hlen);

		if (rb == NULL) {
			cfg_error(c, key, "bad URL: unterminated [IPv6]");
			goto fail;
		}
		i = (size_t)(rb - h) + 1;
	} else
		i = strcspn(h, ":/?#");
	if (i == 0 || i > hlen) {
		cfg_error(c, key, "bad URL: no host");
		goto fail;
	}
	if (i < hlen) {		/* ":port" */
		char *pend;
		long port;

		if (h[i] != ':' || i + 1 == hlen) {
			cfg_error(c, key, "bad URL: bad port");
			goto fail;
		}
		port = strtol(h + i + 1, &pend, 10);
		if (pend != end || port < 1 || port > 65535) {
			cfg_error(c, key, "bad URL: bad port");
			goto fail;
		}
	}
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			cfg_error(c, key, "bad URL: contains spaces or control "
			    "characters");
			goto fail;
		}
	if (http && !(loopback_http && is_loopback(h, i))) {
		cfg_error(c, key, "bad URL: plain http:// is only allowed for "
		    "loopback hosts");
		goto fail;
	}
	free(*out);
	*out = s;
	return 0;
fail:
	free(s);
	return -1;
}

int
cfg_parse_hostport(const char *s, char **host, int *port)
{
	const char *colon;
	char *end;
	long p;
	size_t hlen;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL || rb[1] != ':')
			return -1;
		colon = rb + 1;
		s++;
		hlen = (size_t)(rb - s);
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		hlen = (size_t)(colon - s);
		if (memchr(s, ':', hlen) != NULL)
			return -1;
	}
	if (hlen == 0 || hlen > 255 || colon[1] == '\0')
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 0 || p > 65535 ||
	    !isdigit((unsigned char)colon[1]))
		return -1;
	*host = xstrndup(s, hlen);
	*port = (int)p;
	return 0;
}

int
cfg_hostport(const struct cfg_ctx *c, const cJSON *obj, const char *key,
    int required, char **host, int *port)
{
	char *s = NULL, *h;
	int p;

	if (cfg_string(c, obj, key, required, 300, &s) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (cfg_parse_hostport(s, &h, &p) == -1) {
		cfg_error(c, key, "expected \"host:port\" (port 0-65535)");
		free(s);
		return -1;
	}
	free(s);
	free(*host);
	*host = h;
	*port = p;
	return 0;
}
