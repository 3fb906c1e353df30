/*
 * test_unanswered.c -- the unanswered-question log: lines hold no user
 * ids, retention and the size cap prune the oldest lines, and the report
 * groups similar questions and counts them.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "strbuf.h"
#include "unanswered.h"

static long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

int
main(void)
{
	char dir[] = "/tmp/test_unanswered.XXXXXX", path[256], err[256];
	struct unanswered *u;
	struct strbuf sb;
	time_t now = 1700000000;
	long n;
	int i;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/%s", dir, UNANSWERED_FILE);
	u = unanswered_open(path, 30, 4096, now, err, sizeof(err));
	CHECK(u != NULL);
	if (u == NULL)
		return CHECK_DONE();
	/* 40 days ago, then today */
	CHECK_INT(unanswered_add(u, now - 40 * 86400, "matrix",
	    "old question about ketamine", 27, err, sizeof(err)), 0);
	CHECK_INT(unanswered_add(u, now, "matrix", "Can I take ketamine "
	    "with Xanax?", 31, err, sizeof(err)), 0);
	CHECK_INT(unanswered_add(u, now, "discord", "can i take KETAMINE "
	    "and xanax", 29, err, sizeof(err)), 0);
	CHECK_INT(unanswered_add(u, now, "stdio", "what about lithium?", 19,
	    err, sizeof(err)), 0);

	sb_init(&sb);
	n = unanswered_report(path, now - 7 * 86400, 0, &sb, err, sizeof(err));
	CHECK_INT(n, 3);
	CHECK(sb.s != NULL && strncmp(sb.s, "2  can i take ketamine with "
	    "xanax?\n", 35) == 0);
	CHECK(sb.s != NULL && strstr(sb.s, "1  what about lithium?\n") != NULL);
	sb_free(&sb);
	n = unanswered_report(path, 0, 1, &sb, err, sizeof(err));
	CHECK_INT(n, 4);
	CHECK(sb.s != NULL && strchr(sb.s, '\n') == sb.s + strlen(sb.s) - 1);
	sb_free(&sb);

	/* retention: the 40-day-old line goes */
	CHECK_INT(unanswered_prune(u, now, err, sizeof(err)), 0);
	n = unanswered_report(path, 0, 0, &sb, err, sizeof(err));
	CHECK_INT(n, 3);
	sb_free(&sb);

	/* size cap: never above max_bytes, newest kept */
	for (i = 0; i < 200; i++) {
		char q[64];

		snprintf(q, sizeof(q), "question number %d", i);
		CHECK_INT(unanswered_add(u, now, "stdio", q, strlen(q), err,
		    sizeof(err)), 0);
		CHECK(file_size(path) <= 4096);
	}
	n = unanswered_report(path, 0, 0, &sb, err, sizeof(err));
	CHECK(n > 10 && n < 200);
	/* similar questions form one group, counted */
	CHECK(sb.s != NULL && strchr(sb.s, '\n') == sb.s + strlen(sb.s) - 1);
	sb_free(&sb);
	{
		FILE *fp = fopen(path, "r");
		char all[8192];
		size_t got = fp ? fread(all, 1, sizeof(all) - 1, fp) : 0;

		all[got] = '\0';
		if (fp != NULL)
			fclose(fp);
		CHECK(strstr(all, "question number 199\"") != NULL);
		CHECK(strstr(all, "question number 0\"") == NULL);
	}
	unanswered_close(u);

	/* no user ids in the file: only ts, platform, text */
	{
		FILE *fp = fopen(path, "r");
		char line[1024];

		CHECK(fp != NULL);
		while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
			CHECK(strncmp(line, "{\"ts\":\"", 7) == 0 &&
			    strstr(line, "\"user\"") == NULL &&
			    strstr(line, "\"room\"") == NULL);
		if (fp != NULL)
			fclose(fp);
	}
	/* a missing log is zero questions */
	CHECK_INT(unanswered_report("/nonexistent/u.jsonl", 0, 0, &sb, err,
	    sizeof(err)), 0);
	unlink(path);
	rmdir(dir);
	return CHECK_DONE();
}
