/*
 * tlsinit.h -- OpenSSL's one-time initialisation for the TLS clients
 * (libcurl, libwebsockets), done the way faqbot wants it before they
 * do it their way.
 */
#ifndef TLSINIT_H
#define TLSINIT_H

#include <stddef.h>

/* tlsinit.c */
int	tlsinit(char *err, size_t errlen);

#endif
