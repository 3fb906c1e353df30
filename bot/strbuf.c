/*
 * strbuf.c -- capped growable strings (see strbuf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xmalloc.h"

void
sb_init(struct strbuf *sb)
{
	sb->s = NULL;
	sb->len = 0;
	sb->cap = 0;
	sb->overflow = 0;
}

void
sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb_init(sb);
}

/* Room for n more bytes plus the NUL; 0, or -1 past the cap. */
static int
reserve(struct strbuf *sb, size_t n)
{
	size_t want;

	if (n > STRBUF_MAX || sb->len + n + 1 > STRBUF_MAX) {
		sb->overflow = 1;
		return -1;
	}
	want = sb->len + n + 1;
	if (want <= sb->cap)
		return 0;
	if (sb->cap == 0)
		sb->cap = 256;
	while (sb->cap < want)
		sb->cap *= 2;
	sb->s = xreallocarray(sb->s, sb->cap, 1);
	return 0;
}

void
sb_append(struct strbuf *sb, const char *s, size_t len)
{
	if (reserve(sb, len) == -1)
		return;
	memcpy(sb->s + sb->len, s, len);
	sb->len += len;
	sb->s[sb->len] = '\0';
}

void
sb_puts(struct strbuf *sb, const char *s)
{
	sb_append(sb, s, strlen(s));
}

void
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(sb, (size_t)n) == -1)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t need, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

void
sb_json_str(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (s == NULL) {
		sb_puts(sb, "null");
		return;
	}
	sb_append(sb, "\"", 1);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		char esc[7];

		switch (ch) {
		case '"': sb_append(sb, "\\\"", 2); break;
		case '\\': sb_append(sb, "\\\\", 2); break;
		case '\n': sb_append(sb, "\\n", 2); break;
		case '\r': sb_append(sb, "\\r", 2); break;
		case '\t': sb_append(sb, "\\t", 2); break;
		default:
			if (ch < 0x20 || ch == 0x7f) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[ch >> 4];
				esc[5] = hex[ch & 15];
				sb_append(sb, esc, 6);
			} else if (ch < 0x80)
				sb_append(sb, (const char *)&s[i], 1);
			else {
				size_t n = utf8_len((const unsigned char *)s +
				    i, len - i);

				if (n == 0)	/* invalid: U+FFFD */
					sb_append(sb, "\\ufffd", 6);
				else {
					sb_append(sb, s + i, n);
					i += n - 1;
				}
			}
		}
	}
	sb_append(sb, "\"", 1);
}

char *
sb_steal(struct strbuf *sb, size_t *len)
{
	char *s;

	if (sb->s == NULL)
		sb_append(sb, "", 0);
	s = sb->s != NULL ? sb->s : xstrdup("");
	if (len != NULL)
		*len = sb->len;
	sb_init(sb);
	return s;
}
