/*
 * console.c -- terminal chat logic (see console.h): greeting, one line in
 * through the pipeline, the reply out, escalations marked on stderr.  No
 * reading loop and no tty handling here; cmd_console.c does that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "console.h"
#include "kbset.h"
#include "xmalloc.h"

struct console {
	struct pipeline	*pl;
};

struct console *
console_new(const struct pipeline_opts *opts)
{
	struct console *c = xcalloc(1, sizeof(*c));

	c->pl = pipeline_new(opts);
	return c;
}

void
console_free(struct console *c)
{
	if (c == NULL)
		return;
	pipeline_free(c->pl);
	free(c);
}

void
console_greet(const struct kbset *ks, FILE *out)
{
	fprintf(out, "%s\n(Type a question and press Enter; /quit or "
	    "Ctrl-D to leave.)\n\n", kbset_msg(ks, KBSET_MSG_GREETING));
	fflush(out);
}

size_t
console_escalation_str(char *buf, size_t cap, const struct escalation *e)
{
	int n = snprintf(buf, cap, "*** escalation: level=%s kind=%s "
	    "platform=%s room=%s user=%s message=%s",
	    crisis_level_str(e->level), crisis_kind_str(e->kind),
	    e->platform != NULL ? e->platform : "-",
	    e->room != NULL ? e->room : "-",
	    e->user != NULL ? e->user : "-",
	    e->id != NULL ? e->id : "-");

	return n < 0 ? 0 : (size_t)n;
}

static int
is_command(const char *text, size_t len, const char *cmd)
{
	size_t n = strlen(cmd);

	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	return len == n && memcmp(text, cmd, n) == 0;
}

int
console_line(struct console *c, struct kbset *ks, const char *text,
    size_t len, double now, FILE *out, FILE *err)
{
	struct message msg;
	struct reply r;
	struct escalation esc;
	char line[512], id[32];
	size_t i;
	static const char *const quit[] = { "/quit", "/exit", "quit", "exit" };

	for (i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t')
			break;
	if (i == len)
		return 0;
	for (i = 0; i < sizeof(quit) / sizeof(quit[0]); i++)
		if (is_command(text, len, quit[i]))
			return 1;
	memset(&msg, 0, sizeof(msg));
	snprintf(id, sizeof(id), "%.0f", now * 1000);
	msg.platform = "console";
	msg.user = "you";
	msg.id = id;
	msg.text = text;
	msg.len = len;
	msg.is_dm = 1;
	if (pipeline_handle(c->pl, ks, &msg, now, &r, &esc) == -1)
		return 0;
	if (r.kind != REPLY_NONE && r.text != NULL)
		fprintf(out, "%s\n\n", r.text);
	fflush(out);
	if (esc.present) {
		console_escalation_str(line, sizeof(line), &esc);
		fprintf(err, "%s\n", line);
		fflush(err);
	}
	reply_free(&r);
	return 0;
}
