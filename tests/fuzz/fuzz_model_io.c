/*
 * fuzz_model_io.c -- libFuzzer harness for the model cache's readers
 * (intents/model_io.c): arbitrary bytes go through mio_open() as a whole
 * cache file, through matcher_load() as a serialised model for a small
 * built-in KB, and (sealed into a valid container first, so that the
 * checksum does not stop the fuzzer) through both in turn.  Anything
 * accepted must answer in range; nothing may crash or leak.  Built with
 * -DFUZZ_STDIN_MAIN it reads one input from stdin instead (replay).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intents.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEY	"fuzz key"

static char *ex_sleep[] = { "can melatonin help me sleep",
	"does melatonin work for insomnia", "melatonin and jet lag" };
static char *ex_dep[] = { "is klonopin an antidepressant",
	"can clonazepam treat depression", "klonopin for low mood" };
static char *v_clon[] = { "klonopin", "rivotril" };
static struct kb_concept concepts[] = { { "clonazepam", v_clon, 2 } };
static struct kb_intent intents[] = {
	{ "melatonin.sleep", "Does melatonin help sleep?", ex_sleep, 3, "a",
	    NULL, 0, NULL, 0 },
	{ "klonopin.depression", "Is Klonopin an antidepressant?", ex_dep, 3,
	    "b", NULL, 0, NULL, 0 },
};
static const struct kb kb = { .intents = intents, .nintents = 2,
    .concepts = concepts, .nconcepts = 1 };

/* A loaded model must answer in range. */
static void
try_model(const unsigned char *p, size_t n)
{
	struct matcher *m;
	struct match_result r;
	char err[256];

	if ((m = matcher_load(&kb, NULL, p, n, err, sizeof(err))) == NULL)
		return;
	matcher_match(m, "does melatonin help me sleep", 28, &r);
	if (r.intent < -1 || r.intent > 1 ||
	    !(r.confidence >= 0 && r.confidence <= 1))
		abort();
	matcher_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mio_part part, got[2];
	unsigned char *sealed;
	size_t slen;
	char err[256];

	if (size > 1024 * 1024)
		return 0;
	if (mio_open(data, size, KEY, got, 1, err, sizeof(err)) == MIO_OK)
		try_model(got[0].data, got[0].len);
	(void)mio_open(data, size, KEY, got, 2, err, sizeof(err));
	try_model(data, size);
	part.data = data;
	part.len = size;
	if (mio_seal(KEY, &part, 1, &sealed, &slen) == 0) {
		if (mio_open(sealed, slen, KEY, got, 1, err, sizeof(err)) !=
		    MIO_OK || got[0].len != size)
			abort();
		try_model(got[0].data, got[0].len);
		free(sealed);
	}
	return 0;
}

#ifdef FUZZ_STDIN_MAIN
int
main(void)
{
	static uint8_t buf[1024 * 1024];
	size_t n = fread(buf, 1, sizeof(buf), stdin);

	LLVMFuzzerTestOneInput(buf, n);
	printf("ok (%zu bytes)\n", n);
	return 0;
}
#endif
