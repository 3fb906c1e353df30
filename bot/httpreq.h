/*
 * httpreq.h -- a minimal, strictly bounded HTTP/1.1 request-head parser
 * for the admin listener: request line and headers only (no body, no
 * chunking), everything capped.  Pure: no I/O, no allocation.
 */
#ifndef HTTPREQ_H
#define HTTPREQ_H

#include <stddef.h>

#define HTTPREQ_MAX_HEAD	8192	/* bytes of request line + headers */
#define HTTPREQ_MAX_HEADERS	64
#define HTTPREQ_MAX_PATH	1024

enum httpreq_status {
	HTTPREQ_OK,		/* a complete head was parsed */
	HTTPREQ_INCOMPLETE,	/* need more bytes */
	HTTPREQ_BAD,		/* malformed: answer 400 */
	HTTPREQ_TOO_LARGE,	/* head over HTTPREQ_MAX_HEAD: 431 */
	HTTPREQ_BAD_VERSION,	/* not HTTP/1.0 or 1.1: 505 */
	HTTPREQ_HAS_BODY,	/* Content-Length > 0 or chunked: 413 */
};

struct httpreq {
	char	method[16];
	char	path[HTTPREQ_MAX_PATH + 1];	/* without the query */
	int	minor;				/* HTTP/1.minor */
	int	keep_alive;
	size_t	head_len;			/* bytes consumed */
};

/* httpreq.c */
enum httpreq_status	httpreq_parse(const char *buf, size_t len,
			    struct httpreq *out);
const char		*httpreq_status_str(enum httpreq_status s);

#endif /* HTTPREQ_H */
