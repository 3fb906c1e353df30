/*
 * cfg.h -- small typed readers for one JSON config object, shared by
 * config.c and every platform adapter's config function.
 *
 * Each reader looks up key in obj, checks its type and range, and on a
 * problem appends "file: path.key: message" to the diag and returns -1.
 * A missing key leaves *out untouched (the caller's default) and returns
 * 0, unless the key is required.  Nothing here logs or exits.
 */
#ifndef CFG_H
#define CFG_H

#include <stddef.h>

struct cJSON;
struct diag;

/* Where a reader reports: the config file and the object's key path. */
struct cfg_ctx {
	const char	*file;
	const char	*path;		/* "" for the top level, "matrix" ... */
	struct diag	*d;
};

#define CFG_REQUIRED	1
#define CFG_OPTIONAL	0

/* cfg.c */
/* Report every key of obj that is not in the NULL-terminated allowed. */
int	cfg_keys(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *const allowed[]);
/* obj must be a JSON object (reported with the context path otherwise). */
int	cfg_object(const struct cfg_ctx *c, const struct cJSON *obj);
int	cfg_bool(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *key, int required, int *out);
/* Integer in [min, max]. */
int	cfg_long(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *key, int required, long min, long max, long *out);
/* Number in [min, max]. */
int	cfg_double(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *key, int required, double min, double max,
	    double *out);
/* Non-empty string without NUL, at most maxlen bytes; *out is a copy
 * the caller frees (a previous value is freed). */
int	cfg_string(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *key, int required, size_t maxlen, char **out);
/* Array of non-empty strings (at most maxn); *out NULL-terminated copy,
 * free with cfg_strv_free(). */
int	cfg_strv(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *key, int required, size_t maxn, char ***out,
	    size_t *n);
void	cfg_strv_free(char **v);
/*
 * An http:// or https:// URL with a host; plain http only when
 * allow_http, or when the host is loopback (127.0.0.0/8, ::1,
 * localhost) and loopback_http is set.  *out is a copy.
 */
int	cfg_url(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *key, int required, int loopback_http, char **out);
/* "host:port" (IPv4 dotted quad, [IPv6] or localhost; port 0-65535). */
int	cfg_hostport(const struct cfg_ctx *c, const struct cJSON *obj,
	    const char *key, int required, char **host, int *port);
/* Append "file: path.key: msg" to the diag (key may be NULL). */
void	cfg_error(const struct cfg_ctx *c, const char *key, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
/* Parse "host:port" text; 0 or -1.  *host is a copy. */
int	cfg_parse_hostport(const char *s, char **host, int *port);

#endif /* CFG_H */
