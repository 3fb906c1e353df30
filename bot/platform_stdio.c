/*
 * platform_stdio.c -- the stdio platform (see platform_stdio.h).
 *
 * stdin is read on the bot's loop by linein.c (pipe, terminal or regular
 * file); lines are capped at STDIO_MAX_LINE bytes.  Replies are written to
 * stdout with stdio and flushed per line (blocking: the reader's pace is
 * the back-pressure).  It never logs message text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "bot.h"
#include "cfg.h"
#include "diag.h"
#include "linein.h"
#include "log.h"
#include "platform.h"
#include "platform_stdio.h"
#include "strbuf.h"
#include "xmalloc.h"

struct stdio_cfg {
	char	*user;		/* author of plain lines, default "local" */
	char	*room;		/* default "stdio" */
	int	 moderator;	/* plain-line author is a moderator */
};

struct stdio_impl {
	struct platform		 p;
	struct bot		*b;
	const struct stdio_cfg	*cfg;
	struct linein		*in;		/* NULL before start */
	int			 stopping;
	unsigned long		 lineno;
	const char		*status;
	void			(*done)(struct platform *);
};

int
stdio_config(const cJSON *section, const char *file, struct diag *d,
    void **out)
{
	static const char *const keys[] = { "enabled", "user", "room",
	    "moderator", NULL };
	struct cfg_ctx c = { file, "stdio", d };
	struct stdio_cfg *sc;
	int rc = 0;

	sc = xcalloc(1, sizeof(*sc));
	sc->user = xstrdup("local");
	sc->room = xstrdup("stdio");
	rc |= cfg_keys(&c, section, keys);
	rc |= cfg_string(&c, section, "user", CFG_OPTIONAL, 256, &sc->user);
	rc |= cfg_string(&c, section, "room", CFG_OPTIONAL, 256, &sc->room);
	rc |= cfg_bool(&c, section, "moderator", CFG_OPTIONAL,
	    &sc->moderator);
	if (rc != 0) {
		stdio_config_free(sc);
		return -1;
	}
	*out = sc;
	return 0;
}

void
stdio_config_free(void *cfg)
{
	struct stdio_cfg *sc = cfg;

	if (sc == NULL)
		return;
	free(sc->user);
	free(sc->room);
	free(sc);
}

static void
emit(struct strbuf *sb)
{
	sb_puts(sb, "}\n");
	if (fwrite(sb->s, 1, sb->len, stdout) != sb->len || fflush(stdout)
	    == EOF)
		log_warn("stdio: write to stdout");
	sb_free(sb);
}

static unsigned long
line_of(const struct message *msg)
{
	char *end;
	unsigned long n;

	if (msg->id == NULL)
		return 0;
	n = strtoul(msg->id, &end, 10);
	return *end == '\0' ? n : 0;
}

static int
stdio_send(struct platform *p, const struct message *msg,
    const struct reply *r)
{
	struct strbuf sb;
	size_t i;
	const char *txt = r->text != NULL ? r->text : r->body;

	(void)p;
	sb_init(&sb);
	sb_printf(&sb, "{\"in\":%lu,\"kind\":\"%s\",\"reply\":", line_of(msg),
	    reply_kind_str(r->kind));
	sb_json_str(&sb, txt, txt != NULL ? strlen(txt) : 0);
	sb_puts(&sb, ",\"intent\":");
	sb_json_str(&sb, r->intent, r->intent ? strlen(r->intent) : 0);
	sb_printf(&sb, ",\"confidence\":%.4f,\"crisis\":{\"level\":\"%s\","
	    "\"kind\":\"%s\"},\"sources\":[", r->confidence,
	    crisis_level_str(r->crisis.level), crisis_kind_str(r->crisis.kind));
	for (i = 0; i < r->nsources; i++) {
		if (i > 0)
			sb_puts(&sb, ",");
		sb_json_str(&sb, r->sources[i].id, r->sources[i].id != NULL ?
		    strlen(r->sources[i].id) : 0);
	}
	sb_puts(&sb, "]");
	emit(&sb);
	return 0;
}

static int
stdio_escalate(struct platform *p, const struct escalation *e)
{
	struct strbuf sb;
	struct message m;

	(void)p;
	memset(&m, 0, sizeof(m));
	m.id = e->id;
	sb_init(&sb);
	sb_printf(&sb, "{\"in\":%lu,\"escalation\":{\"level\":\"%s\","
	    "\"kind\":\"%s\"", line_of(&m), crisis_level_str(e->level),
	    crisis_kind_str(e->kind));
	if (e->text != NULL) {		/* privacy.escalation_include_text */
		sb_puts(&sb, ",\"text\":");
		sb_json_str(&sb, e->text, e->len);
		sb_printf(&sb, ",\"text_cut\":%s", e->text_cut ? "true" :
		    "false");
	}
	sb_puts(&sb, "}");
	emit(&sb);
	return 0;
}

static void
emit_error(unsigned long n, const char *what)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_printf(&sb, "{\"in\":%lu,\"error\":\"%s\"", n, what);
	emit(&sb);
}

/* Dispatch one complete line (len bytes, no newline). */
static void
on_line(void *arg, char *line, size_t len)
{
	struct stdio_impl *s = arg;
	struct message m;
	char id[32];
	cJSON *doc = NULL;
	const cJSON *t, *u, *r;

	s->lineno++;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return;
	memset(&m, 0, sizeof(m));
	(void)snprintf(id, sizeof(id), "%lu", s->lineno);
	m.platform = "stdio";
	m.id = id;
	m.user = s->cfg->user;
	m.room = s->cfg->room;
	m.text = line;
	m.len = len;
	m.from_moderator = s->cfg->moderator;
	if (line[0] == '{' && (doc = cJSON_ParseWithLength(line, len)) !=
	    NULL && cJSON_IsObject(doc)) {
		t = cJSON_GetObjectItemCaseSensitive(doc, "text");
		u = cJSON_GetObjectItemCaseSensitive(doc, "user");
		r = cJSON_GetObjectItemCaseSensitive(doc, "room");
		if (!cJSON_IsString(t)) {
			emit_error(s->lineno, "JSON line without a \"text\" "
			    "string");
			cJSON_Delete(doc);
			return;
		}
		m.text = t->valuestring;
		m.len = strlen(t->valuestring);
		if (cJSON_IsString(u)) {
			m.user = u->valuestring;
			m.from_moderator = 0;
		}
		if (cJSON_IsString(r))
			m.room = r->valuestring;
	}
	s->p.dispatch(s->p.router, &s->p, &m);
	cJSON_Delete(doc);
}

static void
on_toolong(void *arg)
{
	struct stdio_impl *s = arg;

	s->lineno++;
	emit_error(s->lineno, "line too long");
}

static void
on_eof(void *arg)
{
	struct stdio_impl *s = arg;

	s->status = "stopped";
	log_info("stdio: end of input after %lu lines", s->lineno);
	if (!s->stopping)
		bot_shutdown(s->b, 0);
}

static const struct linein_cb stdio_in = { on_line, on_toolong, on_eof };

static int
stdio_start(struct platform *p)
{
	struct stdio_impl *s = p->impl;

	s->in = linein_new(s->b->loop, 0, STDIO_MAX_LINE, &stdio_in, s);
	if (linein_start(s->in, "stdio") == -1)
		return -1;
	s->status = "connected";
	return 0;
}

static void
on_stopped(void *arg)
{
	struct stdio_impl *s = arg;
	void (*done)(struct platform *) = s->done;

	(void)fflush(stdout);
	s->done = NULL;
	if (done != NULL)
		done(&s->p);
}

static void
stdio_stop(struct platform *p, void (*done)(struct platform *))
{
	struct stdio_impl *s = p->impl;

	if (s->stopping)
		return;
	s->stopping = 1;
	s->status = "stopped";
	s->done = done;
	if (s->in == NULL) {
		on_stopped(s);
		return;
	}
	linein_stop(s->in, on_stopped);
}

static const char *
stdio_status(const struct platform *p)
{
	const struct stdio_impl *s = p->impl;

	return s->status;
}

static void
stdio_free(struct platform *p)
{
	struct stdio_impl *s;

	if (p == NULL)
		return;
	s = p->impl;
	linein_free(s->in);
	free(s);
}

static const struct platform_ops stdio_ops = {
	.name = "stdio",
	.start = stdio_start,
	.send = stdio_send,
	.escalate = stdio_escalate,
	.stop = stdio_stop,
	.status = stdio_status,
	.free = stdio_free,
};

struct platform *
stdio_create(struct bot *bot, void *cfg)
{
	struct stdio_impl *s = xcalloc(1, sizeof(*s));

	s->b = bot;
	s->cfg = cfg;
	s->status = "connecting";
	s->p.ops = &stdio_ops;
	s->p.impl = s;
	return &s->p;
}
