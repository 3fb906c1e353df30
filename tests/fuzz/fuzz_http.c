/*
 * fuzz_http.c -- libFuzzer target for the admin listener's HTTP request
 * head parser: every prefix of the input is parsed too (the listener
 * parses after each read), results must be consistent.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httpreq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct httpreq r;
	enum httpreq_status st;
	size_t cut;

	if (size > 2 * HTTPREQ_MAX_HEAD)
		size = 2 * HTTPREQ_MAX_HEAD;
	st = httpreq_parse((const char *)data, size, &r);
	if (st == HTTPREQ_OK) {
		if (r.head_len == 0 || r.head_len > size ||
		    r.head_len > HTTPREQ_MAX_HEAD || r.path[0] != '/' ||
		    strlen(r.path) > HTTPREQ_MAX_PATH)
			abort();
	}
	for (cut = 0; cut < size && cut < 64; cut++)
		(void)httpreq_parse((const char *)data, cut, &r);
	return 0;
}
