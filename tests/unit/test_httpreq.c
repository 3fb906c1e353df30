/*
 * test_httpreq.c -- the admin listener's HTTP request-head parser:
 * valid requests, incomplete heads, and every rejection.
 */
#include <string.h>

#include "check.h"
#include "httpreq.h"

static enum httpreq_status
p(const char *s, struct httpreq *r)
{
	return httpreq_parse(s, strlen(s), r);
}

int
main(void)
{
	static char big[HTTPREQ_MAX_HEAD + 100];
	struct httpreq r;
	size_t i;

	CHECK_INT(p("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &r),
	    HTTPREQ_OK);
	CHECK_STR(r.method, "GET");
	CHECK_STR(r.path, "/metrics");
	CHECK_INT(r.minor, 1);
	CHECK_INT(r.keep_alive, 1);
	CHECK_INT(r.head_len, strlen("GET /metrics HTTP/1.1\r\nHost: x\r\n"
	    "\r\n"));
	CHECK_INT(p("GET /healthz?x=1 HTTP/1.0\n\n", &r), HTTPREQ_OK);
	CHECK_STR(r.path, "/healthz");
	CHECK_INT(r.keep_alive, 0);
	CHECK_INT(p("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n",
	    &r), HTTPREQ_OK);
	CHECK_INT(r.keep_alive, 0);
	CHECK_INT(p("HEAD /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &r),
	    HTTPREQ_OK);

	CHECK_INT(p("", &r), HTTPREQ_INCOMPLETE);
	CHECK_INT(p("GET /metrics HTTP/1.1\r\nHost: x\r\n", &r),
	    HTTPREQ_INCOMPLETE);

	CHECK_INT(p("GET /a HTTP/2.0\r\n\r\n", &r), HTTPREQ_BAD_VERSION);
	CHECK_INT(p("GET /a HTTP/1.1\r\nContent-Length: 5\r\n\r\n", &r),
	    HTTPREQ_HAS_BODY);
	CHECK_INT(p("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
	    &r), HTTPREQ_HAS_BODY);
	CHECK_INT(p("GET /a HTTP/1.1\r\nContent-Length: x\r\n\r\n", &r),
	    HTTPREQ_BAD);
	CHECK_INT(p("GET a HTTP/1.1\r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(p("GET /a b HTTP/1.1\r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(p("GET  /a HTTP/1.1\r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(p("G(T /a HTTP/1.1\r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(p("GET /a HTTP/1.1 \r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(p("GET /a HTTP/1.1\r\n folded\r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(p("GET /a HTTP/1.1\r\nBad Name: x\r\n\r\n", &r),
	    HTTPREQ_BAD);
	CHECK_INT(p("GET /a HTTP/1.1\r\nX: a\rb\r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(p("GET /a HTTP/1.1\r\nNoColon\r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(p("\r\n\r\n", &r), HTTPREQ_BAD);
	CHECK_INT(httpreq_parse("GET /\0 HTTP/1.1\r\n\r\n", 19, &r),
	    HTTPREQ_BAD);
	CHECK_INT(p("GETGETGETGETGETGETGET / HTTP/1.1\r\n\r\n", &r),
	    HTTPREQ_BAD);

	/* over the head cap, with and without an end */
	memcpy(big, "GET / HTTP/1.1\r\n", 16);
	for (i = 16; i < sizeof(big) - 1; i++)
		big[i] = (i % 50 == 0) ? '\n' : 'a';
	CHECK_INT(httpreq_parse(big, sizeof(big) - 1, &r), HTTPREQ_TOO_LARGE);
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	CHECK_INT(httpreq_parse(big, sizeof(big), &r), HTTPREQ_TOO_LARGE);
	/* too many headers */
	{
		char many[HTTPREQ_MAX_HEAD];
		size_t n = 0;

		n += (size_t)snprintf(many, sizeof(many), "GET / HTTP/1.1\r\n");
		for (i = 0; i < HTTPREQ_MAX_HEADERS + 1; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n,
			    "X%zu: y\r\n", i);
		n += (size_t)snprintf(many + n, sizeof(many) - n, "\r\n");
		CHECK_INT(httpreq_parse(many, n, &r), HTTPREQ_TOO_LARGE);
	}
	/* long path */
	{
		char lp[HTTPREQ_MAX_PATH + 64];

		memset(lp, 'a', sizeof(lp));
		memcpy(lp, "GET /", 5);
		memcpy(lp + sizeof(lp) - 16, " HTTP/1.1\r\n\r\n", 14);
		CHECK_INT(httpreq_parse(lp, sizeof(lp) - 2, &r), HTTPREQ_BAD);
	}
	CHECK_STR(httpreq_status_str(HTTPREQ_TOO_LARGE),
	    "request header too large");
	return CHECK_DONE();
}
