/*
 * strbuf.h -- a growable NUL-terminated string for building replies and
 * HTTP responses.  Growth is capped (STRBUF_MAX); past it appends are
 * dropped and sb->overflow is set, so outside input can never grow it
 * without limit.
 */
#ifndef STRBUF_H
#define STRBUF_H

#include <stddef.h>

#define STRBUF_MAX	(16u * 1024 * 1024)

struct strbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	int	 overflow;
};

/* strbuf.c */
void	sb_init(struct strbuf *sb);
void	sb_free(struct strbuf *sb);
void	sb_append(struct strbuf *sb, const char *s, size_t len);
void	sb_puts(struct strbuf *sb, const char *s);
void	sb_printf(struct strbuf *sb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal (quotes included); NULL -> null. */
void	sb_json_str(struct strbuf *sb, const char *s, size_t len);
/* Hand the string to the caller (who frees it); sb is reset. */
char	*sb_steal(struct strbuf *sb, size_t *len);

#endif /* STRBUF_H */
