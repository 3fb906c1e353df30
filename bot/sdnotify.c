/*
 * sdnotify.c -- tell systemd about the daemon's state (READY=1,
 * RELOADING=1, WATCHDOG=1, STATUS=...) and read the watchdog interval.
 *
 * The protocol is one datagram of "KEY=VALUE" lines sent to the AF_UNIX
 * socket named by $NOTIFY_SOCKET (a path, or "@name" in the abstract
 * namespace); systemd documents it as stable so that daemons need not
 * link libsystemd, whose compression and crypto dependencies would
 * otherwise be loaded into every faqbot process.  Outside systemd both
 * functions do nothing.  No other sd-daemon features are implemented.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sdnotify.h"

/*
 * Send msg to $NOTIFY_SOCKET.  Returns 1 when sent, 0 when the variable
 * is unset (not under systemd), -1 with errno set on failure (an
 * unsupported or too long address: EAFNOSUPPORT / ENAMETOOLONG).
 */
int
sdnotify_send(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	size_t plen, mlen = strlen(msg);
	socklen_t salen;
	ssize_t n;
	int fd, saved;

	if (path == NULL || *path == '\0')
		return 0;
	if (path[0] != '/' && path[0] != '@') {
		errno = EAFNOSUPPORT;
		return -1;
	}
	plen = strlen(path);
	if (plen >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, plen);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract: no trailing NUL */
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen +
	    (path[0] == '/'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	n = sendto(fd, msg, mlen, MSG_NOSIGNAL, (struct sockaddr *)&sa,
	    salen);
	saved = errno;
	(void)close(fd);
	if (n != (ssize_t)mlen) {
		errno = n == -1 ? saved : EMSGSIZE;
		return -1;
	}
	return 1;
}

/*
 * The watchdog interval systemd asked for ($WATCHDOG_USEC, meant for us
 * when $WATCHDOG_PID is unset or our pid).  Returns 1 and sets *usec when
 * the watchdog is on, 0 when it is off, -1 when the variables are
 * malformed.
 */
int
sdnotify_watchdog_usec(uint64_t *usec)
{
	const char *v = getenv("WATCHDOG_USEC"), *p = getenv("WATCHDOG_PID");
	unsigned long long u;
	long pid;
	char *end;

	if (v == NULL)
		return 0;
	if (p != NULL) {
		errno = 0;
		pid = strtol(p, &end, 10);
		if (errno != 0 || end == p || *end != '\0' || pid <= 0)
			return -1;
		if (pid != (long)getpid())
			return 0;
	}
	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	u = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || u == 0)
		return -1;
	*usec = (uint64_t)u;
	return 1;
}
