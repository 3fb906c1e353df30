/*
 * check.h -- the tiny unit-test runner shared by every tests/unit program.
 *
 * CHECK(cond) and friends count results; failures are described on stderr
 * with file and line.  CHECK_DONE() prints the "N passed, N failed" line on
 * stdout (the line tests/run-suite sums) and returns the exit status.
 * Each test program includes this once; the counters are file-local.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed;
static int check_failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		check_passed++;						\
	} else {							\
		check_failed++;						\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *check_g_ = (got), *check_w_ = (want);		\
	if (check_g_ != NULL && check_w_ != NULL &&			\
	    strcmp(check_g_, check_w_) == 0) {				\
		check_passed++;						\
	} else {							\
		check_failed++;						\
		fprintf(stderr, "%s:%d: CHECK_STR(%s, %s): got \"%s\", "	\
		    "want \"%s\"\n", __FILE__, __LINE__, #got, #want,	\
		    check_g_ ? check_g_ : "(null)",			\
		    check_w_ ? check_w_ : "(null)");			\
	}								\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long check_g_ = (long long)(got);				\
	long long check_w_ = (long long)(want);				\
	if (check_g_ == check_w_) {					\
		check_passed++;						\
	} else {							\
		check_failed++;						\
		fprintf(stderr, "%s:%d: CHECK_INT(%s, %s): got %lld, "	\
		    "want %lld\n", __FILE__, __LINE__, #got, #want,	\
		    check_g_, check_w_);				\
	}								\
} while (0)

#define CHECK_DONE() (printf("%d passed, %d failed\n",			\
    check_passed, check_failed), check_failed == 0 ? 0 : 1)

#endif /* CHECK_H */
