/*
 * xmalloc.h -- the daemon's allocation wrappers: on failure they call
 * fatal() (systemd restarts the service).  The pure library never uses
 * these; it returns NULL / -1 instead.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

/* xmalloc.c */
void	*xmalloc(size_t size);
void	*xcalloc(size_t nmemb, size_t size);
void	*xreallocarray(void *ptr, size_t nmemb, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* matcher_ws_new() (intents.h: a caller's stemmer), or fatal. */
struct matcher_ws *xmatcher_ws_new(void);

#endif /* XMALLOC_H */
