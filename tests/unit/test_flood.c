/*
 * test_flood.c -- token buckets: burst, refill at the rate, per-key
 * independence, off when the rate is 0, and the key cap.
 */
#include <stdio.h>

#include "check.h"
#include "flood.h"

int
main(void)
{
	struct flood *f;
	int i, n;

	f = flood_new(0.5, 3, 100);	/* 3 at once, then one per 2 s */
	for (i = 0, n = 0; i < 10; i++)
		n += flood_take(f, "alice", 100.0);
	CHECK_INT(n, 3);
	CHECK_INT(flood_take(f, "bob", 100.0), 1);	/* own bucket */
	CHECK_INT(flood_take(f, "alice", 101.0), 0);	/* half a token */
	CHECK_INT(flood_take(f, "alice", 102.0), 1);	/* one again */
	CHECK_INT(flood_take(f, "alice", 102.5), 0);
	for (i = 0, n = 0; i < 10; i++)			/* refill caps */
		n += flood_take(f, "alice", 1000.0);
	CHECK_INT(n, 3);
	CHECK_INT(flood_take(f, "alice", 999.0), 0);	/* clock going back */
	flood_free(f);

	f = flood_new(0, 1, 10);			/* off */
	for (i = 0, n = 0; i < 1000; i++)
		n += flood_take(f, "x", 1.0);
	CHECK_INT(n, 1000);
	CHECK_INT(flood_nkeys(f), 0);
	flood_free(f);

	f = flood_new(1, 2, 4);				/* key cap */
	for (i = 0; i < 100; i++) {
		char key[16];

		snprintf(key, sizeof(key), "u%d", i);
		CHECK_INT(flood_take(f, key, (double)i / 1000), 1);
	}
	CHECK(flood_nkeys(f) <= 4);
	/* the most recent user still has its (drained) bucket */
	CHECK_INT(flood_take(f, "u99", 0.1), 1);
	CHECK_INT(flood_take(f, "u99", 0.1), 0);
	flood_free(f);
	flood_free(NULL);
	return CHECK_DONE();
}
