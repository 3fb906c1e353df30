/*
 * log.h -- the daemon's five logging verbs (after OpenBSD ntpd's log.c).
 *
 * Lines go to stderr with a syslog "<N>" priority prefix (journald reads
 * it) and no timestamp.  log_warn() appends strerror(errno).  fatal()
 * and fatalx() log and exit(1); systemd restarts the service.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

#define LOG_FMT(a, b) __attribute__((format(printf, a, b)))

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG };

/* log.c */
void	log_init(enum log_level level, const char *progname);
int	log_level_parse(const char *name, enum log_level *out);
void	log_warn(const char *fmt, ...) LOG_FMT(1, 2);
void	log_warnx(const char *fmt, ...) LOG_FMT(1, 2);
void	log_info(const char *fmt, ...) LOG_FMT(1, 2);
void	log_debug(const char *fmt, ...) LOG_FMT(1, 2);
_Noreturn void	fatal(const char *fmt, ...) LOG_FMT(1, 2);
_Noreturn void	fatalx(const char *fmt, ...) LOG_FMT(1, 2);

#endif /* LOG_H */
