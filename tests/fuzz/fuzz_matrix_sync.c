/*
 * fuzz_matrix_sync.c -- libFuzzer harness for the Matrix adapter's
 * /sync response handler: arbitrary bytes are handled as a sync body
 * (twice, the second time as a replay), every dispatched message gets a
 * reply through the adapter's send() (formatting, outbox), and the
 * adapter is freed: no crash, no leak, no hang whatever the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "log.h"
#include "matrix_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *cfg_json =
    "{\"homeserver\":\"http://127.0.0.1:1\",\"user_id\":\"@bot:t.org\","
    "\"token_env\":\"X\",\"display_name\":\"Bot\","
    "\"faq_rooms\":[\"!faq:t.org\"],\"moderator_power_level\":50,"
    "\"allow_invites_from\":[\"t.org\"]}";

static void
dispatch(void *router, struct platform *p, const struct message *msg)
{
	struct reply r;

	(void)router;
	memset(&r, 0, sizeof(r));
	r.kind = msg->is_edit ? REPLY_CRISIS : REPLY_ANSWER;
	r.body = (char *)(uintptr_t)msg->text;	/* echo: escaping paths */
	r.nsources = 1;
	r.sources[0].title = msg->user;
	r.sources[0].url = msg->room;
	r.disclaimer = msg->id;
	p->ops->send(p, msg, &r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	cJSON *j;
	void *cfg = NULL;
	struct matrix *m;

	if (size > 1 << 20)
		return 0;
	log_init(LOG_LEVEL_ERROR, "fuzz");
	diag_init(&d);
	j = cJSON_Parse(cfg_json);
	if (matrix_config(j, "fuzz", &d, &cfg) == -1)
		__builtin_trap();
	cJSON_Delete(j);
	diag_free(&d);
	m = mx_new(cfg, NULL, dispatch, NULL);
	m->initial = size > 0 && (data[0] & 1);
	mx_sync_handle(m, (const char *)data, size);
	mx_sync_handle(m, (const char *)data, size);
	while (m->out_head != NULL)
		mx_out_done(m, m->out_head);
	mx_free(m);
	return 0;
}
