/*
 * curlib.c -- load libcurl with dlopen() when an HTTP client is first
 * needed, and look up the functions bot/http.c uses (see curlib.h for
 * why it is not linked).  Nothing here calls libcurl; curl_global_init()
 * stays with the caller.  The library is never unloaded (RTLD_NODELETE):
 * once a process needed it, it keeps it, and no library of curl's tree
 * ever runs its destructors while a pointer into it may remain.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curlib.h"

/*
 * Store the address of name into *slot (a function pointer of size n).
 * dlsym() returns an object pointer; memcpy() is the portable way to turn
 * it into a function pointer.  Returns 0, or -1 with err filled.
 */
static int
sym(void *dl, const char *soname, const char *name, void *slot, size_t n,
    char *err, size_t errlen)
{
	void *p;

	(void)dlerror();
	if ((p = dlsym(dl, name)) == NULL) {
		const char *why = dlerror();

		snprintf(err, errlen, "%s has no %s (is it libcurl? install "
		    "the Debian package %s)%s%s", soname, name, CURLIB_PACKAGE,
		    why ? ": " : "", why ? why : "");
		return -1;
	}
	if (n != sizeof(p)) {
		snprintf(err, errlen, "%s: cannot store %s", soname, name);
		return -1;
	}
	memcpy(slot, &p, n);
	return 0;
}

#define SYM(field, name) sym(c->dl, soname, (name), &c->field, \
	sizeof(c->field), err, errlen)

struct curlib *
curlib_open(char *err, size_t errlen)
{
	return curlib_open_soname(CURLIB_SONAME, err, errlen);
}

struct curlib *
curlib_open_soname(const char *soname, char *err, size_t errlen)
{
	struct curlib *c;
	const char *why;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", soname);
		return NULL;
	}
	/*
	 * libcurl brings GnuTLS (through LDAP), which faqbot never uses:
	 * curl here is the OpenSSL flavour and only http and https are
	 * allowed (CURLOPT_PROTOCOLS_STR), so LDAP never runs.  The variable
	 * only skips the initialisation GnuTLS's constructor would do at
	 * load time (0.5-1 MB resident); a caller of GnuTLS still
	 * initialises it explicitly with gnutls_global_init(), as libldap
	 * does before it uses TLS, so nothing is left uninitialised.  An
	 * explicit setting in the environment is kept.  The first call
	 * comes during start-up, before the daemon starts any other thread
	 * (setenv is not safe beside threads reading the environment).
	 */
	if (setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0) == -1) {
		snprintf(err, errlen, "setenv GNUTLS_NO_IMPLICIT_INIT: %s",
		    strerror(errno));
		free(c);
		return NULL;
	}
	if ((c->dl = dlopen(soname, RTLD_NOW | RTLD_LOCAL |
	    RTLD_NODELETE)) == NULL) {
		why = dlerror();
		snprintf(err, errlen, "cannot load %s (install the Debian "
		    "package %s): %s", soname, CURLIB_PACKAGE,
		    why ? why : "unknown error");
		free(c);
		return NULL;
	}
	if (SYM(global_init, "curl_global_init") == -1 ||
	    SYM(global_cleanup, "curl_global_cleanup") == -1 ||
	    SYM(easy_init, "curl_easy_init") == -1 ||
	    SYM(easy_setopt, "curl_easy_setopt") == -1 ||
	    SYM(easy_getinfo, "curl_easy_getinfo") == -1 ||
	    SYM(easy_cleanup, "curl_easy_cleanup") == -1 ||
	    SYM(easy_strerror, "curl_easy_strerror") == -1 ||
	    SYM(multi_init, "curl_multi_init") == -1 ||
	    SYM(multi_setopt, "curl_multi_setopt") == -1 ||
	    SYM(multi_add_handle, "curl_multi_add_handle") == -1 ||
	    SYM(multi_remove_handle, "curl_multi_remove_handle") == -1 ||
	    SYM(multi_socket_action, "curl_multi_socket_action") == -1 ||
	    SYM(multi_assign, "curl_multi_assign") == -1 ||
	    SYM(multi_info_read, "curl_multi_info_read") == -1 ||
	    SYM(multi_cleanup, "curl_multi_cleanup") == -1 ||
	    SYM(slist_append, "curl_slist_append") == -1 ||
	    SYM(slist_free_all, "curl_slist_free_all") == -1 ||
	    SYM(getdate, "curl_getdate") == -1 ||
	    SYM(url, "curl_url") == -1 ||
	    SYM(url_set, "curl_url_set") == -1 ||
	    SYM(url_get, "curl_url_get") == -1 ||
	    SYM(url_cleanup, "curl_url_cleanup") == -1 ||
	    SYM(free, "curl_free") == -1) {
		curlib_close(c);
		return NULL;
	}
	return c;
}

void
curlib_close(struct curlib *c)
{
	if (c == NULL)
		return;
	(void)dlclose(c->dl);
	free(c);
}
