/*
 * webchat_config.c -- the "webchat" config section: every key checked
 * for type and range, every problem reported as "file: webchat.key:
 * message" (all of them, not just the first).  Defaults make an empty
 * section a working loopback chat on port 8080.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "webchat.h"
#include "xmalloc.h"

#ifndef WEBCHAT_ASSETS_DIR
#define WEBCHAT_ASSETS_DIR	"/usr/local/share/faqbot/webchat"
#endif

#define MAX_STR		1024

static const char *const known[] = {
	"enabled", "listen", "port", "allowed_origins", "title", "greeting",
	"assets_dir", "max_message_bytes", "idle_timeout_s", "conn_rate",
	"conn_burst", "ip_rate", "ip_burst", "max_connections",
	"max_connections_per_ip", "frame_ancestors", NULL
};

struct ctx {
	const char	*file;
	struct diag	*d;
	int		 bad;
};

static void
bad(struct ctx *c, const char *key, const char *msg)
{
	diag_addf(c->d, "%s: webchat.%s: %s", c->file, key, msg);
	c->bad = 1;
}

static void
get_str(struct ctx *c, const cJSON *sec, const char *key, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, key);

	if (v == NULL)
		return;
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		bad(c, key, "must be a non-empty string");
		return;
	}
	if (strlen(v->valuestring) > MAX_STR) {
		bad(c, key, "too long (at most 1024 bytes)");
		return;
	}
	free(*out);
	*out = xstrdup(v->valuestring);
}

static void
get_long(struct ctx *c, const cJSON *sec, const char *key, long min,
    long max, long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, key);
	char msg[128];

	if (v == NULL)
		return;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < (double)min || v->valuedouble > (double)max) {
		snprintf(msg, sizeof(msg), "must be an integer from %ld to %ld",
		    min, max);
		bad(c, key, msg);
		return;
	}
	*out = (long)v->valuedouble;
}

static void
get_double(struct ctx *c, const cJSON *sec, const char *key, double min,
    double max, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, key);
	char msg[128];

	if (v == NULL)
		return;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= min) ||
	    !(v->valuedouble <= max)) {
		snprintf(msg, sizeof(msg), "must be a number from %g to %g",
		    min, max);
		bad(c, key, msg);
		return;
	}
	*out = v->valuedouble;
}

/* "http://host[:port]" or "https://...": no path, no trailing slash. */
static int
origin_ok(const char *s)
{
	const char *h;
	size_t i;

	if (strncmp(s, "http://", 7) == 0)
		h = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		h = s + 8;
	else
		return 0;
	if (*h == '\0')
		return 0;
	for (i = 0; h[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)h[i];

		if (ch <= ' ' || ch >= 0x7f || ch == '/' || ch == '?' ||
		    ch == '#' || ch == '@' || ch == '\\' || ch == '"')
			return 0;
	}
	return 1;
}

/* One CSP source expression: no separators or quotes except 'self'. */
static int
ancestor_ok(const char *s)
{
	size_t i;

	if (strcmp(s, "'self'") == 0 || strcmp(s, "'none'") == 0)
		return 1;
	if (s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= ' ' || ch >= 0x7f || ch == ';' || ch == ',' ||
		    ch == '\'' || ch == '"')
			return 0;
	}
	return 1;
}

static void
get_origins(struct ctx *c, const cJSON *sec, struct webchat_cfg *w)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec,
	    "allowed_origins"), *e;
	size_t n = 0;
	char msg[160];
	int i = 0;

	if (v == NULL)
		return;
	if (!cJSON_IsArray(v)) {
		bad(c, "allowed_origins", "must be an array of origins");
		return;
	}
	if (cJSON_GetArraySize(v) > WEBCHAT_MAX_ORIGINS) {
		bad(c, "allowed_origins", "at most 32 origins");
		return;
	}
	w->origins = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
	    sizeof(*w->origins));
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e) || strlen(e->valuestring) > 256 ||
		    !origin_ok(e->valuestring)) {
			snprintf(msg, sizeof(msg), "[%d]: must be an origin like "
			    "\"https://chat.example.org\" (scheme, host, "
			    "optional port; no path)", i);
			bad(c, "allowed_origins", msg);
		} else
			w->origins[n++] = xstrdup(e->valuestring);
		i++;
	}
	w->norigins = n;
}

static void
get_ancestors(struct ctx *c, const cJSON *sec, struct webchat_cfg *w)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec,
	    "frame_ancestors"), *e;
	char buf[2048], msg[160];
	size_t len = 0;
	int i = 0, n;

	if (v == NULL)
		return;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0 ||
	    cJSON_GetArraySize(v) > WEBCHAT_MAX_ORIGINS) {
		bad(c, "frame_ancestors", "must be an array of 1 to 32 CSP "
		    "sources (\"'none'\", \"'self'\", \"https://site.example\")");
		return;
	}
	buf[0] = '\0';
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e) || !ancestor_ok(e->valuestring) ||
		    (strcmp(e->valuestring, "'none'") == 0 &&
		    cJSON_GetArraySize(v) > 1)) {
			snprintf(msg, sizeof(msg), "[%d]: not a CSP source "
			    "(\"'none'\" alone, \"'self'\", or a scheme/host)",
			    i);
			bad(c, "frame_ancestors", msg);
		} else {
			n = snprintf(buf + len, sizeof(buf) - len, "%s%s",
			    len > 0 ? " " : "", e->valuestring);
			if (n < 0 || (size_t)n >= sizeof(buf) - len) {
				bad(c, "frame_ancestors", "too long");
				return;
			}
			len += (size_t)n;
		}
		i++;
	}
	if (!c->bad && len > 0) {
		free(w->frame_ancestors);
		w->frame_ancestors = xstrdup(buf);
	}
}

struct webchat_cfg *
webchat_config_default(void)
{
	struct webchat_cfg *w = xcalloc(1, sizeof(*w));

	w->listen = xstrdup("127.0.0.1");
	w->port = 8080;
	w->title = xstrdup("Medication FAQ");
	w->greeting = xstrdup("Hello! Ask me a question about Klonopin, "
	    "Xanax, melatonin or depression medicines. I answer from "
	    "published articles and show my sources; I am not a doctor.");
	w->assets_dir = xstrdup(WEBCHAT_ASSETS_DIR);
	w->max_message_bytes = 4096;
	w->idle_timeout_s = 600;
	w->conn_rate = 1.0;
	w->conn_burst = 5;
	w->ip_rate = 5.0;
	w->ip_burst = 20;
	w->max_connections = 2000;
	w->max_connections_per_ip = 20;
	w->frame_ancestors = xstrdup("'none'");
	return w;
}

int
webchat_config(const cJSON *section, const char *file, struct diag *d,
    void **out)
{
	struct ctx c = { file, d, 0 };
	struct webchat_cfg *w;
	const cJSON *e;
	unsigned char addr[16];
	size_t i;

	*out = NULL;
	if (!cJSON_IsObject(section)) {
		diag_addf(d, "%s: webchat: must be an object", file);
		return -1;
	}
	w = webchat_config_default();
	cJSON_ArrayForEach(e, section) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(e->string, known[i]) == 0)
				break;
		if (known[i] == NULL) {
			diag_addf(d, "%s: webchat.%s: unknown key", file,
			    e->string);
			c.bad = 1;
		}
	}
	e = cJSON_GetObjectItemCaseSensitive(section, "enabled");
	if (e != NULL && !cJSON_IsBool(e))
		bad(&c, "enabled", "must be true or false");
	get_str(&c, section, "listen", &w->listen);
	if (inet_pton(AF_INET, w->listen, addr) != 1 &&
	    inet_pton(AF_INET6, w->listen, addr) != 1)
		bad(&c, "listen", "must be an IPv4 or IPv6 address "
		    "(\"127.0.0.1\", \"::1\", \"0.0.0.0\")");
	get_long(&c, section, "port", 0, 65535, &w->port);
	get_origins(&c, section, w);
	get_str(&c, section, "title", &w->title);
	get_str(&c, section, "greeting", &w->greeting);
	get_str(&c, section, "assets_dir", &w->assets_dir);
	get_long(&c, section, "max_message_bytes", 64, 65536,
	    &w->max_message_bytes);
	get_long(&c, section, "idle_timeout_s", 1, 86400, &w->idle_timeout_s);
	get_double(&c, section, "conn_rate", 0, 1000, &w->conn_rate);
	get_double(&c, section, "conn_burst", 1, 10000, &w->conn_burst);
	get_double(&c, section, "ip_rate", 0, 100000, &w->ip_rate);
	get_double(&c, section, "ip_burst", 1, 100000, &w->ip_burst);
	get_long(&c, section, "max_connections", 1, 100000,
	    &w->max_connections);
	get_long(&c, section, "max_connections_per_ip", 1, 100000,
	    &w->max_connections_per_ip);
	get_ancestors(&c, section, w);
	if (c.bad) {
		webchat_config_free(w);
		return -1;
	}
	*out = w;
	return 0;
}

void
webchat_config_free(void *cfg)
{
	struct webchat_cfg *w = cfg;
	size_t i;

	if (w == NULL)
		return;
	free(w->listen);
	if (w->origins != NULL)
		for (i = 0; w->origins[i] != NULL; i++)
			free(w->origins[i]);
	free(w->origins);
	free(w->title);
	free(w->greeting);
	free(w->assets_dir);
	free(w->frame_ancestors);
	free(w);
}
