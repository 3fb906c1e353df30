/*
 * sdnotify.h -- the systemd notification protocol (sd_notify(3)) and the
 * watchdog interval, without linking libsystemd.
 */
#ifndef SDNOTIFY_H
#define SDNOTIFY_H

#include <stdint.h>

/* sdnotify.c */
int	sdnotify_send(const char *msg);
int	sdnotify_watchdog_usec(uint64_t *usec);

#endif
