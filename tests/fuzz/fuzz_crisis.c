/*
 * fuzz_crisis.c -- libFuzzer harness for the crisis detector and its
 * replies: arbitrary bytes go through crisis_check() with the shipped
 * phrase file (faq/crisis.json, loaded once; run from the repository
 * root), split at the first newline into a previous message and the
 * current one so the author's memory is exercised, and every result at
 * concern or above is turned into a reply for a region picked by the
 * first byte.  Results must stay in range, replies must name the bot and
 * carry the region's emergency number when acute; nothing may crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crisis.h"
#include "crisis_load.h"
#include "diag.h"
#include "hotlines.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct crisis	*crisis;
static struct hotlines	*hotlines;

static void
load_once(void)
{
	struct diag d;

	if (crisis != NULL)
		return;
	diag_init(&d);
	crisis = crisis_load("faq/crisis.json", &d);
	hotlines = hotlines_load("config/hotlines.json", &d);
	if (crisis == NULL || hotlines == NULL) {
		diag_print(&d, stderr);
		abort();
	}
	diag_free(&d);
}

static void
check(const struct crisis_result *r, const char *region)
{
	const struct hotline_region *hr;
	char *t;

	if (r->level > CRISIS_ACUTE || r->kind > CRISIS_ABUSE_OF_OTHERS ||
	    r->nmatched > CRISIS_MAX_MATCHED ||
	    (r->level == CRISIS_NONE && r->nmatched != 0) ||
	    (r->level != CRISIS_NONE && r->kind == CRISIS_KIND_NONE) ||
	    (r->emergency && r->level != CRISIS_ACUTE))
		abort();
	t = crisis_reply_compose(hotlines, region, r);
	if (r->level >= CRISIS_CONCERN && r->kind != CRISIS_ABUSE_OF_OTHERS) {
		hr = hotlines_region(hotlines, region);
		if (t == NULL || strstr(t, "bot") == NULL || hr == NULL)
			abort();
		if (r->level == CRISIS_ACUTE && strstr(t, hr->emergency) == NULL)
			abort();
	} else if (t != NULL)
		abort();
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const regions[] = { "US", "CA", "UK", "IE", "AU",
	    "EU", "other", "ZZ" };
	const char *s = (const char *)data, *nl;
	const char *region = regions[size > 0 ? data[0] % 8 : 0];
	struct crisis_memory mem;
	struct crisis_result r;

	load_once();
	memset(&mem, 0, sizeof(mem));
	nl = size > 0 ? memchr(s, '\n', size) : NULL;
	if (nl != NULL) {
		crisis_check(crisis, s, (size_t)(nl - s), &mem, 100, &r);
		check(&r, region);
		crisis_check(crisis, nl + 1, size - (size_t)(nl - s) - 1, &mem,
		    130, &r);
	} else
		crisis_check(crisis, s, size, &mem, 100, &r);
	check(&r, region);
	/* no memory at all */
	crisis_check(crisis, s, size, NULL, 0, &r);
	check(&r, region);
	return 0;
}
