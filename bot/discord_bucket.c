/*
 * discord_bucket.c -- which Discord rate limit a REST request counts
 * against.  A route is the method and the path with every id blanked;
 * its top-level resource (channel, guild, webhook or interaction id, with
 * the token for the last two) is its major parameter, kept apart.
 * Responses name the route's bucket (X-RateLimit-Bucket); routes naming
 * the same bucket share one limit per major parameter, so their
 * Remaining and Reset are counted together.  Until its first response a
 * route has a limit of its own.
 *
 * Pure bookkeeping: no I/O, no clock (callers pass now, in ms), no log.
 * Tokens are never stored: a major parameter keeps a hash of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discord.h"
#include "intents.h"
#include "xmalloc.h"

#define KEEP	256	/* limits / route links kept before pruning */

struct route_link {
	struct route_link	*next;
	char			*route;
	char			*bucket;
};

struct discord_limits {
	struct route_link	*links;
	size_t			 nlinks;
	struct discord_limit	*limits;
	size_t			 nlimits;
};

static int
all_digits(const char *s, size_t n)
{
	return n > 0 && strspn(s, "0123456789") >= n;
}

/* Append n bytes of s to buf (cap bytes, *len used); 0, or -1 if full. */
static int
put(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len + n + 1 > cap)
		return -1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

static int
puts_(char *buf, size_t cap, size_t *len, const char *s)
{
	return put(buf, cap, len, s, strlen(s));
}

/*
 * discord_route_split() writes the route of method path into route
 * ("POST /channels/{channel_id}/messages") and its major parameter into
 * major ("channels/123", "" when none).  The query string is ignored.
 * Returns 0, or -1 when a buffer is too small (both are then truncated
 * but still NUL-terminated and free of tokens).
 */
int
discord_route_split(const char *method, const char *path, char *route,
    size_t rcap, char *major, size_t mcap)
{
	const char *p = path, *seg, *prev = "";
	size_t rl = 0, ml = 0, n, prevn = 0;
	int rc = 0, token_next = 0;
	char hex[20];

	route[0] = '\0';
	major[0] = '\0';
	rc |= puts_(route, rcap, &rl, method);
	rc |= puts_(route, rcap, &rl, " ");
	while (*p != '\0' && *p != '?') {
		if (*p == '/') {
			rc |= put(route, rcap, &rl, "/", 1);
			p++;
			continue;
		}
		seg = p;
		n = strcspn(p, "/?");
		p += n;
		if (token_next) {
			token_next = 0;
			rc |= puts_(route, rcap, &rl, "{token}");
			if (ml > 0) {
				/* a hash tells tokens apart unkept */
				snprintf(hex, sizeof(hex), "/%016llx",
				    (unsigned long long)mio_hash(MIO_HASH_INIT,
				    seg, n));
				rc |= puts_(major, mcap, &ml, hex);
			}
		} else if (all_digits(seg, n) && ml == 0 &&
		    ((prevn == 8 && strncmp(prev, "channels", 8) == 0) ||
		    (prevn == 6 && strncmp(prev, "guilds", 6) == 0) ||
		    (prevn == 8 && strncmp(prev, "webhooks", 8) == 0) ||
		    (prevn == 12 && strncmp(prev, "interactions", 12) == 0))) {
			rc |= puts_(route, rcap, &rl, "{major}");
			rc |= put(major, mcap, &ml, prev, prevn);
			rc |= put(major, mcap, &ml, "/", 1);
			rc |= put(major, mcap, &ml, seg, n);
			/* webhook and interaction ids come with a token */
			token_next = prev[0] == 'w' || prev[0] == 'i';
		} else if (all_digits(seg, n))
			rc |= puts_(route, rcap, &rl, "{id}");
		else
			rc |= put(route, rcap, &rl, seg, n);
		prev = seg;
		prevn = n;
	}
	return rc ? -1 : 0;
}

struct discord_limits *
discord_limits_new(void)
{
	return xcalloc(1, sizeof(struct discord_limits));
}

static void
limit_free(struct discord_limit *l)
{
	free(l->name);
	free(l->major);
	free(l);
}

void
discord_limits_free(struct discord_limits *L)
{
	struct discord_limit *l;
	struct route_link *k;

	if (L == NULL)
		return;
	while ((l = L->limits) != NULL) {
		L->limits = l->next;
		limit_free(l);
	}
	while ((k = L->links) != NULL) {
		L->links = k->next;
		free(k->route);
		free(k->bucket);
		free(k);
	}
	free(L);
}

static struct route_link *
link_find(const struct discord_limits *L, const char *route)
{
	struct route_link *k;

	for (k = L->links; k != NULL; k = k->next)
		if (strcmp(k->route, route) == 0)
			return k;
	return NULL;
}

static struct discord_limit *
limit_find(const struct discord_limits *L, const char *name,
    const char *major)
{
	struct discord_limit *l;

	for (l = L->limits; l != NULL; l = l->next)
		if (strcmp(l->name, name) == 0 && strcmp(l->major, major) == 0)
			return l;
	return NULL;
}

/* Forget idle limits whose window is over, when there are too many. */
static void
prune(struct discord_limits *L, uint64_t now)
{
	struct discord_limit *l, **pp;

	if (L->nlimits < KEEP)
		return;
	for (pp = &L->limits; *pp != NULL;) {
		l = *pp;
		if (!l->inflight && l->reset_at <= now) {
			*pp = l->next;
			limit_free(l);
			L->nlimits--;
		} else
			pp = &l->next;
	}
}

static struct discord_limit *
limit_get(struct discord_limits *L, const char *name, const char *major,
    uint64_t now)
{
	struct discord_limit *l;

	if ((l = limit_find(L, name, major)) != NULL)
		return l;
	prune(L, now);
	l = xcalloc(1, sizeof(*l));
	l->name = xstrdup(name);
	l->major = xstrdup(major);
	l->next = L->limits;
	L->limits = l;
	L->nlimits++;
	return l;
}

/*
 * discord_limits_get() returns the limit a request on (route, major)
 * counts against now: its bucket's, once a response named one, else the
 * route's own.  The limit stays valid while its inflight is set; others
 * may be pruned by the next call.
 */
struct discord_limit *
discord_limits_get(struct discord_limits *L, const char *route,
    const char *major, uint64_t now)
{
	struct route_link *k = link_find(L, route);

	return limit_get(L, k != NULL ? k->bucket : route, major, now);
}

/*
 * discord_limits_learn() records that route answered with bucket (the
 * X-RateLimit-Bucket value) and returns the shared limit of (bucket,
 * major).  The route's own provisional limit, if any and idle, goes.
 */
struct discord_limit *
discord_limits_learn(struct discord_limits *L, const char *route,
    const char *major, const char *bucket, uint64_t now)
{
	struct route_link *k = link_find(L, route);
	struct discord_limit *l, **pp;

	if (k == NULL) {
		if (L->nlinks >= KEEP) {	/* relearned on use */
			while ((k = L->links) != NULL) {
				L->links = k->next;
				free(k->route);
				free(k->bucket);
				free(k);
			}
			L->nlinks = 0;
		}
		k = xcalloc(1, sizeof(*k));
		k->route = xstrdup(route);
		k->next = L->links;
		L->links = k;
		L->nlinks++;
	}
	if (k->bucket == NULL || strcmp(k->bucket, bucket) != 0) {
		free(k->bucket);
		k->bucket = xstrdup(bucket);
	}
	for (pp = &L->limits; *pp != NULL; pp = &(*pp)->next) {
		l = *pp;
		if (!l->inflight && strcmp(l->name, route) == 0 &&
		    strcmp(l->major, major) == 0) {
			*pp = l->next;
			limit_free(l);
			L->nlimits--;
			break;
		}
	}
	return limit_get(L, bucket, major, now);
}

/* Clear every limit's blocked mark (start of a pump pass). */
void
discord_limits_unblock(struct discord_limits *L)
{
	struct discord_limit *l;

	for (l = L->limits; l != NULL; l = l->next)
		l->blocked = 0;
}

size_t
discord_limits_count(const struct discord_limits *L)
{
	return L->nlimits;
}
