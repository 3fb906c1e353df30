/*
 * matrix_sync.c -- the /sync response handler: decides which messages
 * the bot answers and hands them to the router, queues joins, declines,
 * leaves and the encrypted-room notice, and tracks the room state it
 * needs (encryption, power levels, member count, DMs).
 *
 * Input is hostile: every field is type-checked; a bad event is skipped
 * and logged (never its text), the rest of the batch goes on.  Nothing
 * here does I/O: requests go to the outbox (matrix_out.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "matrix_int.h"
#include "xmalloc.h"

#define ENCRYPTED_NOTICE \
    "I can't read encrypted messages yet, so I can't answer in this " \
    "room. Ask me in an unencrypted room or a direct message without " \
    "encryption."

static const cJSON *
obj(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsObject(v) ? v : NULL;
}

static const cJSON *
arr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsArray(v) ? v : NULL;
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) && v->valuestring != NULL ?
	    v->valuestring : NULL;
}

/* An identifier we are willing to handle: short, no control chars. */
static int
id_ok(const char *s, char sigil)
{
	size_t n;

	if (s == NULL || s[0] != sigil)
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 0x20 || n > 255)
			return 0;
	return n > 1;
}

int
mx_seen(const struct matrix *m, const char *event_id)
{
	size_t i;

	for (i = 0; i < m->nseen; i++)
		if (strcmp(m->seen[i], event_id) == 0)
			return 1;
	return 0;
}

void
mx_seen_add(struct matrix *m, const char *event_id)
{
	if (mx_seen(m, event_id))
		return;
	if (m->nseen < MX_SEEN_MAX) {
		m->seen[m->nseen++] = xstrdup(event_id);
	} else {
		free(m->seen[m->seen_next]);
		m->seen[m->seen_next] = xstrdup(event_id);
		m->seen_next = (m->seen_next + 1) % MX_SEEN_MAX;
	}
	m->dirty = 1;
}

/* Case-insensitive search of needle in hay (len bytes). */
static int
contains_ci(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0 || n > len)
		return 0;
	for (i = 0; i + n <= len; i++)
		if (strncasecmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

int
mx_mentions(const struct matrix *m, const cJSON *content, const char *body)
{
	const cJSON *mm, *ids, *it;
	size_t len = strlen(body);

	if ((mm = obj(content, "m.mentions")) != NULL &&
	    (ids = arr(mm, "user_ids")) != NULL) {
		cJSON_ArrayForEach(it, ids)
			if (cJSON_IsString(it) &&
			    strcmp(it->valuestring, m->cfg->user_id) == 0)
				return 1;
	}
	if (contains_ci(body, len, m->cfg->user_id))
		return 1;
	if (m->own_name != NULL && strlen(m->own_name) >= 3 &&
	    contains_ci(body, len, m->own_name))
		return 1;
	if (m->cfg->display_name != NULL &&
	    contains_ci(body, len, m->cfg->display_name))
		return 1;
	return 0;
}

/* Skip a leading "Name: " / "@bot:server, " address in the text. */
static const char *
strip_address(const struct matrix *m, const char *body)
{
	const char *names[3];
	size_t i, n;

	names[0] = m->cfg->user_id;
	names[1] = m->own_name;
	names[2] = m->cfg->display_name;
	for (i = 0; i < 3; i++) {
		if (names[i] == NULL || (n = strlen(names[i])) == 0)
			continue;
		if (strncasecmp(body, names[i], n) == 0 &&
		    (body[n] == ':' || body[n] == ',')) {
			body += n + 1;
			while (*body == ' ')
				body++;
			return body;
		}
	}
	return body;
}

static int
has_prefix(const struct matrix *m, const char *body)
{
	size_t n = strlen(m->cfg->prefix);

	return strncmp(body, m->cfg->prefix, n) == 0 &&
	    (body[n] == '\0' || isspace((unsigned char)body[n]));
}

static int
is_moderator(const struct matrix *m, const struct mx_room *r,
    const char *user)
{
	const cJSON *users, *lv;
	double level = 0;
	size_t i;

	for (i = 0; i < m->cfg->nmoderators; i++)
		if (strcmp(m->cfg->moderators[i], user) == 0)
			return 1;
	if (m->cfg->moderator_power_level < 0 || r->power == NULL)
		return 0;
	lv = cJSON_GetObjectItemCaseSensitive(r->power, "users_default");
	if (cJSON_IsNumber(lv))
		level = lv->valuedouble;
	if ((users = obj(r->power, "users")) != NULL &&
	    cJSON_IsNumber(lv = cJSON_GetObjectItemCaseSensitive(users,
	    user)))
		level = lv->valuedouble;
	return level >= (double)m->cfg->moderator_power_level;
}

static enum matrix_answer
room_mode(const struct matrix *m, const char *room)
{
	size_t i;

	for (i = 0; i < m->cfg->nrooms; i++)
		if (strcmp(m->cfg->rooms[i].id, room) == 0)
			return m->cfg->rooms[i].answer;
	return MATRIX_ANSWER_DEFAULT;
}

static void
apply_state(struct matrix *m, struct mx_room *r, const cJSON *ev)
{
	const char *type = str(ev, "type"), *key = str(ev, "state_key");
	const cJSON *content = obj(ev, "content");
	const char *ms, *dn;

	if (type == NULL || key == NULL || content == NULL)
		return;
	if (strcmp(type, "m.room.encryption") == 0) {
		r->encrypted = 1;
	} else if (strcmp(type, "m.room.power_levels") == 0 &&
	    key[0] == '\0') {
		cJSON_Delete(r->power);
		r->power = cJSON_Duplicate(content, 1);
	} else if (strcmp(type, "m.room.member") == 0 &&
	    strcmp(key, m->cfg->user_id) == 0) {
		ms = str(content, "membership");
		dn = str(content, "displayname");
		if (ms != NULL && strcmp(ms, "join") == 0 && dn != NULL &&
		    strlen(dn) < 256 && (m->own_name == NULL ||
		    strcmp(m->own_name, dn) != 0)) {
			free(m->own_name);
			m->own_name = xstrdup(dn);
		}
	}
}

/* One m.room.message event in a joined room. */
static void
on_message(struct matrix *m, struct mx_room *r, const cJSON *ev)
{
	const char *eid = str(ev, "event_id"), *sender = str(ev, "sender");
	const cJSON *content = obj(ev, "content"), *rel, *nc;
	const char *msgtype, *body, *rt, *thread = NULL, *text;
	struct message msg;
	enum matrix_answer mode;
	int addressed, is_edit = 0;
	struct mx_out *o;

	if (!id_ok(eid, '$') || !id_ok(sender, '@') || content == NULL) {
		log_info("matrix: %s: skipping a malformed message event",
		    r->id);
		m->n_skipped++;
		return;
	}
	if (strcmp(sender, m->cfg->user_id) == 0 || mx_seen(m, eid))
		return;
	msgtype = str(content, "msgtype");
	body = str(content, "body");
	if (msgtype == NULL || body == NULL) {
		log_info("matrix: %s: skipping %s (no msgtype/body)", r->id,
		    eid);
		m->n_skipped++;
		return;
	}
	if (strcmp(msgtype, "m.text") != 0)
		return;			/* m.notice (bots), m.emote, media */
	if ((rel = obj(content, "m.relates_to")) != NULL &&
	    (rt = str(rel, "rel_type")) != NULL) {
		if (strcmp(rt, "m.replace") == 0) {
			is_edit = 1;
			if ((nc = obj(content, "m.new_content")) != NULL &&
			    str(nc, "body") != NULL)
				body = str(nc, "body");
		} else if (strcmp(rt, "m.thread") == 0 &&
		    id_ok(str(rel, "event_id"), '$')) {
			thread = str(rel, "event_id");
		}
	}
	if (strlen(body) > MX_MAX_BODY) {
		log_info("matrix: %s: skipping %s (body over %u bytes)",
		    r->id, eid, MX_MAX_BODY);
		m->n_skipped++;
		mx_seen_add(m, eid);
		return;
	}
	mode = room_mode(m, r->id);
	if (r->is_dm || mx_is_dm_room(m, r->id))
		addressed = 1;
	else if (mode == MATRIX_ANSWER_ALL)
		addressed = 1;
	else if (mode == MATRIX_ANSWER_MENTION)
		addressed = mx_mentions(m, content, body);
	else if (mode == MATRIX_ANSWER_PREFIX || mode == MATRIX_ANSWER_NONE)
		addressed = has_prefix(m, body);
	else
		addressed = has_prefix(m, body) ||
		    mx_mentions(m, content, body);
	if (!addressed)
		return;
	text = strip_address(m, body);
	memset(&msg, 0, sizeof(msg));
	msg.platform = "matrix";
	msg.room = r->id;
	msg.user = sender;
	msg.id = eid;
	msg.thread = thread;
	msg.text = text;
	msg.len = strlen(text);
	msg.is_dm = r->is_dm || mx_is_dm_room(m, r->id);
	msg.is_edit = is_edit;
	msg.from_moderator = is_moderator(m, r, sender);
	m->n_messages++;
	if (m->plat.dispatch != NULL)
		m->plat.dispatch(m->plat.router, &m->plat, &msg);
	for (o = m->out_head; o != NULL; o = o->next)
		if (o->event != NULL && strcmp(o->event, eid) == 0)
			return;		/* seen once its reply is sent */
	mx_seen_add(m, eid);
}

/* Is the timeline's own join event at index >= 0?  Its index or -1. */
static int
own_join_index(const struct matrix *m, const cJSON *events)
{
	const cJSON *ev, *c;
	const char *t, *k, *ms;
	int i = 0, found = -1;

	cJSON_ArrayForEach(ev, events) {
		t = str(ev, "type");
		k = str(ev, "state_key");
		c = obj(ev, "content");
		if (t != NULL && k != NULL && c != NULL &&
		    strcmp(t, "m.room.member") == 0 &&
		    strcmp(k, m->cfg->user_id) == 0 &&
		    (ms = str(c, "membership")) != NULL &&
		    strcmp(ms, "join") == 0)
			found = i;
		i++;
	}
	return found;
}

static void
on_joined_room(struct matrix *m, const char *id, const cJSON *jr)
{
	struct mx_room *r;
	const cJSON *sec, *evs, *ev, *v;
	const char *type;
	int skip_before, i = 0;

	if ((r = mx_room_get(m, id, 1)) == NULL)
		return;
	if ((sec = obj(jr, "summary")) != NULL) {
		if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(sec,
		    "m.joined_member_count")))
			r->joined = (long)v->valuedouble;
		if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(sec,
		    "m.invited_member_count")))
			r->invited = (long)v->valuedouble;
	}
	if ((sec = obj(jr, "state")) != NULL &&
	    (evs = arr(sec, "events")) != NULL)
		cJSON_ArrayForEach(ev, evs)
			if (cJSON_IsObject(ev))
				apply_state(m, r, ev);
	if ((sec = obj(jr, "timeline")) != NULL &&
	    (evs = arr(sec, "events")) != NULL) {
		/* history from before we joined is not for us */
		skip_before = own_join_index(m, evs);
		cJSON_ArrayForEach(ev, evs) {
			if (!cJSON_IsObject(ev) ||
			    (type = str(ev, "type")) == NULL) {
				m->n_skipped++;
				i++;
				continue;
			}
			if (str(ev, "state_key") != NULL)
				apply_state(m, r, ev);
			else if (m->initial || i < skip_before)
				;	/* history: not answered */
			else if (strcmp(type, "m.room.message") == 0)
				on_message(m, r, ev);
			else if (strcmp(type, "m.room.encrypted") == 0)
				r->encrypted = 1;
			i++;
		}
	}
	if (r->encrypted && !r->notified) {
		r->notified = 1;
		m->dirty = 1;
		if (m->cfg->encrypted_notice) {
			log_info("matrix: %s is encrypted: posting a notice",
			    id);
			mx_out_push(m, MX_OUT_SEND, id,
			    mx_fmt_notice(ENCRYPTED_NOTICE), NULL, id);
		}
	}
	/* alone: nobody else joined, nobody invited (a new DM waits) */
	if (m->cfg->leave_when_alone && r->joined == 1 && r->invited <= 0) {
		log_info("matrix: leaving %s: no other member left", id);
		mx_out_push(m, MX_OUT_LEAVE, id, xstrdup("{}"), NULL,
		    NULL);
		mx_room_remove(m, id);
	}
}

static int
invite_allowed(const struct matrix *m, const char *inviter)
{
	const char *server = strchr(inviter, ':'), *a;
	size_t i;

	if (m->cfg->allow_invites_from == NULL)
		return server != NULL && m->server != NULL &&
		    strcmp(server + 1, m->server) == 0;
	for (i = 0; i < m->cfg->nallow; i++) {
		a = m->cfg->allow_invites_from[i];
		if (a[0] == '@') {
			if (strcmp(a, inviter) == 0)
				return 1;
			continue;
		}
		if (a[0] == ':')
			a++;
		if (server != NULL && strcmp(server + 1, a) == 0)
			return 1;
	}
	return 0;
}

static void
on_invite(struct matrix *m, const char *id, const cJSON *ir)
{
	const cJSON *st, *evs, *ev, *c, *d;
	const char *inviter = NULL, *k, *t, *ms;
	int is_direct = 0;
	struct mx_room *r;

	if ((r = mx_room_get(m, id, 1)) == NULL || r->invite_done)
		return;
	if ((st = obj(ir, "invite_state")) != NULL &&
	    (evs = arr(st, "events")) != NULL) {
		cJSON_ArrayForEach(ev, evs) {
			t = str(ev, "type");
			k = str(ev, "state_key");
			c = obj(ev, "content");
			if (t == NULL || k == NULL || c == NULL ||
			    strcmp(t, "m.room.member") != 0 ||
			    strcmp(k, m->cfg->user_id) != 0 ||
			    (ms = str(c, "membership")) == NULL ||
			    strcmp(ms, "invite") != 0)
				continue;
			inviter = str(ev, "sender");
			d = cJSON_GetObjectItemCaseSensitive(c, "is_direct");
			is_direct = cJSON_IsTrue(d);
		}
	}
	r->invite_done = 1;
	if (!id_ok(inviter, '@') || !invite_allowed(m, inviter)) {
		log_info("matrix: declining the invite to %s from %s", id,
		    id_ok(inviter, '@') ? inviter : "(unknown)");
		mx_out_push(m, MX_OUT_LEAVE, id, xstrdup("{}"), NULL,
		    NULL);
		return;
	}
	log_info("matrix: joining %s (invited by %s)", id, inviter);
	r->is_dm = is_direct;
	if (is_direct)
		mx_dm_add(m, id);
	mx_out_push(m, MX_OUT_JOIN, id, xstrdup("{}"), NULL, NULL);
}

static void
on_direct(struct matrix *m, const cJSON *content)
{
	const cJSON *u, *room;

	cJSON_Delete(m->direct);
	m->direct = cJSON_Duplicate(content, 1);
	cJSON_ArrayForEach(u, content) {
		if (!cJSON_IsArray(u))
			continue;
		cJSON_ArrayForEach(room, u)
			if (cJSON_IsString(room) &&
			    id_ok(room->valuestring, '!'))
				mx_dm_add(m, room->valuestring);
	}
}

int
mx_sync_handle(struct matrix *m, const char *text, size_t len)
{
	cJSON *root;
	const cJSON *rooms, *sec, *it, *ad, *ev, *c;
	const char *next, *t;

	if ((root = cJSON_ParseWithLength(text, len)) == NULL ||
	    !cJSON_IsObject(root)) {
		log_warnx("matrix: /sync: response is not a JSON object");
		cJSON_Delete(root);
		return -1;
	}
	if ((next = str(root, "next_batch")) == NULL || next[0] == '\0' ||
	    strlen(next) > 1024) {
		log_warnx("matrix: /sync: response without next_batch");
		cJSON_Delete(root);
		return -1;
	}
	if ((ad = obj(root, "account_data")) != NULL &&
	    (sec = arr(ad, "events")) != NULL) {
		cJSON_ArrayForEach(ev, sec)
			if ((t = str(ev, "type")) != NULL &&
			    strcmp(t, "m.direct") == 0 &&
			    (c = obj(ev, "content")) != NULL)
				on_direct(m, c);
	}
	if ((rooms = obj(root, "rooms")) != NULL) {
		if ((sec = obj(rooms, "leave")) != NULL)
			cJSON_ArrayForEach(it, sec)
				mx_room_remove(m, it->string);
		if ((sec = obj(rooms, "invite")) != NULL)
			cJSON_ArrayForEach(it, sec) {
				if (id_ok(it->string, '!') &&
				    cJSON_IsObject(it))
					on_invite(m, it->string, it);
				else
					m->n_skipped++;
			}
		if ((sec = obj(rooms, "join")) != NULL)
			cJSON_ArrayForEach(it, sec) {
				if (id_ok(it->string, '!') &&
				    cJSON_IsObject(it))
					on_joined_room(m, it->string, it);
				else
					m->n_skipped++;
			}
	}
	free(m->since);
	m->since = xstrdup(next);
	m->initial = 0;
	m->n_batches++;
	cJSON_Delete(root);
	return 0;
}
