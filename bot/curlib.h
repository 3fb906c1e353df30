/*
 * curlib.h -- libcurl loaded on first use (dlopen) rather than linked:
 * the functions bot/http.c calls, as a table of pointers.
 *
 * libcurl brings about thirty shared libraries (LDAP, GnuTLS, Kerberos,
 * SSH, ...) whose pages would otherwise be resident in every faqbot
 * process, also in those that configure no HTTP platform.  The headers
 * are still libcurl's own, so every prototype is checked by the compiler.
 */
#ifndef CURLIB_H
#define CURLIB_H

#include <stddef.h>

#include <curl/curl.h>

/* The Debian 12 OpenSSL flavour (libcurl4-openssl-dev depends on it). */
#define CURLIB_SONAME	"libcurl.so.4"
#define CURLIB_PACKAGE	"libcurl4"

struct curlib {
	void		 *dl;		/* dlopen handle */
	CURLcode	(*global_init)(long);
	void		(*global_cleanup)(void);
	CURL		*(*easy_init)(void);
	CURLcode	(*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	(*easy_getinfo)(CURL *, CURLINFO, ...);
	void		(*easy_cleanup)(CURL *);
	const char	*(*easy_strerror)(CURLcode);
	CURLM		*(*multi_init)(void);
	CURLMcode	(*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode	(*multi_add_handle)(CURLM *, CURL *);
	CURLMcode	(*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode	(*multi_socket_action)(CURLM *, curl_socket_t, int,
			    int *);
	CURLMcode	(*multi_assign)(CURLM *, curl_socket_t, void *);
	CURLMsg		*(*multi_info_read)(CURLM *, int *);
	CURLMcode	(*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *,
			    const char *);
	void		(*slist_free_all)(struct curl_slist *);
	time_t		(*getdate)(const char *, const time_t *);
	CURLU		*(*url)(void);
	CURLUcode	(*url_set)(CURLU *, CURLUPart, const char *,
			    unsigned int);
	CURLUcode	(*url_get)(const CURLU *, CURLUPart, char **,
			    unsigned int);
	void		(*url_cleanup)(CURLU *);
	void		(*free)(void *);
};

/* curlib.c */
/*
 * curlib_open() loads CURLIB_SONAME (a second load only counts a
 * reference) and fills a new table; curlib_open_soname() loads another
 * file name (the tests use it for a library that is not there).
 * Returns NULL with a message naming the library and the package to
 * install in err when the library or one of its functions is missing.
 * Caller frees with curlib_close().
 */
struct curlib	*curlib_open(char *err, size_t errlen);
struct curlib	*curlib_open_soname(const char *soname, char *err,
		    size_t errlen);
/* curlib_close() drops the table's reference to libcurl.  NULL ok. */
void		 curlib_close(struct curlib *c);

#endif
