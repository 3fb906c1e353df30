/*
 * discord_config.c -- the "discord" section of the config file: validate
 * every key (reporting all problems with their key path), read the bot
 * token from a file, a systemd credential or an environment variable.
 * The token is never printed; it is wiped from memory on free.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "discord.h"
#include "xmalloc.h"

static const char *known_keys[] = {
	"enabled", "api_base", "gateway_url", "token_file", "credential",
	"token_env", "application_id", "guild_ids", "message_content",
	"prefix", "faq_channels", "moderators", "moderators_channel",
	"ephemeral_crisis", "ephemeral_answers", "shard", "reconnect_min_ms",
	"reconnect_max_ms", "defer_ms", "max_frame_bytes", "compress", NULL
};

/* A Discord snowflake: 1-20 decimal digits. */
static int
is_snowflake(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return i >= 1 && i <= 20;
}

/*
 * discord_url_loopback_ok() accepts url when it starts with secure
 * ("https://") or, for loopback hosts only, with plain ("http://").
 */
int
discord_url_loopback_ok(const char *url, const char *secure,
    const char *plain)
{
	static const char *loop[] = { "127.0.0.1", "localhost", "[::1]",
	    NULL };
	size_t i, n;
	const char *h;

	if (strncmp(url, secure, strlen(secure)) == 0)
		return url[strlen(secure)] != '\0';
	if (strncmp(url, plain, strlen(plain)) != 0)
		return 0;
	h = url + strlen(plain);
	for (i = 0; loop[i] != NULL; i++) {
		n = strlen(loop[i]);
		if (strncmp(h, loop[i], n) == 0 && (h[n] == '\0' ||
		    h[n] == ':' || h[n] == '/' || h[n] == '?'))
			return 1;
	}
	return 0;
}

static char *
get_string(const cJSON *sec, const char *key, const char *file,
    struct diag *d, const char *def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, key);

	if (v == NULL)
		return def != NULL ? xstrdup(def) : NULL;
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		diag_addf(d, "%s: discord.%s: expected a non-empty string",
		    file, key);
		return NULL;
	}
	return xstrdup(v->valuestring);
}

static int
get_bool(const cJSON *sec, const char *key, const char *file,
    struct diag *d, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, key);

	if (v == NULL)
		return def;
	if (!cJSON_IsBool(v)) {
		diag_addf(d, "%s: discord.%s: expected true or false", file,
		    key);
		return def;
	}
	return cJSON_IsTrue(v);
}

static long
get_long(const cJSON *sec, const char *key, const char *file,
    struct diag *d, long def, long min, long max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, key);

	if (v == NULL)
		return def;
	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(long)
	    v->valuedouble || v->valuedouble < min || v->valuedouble > max) {
		diag_addf(d, "%s: discord.%s: expected an integer from %ld "
		    "to %ld", file, key, min, max);
		return def;
	}
	return (long)v->valuedouble;
}

/* A list of snowflakes at path (e.g. "moderators.users"). */
static char **
get_ids(const cJSON *v, const char *path, const char *file,
    struct diag *d, size_t *n)
{
	const cJSON *it;
	char **out;
	size_t i = 0;

	*n = 0;
	if (v == NULL)
		return NULL;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > DISCORD_MAX_LIST) {
		diag_addf(d, "%s: discord.%s: expected an array of at most %d "
		    "ids", file, path, DISCORD_MAX_LIST);
		return NULL;
	}
	out = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(*out));
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it) || !is_snowflake(it->valuestring)) {
			diag_addf(d, "%s: discord.%s[%zu]: expected an id "
			    "(a string of digits)", file, path, i);
		} else
			out[(*n)++] = xstrdup(it->valuestring);
		i++;
	}
	return out;
}

static void
free_ids(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Token characters: printable ASCII, no space, quote or backslash. */
static int
token_ok(const char *t)
{
	size_t i;

	for (i = 0; t[i] != '\0'; i++)
		if (t[i] <= ' ' || t[i] > '~' || t[i] == '"' || t[i] == '\\')
			return 0;
	return i > 0;
}

/* Read a secret file (refused when group/other may read it). */
static char *
read_token_file(const char *path, const char *key, const char *file,
    struct diag *d, int check_mode)
{
	char buf[DISCORD_MAX_TOKEN + 2];
	struct stat st;
	ssize_t n;
	size_t len = 0;
	char *tok;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		diag_addf(d, "%s: discord.%s: %s: %s", file, key, path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || (check_mode && (st.st_mode & 077))) {
		diag_addf(d, "%s: discord.%s: %s: readable by group or "
		    "others (chmod 600 it)", file, key, path);
		close(fd);
		return NULL;
	}
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' '))
		buf[--len] = '\0';
	if (len > DISCORD_MAX_TOKEN || !token_ok(buf)) {
		diag_addf(d, "%s: discord.%s: %s: not a token (empty, too "
		    "long or with invalid characters)", file, key, path);
		explicit_bzero(buf, sizeof(buf));
		return NULL;
	}
	tok = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return tok;
}

static char *
read_token(const cJSON *sec, const char *file, struct diag *d)
{
	const cJSON *tf = cJSON_GetObjectItemCaseSensitive(sec, "token_file");
	const cJSON *cr = cJSON_GetObjectItemCaseSensitive(sec, "credential");
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(sec, "token_env");
	char path[4096];
	const char *dir, *val;
	int n;

	if ((tf != NULL) + (cr != NULL) + (ev != NULL) != 1) {
		diag_addf(d, "%s: discord: exactly one of token_file, "
		    "credential, token_env is required", file);
		return NULL;
	}
	if (tf != NULL) {
		if (!cJSON_IsString(tf) || tf->valuestring[0] == '\0') {
			diag_addf(d, "%s: discord.token_file: expected a path",
			    file);
			return NULL;
		}
		return read_token_file(tf->valuestring, "token_file", file,
		    d, 1);
	}
	if (cr != NULL) {
		if (!cJSON_IsString(cr) || cr->valuestring[0] == '\0' ||
		    strchr(cr->valuestring, '/') != NULL) {
			diag_addf(d, "%s: discord.credential: expected a "
			    "credential name", file);
			return NULL;
		}
		if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL) {
			diag_addf(d, "%s: discord.credential: "
			    "$CREDENTIALS_DIRECTORY is not set (LoadCredential= "
			    "in the unit)", file);
			return NULL;
		}
		n = snprintf(path, sizeof(path), "%s/%s", dir,
		    cr->valuestring);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			diag_addf(d, "%s: discord.credential: path too long",
			    file);
			return NULL;
		}
		return read_token_file(path, "credential", file, d, 0);
	}
	if (!cJSON_IsString(ev) || ev->valuestring[0] == '\0') {
		diag_addf(d, "%s: discord.token_env: expected a variable name",
		    file);
		return NULL;
	}
	val = getenv(ev->valuestring);
	if (val == NULL || strlen(val) > DISCORD_MAX_TOKEN || !token_ok(val)) {
		diag_addf(d, "%s: discord.token_env: $%s is unset or not a "
		    "token", file, ev->valuestring);
		return NULL;
	}
	return xstrdup(val);
}

static void
check_id(const char *v, const char *key, const char *file, struct diag *d)
{
	if (v != NULL && !is_snowflake(v))
		diag_addf(d, "%s: discord.%s: expected an id (a string of "
		    "digits)", file, key);
}

static void
parse_moderators(const cJSON *sec, struct discord_config *c,
    const char *file, struct diag *d)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(sec, "moderators");
	const cJSON *it;

	if (m == NULL)
		return;
	if (!cJSON_IsObject(m)) {
		diag_addf(d, "%s: discord.moderators: expected an object "
		    "{\"users\": [...], \"roles\": [...]}", file);
		return;
	}
	cJSON_ArrayForEach(it, m)
		if (strcmp(it->string, "users") != 0 &&
		    strcmp(it->string, "roles") != 0)
			diag_addf(d, "%s: discord.moderators.%s: unknown key",
			    file, it->string);
	c->mod_users = get_ids(cJSON_GetObjectItemCaseSensitive(m, "users"),
	    "moderators.users", file, d, &c->nmod_users);
	c->mod_roles = get_ids(cJSON_GetObjectItemCaseSensitive(m, "roles"),
	    "moderators.roles", file, d, &c->nmod_roles);
}

static void
parse_shard(const cJSON *sec, struct discord_config *c, const char *file,
    struct diag *d)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(sec, "shard");
	const cJSON *a, *b;

	if (s == NULL)
		return;
	a = cJSON_GetArrayItem(s, 0);
	b = cJSON_GetArrayItem(s, 1);
	if (!cJSON_IsArray(s) || cJSON_GetArraySize(s) != 2 ||
	    !cJSON_IsNumber(a) || !cJSON_IsNumber(b) || b->valueint < 1 ||
	    b->valueint > 65536 || a->valueint < 0 ||
	    a->valueint >= b->valueint) {
		diag_addf(d, "%s: discord.shard: expected [shard_id, "
		    "shard_count] with 0 <= shard_id < shard_count", file);
		return;
	}
	c->shard_id = a->valueint;
	c->shard_count = b->valueint;
}

int
discord_config_parse(const struct cJSON *section, const char *file,
    struct diag *d, void **out)
{
	struct discord_config *c;
	const cJSON *it;
	size_t before = d->n, i;

	*out = NULL;
	if (!cJSON_IsObject(section)) {
		diag_addf(d, "%s: discord: expected an object", file);
		return -1;
	}
	cJSON_ArrayForEach(it, section) {
		for (i = 0; known_keys[i] != NULL; i++)
			if (strcmp(it->string, known_keys[i]) == 0)
				break;
		if (known_keys[i] == NULL)
			diag_addf(d, "%s: discord.%s: unknown key", file,
			    it->string);
	}
	c = xcalloc(1, sizeof(*c));
	c->api_base = get_string(section, "api_base", file, d,
	    "https://discord.com/api/v10");
	if (c->api_base != NULL && !discord_url_loopback_ok(c->api_base,
	    "https://", "http://"))
		diag_addf(d, "%s: discord.api_base: must be https:// "
		    "(http:// only for loopback)", file);
	c->gateway_url = get_string(section, "gateway_url", file, d, NULL);
	if (c->gateway_url != NULL && !discord_url_loopback_ok(c->gateway_url,
	    "wss://", "ws://"))
		diag_addf(d, "%s: discord.gateway_url: must be wss:// "
		    "(ws:// only for loopback)", file);
	c->application_id = get_string(section, "application_id", file, d,
	    NULL);
	check_id(c->application_id, "application_id", file, d);
	c->guild_ids = get_ids(cJSON_GetObjectItemCaseSensitive(section,
	    "guild_ids"), "guild_ids", file, d, &c->nguild_ids);
	c->message_content = get_bool(section, "message_content", file, d, 0);
	c->prefix = get_string(section, "prefix", file, d, "!faq");
	if (c->prefix != NULL && strlen(c->prefix) > 32)
		diag_addf(d, "%s: discord.prefix: at most 32 bytes", file);
	c->faq_channels = get_ids(cJSON_GetObjectItemCaseSensitive(section,
	    "faq_channels"), "faq_channels", file, d, &c->nfaq_channels);
	if (c->nfaq_channels > 0 && !c->message_content)
		diag_addf(d, "%s: discord.faq_channels: needs "
		    "\"message_content\": true", file);
	parse_moderators(section, c, file, d);
	c->moderators_channel = get_string(section, "moderators_channel",
	    file, d, NULL);
	check_id(c->moderators_channel, "moderators_channel", file, d);
	c->ephemeral_crisis = get_bool(section, "ephemeral_crisis", file, d,
	    1);
	c->ephemeral_answers = get_bool(section, "ephemeral_answers", file, d,
	    0);
	parse_shard(section, c, file, d);
	c->backoff_min_ms = get_long(section, "reconnect_min_ms", file, d,
	    1000, 10, 600000);
	c->backoff_max_ms = get_long(section, "reconnect_max_ms", file, d,
	    60000, 10, 3600000);
	if (c->backoff_max_ms < c->backoff_min_ms)
		diag_addf(d, "%s: discord.reconnect_max_ms: smaller than "
		    "reconnect_min_ms", file);
	c->defer_ms = get_long(section, "defer_ms", file, d, 1500, 0, 2500);
	c->max_frame = (size_t)get_long(section, "max_frame_bytes", file, d,
	    8L << 20, 4096, 64L << 20);
	c->compress = get_bool(section, "compress", file, d, 0);
	(void)get_bool(section, "enabled", file, d, 1);
	c->token = read_token(section, file, d);
	if (d->n != before) {
		discord_config_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

uint32_t
discord_config_intents(const struct discord_config *c)
{
	uint32_t i = DISCORD_INTENT_GUILDS | DISCORD_INTENT_GUILD_MESSAGES |
	    DISCORD_INTENT_DIRECT_MESSAGES;

	if (c->message_content)
		i |= DISCORD_INTENT_MESSAGE_CONTENT;
	return i;
}

void
discord_config_free(void *cfg)
{
	struct discord_config *c = cfg;

	if (c == NULL)
		return;
	if (c->token != NULL) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	free(c->api_base);
	free(c->gateway_url);
	free(c->application_id);
	free_ids(c->guild_ids, c->nguild_ids);
	free(c->prefix);
	free_ids(c->faq_channels, c->nfaq_channels);
	free_ids(c->mod_users, c->nmod_users);
	free_ids(c->mod_roles, c->nmod_roles);
	free(c->moderators_channel);
	free(c);
}
