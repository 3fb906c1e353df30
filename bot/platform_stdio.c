/*
 * platform_stdio.c -- the stdio platform (see platform_stdio.h).
 *
 * stdin is read on the bot's loop: a uv_pipe for pipes and sockets, a
 * uv_tty for terminals, chained uv_fs_read calls for regular files.
 * Lines are capped at STDIO_MAX_LINE bytes.  Replies are written to
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

enum src { SRC_STREAM, SRC_FILE };

struct stdio_impl {
	struct platform		 p;
	struct bot		*b;
	const struct stdio_cfg	*cfg;
	enum src		 src;
	union {
		uv_pipe_t	 pipe;
		uv_tty_t	 tty;
	} h;
	uv_fs_t			 fsreq;
	int			 handle_open;
	int			 reading;
	int			 eof;
	int			 stopping;
	int			 discarding;	/* inside an overlong line */
	unsigned long		 lineno;
	size_t			 len;
	const char		*status;
	void			(*done)(struct platform *);
	char			 rbuf[65536];
	char			 line[STDIO_MAX_LINE + 1];
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
	    "\"kind\":\"%s\"}", line_of(&m), crisis_level_str(e->level),
	    crisis_kind_str(e->kind));
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
on_line(struct stdio_impl *s, char *line, size_t len)
{
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

/* Split a chunk of input into lines. */
static void
feed(struct stdio_impl *s, const char *buf, size_t n)
{
	const char *nl;
	size_t take;

	while (n > 0 && !s->stopping) {
		nl = memchr(buf, '\n', n);
		take = nl != NULL ? (size_t)(nl - buf) : n;
		if (!s->discarding) {
			if (s->len + take > STDIO_MAX_LINE) {
				s->discarding = 1;
				s->len = 0;
			} else {
				memcpy(s->line + s->len, buf, take);
				s->len += take;
			}
		}
		if (nl == NULL)
			return;
		if (s->discarding) {
			s->lineno++;
			emit_error(s->lineno, "line too long");
			s->discarding = 0;
		} else {
			s->line[s->len] = '\0';
			on_line(s, s->line, s->len);
		}
		s->len = 0;
		buf = nl + 1;
		n -= take + 1;
	}
}

static void
on_handle_closed(uv_handle_t *h)
{
	struct stdio_impl *s = h->data;

	s->handle_open = 0;
	if (s->done != NULL) {
		void (*done)(struct platform *) = s->done;

		s->done = NULL;
		done(&s->p);
	}
}

static void
at_eof(struct stdio_impl *s)
{
	if (s->len > 0 && !s->discarding) {	/* last line without '\n' */
		s->line[s->len] = '\0';
		on_line(s, s->line, s->len);
		s->len = 0;
	}
	s->eof = 1;
	s->status = "stopped";
	log_info("stdio: end of input after %lu lines", s->lineno);
	if (!s->stopping)
		bot_shutdown(s->b, 0);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct stdio_impl *s = h->data;

	(void)suggested;
	buf->base = s->rbuf;
	buf->len = sizeof(s->rbuf);
}

static void
on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	struct stdio_impl *s = st->data;

	if (n > 0) {
		feed(s, buf->base, (size_t)n);
		return;
	}
	if (n == 0)
		return;
	if (n != UV_EOF)
		log_warnx("stdio: read: %s", uv_strerror((int)n));
	uv_read_stop(st);
	s->reading = 0;
	at_eof(s);
}

static void file_read(struct stdio_impl *s);

static void
on_file_read(uv_fs_t *req)
{
	struct stdio_impl *s = req->data;
	ssize_t n = req->result;

	uv_fs_req_cleanup(req);
	s->reading = 0;
	if (n > 0) {
		feed(s, s->rbuf, (size_t)n);
		if (!s->stopping) {
			file_read(s);
			return;
		}
	} else if (n < 0)
		log_warnx("stdio: read: %s", uv_strerror((int)n));
	if (n <= 0)
		at_eof(s);
	if (s->stopping && s->done != NULL) {
		void (*done)(struct platform *) = s->done;

		s->done = NULL;
		done(&s->p);
	}
}

static void
file_read(struct stdio_impl *s)
{
	uv_buf_t b = uv_buf_init(s->rbuf, sizeof(s->rbuf));

	s->fsreq.data = s;
	if (uv_fs_read(s->b->loop, &s->fsreq, 0, &b, 1, -1, on_file_read)
	    == 0)
		s->reading = 1;
	else
		at_eof(s);
}

static int
stdio_start(struct platform *p)
{
	struct stdio_impl *s = p->impl;
	uv_handle_type t = uv_guess_handle(0);
	int r;

	if (t == UV_FILE || t == UV_UNKNOWN_HANDLE) {
		s->src = SRC_FILE;
		s->status = "connected";
		file_read(s);
		return 0;
	}
	s->src = SRC_STREAM;
	if (t == UV_TTY)
		r = uv_tty_init(s->b->loop, &s->h.tty, 0, 1);
	else {
		r = uv_pipe_init(s->b->loop, &s->h.pipe, 0);
		if (r == 0 && (r = uv_pipe_open(&s->h.pipe, 0)) != 0)
			uv_close((uv_handle_t *)&s->h.pipe, NULL);
	}
	if (r != 0) {
		log_warnx("stdio: cannot use stdin: %s", uv_strerror(r));
		return -1;
	}
	s->h.pipe.data = s;
	s->handle_open = 1;
	if ((r = uv_read_start((uv_stream_t *)&s->h.pipe, on_alloc, on_read))
	    != 0) {
		log_warnx("stdio: read stdin: %s", uv_strerror(r));
		return -1;
	}
	s->reading = 1;
	s->status = "connected";
	return 0;
}

static void
stdio_stop(struct platform *p, void (*done)(struct platform *))
{
	struct stdio_impl *s = p->impl;

	s->stopping = 1;
	if (!s->eof)
		s->status = "stopped";
	if (s->src == SRC_STREAM && s->handle_open) {
		s->done = done;
		if (s->reading)
			uv_read_stop((uv_stream_t *)&s->h.pipe);
		s->reading = 0;
		uv_close((uv_handle_t *)&s->h.pipe, on_handle_closed);
		return;
	}
	if (s->src == SRC_FILE && s->reading) {
		s->done = done;		/* called when the read completes */
		return;
	}
	(void)fflush(stdout);
	done(p);
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
	if (p == NULL)
		return;
	free(p->impl);
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
