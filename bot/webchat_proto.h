/*
 * webchat_proto.h -- the web chat's JSON messages, with no network:
 * parsing what the page sends and rendering what the daemon answers.
 *
 *   page -> daemon  {"type":"ask","text":"..."}
 *   daemon -> page  {"type":"hello","title":"..","greeting":".."}
 *                   {"type":"reply","kind":"answer|no_match|crisis",
 *                    "contacts":[{"label","tel","sms","sms_body","text"}],
 *                    "body":"..","sources":[{"title","publisher","date",
 *                    "url"}],"footer":"..","suggest_title":"..",
 *                    "suggest":[".."],"note":"..","disclaimer":".."}
 *                   {"type":"error","code":"..","message":".."}
 * Rendered strings are JSON-escaped; the page inserts them as text.
 */
#ifndef WEBCHAT_PROTO_H
#define WEBCHAT_PROTO_H

#include <stddef.h>

struct reply;
struct webchat_contact;

enum wcp_err {
	WCP_OK = 0,
	WCP_ERR_JSON,		/* not a JSON object */
	WCP_ERR_TYPE,		/* missing or unknown "type" */
	WCP_ERR_TEXT,		/* "text" missing, not a string, or blank */
	WCP_ERR_UTF8,		/* "text" is not valid UTF-8 */
	WCP_ERR_TOO_LONG	/* "text" beyond the cap */
};

/* webchat_proto.c */
/*
 * wcp_parse_ask() reads one page message (len bytes, any content) and
 * returns WCP_OK with *text a NUL-terminated copy of the question (caller
 * frees) and *tlen its length, at most maxtext bytes; or an error and
 * *text NULL.
 */
enum wcp_err	 wcp_parse_ask(const char *buf, size_t len, size_t maxtext,
		    char **text, size_t *tlen);
const char	*wcp_strerror(enum wcp_err e);
/* Short machine code of e for the "code" field ("bad_json", ...). */
const char	*wcp_code(enum wcp_err e);
/* 1 when s (len bytes) is valid UTF-8 without NUL bytes. */
int		 wcp_utf8_ok(const char *s, size_t len);

/* The rendered messages; NUL-terminated, caller frees, never NULL. */
char		*wcp_hello(const char *title, const char *greeting);
char		*wcp_error(const char *code, const char *message);
/* What a reply message carries besides the struct reply (borrowed). */
struct wcp_extra {
	const struct webchat_contact	*contacts;	/* crisis only */
	size_t				 ncontacts;
	const char			*suggest_title;	/* "Did you mean.." */
	const char			*note;		/* no_match: see a
							   doctor/pharmacist */
};

char		*wcp_reply(const struct reply *r, const struct wcp_extra *x);

#endif /* WEBCHAT_PROTO_H */
