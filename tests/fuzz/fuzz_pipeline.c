/*
 * fuzz_pipeline.c -- libFuzzer harness for the whole message path:
 * arbitrary bytes as a chat message (crisis check, match, compose, the
 * per-user table) against the shipped KB in faq/ (run from the
 * repository root).  The first byte picks the author among a few users
 * and whether the message is an edit, so memory and dedupe get exercised.
 * Must never crash, leak or produce a reply without text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "kbset.h"
#include "pipeline.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once for the whole run (a fuzzer is one process). */
static struct kbset	*fz_kb;
static struct pipeline	*fz_pl;
static double		 fz_now;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const users[] = { "@a", "@b", "@c", "@d" };
	struct message m = { 0 };
	struct reply r;
	struct escalation e;
	struct diag d;

	if (fz_kb == NULL) {
		diag_init(&d);
		fz_kb = kbset_load("faq", NULL, &d);
		if (fz_kb == NULL) {
			diag_print(&d, stderr);
			abort();
		}
		diag_free(&d);
		fz_pl = pipeline_new(NULL);
	}
	if (size > 64 * 1024)
		return 0;
	m.platform = "fuzz";
	m.room = "!r";
	m.id = "$e";
	if (size > 0) {
		m.user = users[data[0] & 3];
		m.is_edit = (data[0] & 4) != 0;
		data++;
		size--;
	} else
		m.user = users[0];
	m.text = (const char *)data;
	m.len = size;
	fz_now += 7.0;
	if (pipeline_handle(fz_pl, fz_kb, &m, fz_now, &r, &e) != 0)
		abort();
	if (r.kind != REPLY_NONE && (r.text == NULL || r.text[0] == '\0'))
		abort();
	if (r.kind == REPLY_CRISIS && r.intent != NULL)
		abort();		/* acute/concern: never FAQ content */
	reply_free(&r);
	return 0;
}
