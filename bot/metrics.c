/*
 * metrics.c -- counters and their Prometheus text rendering.
 * Plain counters on the one loop thread; no locks, no I/O.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "pipeline.h"
#include "strbuf.h"
#include "xmalloc.h"

#define NLEVELS	4
#define NKINDS	7

static const double latency_bounds[] = { 0.0001, 0.00025, 0.0005, 0.001,
    0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0 };
#define NBOUNDS (sizeof(latency_bounds) / sizeof(latency_bounds[0]))

struct pcount {
	char			*name;
	unsigned long long	 received, replies, flood_drops,
				 escalations, reconnects, rl_waits, errors;
	double			 rl_wait_seconds;
};

struct icount {
	char			*name;
	unsigned long long	 n;
};

struct metrics {
	struct pcount		 plat[METRICS_MAX_PLATFORMS + 1];
	size_t			 nplat;
	struct icount		*intents;
	size_t			 nintents;
	unsigned long long	 intent_other;
	unsigned long long	 no_match, answers, crisis_replies;
	unsigned long long	 crisis[NLEVELS][NKINDS];
	unsigned long long	 lat_bucket[NBOUNDS];
	unsigned long long	 lat_count;
	double			 lat_sum;
	unsigned long long	 modcmds, modcmds_refused, unanswered;
	unsigned long long	 reloads, reload_failures;
	double			 last_reload_seconds;
	char			*kb_version;
};

struct metrics *
metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof(*m));

	m->intents = xcalloc(METRICS_MAX_INTENTS, sizeof(*m->intents));
	m->plat[METRICS_MAX_PLATFORMS].name = xstrdup("other");
	return m;
}

void
metrics_free(struct metrics *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i <= METRICS_MAX_PLATFORMS; i++)
		free(m->plat[i].name);
	for (i = 0; i < m->nintents; i++)
		free(m->intents[i].name);
	free(m->intents);
	free(m->kb_version);
	free(m);
}

static struct pcount *
plat(struct metrics *m, const char *name)
{
	size_t i;

	if (name == NULL)
		name = "unknown";
	for (i = 0; i < m->nplat; i++)
		if (strcmp(m->plat[i].name, name) == 0)
			return &m->plat[i];
	if (m->nplat == METRICS_MAX_PLATFORMS || strlen(name) > 32)
		return &m->plat[METRICS_MAX_PLATFORMS];
	m->plat[m->nplat].name = xstrdup(name);
	return &m->plat[m->nplat++];
}

void
metrics_received(struct metrics *m, const char *platform)
{
	plat(m, platform)->received++;
}

static void
count_intent(struct metrics *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nintents; i++)
		if (strcmp(m->intents[i].name, id) == 0) {
			m->intents[i].n++;
			return;
		}
	if (m->nintents == METRICS_MAX_INTENTS || strlen(id) > 128) {
		m->intent_other++;
		return;
	}
	m->intents[m->nintents].name = xstrdup(id);
	m->intents[m->nintents++].n = 1;
}

void
metrics_reply(struct metrics *m, const char *platform, const struct reply *r,
    double latency)
{
	size_t i;

	plat(m, platform)->replies++;
	switch (r->kind) {
	case REPLY_ANSWER:
		m->answers++;
		break;
	case REPLY_NO_MATCH:
		m->no_match++;
		break;
	case REPLY_CRISIS:
		m->crisis_replies++;
		break;
	case REPLY_NONE:
	default:
		break;
	}
	if (r->intent != NULL && r->kind == REPLY_ANSWER)
		count_intent(m, r->intent);
	if (r->crisis.level != CRISIS_NONE &&
	    (unsigned)r->crisis.level < NLEVELS &&
	    (unsigned)r->crisis.kind < NKINDS)
		m->crisis[r->crisis.level][r->crisis.kind]++;
	for (i = 0; i < NBOUNDS; i++)
		if (latency <= latency_bounds[i])
			m->lat_bucket[i]++;
	m->lat_count++;
	m->lat_sum += latency;
}

void
metrics_flood_drop(struct metrics *m, const char *platform)
{
	plat(m, platform)->flood_drops++;
}

void
metrics_escalation(struct metrics *m, const char *platform)
{
	plat(m, platform)->escalations++;
}

void
metrics_modcmd(struct metrics *m, int refused)
{
	if (refused)
		m->modcmds_refused++;
	else
		m->modcmds++;
}

void
metrics_unanswered(struct metrics *m)
{
	m->unanswered++;
}

void
metrics_reload(struct metrics *m, int ok, const char *kb_version,
    double seconds)
{
	if (!ok) {
		m->reload_failures++;
		return;
	}
	m->reloads++;
	m->last_reload_seconds = seconds;
	if (kb_version != NULL) {
		free(m->kb_version);
		m->kb_version = xstrdup(kb_version);
	}
}

void
metrics_reconnect(struct metrics *m, const char *platform)
{
	plat(m, platform)->reconnects++;
}

void
metrics_ratelimit_wait(struct metrics *m, const char *platform,
    double seconds)
{
	struct pcount *p = plat(m, platform);

	p->rl_waits++;
	if (seconds > 0)
		p->rl_wait_seconds += seconds;
}

void
metrics_error(struct metrics *m, const char *platform)
{
	plat(m, platform)->errors++;
}

unsigned long long
metrics_get_received(const struct metrics *m)
{
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i <= METRICS_MAX_PLATFORMS; i++)
		n += m->plat[i].received;
	return n;
}

unsigned long long
metrics_get_replies(const struct metrics *m)
{
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i <= METRICS_MAX_PLATFORMS; i++)
		n += m->plat[i].replies;
	return n;
}

unsigned long long
metrics_get_reloads(const struct metrics *m, int failures)
{
	if (failures)
		return m->reload_failures;
	return m->reloads > 0 ? m->reloads - 1 : 0;
}

/* A label value with \, " and newline escaped. */
static void
label(struct strbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			sb_printf(sb, "\\%c", *s);
		else if (*s == '\n')
			sb_puts(sb, "\\n");
		else
			sb_append(sb, s, 1);
	}
}

static void
header(struct strbuf *sb, const char *name, const char *type,
    const char *help)
{
	sb_printf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

#define PLAT_COUNTER(field, mname, help) do {				\
	header(&sb, mname, "counter", help);				\
	for (i = 0; i <= METRICS_MAX_PLATFORMS; i++) {			\
		const struct pcount *p_ = &m->plat[i];			\
		if (p_->name == NULL ||					\
		    (i == METRICS_MAX_PLATFORMS && p_->field == 0))	\
			continue;					\
		sb_printf(&sb, "%s{platform=\"", mname);			\
		label(&sb, p_->name);					\
		sb_printf(&sb, "\"} %llu\n", p_->field);		\
	}								\
} while (0)

char *
metrics_render(const struct metrics *m, const char *const *names,
    const char *const *statuses, size_t n, size_t *len)
{
	struct strbuf sb;
	size_t i, l, k;

	sb_init(&sb);
	PLAT_COUNTER(received, "faqbot_messages_received_total",
	    "Messages received from chat platforms.");
	PLAT_COUNTER(replies, "faqbot_replies_sent_total",
	    "Replies handed to chat platforms.");
	PLAT_COUNTER(flood_drops, "faqbot_flood_dropped_total",
	    "Messages not answered because of flood control.");
	PLAT_COUNTER(escalations, "faqbot_escalations_total",
	    "Crisis escalations sent to moderators.");
	PLAT_COUNTER(reconnects, "faqbot_reconnects_total",
	    "Platform reconnects.");
	PLAT_COUNTER(rl_waits, "faqbot_rate_limit_waits_total",
	    "Times a platform made the bot wait (rate limits).");
	PLAT_COUNTER(errors, "faqbot_errors_total",
	    "Errors reported by platforms.");

	header(&sb, "faqbot_replies_by_kind_total", "counter",
	    "Replies by kind.");
	sb_printf(&sb, "faqbot_replies_by_kind_total{kind=\"answer\"} %llu\n"
	    "faqbot_replies_by_kind_total{kind=\"no_match\"} %llu\n"
	    "faqbot_replies_by_kind_total{kind=\"crisis\"} %llu\n",
	    m->answers, m->no_match, m->crisis_replies);
	header(&sb, "faqbot_no_match_total", "counter",
	    "Questions no intent matched.");
	sb_printf(&sb, "faqbot_no_match_total %llu\n", m->no_match);
	header(&sb, "faqbot_replies_by_intent_total", "counter",
	    "FAQ answers by intent.");
	for (i = 0; i < m->nintents; i++) {
		sb_puts(&sb, "faqbot_replies_by_intent_total{intent=\"");
		label(&sb, m->intents[i].name);
		sb_printf(&sb, "\"} %llu\n", m->intents[i].n);
	}
	if (m->intent_other > 0)
		sb_printf(&sb, "faqbot_replies_by_intent_total"
		    "{intent=\"other\"} %llu\n", m->intent_other);
	header(&sb, "faqbot_crisis_total", "counter",
	    "Crisis detections by level and kind.");
	for (l = 1; l < NLEVELS; l++)
		for (k = 0; k < NKINDS; k++)
			if (m->crisis[l][k] > 0 || k == CRISIS_SUICIDE)
				sb_printf(&sb, "faqbot_crisis_total{level=\"%s\","
				    "kind=\"%s\"} %llu\n",
				    crisis_level_str((enum crisis_level)l),
				    crisis_kind_str((enum crisis_kind)k),
				    m->crisis[l][k]);
	header(&sb, "faqbot_reply_latency_seconds", "histogram",
	    "Time from a message's arrival to its reply being queued.");
	for (i = 0; i < NBOUNDS; i++)
		sb_printf(&sb, "faqbot_reply_latency_seconds_bucket{le=\"%g\"} "
		    "%llu\n", latency_bounds[i], m->lat_bucket[i]);
	sb_printf(&sb, "faqbot_reply_latency_seconds_bucket{le=\"+Inf\"} "
	    "%llu\nfaqbot_reply_latency_seconds_sum %.9f\n"
	    "faqbot_reply_latency_seconds_count %llu\n", m->lat_count,
	    m->lat_sum, m->lat_count);
	header(&sb, "faqbot_rate_limit_wait_seconds_total", "counter",
	    "Seconds spent waiting for platform rate limits.");
	for (i = 0; i < m->nplat; i++) {
		sb_puts(&sb, "faqbot_rate_limit_wait_seconds_total{platform=\"");
		label(&sb, m->plat[i].name);
		sb_printf(&sb, "\"} %.3f\n", m->plat[i].rl_wait_seconds);
	}
	header(&sb, "faqbot_moderator_commands_total", "counter",
	    "Moderator commands run and refused.");
	sb_printf(&sb, "faqbot_moderator_commands_total{result=\"ok\"} %llu\n"
	    "faqbot_moderator_commands_total{result=\"refused\"} %llu\n",
	    m->modcmds, m->modcmds_refused);
	header(&sb, "faqbot_unanswered_logged_total", "counter",
	    "Questions written to the unanswered log.");
	sb_printf(&sb, "faqbot_unanswered_logged_total %llu\n", m->unanswered);
	header(&sb, "faqbot_kb_info", "gauge",
	    "The knowledge base version in use.");
	sb_puts(&sb, "faqbot_kb_info{version=\"");
	label(&sb, m->kb_version != NULL ? m->kb_version : "none");
	sb_puts(&sb, "\"} 1\n");
	header(&sb, "faqbot_kb_reloads_total", "counter",
	    "Successful knowledge base reloads (the first load excluded).");
	sb_printf(&sb, "faqbot_kb_reloads_total %llu\n",
	    m->reloads > 0 ? m->reloads - 1 : 0);
	header(&sb, "faqbot_kb_reload_failures_total", "counter",
	    "Reloads rejected (the old knowledge base was kept).");
	sb_printf(&sb, "faqbot_kb_reload_failures_total %llu\n",
	    m->reload_failures);
	header(&sb, "faqbot_kb_load_seconds", "gauge",
	    "Time the last successful load took.");
	sb_printf(&sb, "faqbot_kb_load_seconds %.6f\n",
	    m->last_reload_seconds);
	header(&sb, "faqbot_platform_up", "gauge",
	    "1 when the platform is connected.");
	for (i = 0; i < n; i++) {
		sb_puts(&sb, "faqbot_platform_up{platform=\"");
		label(&sb, names[i]);
		sb_puts(&sb, "\",status=\"");
		label(&sb, statuses[i]);
		sb_printf(&sb, "\"} %d\n",
		    strcmp(statuses[i], "connected") == 0);
	}
	return sb_steal(&sb, len);
}

char *
metrics_summary(const struct metrics *m)
{
	struct strbuf sb;
	unsigned long long crisis = 0;
	size_t l, k;

	for (l = 1; l < NLEVELS; l++)
		for (k = 0; k < NKINDS; k++)
			crisis += m->crisis[l][k];
	sb_init(&sb);
	sb_printf(&sb, "KB version %s; %llu reloads, %llu failed. "
	    "Messages received %llu, replies %llu (answers %llu, no match "
	    "%llu, crisis %llu); crisis detections %llu; mean reply "
	    "latency %.2f ms.",
	    m->kb_version != NULL ? m->kb_version : "none",
	    m->reloads > 0 ? m->reloads - 1 : 0, m->reload_failures,
	    metrics_get_received(m), metrics_get_replies(m), m->answers,
	    m->no_match, m->crisis_replies, crisis,
	    m->lat_count ? m->lat_sum * 1000.0 / (double)m->lat_count : 0.0);
	return sb_steal(&sb, NULL);
}
