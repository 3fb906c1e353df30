/*
 * tlsinit.c -- initialise OpenSSL once, before libcurl or libwebsockets
 * does, without libcrypto's error strings.
 *
 * OpenSSL runs its initialisation once per process and the first
 * caller's options win.  libcurl and libwebsockets ask for everything,
 * which includes the text of libcrypto's ~2,300 error reasons: a hash
 * table and the pages of those strings, about 0.4 MB resident.  The TLS
 * library's own strings (libssl: "certificate verify failed", handshake
 * alerts) are kept, so TLS failures still read plainly; an error from
 * inside libcrypto (PEM, ASN.1, providers) is logged with its numeric
 * code, which `openssl errstr CODE` spells out.  The configuration file
 * (/etc/ssl/openssl.cnf) is loaded as before.  A daemon that uses no TLS
 * client never calls this and never initialises OpenSSL at all.
 */
#include <stdio.h>

#include <openssl/crypto.h>

#include "tlsinit.h"

/* Returns 0, or -1 with err filled when OpenSSL cannot be initialised. */
int
tlsinit(char *err, size_t errlen)
{
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
	    OPENSSL_INIT_LOAD_CONFIG, NULL) != 1) {
		snprintf(err, errlen, "OpenSSL initialisation failed");
		return -1;
	}
	return 0;
}
