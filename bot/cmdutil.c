/*
 * cmdutil.c -- helpers shared by the faqbot subcommands (see cmdutil.h).
 * Command-line only: the daemon's event loop has its own reading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cmdutil.h"
#include "diag.h"
#include "hotlines.h"
#include "kbset.h"
#include "xmalloc.h"

struct kbset *
cmd_load_kb(const char *cmd, const char *kbdir, const char *hotlines)
{
	struct kbset_opts o;
	struct diag d;
	struct kbset *ks;
	char *path;
	size_t i;

	/* run outside the source tree: the installed copies */
	if (strcmp(kbdir, "faq") == 0 && access("faq", F_OK) == -1 &&
	    access(CMD_SHARE_DIR "/faq", F_OK) == 0) {
		kbdir = CMD_SHARE_DIR "/faq";
		if (hotlines == NULL && access(CMD_DEFAULT_HOTLINES, F_OK) == -1)
			hotlines = CMD_SHARE_DIR "/hotlines.json";
	}
	memset(&o, 0, sizeof(o));
	o.hotlines = hotlines;
	/* a KB without its own crisis rules (a converted dataset) gets the
	 * shipped ones: no command ever runs without crisis detection */
	path = xasprintf("%s/crisis.json", kbdir);
	if (access(path, F_OK) == -1 && access(CMD_DEFAULT_CRISIS, F_OK) == 0)
		o.crisis = CMD_DEFAULT_CRISIS;
	diag_init(&d);
	ks = kbset_load_opts(kbdir, &o, &d);
	free(path);
	if (ks == NULL) {
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "faqbot %s: %s\n", cmd, d.msgs[i]);
		fprintf(stderr, "faqbot %s: cannot load the knowledge base "
		    "in %s (run `faqbot check %s`)\n", cmd, kbdir, kbdir);
	}
	diag_free(&d);
	return ks;
}

void
cmd_check_region(const char *cmd, const struct kbset *ks, const char *region)
{
	if (region != NULL && region[0] != '\0' &&
	    !hotlines_has_region(kbset_hotlines(ks), region))
		fprintf(stderr, "faqbot %s: region %s is not in the hotlines "
		    "file: crisis replies point to the international "
		    "directory\n", cmd, region);
}

double
cmd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long
cmd_read_line(FILE *fp, char *buf, int *toolong)
{
	size_t len = 0;
	int c, any = 0;

	*toolong = 0;
	while ((c = getc(fp)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (len < CMD_MAX_LINE)
			buf[len++] = (char)c;
		else
			*toolong = 1;
	}
	if (!any)
		return -1;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return (long)len;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t need, k;
	unsigned cp;

	if (s[0] < 0x80)
		return s[0] != 0 ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n <= need)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

char *
cmd_text_json(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	char *out = xmalloc(len * 3 + 1);
	size_t i = 0, o = 0, n;

	while (i < len) {
		n = utf8_seq(s + i, len - i);
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
	return out;
}

cJSON *
cmd_reply_json(const char *text, size_t len, const struct reply *r)
{
	cJSON *o = cJSON_CreateObject(), *alts, *crisis, *matched, *a;
	const struct kb *kb = r->kb != NULL ? kbset_kb(r->kb) : NULL;
	char *clean = cmd_text_json(text, len);
	size_t i;

	if (o == NULL)
		goto oom;
	cJSON_AddStringToObject(o, "text", clean);
	free(clean);
	if (r->intent != NULL)
		cJSON_AddStringToObject(o, "intent", r->intent);
	else
		cJSON_AddNullToObject(o, "intent");
	cJSON_AddNumberToObject(o, "confidence",
	    (double)(long)(r->confidence * 10000 + 0.5) / 10000);
	if (r->out_of_scope != NULL)
		cJSON_AddStringToObject(o, "out_of_scope", r->out_of_scope);
	else
		cJSON_AddNullToObject(o, "out_of_scope");
	alts = cJSON_AddArrayToObject(o, "alternatives");
	for (i = 0; kb != NULL && alts != NULL && i < r->nalts; i++) {
		if (r->alts[i].intent < 0 ||
		    (size_t)r->alts[i].intent >= kb->nintents)
			continue;
		a = cJSON_CreateObject();
		if (a == NULL)
			goto oom;
		cJSON_AddStringToObject(a, "intent",
		    kb->intents[r->alts[i].intent].id);
		cJSON_AddNumberToObject(a, "confidence",
		    (double)(long)(r->alts[i].confidence * 10000 + 0.5) /
		    10000);
		cJSON_AddItemToArray(alts, a);
	}
	crisis = cJSON_AddObjectToObject(o, "crisis");
	if (crisis == NULL)
		goto oom;
	cJSON_AddStringToObject(crisis, "level",
	    crisis_level_str(r->crisis.level));
	cJSON_AddStringToObject(crisis, "kind",
	    crisis_kind_str(r->crisis.kind));
	matched = cJSON_AddArrayToObject(crisis, "matched");
	for (i = 0; matched != NULL && i < r->crisis.nmatched &&
	    i < CRISIS_MAX_MATCHED; i++)
		cJSON_AddItemToArray(matched,
		    cJSON_CreateString(r->crisis.matched[i] != NULL ?
		    r->crisis.matched[i] : ""));
	cJSON_AddStringToObject(o, "reply_kind", reply_kind_str(r->kind));
	cJSON_AddStringToObject(o, "reply", r->text != NULL ? r->text : "");
	return o;
oom:
	fprintf(stderr, "faqbot: out of memory building JSON\n");
	exit(1);
}
