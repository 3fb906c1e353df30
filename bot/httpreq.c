/*
 * httpreq.c -- parse an HTTP/1.x request head (RFC 9112) strictly and
 * within fixed bounds: token method, origin-form target, version, then
 * header fields "name: value" until an empty line.  Obsolete line
 * folding, bare CR, NUL and control bytes are rejected.  Request bodies
 * are refused (the admin endpoints are GET-only).
 */
#include <string.h>
#include <strings.h>

#include "httpreq.h"

const char *
httpreq_status_str(enum httpreq_status s)
{
	switch (s) {
	case HTTPREQ_OK: return "ok";
	case HTTPREQ_INCOMPLETE: return "incomplete";
	case HTTPREQ_BAD: return "bad request";
	case HTTPREQ_TOO_LARGE: return "request header too large";
	case HTTPREQ_BAD_VERSION: return "HTTP version not supported";
	case HTTPREQ_HAS_BODY: return "request body not allowed";
	default: return "?";
	}
}

static int
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Find the end of the head ("\r\n\r\n" or "\n\n"); its length or 0. */
static size_t
head_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static enum httpreq_status
request_line(const char *p, size_t n, struct httpreq *out)
{
	size_t i = 0, m, t;
	int query = 0;

	for (m = 0; i < n && is_tchar((unsigned char)p[i]); i++, m++)
		if (m >= sizeof(out->method) - 1)
			return HTTPREQ_BAD;
	if (m == 0 || i >= n || p[i] != ' ')
		return HTTPREQ_BAD;
	memcpy(out->method, p, m);
	out->method[m] = '\0';
	i++;
	if (i >= n || p[i] != '/')
		return HTTPREQ_BAD;
	for (t = 0; i < n && p[i] != ' '; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= 0x20 || c >= 0x7f)
			return HTTPREQ_BAD;
		if (c == '?' || c == '#')
			query = 1;	/* the path ends here */
		if (!query) {
			if (t >= HTTPREQ_MAX_PATH)
				return HTTPREQ_BAD;
			out->path[t++] = (char)c;
		}
	}
	out->path[t] = '\0';
	if (i >= n || p[i] != ' ')
		return HTTPREQ_BAD;
	i++;
	if (n - i != 8 || memcmp(p + i, "HTTP/", 5) != 0 ||
	    p[i + 5] < '0' || p[i + 5] > '9' || p[i + 6] != '.' ||
	    p[i + 7] < '0' || p[i + 7] > '9')
		return HTTPREQ_BAD;
	if (p[i + 5] != '1')
		return HTTPREQ_BAD_VERSION;
	out->minor = p[i + 7] - '0';
	out->keep_alive = out->minor >= 1;
	return HTTPREQ_OK;
}

/* Does the comma-separated value contain the token tok? */
static int
has_token(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok), i = 0, s;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		{
			size_t e = i;

			while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
				e--;
			if (e - s == tl && strncasecmp(v + s, tok, tl) == 0)
				return 1;
		}
	}
	return 0;
}

static enum httpreq_status
header(const char *p, size_t n, struct httpreq *out)
{
	size_t i, vs, ve;

	for (i = 0; i < n && is_tchar((unsigned char)p[i]); i++)
		;
	if (i == 0 || i >= n || p[i] != ':')
		return HTTPREQ_BAD;	/* also rejects obs-fold */
	vs = i + 1;
	for (ve = vs; ve < n; ve++) {
		unsigned char c = (unsigned char)p[ve];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return HTTPREQ_BAD;
	}
	while (vs < n && (p[vs] == ' ' || p[vs] == '\t'))
		vs++;
	while (ve > vs && (p[ve - 1] == ' ' || p[ve - 1] == '\t'))
		ve--;
	if (i == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
		size_t k;

		if (ve == vs)
			return HTTPREQ_BAD;
		for (k = vs; k < ve; k++)
			if (p[k] < '0' || p[k] > '9')
				return HTTPREQ_BAD;
		for (k = vs; k < ve && p[k] == '0'; k++)
			;
		if (k < ve)
			return HTTPREQ_HAS_BODY;
	} else if (i == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0)
		return HTTPREQ_HAS_BODY;
	else if (i == 10 && strncasecmp(p, "Connection", 10) == 0) {
		if (has_token(p + vs, ve - vs, "close"))
			out->keep_alive = 0;
		else if (has_token(p + vs, ve - vs, "keep-alive"))
			out->keep_alive = 1;
	}
	return HTTPREQ_OK;
}

enum httpreq_status
httpreq_parse(const char *buf, size_t len, struct httpreq *out)
{
	enum httpreq_status st;
	size_t end, i, ls, le, nheaders = 0;
	int first = 1;

	memset(out, 0, sizeof(*out));
	end = head_end(buf, len > HTTPREQ_MAX_HEAD ? HTTPREQ_MAX_HEAD : len);
	if (end == 0)
		return len >= HTTPREQ_MAX_HEAD ? HTTPREQ_TOO_LARGE :
		    HTTPREQ_INCOMPLETE;
	if (memchr(buf, '\0', end) != NULL)
		return HTTPREQ_BAD;
	for (i = 0; i < end; i = le + 1) {
		ls = i;
		le = (size_t)((const char *)memchr(buf + i, '\n', end - i) -
		    buf);
		{
			size_t n = le - ls;

			if (n > 0 && buf[le - 1] == '\r')
				n--;
			if (memchr(buf + ls, '\r', n) != NULL)
				return HTTPREQ_BAD;	/* bare CR */
			if (n == 0) {
				if (first)
					return HTTPREQ_BAD;
				break;
			}
			if (first) {
				if ((st = request_line(buf + ls, n, out)) !=
				    HTTPREQ_OK)
					return st;
				first = 0;
			} else {
				if (++nheaders > HTTPREQ_MAX_HEADERS)
					return HTTPREQ_TOO_LARGE;
				if ((st = header(buf + ls, n, out)) !=
				    HTTPREQ_OK)
					return st;
			}
		}
	}
	out->head_len = end;
	return HTTPREQ_OK;
}
