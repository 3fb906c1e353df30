/*
 * platform_console.c -- the console platform (see platform_console.h).
 *
 * Lines come from linein.c on the bot's loop; each non-blank line is one
 * message from the configured user (platform "console", no room, a
 * direct message) handed to the router like any platform's.  Replies
 * and the prompt go to stdout with stdio, flushed (a person reads at
 * their pace); escalations go to stderr.  Nothing typed is logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bot.h"
#include "cfg.h"
#include "console.h"
#include "diag.h"
#include "linein.h"
#include "log.h"
#include "platform.h"
#include "platform_console.h"
#include "xmalloc.h"

struct console_cfg {
	char	*user;		/* author id, default "you" */
	int	 moderator;	/* may use !faq commands */
};

struct console_impl {
	struct platform		 p;
	struct bot		*b;
	const struct console_cfg *cfg;
	struct linein		*in;		/* NULL before start */
	int			 tty;
	int			 in_line;	/* inside a dispatch */
	int			 left;		/* /quit or end of input */
	int			 stopping;
	unsigned long		 lineno;
	const char		*status;
	void			(*done)(struct platform *);
};

int
console_config(const cJSON *section, const char *file, struct diag *d,
    void **out)
{
	static const char *const keys[] = { "enabled", "user", "moderator",
	    NULL };
	struct cfg_ctx c = { file, "console", d };
	struct console_cfg *cc;
	int rc = 0;

	cc = xcalloc(1, sizeof(*cc));
	cc->user = xstrdup("you");
	rc |= cfg_keys(&c, section, keys);
	rc |= cfg_string(&c, section, "user", CFG_OPTIONAL, 256, &cc->user);
	rc |= cfg_bool(&c, section, "moderator", CFG_OPTIONAL,
	    &cc->moderator);
	if (rc != 0) {
		console_config_free(cc);
		return -1;
	}
	*out = cc;
	return 0;
}

void
console_config_free(void *cfg)
{
	struct console_cfg *cc = cfg;

	if (cc == NULL)
		return;
	free(cc->user);
	free(cc);
}

static void
flush_out(void)
{
	if (fflush(stdout) == EOF)
		log_warn("console: write to stdout");
}

static void
prompt(struct console_impl *s)
{
	if (s->tty && !s->left && !s->stopping) {
		fputs("> ", stdout);
		flush_out();
	}
}

/* Stop reading; the daemon ends only if nothing else is running. */
static void
leave(struct console_impl *s, const char *why)
{
	if (s->left)
		return;
	s->left = 1;
	s->status = "closed";
	if (s->tty) {
		fputs("\n", stdout);
		flush_out();
	}
	if (s->stopping)
		return;
	linein_stop(s->in, NULL);
	if (s->b->nplatforms <= 1) {
		log_info("console: %s; shutting down", why);
		bot_shutdown(s->b, 0);
	} else {
		log_info("console: %s; the other platforms go on", why);
		printf("The console is closed; faqbot goes on serving its "
		    "other platforms (Ctrl-C stops it).\n");
		flush_out();
	}
}

static void
on_line(void *arg, char *line, size_t len)
{
	struct console_impl *s = arg;
	struct message m;
	char id[32];

	s->lineno++;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (console_is_blank(line, len)) {
		prompt(s);
		return;
	}
	if (console_is_quit(line, len)) {
		leave(s, "the user left");
		return;
	}
	memset(&m, 0, sizeof(m));
	(void)snprintf(id, sizeof(id), "%lu", s->lineno);
	m.platform = "console";
	m.user = s->cfg->user;
	m.id = id;
	m.text = line;
	m.len = len;
	m.is_dm = 1;
	m.from_moderator = s->cfg->moderator;
	s->in_line = 1;
	s->p.dispatch(s->p.router, &s->p, &m);
	s->in_line = 0;
	prompt(s);
}

static void
on_toolong(void *arg)
{
	struct console_impl *s = arg;

	s->lineno++;
	printf("That message is too long for me (the limit is %d bytes).\n\n",
	    CONSOLE_MAX_LINE);
	flush_out();
	prompt(s);
}

static void
on_eof(void *arg)
{
	leave(arg, "end of input");
}

static const struct linein_cb console_in = { on_line, on_toolong, on_eof };

static int
console_start(struct platform *p)
{
	struct console_impl *s = p->impl;

	s->in = linein_new(s->b->loop, 0, CONSOLE_MAX_LINE, &console_in, s);
	if (linein_start(s->in, "console") == -1)
		return -1;
	s->tty = linein_is_tty(s->in);
	s->status = "connected";
	console_greet(s->b->kb, stdout);
	prompt(s);
	return 0;
}

static int
console_send(struct platform *p, const struct message *msg,
    const struct reply *r)
{
	struct console_impl *s = p->impl;
	const char *txt = r->text != NULL ? r->text : r->body;

	(void)msg;
	if (txt == NULL)
		return 0;
	/* a late reply (e.g. "!faq reload") lands after the prompt */
	if (s->tty && !s->in_line)
		fputs("\n", stdout);
	if (printf("%s\n\n", txt) < 0) {
		log_warn("console: write to stdout");
		return -1;
	}
	flush_out();
	if (!s->in_line)
		prompt(s);
	return 0;
}

/* The moderators of a console are at the terminal: stderr. */
static int
console_escalate(struct platform *p, const struct escalation *e)
{
	char line[1024];
	size_t n;

	(void)p;
	n = console_escalation_str(line, sizeof(line), e);
	if (n >= sizeof(line))		/* never cut a line in two */
		n = sizeof(line) - 1;
	line[n] = '\0';
	if (fprintf(stderr, "%s\n", line) < 0)
		return -1;
	(void)fflush(stderr);
	return 0;
}

static void
on_stopped(void *arg)
{
	struct console_impl *s = arg;
	void (*done)(struct platform *) = s->done;

	flush_out();
	s->done = NULL;
	if (done != NULL)
		done(&s->p);
}

static void
console_stop(struct platform *p, void (*done)(struct platform *))
{
	struct console_impl *s = p->impl;

	if (s->stopping)
		return;
	s->stopping = 1;
	if (!s->left)
		s->status = "stopped";
	s->done = done;
	if (s->in == NULL) {
		on_stopped(s);
		return;
	}
	linein_stop(s->in, on_stopped);
}

static const char *
console_status(const struct platform *p)
{
	const struct console_impl *s = p->impl;

	return s->status;
}

static void
console_free(struct platform *p)
{
	struct console_impl *s;

	if (p == NULL)
		return;
	s = p->impl;
	linein_free(s->in);
	free(s);
}

static const struct platform_ops console_ops = {
	.name = "console",
	.start = console_start,
	.send = console_send,
	.escalate = console_escalate,
	.stop = console_stop,
	.status = console_status,
	.free = console_free,
};

struct platform *
console_create(struct bot *bot, void *cfg)
{
	struct console_impl *s = xcalloc(1, sizeof(*s));

	s->b = bot;
	s->cfg = cfg;
	s->status = "connecting";
	s->p.ops = &console_ops;
	s->p.impl = s;
	return &s->p;
}
