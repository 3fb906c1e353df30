/*
 * platform.h -- the interface every chat platform adapter implements.
 *
 * The router (bot side) never knows which platform a message came from:
 * an adapter turns its protocol's events into struct message and calls
 * the dispatch callback it was given; the router answers through send()
 * and alerts moderators through escalate().  All calls happen on the one
 * event loop thread.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include "pipeline.h"

struct platform;

/* Called by an adapter for each incoming message (msg borrowed). */
typedef void (*platform_dispatch_fn)(void *router, struct platform *p,
    const struct message *msg);

struct platform_ops {
	const char	*name;		/* "stdio", "matrix", "discord", ... */
	/* Start connecting; 0 or -1 (fatal misconfiguration). */
	int		(*start)(struct platform *p);
	/*
	 * Queue a reply to msg (in msg->room, to msg->user only).  The
	 * adapter copies what it needs; a queued reply is retried, delayed
	 * by rate limits, never dropped.  0 or -1.
	 */
	int		(*send)(struct platform *p, const struct message *msg,
			    const struct reply *r);
	/* Deliver an escalation to the moderators' room/channel; 0 or -1. */
	int		(*escalate)(struct platform *p,
			    const struct escalation *e);
	/* Stop reading; flush what is queued; then call done(p). */
	void		(*stop)(struct platform *p,
			    void (*done)(struct platform *p));
	/* "connected", "connecting", "backoff", "stopped", "fatal". */
	const char	*(*status)(const struct platform *p);
	/* Release everything; called after stop completed. */
	void		(*free)(struct platform *p);
};

struct platform {
	const struct platform_ops	*ops;
	platform_dispatch_fn		 dispatch;
	void				*router;	/* opaque to adapters */
	void				*impl;		/* adapter state */
};

#endif /* PLATFORM_H */
