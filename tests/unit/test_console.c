/*
 * test_console.c -- the console's words: greeting, blank lines, quit
 * commands, the escalation line (text only when the escalation carries
 * it, and then on one line).  The platform itself is driven through a
 * pty by tests/integration/test_console.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "console.h"
#include "kbfixture.h"
#include "kbset.h"

/* Everything written to fp so far (caller frees); fp is rewound. */
static char *
slurp(FILE *fp)
{
	long n;
	char *s;

	fflush(fp);
	n = ftell(fp);
	s = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	rewind(fp);
	if (n > 0 && fread(s, 1, (size_t)n, fp) != (size_t)n)
		s[0] = '\0';
	rewind(fp);
	return s;
}

static void
test_greet(struct kbset *ks)
{
	FILE *out = tmpfile();
	char *o;

	if (out == NULL) {
		CHECK(0);
		return;
	}
	console_greet(ks, out);
	o = slurp(out);
	CHECK(strstr(o, "Hi, I answer drugol questions.") != NULL);
	CHECK(strstr(o, "/quit") != NULL);
	free(o);
	fclose(out);
}

static void
test_words(void)
{
	CHECK_INT(console_is_blank("", 0), 1);
	CHECK_INT(console_is_blank(" \t\r", 3), 1);
	CHECK_INT(console_is_blank(" x ", 3), 0);
	CHECK_INT(console_is_quit("/quit", 5), 1);
	CHECK_INT(console_is_quit("/exit  ", 7), 1);
	CHECK_INT(console_is_quit("quit\r", 5), 1);
	CHECK_INT(console_is_quit("exit", 4), 1);
	CHECK_INT(console_is_quit("quit smoking?", 13), 0);
	CHECK_INT(console_is_quit("/qui", 4), 0);
	CHECK_INT(console_is_quit("", 0), 0);
}

static void
test_escalation_str(void)
{
	struct escalation e;
	char buf[512], small[20];
	size_t n;

	memset(&e, 0, sizeof(e));
	e.present = 1;
	e.level = CRISIS_CONCERN;
	e.kind = CRISIS_ABUSE_OF_OTHERS;
	e.platform = "matrix";
	e.user = "@x:example.org";
	console_escalation_str(buf, sizeof(buf), &e);
	CHECK_STR(buf, "*** escalation: level=concern kind=abuse_of_others "
	    "platform=matrix room=- user=@x:example.org message=-");
	n = console_escalation_str(small, sizeof(small), &e);
	CHECK_INT(strlen(small), sizeof(small) - 1);
	CHECK(n > sizeof(small));
	/* the text only when the escalation carries it, as one JSON string */
	e.text = "help\n\"me\"";
	e.len = 4;
	console_escalation_str(buf, sizeof(buf), &e);
	CHECK_STR(buf, "*** escalation: level=concern kind=abuse_of_others "
	    "platform=matrix room=- user=@x:example.org message=- "
	    "text=\"help\"");
	e.len = strlen(e.text);
	console_escalation_str(buf, sizeof(buf), &e);
	CHECK(strstr(buf, "text=\"help\\n\\\"me\\\"\"") != NULL);
	CHECK(strchr(buf, '\n') == NULL);
}

int
main(void)
{
	struct kbset *ks;

	test_escalation_str();
	test_words();
	ks = fx_load();
	CHECK(ks != NULL);
	if (ks != NULL) {
		test_greet(ks);
		kbset_unref(ks);
	}
	fx_cleanup();
	return CHECK_DONE();
}
