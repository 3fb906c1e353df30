/*
 * hotlines.c -- loads config/hotlines.json: crisis services per region,
 * with the date the numbers were last checked.  Validates everything and
 * reports every problem; builds each region's one-line footer.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "hotlines.h"
#include "xmalloc.h"

#define HOTLINES_FILE_MAX	(256 * 1024)

static char *
opt_str(const cJSON *o, const char *key, const char *path, const char *where,
    struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	const char *s;

	if (v == NULL)
		return NULL;
	if (!cJSON_IsString(v)) {
		diag_addf(d, "%s: %s: %s must be a string", path, where, key);
		return NULL;
	}
	for (s = v->valuestring; *s != '\0' && isspace((unsigned char)*s); s++)
		;
	if (*s == '\0') {
		diag_addf(d, "%s: %s: %s is empty", path, where, key);
		return NULL;
	}
	return xstrdup(v->valuestring);
}

static void
load_service(const cJSON *r, const char *key, struct hotline_service *s,
    const char *path, const char *code, struct diag *d)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(r, key);
	char where[128];

	memset(s, 0, sizeof(*s));
	if (o == NULL)
		return;
	snprintf(where, sizeof(where), "regions.%s.%s", code, key);
	if (!cJSON_IsObject(o)) {
		diag_addf(d, "%s: %s: must be an object", path, where);
		return;
	}
	s->name = opt_str(o, "name", path, where, d);
	s->call = opt_str(o, "call", path, where, d);
	s->text = opt_str(o, "text", path, where, d);
	s->chat = opt_str(o, "chat", path, where, d);
	s->email = opt_str(o, "email", path, where, d);
	s->note = opt_str(o, "note", path, where, d);
	if (s->name == NULL)
		diag_addf(d, "%s: %s: name is missing", path, where);
	if (s->call == NULL && s->text == NULL && s->chat == NULL &&
	    s->email == NULL)
		diag_addf(d, "%s: %s: needs a number (call or text), chat or "
		    "email", path, where);
}

static void
free_service(struct hotline_service *s)
{
	free(s->name);
	free(s->call);
	free(s->text);
	free(s->chat);
	free(s->email);
	free(s->note);
}

static int
date_ok(const char *s)
{
	/* YYYY-MM, 2020..2099, month 01..12 */
	int m;

	if (strlen(s) != 7 || s[4] != '-')
		return 0;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[5]) || !isdigit((unsigned char)s[6]))
		return 0;
	if (s[0] != '2' || s[1] != '0' || s[2] < '2')
		return 0;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	return m >= 1 && m <= 12;
}

/* The footer line for one region (owned). */
static char *
make_footer(const struct hotlines *h, const struct hotline_region *r)
{
	const struct hotline_service *c = &r->crisis;

	if (c->name == NULL)
		return xasprintf("If you are struggling or thinking about "
		    "suicide, you can find a crisis line for %s at %s.",
		    r->name, h->directory);
	if (c->call != NULL && c->text != NULL &&
	    strcmp(c->call, c->text) == 0)
		return xasprintf("If you are struggling or thinking about "
		    "suicide, you can call or text %s (%s) any time.", c->call,
		    c->name);
	if (c->call != NULL)
		return xasprintf("If you are struggling or thinking about "
		    "suicide, you can call %s on %s any time.", c->name,
		    c->call);
	return xasprintf("If you are struggling or thinking about suicide, "
	    "you can text %s (%s) any time.", c->text, c->name);
}

struct hotlines *
hotlines_load(const char *path, struct diag *d)
{
	static const char *const required[] = HOTLINES_REQUIRED;
	struct hotlines *h;
	cJSON *doc;
	const cJSON *regs, *it;
	size_t before = d->n, i;

	if ((doc = diag_json_file(path, HOTLINES_FILE_MAX, d)) == NULL)
		return NULL;
	h = xcalloc(1, sizeof(*h));
	if (!cJSON_IsObject(doc)) {
		diag_addf(d, "%s: must be a JSON object", path);
		goto done;
	}
	h->last_verified = opt_str(doc, "last_verified", path, "top level", d);
	if (h->last_verified == NULL)
		diag_addf(d, "%s: last_verified is missing (\"YYYY-MM\")", path);
	else if (!date_ok(h->last_verified))
		diag_addf(d, "%s: last_verified: \"%s\" is not a YYYY-MM date",
		    path, h->last_verified);
	h->directory = opt_str(doc, "directory", path, "top level", d);
	if (h->directory == NULL)
		diag_addf(d, "%s: directory is missing (e.g. "
		    "findahelpline.com)", path);
	h->default_region = opt_str(doc, "default_region", path, "top level",
	    d);
	if (h->default_region == NULL)
		h->default_region = xstrdup("US");
	regs = cJSON_GetObjectItemCaseSensitive(doc, "regions");
	if (!cJSON_IsObject(regs)) {
		diag_addf(d, "%s: regions must be an object", path);
		goto done;
	}
	h->regions = xcalloc((size_t)cJSON_GetArraySize(regs) + 1,
	    sizeof(*h->regions));
	cJSON_ArrayForEach(it, regs) {
		struct hotline_region *r = &h->regions[h->nregions++];
		char where[64];

		r->code = xstrdup(it->string);
		snprintf(where, sizeof(where), "regions.%s", r->code);
		if (!cJSON_IsObject(it)) {
			diag_addf(d, "%s: %s: must be an object", path, where);
			continue;
		}
		r->name = opt_str(it, "name", path, where, d);
		if (r->name == NULL) {
			diag_addf(d, "%s: %s: name is missing", path, where);
			r->name = xstrdup(r->code);
		}
		r->emergency = opt_str(it, "emergency", path, where, d);
		if (r->emergency == NULL)
			diag_addf(d, "%s: %s: emergency number is missing", path,
			    where);
		r->emergency_alt = opt_str(it, "emergency_alt", path, where, d);
		load_service(it, "crisis", &r->crisis, path, r->code, d);
		load_service(it, "text_line", &r->text_line, path, r->code, d);
		load_service(it, "veterans", &r->veterans, path, r->code, d);
		load_service(it, "poison", &r->poison, path, r->code, d);
		load_service(it, "sexual_assault", &r->sexual_assault, path,
		    r->code, d);
		load_service(it, "domestic_violence", &r->domestic_violence,
		    path, r->code, d);
		load_service(it, "youth", &r->youth, path, r->code, d);
		load_service(it, "substance", &r->substance, path, r->code, d);
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!hotlines_has_region(h, required[i]) &&
		    strcmp(required[i], "other") != 0)
			diag_addf(d, "%s: regions.%s is missing", path,
			    required[i]);
	for (i = 0; i < h->nregions; i++)
		if (strcmp(h->regions[i].code, "other") == 0)
			break;
	if (i == h->nregions)
		diag_addf(d, "%s: regions.other is missing (the fallback for "
		    "every other country)", path);
	if (!hotlines_has_region(h, h->default_region))
		diag_addf(d, "%s: default_region %s is not a region", path,
		    h->default_region);
	for (i = 0; i < h->nregions; i++) {
		struct hotline_region *r = &h->regions[i];

		if (r->crisis.name == NULL && strcmp(r->code, "other") != 0 &&
		    strcmp(r->code, "EU") != 0)
			diag_addf(d, "%s: regions.%s: crisis line is missing",
			    path, r->code);
		if (h->directory != NULL)
			r->footer = make_footer(h, r);
	}
done:
	cJSON_Delete(doc);
	if (d->n != before) {
		hotlines_free(h);
		return NULL;
	}
	return h;
}

void
hotlines_free(struct hotlines *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->nregions; i++) {
		struct hotline_region *r = &h->regions[i];

		free(r->code);
		free(r->name);
		free(r->emergency);
		free(r->emergency_alt);
		free_service(&r->crisis);
		free_service(&r->text_line);
		free_service(&r->veterans);
		free_service(&r->poison);
		free_service(&r->sexual_assault);
		free_service(&r->domestic_violence);
		free_service(&r->youth);
		free_service(&r->substance);
		free(r->footer);
	}
	free(h->regions);
	free(h->last_verified);
	free(h->default_region);
	free(h->directory);
	free(h);
}

int
hotlines_has_region(const struct hotlines *h, const char *code)
{
	size_t i;

	if (h == NULL || code == NULL)
		return 0;
	for (i = 0; i < h->nregions; i++)
		if (strcasecmp(h->regions[i].code, code) == 0 &&
		    strcmp(h->regions[i].code, "other") != 0)
			return 1;
	return 0;
}

const struct hotline_region *
hotlines_region(const struct hotlines *h, const char *code)
{
	size_t i;
	const struct hotline_region *other = NULL;

	if (h == NULL || h->nregions == 0)
		return NULL;
	if (code == NULL || code[0] == '\0')
		code = h->default_region;
	if (strcasecmp(code, "GB") == 0)
		code = "UK";
	for (i = 0; i < h->nregions; i++) {
		if (strcasecmp(h->regions[i].code, code) == 0)
			return &h->regions[i];
		if (strcmp(h->regions[i].code, "other") == 0)
			other = &h->regions[i];
	}
	return other != NULL ? other : &h->regions[0];
}

const char *
hotlines_footer(const struct hotlines *h, const char *region)
{
	const struct hotline_region *r = hotlines_region(h, region);

	return r != NULL && r->footer != NULL ? r->footer : "";
}
