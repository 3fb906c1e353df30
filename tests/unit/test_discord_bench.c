/*
 * test_discord_bench.c -- the Discord adapter's hot path without the
 * network: gateway MESSAGE_CREATE payloads are fed to a real adapter
 * (parse, address check, router, render, REST queue) and timed from the
 * payload to the reply queued for REST.  Without arguments a short run
 * checks that every message was answered; `--bench N` prints figures
 * ("discord: ..." lines) for tests/bench/run-bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "check.h"
#include "diag.h"
#include "discord.h"
#include "log.h"

static size_t replies;
static int done_called;

static void
stopped(struct platform *p)
{
	(void)p;
	done_called = 1;
}

static void
router(void *rt, struct platform *p, const struct message *msg)
{
	struct reply r;

	(void)rt;
	memset(&r, 0, sizeof(r));
	r.kind = REPLY_ANSWER;
	r.body = (char *)(uintptr_t)"Melatonin is mainly used as a sleep aid, "
	    "for insomnia and jet lag. Check with a doctor or pharmacist "
	    "before combining it with other medicines.";
	r.nsources = 1;
	r.sources[0].title = "Melatonin + Clonazepam";
	r.sources[0].url = "https://example.org/melatonin";
	r.disclaimer = "This is general information, not medical advice.";
	if (p->ops->send(p, msg, &r) == 0)
		replies++;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	long n = 2000;
	uv_loop_t loop;
	struct platform *p;
	struct diag d;
	cJSON *sec;
	void *cfg = NULL;
	double *lat, total;
	char buf[1024];
	long i;
	uint64_t t0, t1, start;
	int bench = argc == 3 && strcmp(argv[1], "--bench") == 0;

	if (bench) {
		char *end;

		n = strtol(argv[2], &end, 10);
		if (*end != '\0' || n < 100 || n > 10000000)
			return 2;
	}
	log_init(LOG_LEVEL_ERROR, "test_discord_bench");
	setenv("DISCORD_BENCH_TOKEN", "bench.token", 1);
	uv_loop_init(&loop);
	sec = cJSON_Parse("{\"api_base\":\"http://127.0.0.1:9/api/v10\","
	    "\"gateway_url\":\"ws://127.0.0.1:9\","
	    "\"token_env\":\"DISCORD_BENCH_TOKEN\",\"message_content\":true}");
	diag_init(&d);
	if (discord_config_parse(sec, "bench", &d, &cfg) != 0) {
		diag_print(&d, stderr);
		return 1;
	}
	diag_free(&d);
	cJSON_Delete(sec);
	p = discord_platform_new(&loop, cfg, router, NULL);
	CHECK(p != NULL);
	if (p == NULL)
		return CHECK_DONE();
	discord_platform_feed(p, "{\"op\":10,\"d\":{\"heartbeat_interval\":"
	    "41250}}", 40);
	snprintf(buf, sizeof(buf), "{\"op\":0,\"t\":\"READY\",\"s\":1,\"d\":{"
	    "\"session_id\":\"s1\",\"resume_gateway_url\":\"ws://127.0.0.1:9\","
	    "\"user\":{\"id\":\"900\"},\"application\":{\"id\":\"800\"}}}");
	discord_platform_feed(p, buf, strlen(buf));
	lat = calloc((size_t)n, sizeof(*lat));
	start = uv_hrtime();
	for (i = 0; i < n; i++) {
		int len = snprintf(buf, sizeof(buf), "{\"op\":0,\"t\":"
		    "\"MESSAGE_CREATE\",\"s\":%ld,\"d\":{\"id\":\"%ld\","
		    "\"channel_id\":\"%ld\",\"guild_id\":\"7\",\"author\":{"
		    "\"id\":\"3\",\"username\":\"u\"},\"member\":{\"roles\":[]},"
		    "\"mentions\":[],\"content\":\"!faq what is melatonin "
		    "used for?\"}}", i + 2, 100000 + i, 600000 + i % 64);

		t0 = uv_hrtime();
		discord_platform_feed(p, buf, (size_t)len);
		t1 = uv_hrtime();
		lat[i] = (double)(t1 - t0) / 1e3;	/* microseconds */
	}
	total = (double)(uv_hrtime() - start) / 1e9;
	CHECK_INT(replies, n);
	qsort(lat, (size_t)n, sizeof(*lat), cmp);
	if (bench) {
		printf("discord: %ld gateway dispatches in %.3f s: %.0f "
		    "dispatches/s (parse, route, render, REST queued)\n", n,
		    total, (double)n / total);
		printf("discord: dispatch -> REST reply queued (no network): "
		    "p50 %.1f us, p99 %.1f us, max %.1f us (target p99 <= "
		    "1000 us)\n", lat[n / 2], lat[n * 99 / 100], lat[n - 1]);
	} else
		CHECK(lat[n * 99 / 100] < 20000);	/* loose: ASan too */
	free(lat);
	/* the daemon's order: stop, let the loop close everything, free */
	p->ops->stop(p, stopped);
	uv_run(&loop, UV_RUN_DEFAULT);
	CHECK(done_called);
	p->ops->free(p);
	uv_run(&loop, UV_RUN_DEFAULT);
	CHECK(uv_loop_close(&loop) == 0);
	return CHECK_DONE();
}
