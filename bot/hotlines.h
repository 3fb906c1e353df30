/*
 * hotlines.h -- crisis numbers per region (config/hotlines.json) and the
 * crisis replies built from them (crisis_reply.c).  Every number lives in
 * the data file with its "last_verified" date; no number is compiled in.
 */
#ifndef HOTLINES_H
#define HOTLINES_H

#include <stddef.h>

#include "crisis.h"

struct diag;

/* One service; absent fields are NULL. */
struct hotline_service {
	char	*name;
	char	*call;
	char	*text;
	char	*chat;
	char	*email;
	char	*note;
};

struct hotline_region {
	char			*code;		/* "US", "other" */
	char			*name;		/* "the US" */
	char			*emergency;	/* "911" */
	char			*emergency_alt;	/* "112 also works" or NULL */
	struct hotline_service	 crisis;	/* name NULL: use directory */
	struct hotline_service	 text_line;
	struct hotline_service	 veterans;
	struct hotline_service	 poison;
	struct hotline_service	 sexual_assault;
	struct hotline_service	 domestic_violence;
	struct hotline_service	 youth;
	struct hotline_service	 substance;
	char			*footer;	/* mention-level line */
};

struct hotlines {
	char			*last_verified;	/* "2026-11" */
	char			*default_region;
	char			*directory;	/* "findahelpline.com" */
	struct hotline_region	*regions;
	size_t			 nregions;
};

/* Regions the file must define. */
#define HOTLINES_REQUIRED	{ "US", "CA", "UK", "IE", "AU", "EU", "other" }

/* hotlines.c */
/*
 * hotlines_load() reads and validates path (regions present, numbers
 * non-empty, last_verified "YYYY-MM").  Returns the table (free with
 * hotlines_free()) or NULL after adding every problem to d.
 */
struct hotlines	*hotlines_load(const char *path, struct diag *d);
void		 hotlines_free(struct hotlines *h);	/* NULL ok */
/*
 * The region for code (case-insensitive; NULL or "" = the default
 * region; unknown codes get "other").  Never NULL for a loaded table.
 */
const struct hotline_region *hotlines_region(const struct hotlines *h,
		    const char *code);
/* Is code a region of h (not counting the "other" fallback)? */
int		 hotlines_has_region(const struct hotlines *h,
		    const char *code);
/* The one-line resource footer for mention-level answers (borrowed). */
const char	*hotlines_footer(const struct hotlines *h, const char *region);

/* crisis_reply.c */
/*
 * crisis_reply_compose() writes the crisis reply for res in region: the
 * acute reply (emergency number first when the body is in danger, else
 * the crisis line first) or the concern reply (one fitting resource).
 * Returns xmalloc'd text, or NULL when no reply goes to the author (level
 * below concern, or abuse aimed at someone else: moderators only).
 */
char		*crisis_reply_compose(const struct hotlines *h,
		    const char *region, const struct crisis_result *res);

#endif /* HOTLINES_H */
