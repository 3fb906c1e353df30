/*
 * test_model_io.c -- trained models to bytes and back (intents/model_io.c,
 * matcher_save/matcher_load, the crisis backstop's save/load): a round
 * trip answers exactly as the trained model did; a truncated, corrupted,
 * foreign-key, wrong-version or wrong-KB buffer is refused; the digests
 * follow the training inputs and nothing else.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crisis.h"
#include "intents.h"
#include "internal.h"
#include "toykb.h"

static char *ex_dose[] = { "how many pills should i take",
	"what dose of cat food", "how much should i take each day",
	"double dose after missing one" };
static struct kb_topic topics[] = {
	{ "dose", "no doses", ex_dose, 4 },
};

static const char *const questions[] = {
	"what do i feed a kitty", "flat tyre on the motorway",
	"when are taxes due", "how many pills a day", "xyzzy plugh",
	"", "cat car tax", "kitten food tire deadline dose",
};

static struct kb
test_kb(void)
{
	struct kb k;

	memset(&k, 0, sizeof(k));
	k.intents = intents;
	k.nintents = 3;
	k.concepts = concepts;
	k.nconcepts = 1;
	k.topics = topics;
	k.ntopics = 1;
	return k;
}

/* 1 when a and b give bit-identical results on every question and on
 * every training example. */
static int
same_answers(const struct matcher *a, const struct matcher *b,
    const struct kb *k)
{
	struct match_result ra, rb;
	size_t i, j;

	for (i = 0; i < sizeof(questions) / sizeof(questions[0]); i++) {
		matcher_match(a, questions[i], strlen(questions[i]), &ra);
		matcher_match(b, questions[i], strlen(questions[i]), &rb);
		if (memcmp(&ra, &rb, sizeof(ra)) != 0)
			return 0;
	}
	for (i = 0; i < k->nintents; i++)
		for (j = 0; j < k->intents[i].nexamples; j++) {
			const char *q = k->intents[i].examples[j];

			matcher_match(a, q, strlen(q), &ra);
			matcher_match(b, q, strlen(q), &rb);
			if (memcmp(&ra, &rb, sizeof(ra)) != 0)
				return 0;
		}
	return 1;
}

static void
test_matcher_round_trip(void)
{
	struct kb k = test_kb(), k2;
	struct matcher *m, *m2, *m3;
	unsigned char *buf = NULL, *buf2 = NULL, *bad;
	size_t len = 0, len2 = 0, cut, i;
	char err[256];
	float nan = NAN;
	int refused;

	m = matcher_new(&k, NULL, err, sizeof(err));
	CHECK(m != NULL);
	if (m == NULL)
		return;
	CHECK_INT(matcher_save(m, &buf, &len), 0);
	CHECK(buf != NULL && len > 100);
	err[0] = '\0';
	m2 = matcher_load(&k, NULL, buf, len, err, sizeof(err));
	CHECK(m2 != NULL);
	if (m2 != NULL) {
		CHECK(same_answers(m, m2, &k));
		/* saved again: the same bytes */
		CHECK_INT(matcher_save(m2, &buf2, &len2), 0);
		CHECK(len2 == len && memcmp(buf, buf2, len) == 0);
		free(buf2);
		matcher_free(m2);
	}

	/* every truncation is refused */
	refused = 0;
	for (cut = 0; cut < len; cut++) {
		m3 = matcher_load(&k, NULL, buf, cut, err, sizeof(err));
		refused += m3 == NULL;
		matcher_free(m3);
	}
	CHECK_INT(refused, len);
	/* one extra byte too */
	bad = malloc(len + 1);
	memcpy(bad, buf, len);
	bad[len] = 0;
	CHECK(matcher_load(&k, NULL, bad, len + 1, err, sizeof(err)) ==
	    NULL);

	/* a NaN weight (the last float) is refused */
	memcpy(bad, buf, len);
	memcpy(bad + len - 4, &nan, 4);
	CHECK(matcher_load(&k, NULL, bad, len, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "not finite") != NULL);

	/* a wrong tag or version is refused */
	memcpy(bad, buf, len);
	bad[4] ^= 1;
	CHECK(matcher_load(&k, NULL, bad, len, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "version") != NULL);

	/* the header's parameters: another epoch count is refused */
	memcpy(bad, buf, len);
	bad[8 + 7 * 4] ^= 1;
	CHECK(matcher_load(&k, NULL, bad, len, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "parameters") != NULL);

	/* every single-byte change is refused or still a valid model
	 * (weights are any finite float: the container's checksum is what
	 * catches those); never a crash */
	for (i = 0; i < len; i += 7) {
		memcpy(bad, buf, len);
		bad[i] ^= 0x5a;
		m3 = matcher_load(&k, NULL, bad, len, err, sizeof(err));
		matcher_free(m3);
	}
	free(bad);

	/* another KB: fewer classes, or other texts, is refused */
	k2 = k;
	k2.ntopics = 0;
	k2.topics = NULL;
	err[0] = '\0';
	CHECK(matcher_load(&k2, NULL, buf, len, err, sizeof(err)) == NULL);
	CHECK(err[0] != '\0');
	k2 = k;
	k2.concepts = NULL;
	k2.nconcepts = 0;
	CHECK(matcher_load(&k2, NULL, buf, len, err, sizeof(err)) == NULL);
	free(buf);
	matcher_free(m);
}

static void
test_digest(void)
{
	struct kb k = test_kb();
	uint64_t d0 = matcher_digest(&k);
	char *saved;

	CHECK(d0 == matcher_digest(&k));
	/* answers do not count */
	intents[0].answer = "another answer";
	CHECK(d0 == matcher_digest(&k));
	intents[0].answer = "a";
	/* an example does */
	saved = ex_cat[2];
	ex_cat[2] = "cat food advise";
	CHECK(d0 != matcher_digest(&k));
	ex_cat[2] = saved;
	CHECK(d0 == matcher_digest(&k));
	/* moving an example to the next class does */
	intents[0].nexamples = 4;
	CHECK(d0 != matcher_digest(&k));
	intents[0].nexamples = 5;
	/* the lexicon does */
	k.nconcepts = 0;
	CHECK(d0 != matcher_digest(&k));
}

static void
test_container(void)
{
	static const unsigned char a[] = "first part", b[] = "second";
	struct mio_part parts[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct mio_part got[2];
	unsigned char *buf, *bad;
	size_t len, cut, i;
	char err[256];
	int refused;

	CHECK_INT(mio_seal("key one", parts, 2, &buf, &len), 0);
	CHECK_INT(mio_open(buf, len, "key one", got, 2, err, sizeof(err)),
	    MIO_OK);
	CHECK(got[0].len == sizeof(a) && memcmp(got[0].data, a,
	    sizeof(a)) == 0);
	CHECK(got[1].len == sizeof(b) && memcmp(got[1].data, b,
	    sizeof(b)) == 0);

	/* another key, another part count */
	CHECK_INT(mio_open(buf, len, "key two", got, 2, err, sizeof(err)),
	    MIO_OTHER_KEY);
	CHECK(strstr(err, "key mismatch") != NULL);
	CHECK_INT(mio_open(buf, len, "key one", got, 1, err, sizeof(err)),
	    MIO_CORRUPT);

	/* every truncation and every flipped byte is refused */
	refused = 0;
	for (cut = 0; cut < len; cut++)
		refused += mio_open(buf, cut, "key one", got, 2, err,
		    sizeof(err)) == MIO_CORRUPT;
	CHECK_INT(refused, len);
	bad = malloc(len);
	refused = 0;
	for (i = 0; i < len; i++) {
		memcpy(bad, buf, len);
		bad[i] ^= 0x01;
		refused += mio_open(bad, len, "key one", got, 2, err,
		    sizeof(err)) == MIO_CORRUPT;
	}
	CHECK_INT(refused, len);

	/* a newer format version is refused even with a valid checksum */
	memcpy(bad, buf, len);
	bad[8] = MIO_VERSION + 1;
	{
		uint64_t h = mio_checksum(bad, len - 8);
		int k;

		for (k = 0; k < 8; k++)
			bad[len - 8 + (size_t)k] = (unsigned char)(h >> (8 * k));
	}
	CHECK_INT(mio_open(bad, len, "key one", got, 2, err, sizeof(err)),
	    MIO_CORRUPT);
	CHECK(strstr(err, "version") != NULL);

	/* not a cache at all */
	memset(bad, 'x', len);
	CHECK_INT(mio_open(bad, len, "key one", got, 2, err, sizeof(err)),
	    MIO_CORRUPT);
	CHECK(strstr(err, "magic") != NULL);
	free(bad);
	free(buf);
}

static struct crisis_example crisis_ex[] = {
	{ "i want to end my life tonight", CRISIS_ACUTE, CRISIS_SUICIDE },
	{ "i took all my pills and feel strange", CRISIS_ACUTE,
	    CRISIS_OVERDOSE },
	{ "i keep thinking everyone would be better off without me",
	    CRISIS_CONCERN, CRISIS_SUICIDE },
	{ "lately i don't see the point of going on", CRISIS_CONCERN,
	    CRISIS_SUICIDE },
	{ "what is a safe dose of melatonin", CRISIS_NONE, CRISIS_KIND_NONE },
	{ "does klonopin help with anxiety", CRISIS_NONE, CRISIS_KIND_NONE },
	{ "this traffic is killing me", CRISIS_NONE, CRISIS_KIND_NONE },
	{ "can i take xanax for sleep", CRISIS_NONE, CRISIS_KIND_NONE },
};

static void
test_crisis_round_trip(void)
{
	size_t n = sizeof(crisis_ex) / sizeof(crisis_ex[0]), i;
	struct crisis_model *m, *m2;
	struct crisis_model_score sa, sb;
	unsigned char *buf = NULL;
	size_t len = 0;
	char err[256];
	uint64_t d0;
	int same = 1;

	m = crisis_model_new(crisis_ex, n, NULL, err, sizeof(err));
	CHECK(m != NULL);
	if (m == NULL)
		return;
	CHECK_INT(crisis_model_save(m, &buf, &len), 0);
	m2 = crisis_model_load(crisis_ex, n, NULL, buf, len, err,
	    sizeof(err));
	CHECK(m2 != NULL);
	for (i = 0; m2 != NULL && i < n; i++) {
		crisis_model_score(m, NULL, crisis_ex[i].text,
		    strlen(crisis_ex[i].text), &sa);
		crisis_model_score(m2, NULL, crisis_ex[i].text,
		    strlen(crisis_ex[i].text), &sb);
		same &= sa.escalate == sb.escalate && sa.acute == sb.acute &&
		    sa.kind == sb.kind;
	}
	CHECK(same);
	crisis_model_free(m2);
	/* other examples: refused */
	CHECK(crisis_model_load(crisis_ex, n - 1, NULL, buf, len, err,
	    sizeof(err)) == NULL);
	CHECK(crisis_model_load(crisis_ex, n, NULL, NULL, 0, err,
	    sizeof(err)) == NULL);
	/* the digest follows the examples */
	d0 = crisis_model_digest(crisis_ex, n, NULL);
	CHECK(d0 == crisis_model_digest(crisis_ex, n, NULL));
	crisis_ex[0].kind = CRISIS_OVERDOSE;
	CHECK(d0 != crisis_model_digest(crisis_ex, n, NULL));
	crisis_ex[0].kind = CRISIS_SUICIDE;
	free(buf);
	crisis_model_free(m);
}

int
main(void)
{
	test_matcher_round_trip();
	test_digest();
	test_container();
	test_crisis_round_trip();
	return CHECK_DONE();
}
