/*
 * router.h -- what happens to every incoming message, whatever its
 * platform: moderator command, else flood control (crisis replies are
 * never suppressed), else the pipeline; the reply goes back through the
 * platform's send(), escalations through its escalate().
 */
#ifndef ROUTER_H
#define ROUTER_H

struct platform;
struct message;

/* router.c */
/* The platform_dispatch_fn; router is the struct bot. */
void	router_dispatch(void *router, struct platform *p,
	    const struct message *msg);

/* Send a plain text reply (moderator command output) to msg's author. */
void	router_send_text(void *router, struct platform *p,
	    const struct message *msg, const char *text);

#endif /* ROUTER_H */
