/*
 * test_state.c -- atomic state files: put/get/del, key validation,
 * leftovers cleaned, and a writer killed with SIGKILL in the middle of
 * writing never leaves a torn value behind.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "state.h"

#define BIG	(256 * 1024)

static void
test_basic(const char *dir)
{
	char err[256], *v, path[512];
	size_t len;
	struct state *st;
	FILE *fp;

	st = state_open(dir, err, sizeof(err));
	CHECK(st != NULL);
	if (st == NULL)
		return;
	CHECK_INT(state_get(st, "since", &v, &len, err, sizeof(err)), 1);
	CHECK(v == NULL);
	CHECK_INT(state_put(st, "since", "s123", 4, err, sizeof(err)), 0);
	CHECK_INT(state_get(st, "since", &v, &len, err, sizeof(err)), 0);
	CHECK_STR(v, "s123");
	CHECK_INT(len, 4);
	free(v);
	CHECK_INT(state_put(st, "since", "s124", 4, err, sizeof(err)), 0);
	CHECK_INT(state_get(st, "since", &v, &len, err, sizeof(err)), 0);
	CHECK_STR(v, "s124");
	free(v);
	CHECK_INT(state_put(st, "../etc", "x", 1, err, sizeof(err)), -1);
	CHECK_INT(state_put(st, ".hidden", "x", 1, err, sizeof(err)), -1);
	CHECK_INT(state_put(st, "a/b", "x", 1, err, sizeof(err)), -1);
	CHECK_INT(state_put(st, "", "x", 1, err, sizeof(err)), -1);
	CHECK(state_key_ok("matrix.since_token-1"));
	CHECK_INT(state_del(st, "since", err, sizeof(err)), 0);
	CHECK_INT(state_get(st, "since", &v, &len, err, sizeof(err)), 1);
	CHECK_INT(state_del(st, "since", err, sizeof(err)), 0);
	state_close(st);

	/* a leftover temporary file is removed at open */
	snprintf(path, sizeof(path), "%s/.k.tmp", dir);
	fp = fopen(path, "w");
	fputs("torn", fp);
	fclose(fp);
	st = state_open(dir, err, sizeof(err));
	CHECK(st != NULL);
	CHECK(access(path, F_OK) == -1);
	state_close(st);
}

/*
 * A child rewrites one key with two large values in turn; after it has
 * written a few times the parent kills it with SIGKILL, mid-write with
 * high probability, and checks the key holds one complete value.
 */
static void
test_kill9(const char *dir)
{
	static char a[BIG], b[BIG];
	char err[256], *v;
	size_t len;
	int pfd[2], round, status;
	pid_t pid;

	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	for (round = 0; round < 5; round++) {
		struct state *st;
		char c;

		CHECK(pipe(pfd) == 0);
		pid = fork();
		if (pid == 0) {
			unsigned long n;

			close(pfd[0]);
			st = state_open(dir, err, sizeof(err));
			if (st == NULL)
				_exit(2);
			for (n = 0;; n++) {
				if (state_put(st, "key", n % 2 ? b : a, BIG,
				    err, sizeof(err)) == -1)
					_exit(3);
				if (n == 3 && write(pfd[1], "x", 1) != 1)
					_exit(4);
			}
		}
		close(pfd[1]);
		CHECK(read(pfd[0], &c, 1) == 1);	/* 4 writes done */
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(pfd[0]);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		st = state_open(dir, err, sizeof(err));
		CHECK(st != NULL);
		if (st == NULL)
			return;
		CHECK_INT(state_get(st, "key", &v, &len, err, sizeof(err)), 0);
		CHECK_INT(len, BIG);
		CHECK(v != NULL && (memcmp(v, a, BIG) == 0 ||
		    memcmp(v, b, BIG) == 0));
		free(v);
		state_close(st);
	}
}

int
main(void)
{
	char dir[] = "/tmp/test_state.XXXXXX", cmd[256];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_basic(dir);
	test_kill9(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	return CHECK_DONE();
}
