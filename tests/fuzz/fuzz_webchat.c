/*
 * fuzz_webchat.c -- libFuzzer harness for the web chat's message
 * handler: arbitrary bytes (one websocket message) go through
 * wcp_parse_ask() with a small and a large cap; a question that parses
 * is echoed back through the reply renderer as body and suggestion,
 * which must produce JSON that parses again.  Never a crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pipeline.h"
#include "webchat.h"
#include "webchat_proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[] = { 16, 65536 };
	struct webchat_contact c = { "label", "988", NULL, NULL, NULL };
	struct reply r;
	struct wcp_extra x = { 0 };
	cJSON *back;
	char *text, *json;
	size_t i, n;

	if (size > 1 << 20)
		return 0;
	for (i = 0; i < 2; i++) {
		if (wcp_parse_ask((const char *)data, size, caps[i], &text,
		    &n) != WCP_OK)
			continue;
		if (n > caps[i] || strlen(text) != n || !wcp_utf8_ok(text, n))
			abort();
		memset(&r, 0, sizeof(r));
		r.kind = (n & 1) ? REPLY_CRISIS : REPLY_ANSWER;
		r.body = text;
		r.suggest[0] = text;
		r.nsuggest = 1;
		r.nsources = 1;
		r.sources[0].title = text;
		r.sources[0].url = text;
		x.contacts = &c;
		x.ncontacts = 1;
		x.note = text;
		json = wcp_reply(&r, &x);
		if ((back = cJSON_Parse(json)) == NULL)
			abort();
		cJSON_Delete(back);
		free(json);
		free(text);
	}
	/* the validator alone on raw bytes */
	(void)wcp_utf8_ok((const char *)data, size);
	return 0;
}
