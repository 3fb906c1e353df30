/*
 * crisisname.h -- names of crisis levels and kinds for logs, metrics
 * labels and the stdio platform's JSON.  Kept on the daemon side so the
 * daemon links before the crisis detector (crisis.c) lands; the names
 * match shared/spec/crisis.md and crisis.h's enum order.
 */
#ifndef CRISISNAME_H
#define CRISISNAME_H

#include "crisis.h"

static inline const char *
cname_level(enum crisis_level l)
{
	static const char *const n[] = { "none", "mention", "concern",
	    "acute" };

	return (unsigned)l < sizeof(n) / sizeof(n[0]) ? n[l] : "unknown";
}

static inline const char *
cname_kind(enum crisis_kind k)
{
	static const char *const n[] = { "none", "suicide", "self_harm",
	    "overdose", "medical_emergency", "violence", "abuse_of_others" };

	return (unsigned)k < sizeof(n) / sizeof(n[0]) ? n[k] : "unknown";
}

#endif /* CRISISNAME_H */
