/*
 * crisis.h -- public interface of the crisis detector (crisis.c).
 *
 * Pure like the matcher: the caller passes the phrase rules (loaded by the
 * daemon from the data file), the per-user memory and the current time.
 * Levels and kinds follow shared/spec/crisis.md.
 */
#ifndef CRISIS_H
#define CRISIS_H

#include <stddef.h>

enum crisis_level {
	CRISIS_NONE,
	CRISIS_MENTION,		/* informational: FAQ answer + footer */
	CRISIS_CONCERN,		/* risk without immediacy */
	CRISIS_ACUTE,		/* danger to life now */
};

enum crisis_kind {
	CRISIS_KIND_NONE,
	CRISIS_SUICIDE,
	CRISIS_SELF_HARM,
	CRISIS_OVERDOSE,
	CRISIS_MEDICAL_EMERGENCY,
	CRISIS_VIOLENCE,
	CRISIS_ABUSE_OF_OTHERS,
};

#define CRISIS_MAX_MATCHED 8

struct crisis_result {
	enum crisis_level	 level;
	enum crisis_kind	 kind;
	const char		*matched[CRISIS_MAX_MATCHED];	/* rule names */
	size_t			 nmatched;
};

const char	*crisis_level_str(enum crisis_level level);
const char	*crisis_kind_str(enum crisis_kind kind);

/* The rest of this header (rules, memory, crisis_new/check/free) is
 * defined by crisis.c's author. */

#endif /* CRISIS_H */
