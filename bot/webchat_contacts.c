/*
 * webchat_contacts.c -- the tappable numbers shown first with a crisis
 * reply on the web page, taken from the region's entry in
 * config/hotlines.json (hotlines.h): the emergency number first when the
 * body is in danger, else the crisis line first; then the text line,
 * the service fitting the kind (poison help for an overdose, ...), and
 * the directory for other countries.  No number is written here.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "hotlines.h"
#include "webchat.h"

/*
 * A dialable number at the start of s ("988", "1-800-222-1222",
 * "13 11 14", "988, then press 1" -> "988") copied to buf; 0 when s
 * does not start with one.
 */
static int
dialable(const char *s, char *buf, size_t cap)
{
	size_t n = 0, digits = 0;

	if (s == NULL)
		return 0;
	while (*s != '\0' && *s != ',' && *s != '(' && n + 1 < cap) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (*s != ' ' && *s != '-' && *s != '+' && *s != '.')
			return 0;
		buf[n++] = *s++;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return digits >= 2;
}

struct slots {
	struct webchat_contact	*out;
	size_t			 n, max;
	char			(*buf)[3][WEBCHAT_CONTACT_BUF];
};

/* Add a service: a call number, a text number ("WORD to 741741"). */
static void
add_service(struct slots *s, const struct hotline_service *svc)
{
	struct webchat_contact *c;
	char *tel, *sms, *body;
	const char *to;
	size_t kw;

	if (svc == NULL || svc->name == NULL || s->n >= s->max)
		return;
	c = &s->out[s->n];
	memset(c, 0, sizeof(*c));
	tel = s->buf[s->n][0];
	sms = s->buf[s->n][1];
	body = s->buf[s->n][2];
	c->label = svc->name;
	if (dialable(svc->call, tel, WEBCHAT_CONTACT_BUF))
		c->tel = tel;
	if (svc->text != NULL) {
		if ((to = strstr(svc->text, " to ")) != NULL &&
		    dialable(to + 4, sms, WEBCHAT_CONTACT_BUF)) {
			kw = (size_t)(to - svc->text);	/* "HOME to 741741" */
			if (kw > 0 && kw < WEBCHAT_CONTACT_BUF) {
				memcpy(body, svc->text, kw);
				body[kw] = '\0';
				c->sms_body = body;
			}
			c->sms = sms;
		} else if (dialable(svc->text, sms, WEBCHAT_CONTACT_BUF))
			c->sms = sms;
	}
	if (c->tel == NULL && c->sms == NULL)
		c->text = svc->call != NULL ? svc->call : svc->text;
	if (c->tel != NULL || c->sms != NULL || c->text != NULL)
		s->n++;
}

static void
add_emergency(struct slots *s, const struct hotline_region *r)
{
	struct webchat_contact *c;
	char *tel;

	if (r->emergency == NULL || s->n >= s->max)
		return;
	c = &s->out[s->n];
	memset(c, 0, sizeof(*c));
	tel = s->buf[s->n][0];
	c->label = "Emergency";
	if (dialable(r->emergency, tel, WEBCHAT_CONTACT_BUF))
		c->tel = tel;
	else
		c->text = r->emergency;		/* "your local emergency..." */
	s->n++;
}

size_t
webchat_contacts(const struct hotlines *h, const char *region,
    const struct crisis_result *cr, struct webchat_contact *out,
    char (*buf)[3][WEBCHAT_CONTACT_BUF], size_t max)
{
	const struct hotline_region *r;
	struct slots s = { out, 0, max, buf };
	const struct hotline_service *kind = NULL;

	if (h == NULL || cr == NULL || cr->level < CRISIS_CONCERN)
		return 0;
	r = hotlines_region(h, region);
	switch (cr->kind) {
	case CRISIS_OVERDOSE:
		kind = &r->poison;
		break;
	case CRISIS_VIOLENCE:
		kind = &r->domestic_violence;
		break;
	default:
		break;
	}
	if (cr->emergency || cr->kind == CRISIS_MEDICAL_EMERGENCY)
		add_emergency(&s, r);
	if (kind != NULL && cr->kind == CRISIS_OVERDOSE)
		add_service(&s, kind);
	add_service(&s, &r->crisis);
	add_service(&s, &r->text_line);
	if (kind != NULL && cr->kind != CRISIS_OVERDOSE)
		add_service(&s, kind);
	if (!cr->emergency && cr->kind != CRISIS_MEDICAL_EMERGENCY)
		add_emergency(&s, r);
	if (h->directory != NULL && s.n < max) {
		memset(&out[s.n], 0, sizeof(out[s.n]));
		out[s.n].label = "Other countries";
		out[s.n].text = h->directory;
		s.n++;
	}
	return s.n;
}
