/*
 * test_cmdutil.c -- the command-line helpers: the capped line reader
 * (long lines, CRLF, NUL bytes, last line without newline) and the
 * UTF-8 cleaning used for JSON output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmdutil.h"

static void
test_read_line(void)
{
	FILE *fp = tmpfile();
	char *buf = malloc(CMD_MAX_LINE + 1);
	long len;
	int toolong, i;

	if (fp == NULL || buf == NULL) {
		CHECK(0);
		return;
	}
	fputs("one\r\n\n", fp);
	for (i = 0; i < CMD_MAX_LINE + 10; i++)
		fputc('x', fp);
	fputc('\n', fp);
	fwrite("a\0b\n", 1, 4, fp);
	fputs("last", fp);
	rewind(fp);
	len = cmd_read_line(fp, buf, &toolong);
	CHECK_INT(len, 3);
	CHECK_STR(buf, "one");
	CHECK_INT(toolong, 0);
	CHECK_INT(cmd_read_line(fp, buf, &toolong), 0);
	len = cmd_read_line(fp, buf, &toolong);
	CHECK_INT(toolong, 1);
	CHECK_INT(len, CMD_MAX_LINE);
	len = cmd_read_line(fp, buf, &toolong);
	CHECK_INT(len, 3);			/* NUL kept */
	CHECK(memcmp(buf, "a\0b", 3) == 0);
	CHECK_INT(toolong, 0);
	len = cmd_read_line(fp, buf, &toolong);
	CHECK_INT(len, 4);
	CHECK_STR(buf, "last");
	CHECK_INT(cmd_read_line(fp, buf, &toolong), -1);
	fclose(fp);
	free(buf);
}

static void
test_text_json(void)
{
	char *s;

	s = cmd_text_json("caf\xc3\xa9", 5);
	CHECK_STR(s, "caf\xc3\xa9");
	free(s);
	s = cmd_text_json("a\xff" "b", 3);
	CHECK_STR(s, "a\xef\xbf\xbd" "b");
	free(s);
	s = cmd_text_json("a\0b", 3);
	CHECK_STR(s, "a\xef\xbf\xbd" "b");
	free(s);
	s = cmd_text_json("\xe2\x82", 2);	/* truncated sequence */
	CHECK_STR(s, "\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = cmd_text_json("\xed\xa0\x80", 3);	/* surrogate */
	CHECK(strstr(s, "\xed") == NULL);
	free(s);
	s = cmd_text_json("", 0);
	CHECK_STR(s, "");
	free(s);
}

int
main(void)
{
	test_read_line();
	test_text_json();
	return CHECK_DONE();
}
