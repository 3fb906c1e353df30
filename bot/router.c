/*
 * router.c -- route one message: moderator commands, flood control,
 * pipeline, send, escalate, unanswered log, metrics, one log line.
 *
 * Flood control never hides a crisis: a message over the limit still
 * goes through the pipeline (crisis check first); only a non-crisis
 * reply is dropped.  Escalations always go out.  Message text reaches
 * the log only when privacy.log_message_text is set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot.h"
#include "config.h"
#include "flood.h"
#include "log.h"
#include "metrics.h"
#include "modcmd.h"
#include "pipeline.h"
#include "platform.h"
#include "router.h"
#include "strbuf.h"
#include "unanswered.h"
#include "xmalloc.h"

#define KEY_MAX	300
#define LOG_TEXT_MAX	500	/* bytes of a text logged */

static const char *
nz(const char *s)
{
	return s != NULL ? s : "-";
}

static int
is_moderator(const struct bot *b, const struct message *msg)
{
	return msg->from_moderator ||
	    config_is_moderator(b->cfg, msg->platform, msg->user);
}

void
router_send_text(void *router, struct platform *p, const struct message *msg,
    const char *text)
{
	struct bot *b = router;
	struct reply r;

	memset(&r, 0, sizeof(r));
	r.kind = REPLY_ANSWER;
	r.intent = NULL;
	r.confidence = 1.0;
	r.body = xstrdup(text);
	r.text = xstrdup(text);
	if (p->ops->send(p, msg, &r) == -1) {
		metrics_error(b->metrics, msg->platform);
		log_warnx("router: %s: send failed", nz(msg->platform));
	}
	reply_free(&r);
}

static int
moderator_command(struct bot *b, struct platform *p,
    const struct message *msg)
{
	enum modcmd cmd;
	long arg;
	char *out;

	if (msg->is_edit || msg->text == NULL)
		return 0;
	if ((cmd = modcmd_parse(msg->text, msg->len, &arg)) == MODCMD_NONE)
		return 0;
	if (!is_moderator(b, msg)) {
		metrics_modcmd(b->metrics, 1);
		log_info("modcmd: refused \"!faq %s\" from non-moderator %s:%s",
		    modcmd_str(cmd), nz(msg->platform), nz(msg->user));
		router_send_text(b, p, msg, modcmd_refusal());
		return 1;
	}
	metrics_modcmd(b->metrics, 0);
	log_info("modcmd: \"!faq %s\" by %s:%s", modcmd_str(cmd),
	    nz(msg->platform), nz(msg->user));
	if (cmd == MODCMD_RELOAD && bot_reload_for(b, p, msg) == 0)
		return 1;		/* answered when the load is done */
	out = modcmd_run(b, cmd, arg);
	router_send_text(b, p, msg, out);
	free(out);
	return 1;
}

/* Take a token for the user and the room; 1 when within both limits. */
static int
flood_ok(struct bot *b, const struct message *msg, double now)
{
	char key[KEY_MAX];
	int n;

	n = snprintf(key, sizeof(key), "%s:%s", nz(msg->platform),
	    nz(msg->user));
	if (n < 0)
		return 1;
	if (!flood_take(b->flood_user, key, now))
		return 0;
	if (msg->room == NULL)
		return 1;
	n = snprintf(key, sizeof(key), "%s:%s", nz(msg->platform), msg->room);
	if (n < 0)
		return 1;
	return flood_take(b->flood_room, key, now);
}

static void
log_unanswered(struct bot *b, const struct message *msg)
{
	char err[256];

	if (b->unanswered == NULL)
		return;
	if (unanswered_add(b->unanswered, time(NULL), nz(msg->platform),
	    msg->text, msg->len, err, sizeof(err)) == -1)
		log_warnx("unanswered: %s", err);
	else
		metrics_unanswered(b->metrics);
}

/*
 * Tell the moderators.  With privacy.escalation_include_text the
 * escalation carries the message's text (cut to ESCALATION_TEXT_MAX),
 * and so does its log line, which is the moderators' only view on a
 * platform without a moderators' room (web chat); without it, neither
 * ever does.
 */
static void
escalate(struct bot *b, struct platform *p, struct escalation *esc,
    const struct message *msg)
{
	struct strbuf t;

	metrics_escalation(b->metrics, esc->platform);
	sb_init(&t);
	if (b->cfg->escalation_include_text && msg->text != NULL) {
		escalation_set_text(esc, msg->text, msg->len,
		    ESCALATION_TEXT_MAX);
		sb_puts(&t, " text=");
		sb_json_str(&t, esc->text, esc->len);
		if (esc->text_cut)
			sb_puts(&t, " text_cut=1");
	}
	log_info("escalation: platform=%s level=%s kind=%s room=%s id=%s%s",
	    nz(esc->platform), crisis_level_str(esc->level),
	    crisis_kind_str(esc->kind), nz(esc->room), nz(esc->id),
	    t.s != NULL ? t.s : "");
	sb_free(&t);
	if (p->ops->escalate == NULL || p->ops->escalate(p, esc) == -1) {
		metrics_error(b->metrics, esc->platform);
		log_warnx("escalation: %s: could not deliver to moderators",
		    nz(esc->platform));
	}
}

/*
 * The one log line that carries a message's text (only when the config
 * allows it): the text as a JSON string, so a newline, a control byte or
 * invalid UTF-8 sent by a user can never forge or break a log line.
 */
static void
log_text(const struct message *msg)
{
	struct strbuf t;

	sb_init(&t);
	sb_json_str(&t, msg->text, msg->text == NULL ? 0 :
	    msg->len > LOG_TEXT_MAX ? LOG_TEXT_MAX : msg->len);
	log_info("message: platform=%s id=%s len=%zu text=%s",
	    nz(msg->platform), nz(msg->id), msg->len, t.s);
	sb_free(&t);
}

void
router_dispatch(void *router, struct platform *p, const struct message *msg)
{
	struct bot *b = router;
	struct message m = *msg;
	struct reply r;
	struct escalation esc;
	uint64_t t0 = uv_hrtime();
	double now = (double)t0 / 1e9;
	size_t skip;
	int allowed;

	metrics_received(b->metrics, msg->platform);
	if (b->cfg->log_message_text)
		log_text(msg);
	else
		log_debug("message: platform=%s id=%s len=%zu",
		    nz(msg->platform), nz(msg->id), msg->len);
	if (moderator_command(b, p, msg))
		return;
	if (m.text != NULL && (skip = modcmd_strip_prefix(m.text, m.len)) >
	    0) {
		m.text += skip;
		m.len -= skip;
	}
	allowed = flood_ok(b, &m, now);
	if (pipeline_handle(b->pipeline, b->kb, &m, now, &r, &esc) == -1) {
		metrics_error(b->metrics, msg->platform);
		log_warnx("router: no knowledge base loaded");
		return;
	}
	if (!allowed && r.kind != REPLY_CRISIS) {
		metrics_flood_drop(b->metrics, msg->platform);
		log_debug("flood: dropped a reply on %s", nz(msg->platform));
	} else if (r.kind != REPLY_NONE) {
		if (p->ops->send(p, &m, &r) == -1) {
			metrics_error(b->metrics, msg->platform);
			log_warnx("router: %s: send failed", nz(msg->platform));
		} else
			metrics_reply(b->metrics, msg->platform, &r,
			    (double)(uv_hrtime() - t0) / 1e9);
		log_debug("reply: platform=%s id=%s kind=%s intent=%s "
		    "confidence=%.2f crisis=%s", nz(msg->platform),
		    nz(msg->id), reply_kind_str(r.kind), nz(r.intent),
		    r.confidence, crisis_level_str(r.crisis.level));
		if (r.kind == REPLY_NO_MATCH && r.crisis.level == CRISIS_NONE)
			log_unanswered(b, &m);
	}
	if (esc.present)
		escalate(b, p, &esc, &m);
	reply_free(&r);
}
