/*
 * test_console.c -- the console's reusable pieces: greeting, one line in
 * -> reply out, blank lines ignored, quit commands, escalations marked on
 * the error stream without the message text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "console.h"
#include "diag.h"
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
test_console(struct kbset *ks)
{
	struct console *c = console_new(NULL);
	FILE *out = tmpfile(), *err = tmpfile();
	char *o, *e;
	const char *q;

	if (out == NULL || err == NULL) {
		CHECK(0);
		return;
	}
	console_greet(ks, out);
	q = "what is drugol";
	CHECK_INT(console_line(c, ks, q, strlen(q), 1.0, out, err), 0);
	CHECK_INT(console_line(c, ks, "   ", 3, 2.0, out, err), 0);
	q = "I want to kill myself";
	CHECK_INT(console_line(c, ks, q, strlen(q), 3.0, out, err), 0);
	o = slurp(out);
	e = slurp(err);
	CHECK(strstr(o, "Hi, I answer drugol questions.") != NULL);
	CHECK(strstr(o, "/quit") != NULL);
	CHECK(strstr(o, "Drugol is a made-up medicine.") != NULL);
	CHECK(strstr(o, "988") != NULL);
	CHECK(strstr(e, "*** escalation: level=acute kind=suicide "
	    "platform=console") != NULL);
	CHECK(strstr(e, "kill myself") == NULL);	/* no text */
	CHECK(strchr(e, '\n') == strrchr(e, '\n'));	/* one line */
	free(o);
	free(e);

	CHECK_INT(console_line(c, ks, "/quit", 5, 4.0, out, err), 1);
	CHECK_INT(console_line(c, ks, "/exit  ", 7, 4.0, out, err), 1);
	CHECK_INT(console_line(c, ks, "quit", 4, 4.0, out, err), 1);
	CHECK_INT(console_line(c, ks, "quit smoking?", 13, 4.0, out, err),
	    0);
	fclose(out);
	fclose(err);
	console_free(c);
	console_free(NULL);
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
}

int
main(void)
{
	struct diag d;
	struct kbset *ks;

	test_escalation_str();
	if (fx_make() == NULL) {
		fprintf(stderr, "cannot create the fixture KB\n");
		return 1;
	}
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	if (ks != NULL) {
		test_console(ks);
		kbset_unref(ks);
	} else
		diag_print(&d, stderr);
	diag_free(&d);
	fx_cleanup();
	return CHECK_DONE();
}
