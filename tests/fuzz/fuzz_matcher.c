/*
 * fuzz_matcher.c -- libFuzzer harness for the matcher: arbitrary bytes go
 * through norm_fold() (several output sizes) and matcher_match() on a small
 * built-in KB; with the first byte's low bits 3, the input's lines also
 * become the examples of a KB that is trained and queried.  Results must
 * stay in range; nothing may crash or leak.  Built with -DFUZZ_STDIN_MAIN
 * it reads one input from stdin instead (regression replay).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intents.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *ex_sleep[] = { "can melatonin help me sleep",
	"does melatonin work for insomnia", "melatonin and jet lag" };
static char *ex_dep[] = { "is klonopin an antidepressant",
	"can clonazepam treat depression", "klonopin for low mood" };
static char *ex_bot[] = { "who are you", "what can you do",
	"are you a real doctor" };
static char *v_clon[] = { "klonopin", "rivotril", "klonapin" };
static char *v_sleep[] = { "sleeping pill", "sleep aid" };
static struct kb_concept concepts[] = {
	{ "clonazepam", v_clon, 3 },
	{ "hypnotic", v_sleep, 2 },
};
static struct kb_intent intents[] = {
	{ "melatonin.sleep", "Does melatonin help sleep?", ex_sleep, 3, "a",
	    NULL, 0, NULL, 0 },
	{ "klonopin.depression", "Is Klonopin an antidepressant?", ex_dep, 3,
	    "b", NULL, 0, NULL, 0 },
	{ "bot.about", "What are you?", ex_bot, 3, "c", NULL, 0, NULL, 0 },
};
static const struct kb kb = { NULL, 0, intents, 3, concepts, 2, NULL };

static void
check_result(const struct match_result *r, size_t nintents)
{
	size_t i;

	if (r->intent < -1 || r->intent >= (int)nintents ||
	    !(r->confidence >= 0 && r->confidence <= 1) ||
	    r->nalts > MATCH_MAX_ALTS)
		abort();
	for (i = 0; i < r->nalts; i++)
		if (r->alts[i].intent < 0 ||
		    r->alts[i].intent >= (int)nintents ||
		    !(r->alts[i].confidence >= 0 &&
		    r->alts[i].confidence <= 1))
			abort();
}

/* Trains a two-intent KB whose examples are the input's lines. */
static void
train_from_input(const char *s, size_t size)
{
	char *buf, *lines[16];
	struct kb_intent in[2];
	struct kb k;
	struct match_result r;
	struct matcher *m;
	size_t n = 0, i, start = 0;
	char err[128];

	if ((buf = malloc(size + 1)) == NULL)
		return;
	memcpy(buf, s, size);
	buf[size] = '\0';
	for (i = 0; i <= size && n < 16; i++) {
		if (i == size || buf[i] == '\n') {
			buf[i] = '\0';
			lines[n++] = buf + start;
			start = i + 1;
		}
	}
	memset(in, 0, sizeof(in));
	memset(&k, 0, sizeof(k));
	in[0].id = "x.one";
	in[0].question = lines[0];
	in[0].examples = lines + 1;
	in[0].nexamples = n > 1 ? (n - 1) / 2 : 0;
	in[1].id = "x.two";
	in[1].question = "a fixed second question";
	in[1].examples = lines + 1 + in[0].nexamples;
	in[1].nexamples = n - 1 - in[0].nexamples;
	k.intents = in;
	k.nintents = 2;
	k.concepts = concepts;
	k.nconcepts = 2;
	if ((m = matcher_new(&k, NULL, err, sizeof(err))) != NULL) {
		matcher_match(m, s, size, &r);
		check_result(&r, 2);
		matcher_free(m);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct matcher *m;
	static char out[8192];
	struct match_result r;
	char err[128];
	long n;

	if (size > 200 * 1024)
		return 0;
	if (m == NULL && (m = matcher_new(&kb, NULL, err, sizeof(err))) ==
	    NULL)
		abort();
	n = norm_fold((const char *)data, size, out, sizeof(out));
	if (n < 0 || (size_t)n >= sizeof(out) || out[n] != '\0' ||
	    strlen(out) != (size_t)n)
		abort();
	n = norm_fold((const char *)data, size, out, 1 + (size % 17));
	if (n < 0 || (size_t)n > size % 17)
		abort();
	matcher_match(m, (const char *)data, size, &r);
	check_result(&r, 3);
	if (size > 0 && (data[0] & 3) == 3 && size < 4096)
		train_from_input((const char *)data, size);
	return 0;
}

#ifdef FUZZ_STDIN_MAIN
int
main(void)
{
	static uint8_t buf[200 * 1024];
	size_t n = fread(buf, 1, sizeof(buf), stdin);

	LLVMFuzzerTestOneInput(buf, n);
	printf("ok (%zu bytes)\n", n);
	return 0;
}
#endif
