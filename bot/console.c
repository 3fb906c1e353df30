/*
 * console.c -- the terminal chat's words (see console.h): greeting, quit
 * detection and the escalation line.  No reading, no pipeline and no
 * loop here; platform_console.c does that.
 */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "kbset.h"
#include "strbuf.h"

void
console_greet(const struct kbset *ks, FILE *out)
{
	fprintf(out, "%s\n(Type a question and press Enter; /quit or "
	    "Ctrl-D to leave.)\n\n", kbset_msg(ks, KBSET_MSG_GREETING));
	fflush(out);
}

int
console_is_blank(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
			return 0;
	return 1;
}

int
console_is_quit(const char *text, size_t len)
{
	static const char *const quit[] = { "/quit", "/exit", "quit", "exit" };
	size_t i, n;

	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' ||
	    text[len - 1] == '\r'))
		len--;
	for (i = 0; i < sizeof(quit) / sizeof(quit[0]); i++) {
		n = strlen(quit[i]);
		if (len == n && memcmp(text, quit[i], n) == 0)
			return 1;
	}
	return 0;
}

size_t
console_escalation_str(char *buf, size_t cap, const struct escalation *e)
{
	struct strbuf t;
	int n;

	sb_init(&t);
	if (e->text != NULL) {
		sb_puts(&t, " text=");
		sb_json_str(&t, e->text, e->len);
	}
	n = snprintf(buf, cap, "*** escalation: level=%s kind=%s "
	    "platform=%s room=%s user=%s message=%s%s",
	    crisis_level_str(e->level), crisis_kind_str(e->kind),
	    e->platform != NULL ? e->platform : "-",
	    e->room != NULL ? e->room : "-",
	    e->user != NULL ? e->user : "-",
	    e->id != NULL ? e->id : "-", t.s != NULL ? t.s : "");
	sb_free(&t);
	return n < 0 ? 0 : (size_t)n;
}
