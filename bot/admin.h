/*
 * admin.h -- the admin HTTP listener on the daemon's loop (loopback by
 * default, off unless admin.listen is set): GET /healthz and /metrics.
 * Each connection answers one request and closes; heads are capped
 * (httpreq.h), idle connections time out, connections are capped.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include <stddef.h>

struct admin;
struct bot;

#define ADMIN_MAX_CONNS		64
#define ADMIN_IDLE_MS		5000

/* admin.c */
/* Bind and listen; NULL with a message in err.  Close with admin_close()
 * (the memory is freed once libuv closed every handle). */
struct admin	*admin_start(struct bot *b, const char *host, int port,
		    char *err, size_t errlen);
int		 admin_port(const struct admin *a);	/* bound port */
void		 admin_close(struct admin *a);

#endif /* ADMIN_H */
