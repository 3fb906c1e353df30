/*
 * test_sdnotify.c -- the systemd notification protocol: a datagram
 * reaches a socket named by a path or in the abstract namespace, nothing
 * is sent without $NOTIFY_SOCKET, bad addresses fail, and the watchdog
 * interval is read only when it is meant for this process.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sdnotify.h"

/* A datagram socket bound to name ("@x": abstract); -1 on failure. */
static int
listener(const char *name)
{
	struct sockaddr_un sa;
	size_t n = strlen(name);
	int fd;

	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, name, n);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	if (bind(fd, (struct sockaddr *)&sa, (socklen_t)(
	    offsetof(struct sockaddr_un, sun_path) + n +
	    (name[0] == '/'))) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Receive one datagram without waiting (it was sent before). */
static void
expect_msg(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	CHECK(n >= 0);
	if (n < 0)
		return;
	buf[n] = '\0';
	CHECK_STR(buf, want);
}

static void
test_send(void)
{
	char dir[] = "/tmp/test_sdnotify.XXXXXX", path[256], abs[64];
	int fd;

	unsetenv("NOTIFY_SOCKET");
	CHECK(sdnotify_send("READY=1") == 0);
	setenv("NOTIFY_SOCKET", "", 1);
	CHECK(sdnotify_send("READY=1") == 0);

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listener(path);
	CHECK(fd != -1);
	setenv("NOTIFY_SOCKET", path, 1);
	CHECK(sdnotify_send("READY=1\nSTATUS=answering") == 1);
	expect_msg(fd, "READY=1\nSTATUS=answering");
	close(fd);
	unlink(path);
	/* the listener is gone: an error, not silence */
	CHECK(sdnotify_send("WATCHDOG=1") == -1);
	rmdir(dir);

	snprintf(abs, sizeof(abs), "@faqbot-test-sdnotify-%ld",
	    (long)getpid());
	fd = listener(abs);
	CHECK(fd != -1);
	setenv("NOTIFY_SOCKET", abs, 1);
	CHECK(sdnotify_send("RELOADING=1") == 1);
	expect_msg(fd, "RELOADING=1");
	close(fd);

	setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
	errno = 0;
	CHECK(sdnotify_send("READY=1") == -1 && errno == EAFNOSUPPORT);
	setenv("NOTIFY_SOCKET", "/tmp/"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    1);
	errno = 0;
	CHECK(sdnotify_send("READY=1") == -1 && errno == ENAMETOOLONG);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_watchdog(void)
{
	uint64_t usec = 0;
	char pid[32];

	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	CHECK(sdnotify_watchdog_usec(&usec) == 0);
	setenv("WATCHDOG_USEC", "20000000", 1);
	CHECK(sdnotify_watchdog_usec(&usec) == 1 && usec == 20000000);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	usec = 0;
	CHECK(sdnotify_watchdog_usec(&usec) == 1 && usec == 20000000);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);	/* meant for another process */
	CHECK(sdnotify_watchdog_usec(&usec) == 0);
	setenv("WATCHDOG_PID", "x1", 1);
	CHECK(sdnotify_watchdog_usec(&usec) == -1);
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "0", 1);
	CHECK(sdnotify_watchdog_usec(&usec) == -1);
	setenv("WATCHDOG_USEC", "-5", 1);
	CHECK(sdnotify_watchdog_usec(&usec) == -1);
	setenv("WATCHDOG_USEC", "12s", 1);
	CHECK(sdnotify_watchdog_usec(&usec) == -1);
	unsetenv("WATCHDOG_USEC");
}

int
main(void)
{
	test_send();
	test_watchdog();
	return CHECK_DONE();
}
