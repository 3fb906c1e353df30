/*
 * discord_msg.c -- turn MESSAGE_CREATE / MESSAGE_UPDATE and
 * INTERACTION_CREATE payloads into the adapter's incoming message:
 * decide whether the bot is addressed (DM, mention, prefix, FAQ channel,
 * /faq command), never answer bots, webhooks or itself, strip the
 * mention or prefix, and mark configured moderators (user or role id).
 * Pure parsing: no I/O, no logging of message texts.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "discord.h"
#include "xmalloc.h"

#define ID_MAX		32
#define TEXT_MAX	8192	/* bytes; Discord allows 4000 characters */

static const char *
jstr(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
id_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9' || i >= ID_MAX)
			return 0;
	return i > 0;
}

static int
in_list(char *const *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < n; i++)
		if (strcmp(v[i], id) == 0)
			return 1;
	return 0;
}

/* A moderator: configured user id, or a member with a configured role. */
static int
is_moderator(const struct discord_config *c, const char *user,
    const cJSON *member)
{
	const cJSON *roles = cJSON_GetObjectItemCaseSensitive(member, "roles");
	const cJSON *r;

	if (in_list(c->mod_users, c->nmod_users, user))
		return 1;
	cJSON_ArrayForEach(r, roles)
		if (cJSON_IsString(r) &&
		    in_list(c->mod_roles, c->nmod_roles, r->valuestring))
			return 1;
	return 0;
}

static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

/*
 * If s starts with a mention of id ("<@id>" or "<@!id>"), return what
 * follows it; otherwise NULL.
 */
static const char *
after_mention(const char *s, const char *id)
{
	size_t n = strlen(id);

	if (strncmp(s, "<@", 2) != 0)
		return NULL;
	s += 2;
	if (*s == '!')
		s++;
	if (strncmp(s, id, n) != 0 || s[n] != '>')
		return NULL;
	return s + n + 1;
}

static int
mentions_self(const cJSON *d, const char *content, const char *self)
{
	const cJSON *m;
	const char *p;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(d, "mentions"))
		if (self != NULL && jstr(m, "id") != NULL &&
		    strcmp(jstr(m, "id"), self) == 0)
			return 1;
	for (p = content; self != NULL && (p = strstr(p, "<@")) != NULL; p++)
		if (after_mention(p, self) != NULL)
			return 1;
	return 0;
}

/* The question without the leading mention or prefix. */
static const char *
strip_addressing(const char *content, const char *self,
    const char *prefix, int *had_prefix)
{
	const char *s = skip_space(content), *t;
	size_t n = strlen(prefix);

	*had_prefix = 0;
	if (self != NULL && (t = after_mention(s, self)) != NULL)
		s = skip_space(t);
	if (n > 0 && strncmp(s, prefix, n) == 0 && (s[n] == '\0' ||
	    s[n] == ' ' || s[n] == '\n' || s[n] == '\t')) {
		*had_prefix = 1;
		s = skip_space(s + n);
	}
	return s;
}

/* Moderator commands keep their "!faq" so that the router sees them. */
static int
is_command_word(const char *s)
{
	static const char *cmds[] = { "help", "reload", "stats",
	    "unanswered", NULL };
	size_t i, n;

	for (i = 0; cmds[i] != NULL; i++) {
		n = strlen(cmds[i]);
		if (strncmp(s, cmds[i], n) == 0 && (s[n] == '\0' ||
		    s[n] == ' ' || s[n] == '\n'))
			return 1;
	}
	return 0;
}

void
discord_incoming_free(struct discord_incoming *in)
{
	if (in == NULL)
		return;
	free(in->id);
	free(in->channel_id);
	free(in->guild_id);
	free(in->user_id);
	if (in->token != NULL)
		explicit_bzero(in->token, strlen(in->token));
	free(in->token);
	free(in->text);
	free(in->rev);
	memset(in, 0, sizeof(*in));
}

enum discord_in_status
discord_msg_parse(const struct cJSON *d, const struct discord_config *c,
    const char *self_id, int is_edit, struct discord_incoming *in)
{
	const cJSON *author = cJSON_GetObjectItemCaseSensitive(d, "author");
	const char *id = jstr(d, "id"), *ch = jstr(d, "channel_id");
	const char *guild = jstr(d, "guild_id"), *user = jstr(author, "id");
	const char *content = jstr(d, "content"), *q;
	int dm, addressed, had_prefix;
	size_t len;

	memset(in, 0, sizeof(*in));
	if (!cJSON_IsObject(d))
		return DISCORD_IN_INVALID;
	if (is_edit && content == NULL)
		return DISCORD_IN_IGNORED;	/* embed-only update */
	if (!id_ok(id) || !id_ok(ch) || !id_ok(user) || content == NULL ||
	    (guild != NULL && !id_ok(guild)))
		return DISCORD_IN_INVALID;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(author, "bot")) ||
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(author, "system")) ||
	    jstr(d, "webhook_id") != NULL ||
	    (self_id != NULL && strcmp(user, self_id) == 0))
		return DISCORD_IN_IGNORED;
	len = strlen(content);
	if (len == 0 || len > TEXT_MAX)
		return DISCORD_IN_IGNORED;
	dm = guild == NULL;
	q = strip_addressing(content, self_id, c->prefix, &had_prefix);
	addressed = dm || had_prefix || mentions_self(d, content, self_id) ||
	    in_list(c->faq_channels, c->nfaq_channels, ch);
	if (!addressed || *q == '\0')
		return DISCORD_IN_IGNORED;
	in->id = xstrdup(id);
	in->channel_id = xstrdup(ch);
	in->guild_id = guild != NULL ? xstrdup(guild) : NULL;
	in->user_id = xstrdup(user);
	if (had_prefix && is_command_word(q))
		in->text = xasprintf("%s %s", c->prefix, q);
	else
		in->text = xstrdup(q);
	in->is_dm = dm;
	in->is_edit = is_edit;
	if (is_edit)	/* replayed edits carry the same revision */
		in->rev = xstrdup(jstr(d, "edited_timestamp") != NULL ?
		    jstr(d, "edited_timestamp") : content);
	in->from_moderator = is_moderator(c, user,
	    cJSON_GetObjectItemCaseSensitive(d, "member"));
	return DISCORD_IN_OK;
}

/*
 * discord_interaction_parse() accepts an APPLICATION_COMMAND (type 2)
 * named "faq" with a string option "question".
 */
enum discord_in_status
discord_interaction_parse(const struct cJSON *d,
    const struct discord_config *c, struct discord_incoming *in)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(d, "type");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(d, "data");
	const cJSON *member = cJSON_GetObjectItemCaseSensitive(d, "member");
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(member, "user");
	const cJSON *opt;
	const char *id = jstr(d, "id"), *tok = jstr(d, "token");
	const char *ch = jstr(d, "channel_id"), *guild = jstr(d, "guild_id");
	const char *uid, *q = NULL, *name = jstr(data, "name");

	memset(in, 0, sizeof(*in));
	if (!cJSON_IsObject(d) || !cJSON_IsNumber(type))
		return DISCORD_IN_INVALID;
	if (type->valueint != 2 || name == NULL || strcmp(name, "faq") != 0)
		return DISCORD_IN_IGNORED;
	if (user == NULL)
		user = cJSON_GetObjectItemCaseSensitive(d, "user");
	uid = jstr(user, "id");
	if (!id_ok(id) || !id_ok(ch) || !id_ok(uid) || tok == NULL ||
	    tok[0] == '\0' || strlen(tok) > 1024 || strchr(tok, '/') ||
	    strchr(tok, '?') || strchr(tok, '#') ||
	    (guild != NULL && !id_ok(guild)))
		return DISCORD_IN_INVALID;
	cJSON_ArrayForEach(opt, cJSON_GetObjectItemCaseSensitive(data,
	    "options"))
		if (jstr(opt, "name") != NULL &&
		    strcmp(jstr(opt, "name"), "question") == 0)
			q = jstr(opt, "value");
	if (q == NULL || strlen(q) > TEXT_MAX)
		return DISCORD_IN_INVALID;
	q = skip_space(q);
	in->is_interaction = 1;
	in->id = xstrdup(id);
	in->channel_id = xstrdup(ch);
	in->guild_id = guild != NULL ? xstrdup(guild) : NULL;
	in->user_id = xstrdup(uid);
	in->token = xstrdup(tok);
	in->text = xstrdup(q);
	in->is_dm = guild == NULL;
	in->from_moderator = is_moderator(c, uid, member);
	return DISCORD_IN_OK;
}

/* Borrow in's strings into m (valid while in is). */
void
discord_incoming_to_message(const struct discord_incoming *in,
    struct message *m)
{
	memset(m, 0, sizeof(*m));
	m->platform = "discord";
	m->room = in->channel_id;
	m->user = in->user_id;
	m->id = in->id;
	m->thread = NULL;
	m->text = in->text;
	m->len = strlen(in->text);
	m->is_dm = in->is_dm;
	m->is_edit = in->is_edit;
	m->from_moderator = in->from_moderator;
}
