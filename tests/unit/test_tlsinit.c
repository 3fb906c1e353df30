/*
 * test_tlsinit.c -- OpenSSL initialised by tlsinit() before libcurl or
 * libwebsockets ask for everything: libssl's error strings (what TLS
 * failures print) are there, libcrypto's are not loaded, and a second
 * call is harmless.
 */
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "check.h"
#include "tlsinit.h"

int
main(void)
{
	char err[128];
	SSL_CTX *ctx;
	const char *s;

	CHECK(tlsinit(err, sizeof(err)) == 0);
	CHECK(tlsinit(err, sizeof(err)) == 0);
	/* what libcurl's and libwebsockets' initialisation asks for */
	CHECK(OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, NULL) == 1);
	/* TLS still works: a client context with verification */
	ctx = SSL_CTX_new(TLS_client_method());
	CHECK(ctx != NULL);
	if (ctx != NULL) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		CHECK(SSL_CTX_get_verify_mode(ctx) == SSL_VERIFY_PEER);
		SSL_CTX_free(ctx);
	}
	/* libssl's reasons read plainly, libcrypto's are not loaded */
	s = ERR_reason_error_string(ERR_PACK(ERR_LIB_SSL, 0,
	    SSL_R_CERTIFICATE_VERIFY_FAILED));
	CHECK(s != NULL);
	if (s != NULL)
		CHECK_STR(s, "certificate verify failed");
	CHECK(ERR_reason_error_string(ERR_PACK(ERR_LIB_PEM, 0,
	    PEM_R_NO_START_LINE)) == NULL);
	return CHECK_DONE();
}
