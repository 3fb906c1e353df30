/*
 * log.c -- stderr logging with syslog priority prefixes.
 *
 * The verbosity is the one piece of file-static state here, set once by
 * log_init() from main (as in ntpd's log.c).  Never pass message texts or
 * secrets to these functions unless the config allows texts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static enum log_level	 log_verbosity = LOG_LEVEL_INFO;
static const char	*log_prog = "faqbot";

void
log_init(enum log_level level, const char *progname)
{
	log_verbosity = level;
	if (progname != NULL)
		log_prog = progname;
}

/* Map "error", "warn", "info", "debug" to a level; 0, or -1 if unknown. */
int
log_level_parse(const char *name, enum log_level *out)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

static void
log_vwrite(int prio, const char *fmt, va_list ap, const char *suffix)
{
	char buf[2048];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (suffix != NULL)
		fprintf(stderr, "<%d>%s: %s: %s\n", prio, log_prog, buf,
		    suffix);
	else
		fprintf(stderr, "<%d>%s: %s\n", prio, log_prog, buf);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (log_verbosity < LOG_LEVEL_WARN)
		return;
	va_start(ap, fmt);
	log_vwrite(4, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	if (log_verbosity < LOG_LEVEL_WARN)
		return;
	va_start(ap, fmt);
	log_vwrite(4, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_verbosity < LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	log_vwrite(6, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbosity < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vwrite(7, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite(3, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(3, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
