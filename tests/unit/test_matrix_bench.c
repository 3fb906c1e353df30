/*
 * test_matrix_bench.c -- the Matrix adapter's hot path with the real
 * pipeline and the medical KB (faq/), no network: a /sync body arrives,
 * is parsed, each message goes through crisis check + matching +
 * composing, and the reply is formatted and queued in the outbox (the
 * point where it would be handed to curl).
 *
 * Without arguments (make test): a short run checking that every
 * question gets exactly one reply and a replayed batch none.
 * With --bench N (make bench): N one-message batches, timing arrival ->
 * reply queued (p50/p99/max), then N/10 ten-message batches for the
 * batches-per-second figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "cmdutil.h"
#include "diag.h"
#include "kbset.h"
#include "log.h"
#include "matrix_int.h"
#include "pipeline.h"

#include <cjson/cJSON.h>

static const char *questions[] = {
	"!faq what is sertraline used for",
	"!faq can I drink alcohol with xanax",
	"!faq does klonopin cause depression",
	"!faq what are the side effects of antidepressants",
	"!faq how long does it take for an antidepressant to work",
	"!faq is it safe to stop taking my medication suddenly",
	"!faq I want to kill myself",
	"!faq what types of antidepressants are there",
};
#define NQ	(sizeof(questions) / sizeof(questions[0]))

struct ctx {
	struct kbset	*ks;
	struct pipeline	*pl;
	double		 now;
	size_t		 replies, crisis;
};

static void
dispatch(void *router, struct platform *p, const struct message *msg)
{
	struct ctx *c = router;
	struct reply r;
	struct escalation e;

	c->now += 1.0;
	if (pipeline_handle(c->pl, c->ks, msg, c->now, &r, &e) == 0) {
		if (p->ops->send(p, msg, &r) == 0 && r.kind != REPLY_NONE)
			c->replies++;
		if (r.kind == REPLY_CRISIS)
			c->crisis++;
		if (e.present)
			p->ops->escalate(p, &e);
	}
	reply_free(&r);
}

/* A sync body with n messages from distinct users; caller frees. */
static char *
batch(unsigned long seq, size_t n, size_t qi)
{
	cJSON *root = cJSON_CreateObject(), *rooms, *join, *room, *tl, *evs;
	cJSON *ev, *content;
	char buf[64], *s;
	size_t i;

	snprintf(buf, sizeof(buf), "s%lu", seq);
	cJSON_AddStringToObject(root, "next_batch", buf);
	rooms = cJSON_AddObjectToObject(root, "rooms");
	join = cJSON_AddObjectToObject(rooms, "join");
	room = cJSON_AddObjectToObject(join, "!bench:test.local");
	tl = cJSON_AddObjectToObject(room, "timeline");
	evs = cJSON_AddArrayToObject(tl, "events");
	for (i = 0; i < n; i++) {
		ev = cJSON_CreateObject();
		cJSON_AddStringToObject(ev, "type", "m.room.message");
		snprintf(buf, sizeof(buf), "$b%lu_%zu", seq, i);
		cJSON_AddStringToObject(ev, "event_id", buf);
		snprintf(buf, sizeof(buf), "@user%zu:test.local",
		    (seq * 31 + i) % 997);
		cJSON_AddStringToObject(ev, "sender", buf);
		cJSON_AddNumberToObject(ev, "origin_server_ts", 1.7e12);
		content = cJSON_AddObjectToObject(ev, "content");
		cJSON_AddStringToObject(content, "msgtype", "m.text");
		cJSON_AddStringToObject(content, "body",
		    questions[(qi + i) % NQ]);
		cJSON_AddItemToArray(evs, ev);
	}
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct matrix *
adapter(struct ctx *c)
{
	struct diag d;
	cJSON *j;
	void *cfg = NULL;
	struct matrix *m;

	diag_init(&d);
	j = cJSON_Parse("{\"homeserver\":\"http://127.0.0.1:1\","
	    "\"user_id\":\"@faqbot:test.local\",\"token_env\":\"X\","
	    "\"moderators_room\":\"!mods:test.local\"}");
	if (matrix_config(j, "bench", &d, &cfg) == -1) {
		diag_print(&d, stderr);
		exit(1);
	}
	cJSON_Delete(j);
	diag_free(&d);
	m = mx_new(cfg, NULL, dispatch, c);
	m->initial = 0;
	return m;
}

int
main(int argc, char **argv)
{
	struct ctx c;
	struct matrix *m;
	long n = 40, i;
	double *lat, t0, t1, total;
	size_t sent;
	char *body;

	log_init(LOG_LEVEL_ERROR, "test_matrix_bench");
	if (argc == 3 && strcmp(argv[1], "--bench") == 0) {
		char *end;

		n = strtol(argv[2], &end, 10);
		if (*end != '\0' || n < 10 || n > 10000000) {
			fprintf(stderr, "usage: %s [--bench N]\n", argv[0]);
			return 2;
		}
	}
	memset(&c, 0, sizeof(c));
	if ((c.ks = cmd_load_kb("bench", "faq", NULL)) == NULL)
		return 1;
	c.pl = pipeline_new(NULL);
	m = adapter(&c);

	/* one-message batches: arrival -> reply queued */
	lat = calloc((size_t)n, sizeof(*lat));
	for (i = 0; i < n; i++) {
		body = batch((unsigned long)i + 1, 1, (size_t)i);
		sent = c.replies;
		t0 = cmd_now();
		m->seq++;
		mx_sync_handle(m, body, strlen(body));
		t1 = cmd_now();
		lat[i] = (t1 - t0) * 1e3;
		CHECK_INT(c.replies, sent + 1);
		while (m->out_head != NULL)
			mx_out_done(m, m->out_head);
		free(body);
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	if (argc == 3)
		printf("matrix: event arrival -> reply queued (no network), "
		    "%ld one-message batches: p50 %.3f ms, p99 %.3f ms, "
		    "max %.3f ms\n", n, lat[n / 2], lat[n * 99 / 100],
		    lat[n - 1]);
	free(lat);

	/* ten-message batches: throughput */
	sent = c.replies;
	total = 0;
	for (i = 0; i < n / 10; i++) {
		body = batch((unsigned long)(n + i + 1), 10, (size_t)i);
		t0 = cmd_now();
		m->seq++;
		mx_sync_handle(m, body, strlen(body));
		while (m->out_head != NULL)
			mx_out_done(m, m->out_head);
		total += cmd_now() - t0;
		free(body);
	}
	CHECK_INT(c.replies - sent, (n / 10) * 10);
	if (argc == 3)
		printf("matrix: %ld ten-message sync batches in %.3f s: "
		    "%.0f batches/s (%.0f messages/s)\n", n / 10, total,
		    (double)(n / 10) / total, (double)(n / 10) * 10 / total);
	/* replaying a batch answers nothing twice */
	body = batch((unsigned long)(n + n / 10), 10, (size_t)(n / 10 - 1));
	sent = c.replies;
	mx_sync_handle(m, body, strlen(body));
	CHECK_INT(c.replies, sent);
	free(body);
	mx_free(m);
	pipeline_free(c.pl);
	kbset_unref(c.ks);
	return CHECK_DONE();
}
