/*
 * crisis_reply.c -- the words the bot sends to someone in crisis, built
 * from the region's services in config/hotlines.json.
 *
 * Safe-messaging rules (shared/spec/crisis.md) are kept here by
 * construction: the texts are fixed, warm and plain; they say the bot is a
 * bot; they never contain a dose, an amount, a method, "committed
 * suicide", a promise of secrecy or a moral.  The only variable parts are
 * service names, numbers and the region's name.  Acute: emergency number
 * first when the body is in danger, else the crisis line first; then the
 * other-regions line and an invitation to keep talking.  Concern: one
 * fitting resource.  Nothing is sent to the author for abuse aimed at
 * someone else (moderators only).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotlines.h"
#include "xmalloc.h"

#define REPLY_MAX	4096

struct sb {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

static void sb_addf(struct sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_addf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->cap == 0) {
		b->cap = 512;
		b->buf = xmalloc(b->cap);
		b->buf[0] = '\0';
	}
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		if (b->cap >= REPLY_MAX) {
			/* capped: keep what fits */
			b->len = b->cap - 1;
			return;
		}
		b->cap *= 2;
		b->buf = xreallocarray(b->buf, b->cap, 1);
	}
}

/* "call 988 or text 988" / "call or text 988" / "text HOME to 741741". */
static void
how_to_reach(struct sb *b, const struct hotline_service *s)
{
	int any = 0;

	if (s->call != NULL && s->text != NULL &&
	    strcmp(s->call, s->text) == 0) {
		sb_addf(b, "call or text %s", s->call);
		any = 1;
	} else {
		if (s->call != NULL) {
			sb_addf(b, "call %s", s->call);
			any = 1;
		}
		if (s->text != NULL) {
			sb_addf(b, "%stext %s", any ? ", or " : "", s->text);
			any = 1;
		}
	}
	if (s->chat != NULL) {
		sb_addf(b, "%schat at %s", any ? ", or " : "", s->chat);
		any = 1;
	}
	if (s->email != NULL)
		sb_addf(b, "%semail %s", any ? ", or " : "", s->email);
	if (s->note != NULL)
		sb_addf(b, " (%s)", s->note);
}

static void
emergency_line(struct sb *b, const struct hotline_region *r)
{
	if (r->emergency_alt != NULL)
		sb_addf(b, "%s (%s)", r->emergency, r->emergency_alt);
	else
		sb_addf(b, "%s", r->emergency);
}

/* The crisis line sentence; the directory when the region has none. */
static void
crisis_line(struct sb *b, const struct hotlines *h,
    const struct hotline_region *r)
{
	if (r->crisis.name == NULL) {
		sb_addf(b, "You can find a free crisis line for %s at %s, "
		    "where people can talk with you now.", r->name,
		    h->directory);
		return;
	}
	sb_addf(b, "You can reach the %s right now: ", r->crisis.name);
	how_to_reach(b, &r->crisis);
	sb_addf(b, ". They are there day and night to talk with you.");
	if (r->text_line.name != NULL && r->text_line.text != NULL)
		sb_addf(b, " If texting is easier, text %s (%s).",
		    r->text_line.text, r->text_line.name);
}

static void
other_regions(struct sb *b, const struct hotlines *h,
    const struct hotline_region *r)
{
	if (strcmp(r->code, "other") == 0)
		return;
	sb_addf(b, "\n\nOutside %s? %s lists crisis lines in most countries.",
	    r->name, h->directory);
}

static int
matched(const struct crisis_result *res, const char *part)
{
	size_t i;

	for (i = 0; i < res->nmatched; i++)
		if (res->matched[i] != NULL && strstr(res->matched[i], part))
			return 1;
	return 0;
}

static void
acute_body(struct sb *b, const struct hotlines *h,
    const struct hotline_region *r, const struct crisis_result *res)
{
	int other = res->third_party;

	sb_addf(b, "This sounds like an emergency. Please call ");
	emergency_line(b, r);
	sb_addf(b, " now");
	if (res->kind == CRISIS_OVERDOSE)
		sb_addf(b, ", and tell them what was taken and when.");
	else
		sb_addf(b, ".");
	if (other)
		sb_addf(b, " Stay with them if you can.");
	else
		sb_addf(b, " If someone is near you, tell them now too.");
	sb_addf(b, "\n\nI'm a bot, so I can't call for you or come to you.");
	if (res->kind == CRISIS_OVERDOSE && r->poison.name != NULL)
		sb_addf(b, " If %s awake and breathing normally, "
		    "%s can also advise: call %s%s%s%s.",
		    other ? "they are" : "you are", r->poison.name,
		    r->poison.call != NULL ? r->poison.call : "",
		    r->poison.note != NULL ? " (" : "",
		    r->poison.note != NULL ? r->poison.note : "",
		    r->poison.note != NULL ? ")" : "");
	if (res->kind == CRISIS_OVERDOSE || res->kind == CRISIS_SUICIDE ||
	    res->kind == CRISIS_SELF_HARM) {
		sb_addf(b, "\n\n");
		crisis_line(b, h, r);
	}
}

static void
acute_mind(struct sb *b, const struct hotlines *h,
    const struct hotline_region *r, const struct crisis_result *res)
{
	if (res->third_party)
		sb_addf(b, "I'm really glad you reached out about them. I'm a "
		    "bot, so I can't step in, but people can help right "
		    "away.\n\n");
	else
		sb_addf(b, "I'm really glad you told me. I'm a bot, so I "
		    "can't be with you the way a person can, but you deserve "
		    "support right now from someone who can.\n\n");
	crisis_line(b, h, r);
	sb_addf(b, "\n\nIf %s in danger right now, call ",
	    res->third_party ? "they are" : "you are");
	emergency_line(b, r);
	sb_addf(b, ".");
}

static void
concern_violence(struct sb *b, const struct hotlines *h,
    const struct hotline_region *r, const struct crisis_result *res)
{
	const struct hotline_service *s;

	s = matched(res, "sexual") ? &r->sexual_assault : &r->domestic_violence;
	if (res->third_party)
		sb_addf(b, "I'm so sorry this is happening to someone you "
		    "care about. I'm a bot, but there are people who can "
		    "help you both.\n\n");
	else
		sb_addf(b, "I'm so sorry that happened to you. It is not your "
		    "fault, and you deserve to be safe. I'm a bot, but "
		    "there are people who can help.\n\n");
	if (s->name != NULL) {
		sb_addf(b, "The %s is there to listen and help: ", s->name);
		how_to_reach(b, s);
		sb_addf(b, ".");
	} else
		crisis_line(b, h, r);
	sb_addf(b, " If you are in danger right now, call ");
	emergency_line(b, r);
	sb_addf(b, ".");
}

static void
concern_overdose(struct sb *b, const struct hotlines *h,
    const struct hotline_region *r)
{
	sb_addf(b, "I can't help with amounts that could cause harm, but I "
	    "don't want to leave it there. ");
	if (r->poison.name != NULL) {
		sb_addf(b, "If you or someone else has taken too much of a "
		    "medicine, %s can advise right away: call %s", r->poison.name,
		    r->poison.call != NULL ? r->poison.call : "");
		if (r->poison.note != NULL)
			sb_addf(b, " (%s)", r->poison.note);
		sb_addf(b, ". ");
	}
	sb_addf(b, "If someone is hard to wake or not breathing normally, "
	    "call ");
	emergency_line(b, r);
	sb_addf(b, ".\n\nI'm a bot. If you're asking because you're thinking "
	    "about hurting yourself, please talk to someone now. ");
	crisis_line(b, h, r);
}

static void
concern_friend(struct sb *b, const struct hotlines *h,
    const struct hotline_region *r)
{
	sb_addf(b, "It's good that you're looking out for them, and it's a "
	    "lot to carry. I'm a bot, but here is what helps: ask them "
	    "directly how they are and whether they're thinking about "
	    "suicide, listen without judging, and help them connect with "
	    "support. Asking does not put the idea in their head.\n\n");
	crisis_line(b, h, r);
	sb_addf(b, " Helpers can call too. If they are in danger right now, "
	    "call ");
	emergency_line(b, r);
	sb_addf(b, ".");
}

static void
concern_self(struct sb *b, const struct hotlines *h,
    const struct hotline_region *r, const struct crisis_result *res)
{
	if (res->kind == CRISIS_SELF_HARM)
		sb_addf(b, "Thank you for telling me. That sounds really "
		    "painful, and you don't have to deal with it on your own. ");
	else
		sb_addf(b, "Thank you for telling me. That sounds really "
		    "hard, and you don't have to go through it alone. ");
	sb_addf(b, "I'm a bot, but there are people who want to hear from "
	    "you.\n\n");
	crisis_line(b, h, r);
}

char *
crisis_reply_compose(const struct hotlines *h, const char *region,
    const struct crisis_result *res)
{
	const struct hotline_region *r;
	struct sb b = { NULL, 0, 0 };
	int body;

	if (h == NULL || res == NULL || res->level < CRISIS_CONCERN ||
	    res->kind == CRISIS_ABUSE_OF_OTHERS)
		return NULL;
	if ((r = hotlines_region(h, region)) == NULL)
		return NULL;
	body = res->emergency || res->kind == CRISIS_MEDICAL_EMERGENCY;
	if (res->level == CRISIS_ACUTE) {
		if (body)
			acute_body(&b, h, r, res);
		else if (res->kind == CRISIS_VIOLENCE) {
			sb_addf(&b, "If you are in danger right now, please "
			    "call ");
			emergency_line(&b, r);
			sb_addf(&b, ".\n\n");
			concern_violence(&b, h, r, res);
		} else
			acute_mind(&b, h, r, res);
	} else {
		switch (res->kind) {
		case CRISIS_VIOLENCE:
			concern_violence(&b, h, r, res);
			break;
		case CRISIS_OVERDOSE:
			concern_overdose(&b, h, r);
			break;
		case CRISIS_MEDICAL_EMERGENCY:
			acute_body(&b, h, r, res);
			break;
		default:
			if (res->third_party)
				concern_friend(&b, h, r);
			else
				concern_self(&b, h, r, res);
			break;
		}
	}
	other_regions(&b, h, r);
	sb_addf(&b, "\n\nI'm still here if you want to keep talking.");
	return b.buf;
}
