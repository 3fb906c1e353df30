/*
 * matrix_config.c -- validates the config file's "matrix" section into a
 * struct matrix_config, reporting every problem as "file: matrix.key:
 * message".  It reads no secret: token and password files are only
 * checked for existence and permissions (owner only, as faqbot.json(5)).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "http.h"
#include "matrix.h"
#include "xmalloc.h"

#define MAX_STR		1024
#define MAX_LIST	1024

static const char *const matrix_keys[] = {
	"enabled", "homeserver", "user_id", "token_file", "token_credential",
	"token_env", "password_file", "device_id", "display_name",
	"allow_invites_from", "faq_rooms", "rooms",
	"moderators_room", "moderators", "moderator_power_level",
	"crisis_by_dm", "encrypted_notice", "leave_when_alone", "ca_file",
	"sync_timeout_ms", "backoff_max_ms", NULL
};

static const char *const room_keys[] = { "answer", "crisis_by_dm", NULL };

struct ctx {
	const char	*file;
	struct diag	*d;
	int		 bad;
};

static void
err(struct ctx *c, const char *key, const char *msg)
{
	diag_addf(c->d, "%s: matrix.%s: %s", c->file, key, msg);
	c->bad = 1;
}

/* A string value, or NULL (missing; wrong type is reported). */
static char *
str(struct ctx *c, const cJSON *o, const char *key, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL) {
		if (required)
			err(c, key, "required key missing");
		return NULL;
	}
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		err(c, key, "expected a non-empty string");
		return NULL;
	}
	if (strlen(v->valuestring) > MAX_STR) {
		err(c, key, "string too long");
		return NULL;
	}
	return xstrdup(v->valuestring);
}

static void
boolean(struct ctx *c, const cJSON *o, const char *key, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL)
		return;
	if (!cJSON_IsBool(v))
		err(c, key, "expected true or false");
	else
		*out = cJSON_IsTrue(v);
}

static void
integer(struct ctx *c, const cJSON *o, const char *key, long min, long max,
    long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char msg[128];

	if (v == NULL)
		return;
	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(long)v->valuedouble
	    || v->valuedouble < (double)min || v->valuedouble > (double)max) {
		snprintf(msg, sizeof(msg), "expected an integer in %ld..%ld",
		    min, max);
		err(c, key, msg);
		return;
	}
	*out = (long)v->valuedouble;
}

/* Array of strings, each checked by ok() when given; NULL-ended copy. */
static char **
strv(struct ctx *c, const cJSON *o, const char *key, size_t *n,
    int (*ok)(const char *), const char *what)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key), *it;
	char **out;
	char k[160];
	size_t i = 0;

	*n = 0;
	if (v == NULL)
		return NULL;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > MAX_LIST) {
		err(c, key, "expected an array of strings");
		return NULL;
	}
	out = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(*out));
	cJSON_ArrayForEach(it, v) {
		snprintf(k, sizeof(k), "%s[%zu]", key, i);
		if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
		    strlen(it->valuestring) > MAX_STR) {
			err(c, k, "expected a non-empty string");
		} else if (ok != NULL && !ok(it->valuestring)) {
			err(c, k, what);
		} else {
			out[(*n)++] = xstrdup(it->valuestring);
		}
		i++;
	}
	return out;
}

/* "@localpart:server" / "!opaque:server" (server part non-empty). */
static int
sigil_id(const char *s, char sigil)
{
	const char *colon;

	return s[0] == sigil && (colon = strchr(s, ':')) != NULL &&
	    colon > s + 1 && colon[1] != '\0' && strlen(s) <= 255 &&
	    strpbrk(s, " \t\r\n/") == NULL;
}

static int
user_id_ok(const char *s)
{
	return sigil_id(s, '@');
}

static int
room_id_ok(const char *s)
{
	return sigil_id(s, '!');
}

/* "@user:server", or a server name "example.org" / ":example.org". */
static int
allow_ok(const char *s)
{
	if (s[0] == '@')
		return user_id_ok(s);
	if (s[0] == ':')
		s++;
	return s[0] != '\0' && strpbrk(s, " \t\r\n/@!") == NULL;
}

static void
secret_file(struct ctx *c, const char *key, const char *path)
{
	struct stat st;

	if (path == NULL)
		return;
	if (stat(path, &st) == -1) {
		err(c, key, "cannot read the file");
		return;
	}
	if (!S_ISREG(st.st_mode))
		err(c, key, "not a regular file");
	else if (st.st_mode & (S_IRWXG | S_IRWXO))
		err(c, key, "file is accessible by group or others "
		    "(chmod 600)");
}

static enum matrix_answer
answer_mode(const char *s, int *ok)
{
	*ok = 1;
	if (strcmp(s, "default") == 0)
		return MATRIX_ANSWER_DEFAULT;
	if (strcmp(s, "all") == 0)
		return MATRIX_ANSWER_ALL;
	if (strcmp(s, "mention") == 0)
		return MATRIX_ANSWER_MENTION;
	if (strcmp(s, "prefix") == 0)
		return MATRIX_ANSWER_PREFIX;
	if (strcmp(s, "none") == 0)
		return MATRIX_ANSWER_NONE;
	*ok = 0;
	return MATRIX_ANSWER_DEFAULT;
}

static struct matrix_room_cfg *
room_find(struct matrix_config *mc, const char *id)
{
	size_t i;

	for (i = 0; i < mc->nrooms; i++)
		if (strcmp(mc->rooms[i].id, id) == 0)
			return &mc->rooms[i];
	return NULL;
}

static struct matrix_room_cfg *
room_add(struct matrix_config *mc, const char *id)
{
	struct matrix_room_cfg *r;

	if ((r = room_find(mc, id)) != NULL)
		return r;
	mc->rooms = xreallocarray(mc->rooms, mc->nrooms + 1,
	    sizeof(*mc->rooms));
	r = &mc->rooms[mc->nrooms++];
	r->id = xstrdup(id);
	r->answer = MATRIX_ANSWER_DEFAULT;
	r->crisis_by_dm = -1;
	return r;
}

static void
rooms(struct ctx *c, const cJSON *o, struct matrix_config *mc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "rooms"), *it;
	const cJSON *a;
	struct matrix_room_cfg *r;
	char k[320];
	int ok, flag;
	size_t i;

	if (v == NULL)
		return;
	if (!cJSON_IsObject(v)) {
		err(c, "rooms", "expected an object of room id -> settings");
		return;
	}
	cJSON_ArrayForEach(it, v) {
		snprintf(k, sizeof(k), "rooms.%.260s", it->string);
		if (!room_id_ok(it->string)) {
			err(c, k, "not a room id (!opaque:server)");
			continue;
		}
		if (!cJSON_IsObject(it)) {
			err(c, k, "expected an object");
			continue;
		}
		for (a = it->child; a != NULL; a = a->next) {
			for (i = 0; room_keys[i] != NULL; i++)
				if (strcmp(a->string, room_keys[i]) == 0)
					break;
			if (room_keys[i] == NULL) {
				snprintf(k, sizeof(k), "rooms.%.200s.%.100s",
				    it->string, a->string);
				err(c, k, "unknown key");
			}
		}
		r = room_add(mc, it->string);
		if ((a = cJSON_GetObjectItemCaseSensitive(it, "answer")) !=
		    NULL) {
			snprintf(k, sizeof(k), "rooms.%.260s.answer",
			    it->string);
			if (!cJSON_IsString(a))
				err(c, k, "expected a string");
			else {
				r->answer = answer_mode(a->valuestring, &ok);
				if (!ok)
					err(c, k, "expected \"default\", "
					    "\"all\", \"mention\", \"prefix\""
					    " or \"none\"");
			}
		}
		if ((a = cJSON_GetObjectItemCaseSensitive(it,
		    "crisis_by_dm")) != NULL) {
			snprintf(k, sizeof(k), "rooms.%.260s.crisis_by_dm",
			    it->string);
			if (!cJSON_IsBool(a))
				err(c, k, "expected true or false");
			else {
				flag = cJSON_IsTrue(a);
				r->crisis_by_dm = flag;
			}
		}
	}
}

int
matrix_config(const cJSON *section, const char *file, struct diag *d,
    void **out)
{
	struct ctx c = { file, d, 0 };
	struct matrix_config *mc;
	const cJSON *it;
	char **faq;
	size_t nfaq, i, nsrc, n;
	int ok;

	*out = NULL;
	if (!cJSON_IsObject(section)) {
		diag_addf(d, "%s: matrix: expected an object", file);
		return -1;
	}
	cJSON_ArrayForEach(it, section) {
		for (i = 0; matrix_keys[i] != NULL; i++)
			if (strcmp(it->string, matrix_keys[i]) == 0)
				break;
		if (matrix_keys[i] == NULL)
			err(&c, it->string, "unknown key");
	}
	mc = xcalloc(1, sizeof(*mc));
	mc->moderator_power_level = -1;
	mc->encrypted_notice = 1;
	mc->leave_when_alone = 1;
	mc->sync_timeout_ms = 30000;
	mc->backoff_max_ms = 60000;
	mc->homeserver = str(&c, section, "homeserver", 1);
	if (mc->homeserver != NULL) {
		n = strlen(mc->homeserver);
		while (n > 0 && mc->homeserver[n - 1] == '/')
			mc->homeserver[--n] = '\0';
		ok = http_url_allowed(mc->homeserver);
		if (ok == -1)
			err(&c, "homeserver", "cannot be checked: libcurl "
			    "did not load (see the line above)");
		else if (ok == 0)
			err(&c, "homeserver", "expected an https:// URL "
			    "(http:// only for a loopback host)");
	}
	mc->user_id = str(&c, section, "user_id", 1);
	if (mc->user_id != NULL && !user_id_ok(mc->user_id))
		err(&c, "user_id", "not a user id (@name:server)");
	mc->token_file = str(&c, section, "token_file", 0);
	mc->token_credential = str(&c, section, "token_credential", 0);
	mc->token_env = str(&c, section, "token_env", 0);
	mc->password_file = str(&c, section, "password_file", 0);
	mc->device_id = str(&c, section, "device_id", 0);
	mc->display_name = str(&c, section, "display_name", 0);
	mc->moderators_room = str(&c, section, "moderators_room", 0);
	mc->ca_file = str(&c, section, "ca_file", 0);
	mc->prefix = xstrdup("!faq");	/* the router's command prefix */
	secret_file(&c, "token_file", mc->token_file);
	secret_file(&c, "password_file", mc->password_file);
	nsrc = (mc->token_file != NULL) + (mc->token_credential != NULL) +
	    (mc->token_env != NULL) + (mc->password_file != NULL);
	if (nsrc == 0)
		err(&c, "token_file", "one of token_file, token_credential, "
		    "token_env or password_file is required");
	else if (nsrc > 1)
		err(&c, "token_file", "give only one of token_file, "
		    "token_credential, token_env and password_file");
	if (mc->password_file != NULL && mc->device_id == NULL)
		err(&c, "device_id", "required with password_file (a stable"
		    " device id keeps one session)");
	if (mc->token_credential != NULL &&
	    strpbrk(mc->token_credential, "/") != NULL)
		err(&c, "token_credential", "a credential name, not a path");
	if (mc->moderators_room != NULL && !room_id_ok(mc->moderators_room))
		err(&c, "moderators_room", "not a room id (!opaque:server)");
	if (mc->ca_file != NULL) {
		struct stat st;

		if (stat(mc->ca_file, &st) == -1 || !S_ISREG(st.st_mode))
			err(&c, "ca_file", "cannot read the file");
	}
	mc->allow_invites_from = strv(&c, section, "allow_invites_from",
	    &mc->nallow, allow_ok, "expected @user:server or a server name");
	mc->moderators = strv(&c, section, "moderators", &mc->nmoderators,
	    user_id_ok, "not a user id (@name:server)");
	faq = strv(&c, section, "faq_rooms", &nfaq, room_id_ok,
	    "not a room id (!opaque:server)");
	for (i = 0; i < nfaq; i++)
		room_add(mc, faq[i])->answer = MATRIX_ANSWER_ALL;
	for (i = 0; faq != NULL && faq[i] != NULL; i++)
		free(faq[i]);
	free(faq);
	rooms(&c, section, mc);
	integer(&c, section, "moderator_power_level", -1, 1000000000L,
	    &mc->moderator_power_level);
	integer(&c, section, "sync_timeout_ms", 0, 120000,
	    &mc->sync_timeout_ms);
	integer(&c, section, "backoff_max_ms", 100, 3600000,
	    &mc->backoff_max_ms);
	boolean(&c, section, "crisis_by_dm", &mc->crisis_by_dm);
	boolean(&c, section, "encrypted_notice", &mc->encrypted_notice);
	boolean(&c, section, "leave_when_alone", &mc->leave_when_alone);
	if (c.bad) {
		matrix_config_free(mc);
		return -1;
	}
	*out = mc;
	return 0;
}

static void
strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
matrix_config_free(void *cfg)
{
	struct matrix_config *mc = cfg;
	size_t i;

	if (mc == NULL)
		return;
	free(mc->homeserver);
	free(mc->user_id);
	free(mc->token_file);
	free(mc->token_credential);
	free(mc->token_env);
	free(mc->password_file);
	free(mc->device_id);
	free(mc->display_name);
	free(mc->prefix);
	free(mc->moderators_room);
	free(mc->ca_file);
	strv_free(mc->allow_invites_from);
	strv_free(mc->moderators);
	for (i = 0; i < mc->nrooms; i++)
		free(mc->rooms[i].id);
	free(mc->rooms);
	free(mc);
}
