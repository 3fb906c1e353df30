/*
 * fuzz_kbload.c -- libFuzzer harness for the KB JSON loader: arbitrary
 * bytes are parsed as JSON and handed to every kbjson_add_*() and the
 * cross-file checks, which must report problems, never crash or leak.
 * The first input byte picks which document shape the rest is read as
 * first (sources, intents, lexicon); all three are tried.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "kbjson.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb kb = { 0 };
	struct diag d;
	cJSON *doc;
	const char **files;
	size_t i;

	if (size > 1 << 20)
		return 0;
	doc = cJSON_ParseWithLength((const char *)data, size);
	if (doc == NULL)
		return 0;
	diag_init(&d);
	kbjson_add_sources(&kb, doc, "sources.json", &d);
	kbjson_add_intents(&kb, doc, "intents.json", &d);
	kbjson_add_lexicon(&kb, doc, "lexicon.json", &d);
	files = calloc(kb.nintents + 1, sizeof(*files));
	if (files != NULL) {
		for (i = 0; i < kb.nintents; i++)
			files[i] = "intents.json";
		kbjson_crosscheck(&kb, files, &d);
		free(files);
	}
	kbjson_free(&kb);
	diag_free(&d);
	cJSON_Delete(doc);
	return 0;
}
