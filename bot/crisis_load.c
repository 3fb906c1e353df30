/*
 * crisis_load.c -- reads the crisis phrase file (faq/crisis.json) into the
 * plain struct crisis_rules the detector compiles, validating all of it
 * and reporting every problem ("file:line:col: rule NAME: message").
 * The detector itself (intents/crisis.c) never touches files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "crisis_load.h"
#include "diag.h"
#include "modelcache.h"
#include "xmalloc.h"

#define CRISIS_FILE_MAX	(1024 * 1024)

/* Position of "needle" in the file text for messages; "path:" if none. */
static void
where(char *buf, size_t len, const char *path, const char *text,
    const char *needle)
{
	int line = 0, col = 0;

	if (text != NULL && needle != NULL)
		diag_json_pos(text, needle, &line, &col);
	if (line > 0)
		snprintf(buf, len, "%s:%d:%d", path, line, col);
	else
		snprintf(buf, len, "%s", path);
}

static char *
read_text(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;

	if (fp == NULL)
		return NULL;
	buf = xmalloc(CRISIS_FILE_MAX + 1);
	n = fread(buf, 1, CRISIS_FILE_MAX, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int
word_ok(const char *w)
{
	size_t i, n = strlen(w);

	if (n == 0 || n >= 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9')
		    || w[i] == '\''))
			return 0;
	return 1;
}

/* A space-separated list of valid words? */
static int
words_ok(const char *s)
{
	char w[64];
	size_t n = 0, words = 0;

	for (;; s++) {
		if (*s == ' ' || *s == '\0') {
			if (n > 0) {
				w[n] = '\0';
				if (!word_ok(w))
					return 0;
				words++;
				n = 0;
			}
			if (*s == '\0')
				break;
			continue;
		}
		if (n + 1 >= sizeof(w))
			return 0;
		w[n++] = *s;
	}
	return words > 0;
}

/* Reads an array of word strings into (*out, *n); reports bad ones. */
static void
load_words(const cJSON *arr, char ***out, size_t *n, const char *path,
    const char *text, const char *what, struct diag *d)
{
	const cJSON *it;
	char at[512];

	*out = NULL;
	*n = 0;
	if (arr == NULL)
		return;
	if (!cJSON_IsArray(arr)) {
		where(at, sizeof(at), path, text, what);
		diag_addf(d, "%s: %s: must be an array of words", at, what);
		return;
	}
	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(char *));
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || !word_ok(it->valuestring)) {
			where(at, sizeof(at), path, text,
			    cJSON_IsString(it) ? it->valuestring : what);
			diag_addf(d, "%s: %s: bad word %s%s%s (a-z, 0-9, ')",
			    at, what, cJSON_IsString(it) ? "'" : "",
			    cJSON_IsString(it) ? it->valuestring : "(not a string)",
			    cJSON_IsString(it) ? "'" : "");
			continue;
		}
		(*out)[(*n)++] = xstrdup(it->valuestring);
	}
}

static int
get_level(const cJSON *o, const char *key, enum crisis_level def,
    enum crisis_level *out, const char *at, const char *name, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = def;
	if (v == NULL)
		return 0;
	if (!cJSON_IsString(v) || crisis_level_parse(v->valuestring, out) == -1) {
		diag_addf(d, "%s: rule %s: %s must be none, mention, concern or "
		    "acute", at, name, key);
		*out = def;
		return -1;
	}
	return 0;
}

static int
get_bool(const cJSON *o, const char *key, int def, const char *at,
    const char *name, struct diag *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL)
		return def;
	if (!cJSON_IsBool(v)) {
		diag_addf(d, "%s: rule %s: %s must be true or false", at, name,
		    key);
		return def;
	}
	return cJSON_IsTrue(v);
}

/* A list of memory bit names ("ideation", ...) to bits; reports bad. */
static unsigned
get_mem(const cJSON *o, const char *key, unsigned def, const char *at,
    const char *name, struct diag *d)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} bits[] = {
		{ "ideation", CRISIS_MEM_IDEATION },
		{ "lethal", CRISIS_MEM_LETHALQ },
		{ "ingested", CRISIS_MEM_INGESTED },
		{ "violence", CRISIS_MEM_VIOLENCE },
		{ "plan", CRISIS_MEM_PLAN },
	};
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key), *it;
	unsigned out = 0;
	size_t i;

	if (v == NULL)
		return def;
	if (!cJSON_IsArray(v)) {
		diag_addf(d, "%s: rule %s: %s must be an array of ideation, "
		    "lethal, ingested, violence, plan", at, name, key);
		return def;
	}
	cJSON_ArrayForEach(it, v) {
		for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
			if (cJSON_IsString(it) &&
			    strcmp(it->valuestring, bits[i].name) == 0)
				break;
		if (i == sizeof(bits) / sizeof(bits[0])) {
			diag_addf(d, "%s: rule %s: %s: unknown memory %s", at,
			    name, key, cJSON_IsString(it) ? it->valuestring :
			    "(not a string)");
			continue;
		}
		out |= bits[i].bit;
	}
	return out;
}

/* What a rule leaves in memory unless the file says. */
static unsigned
default_memory(const struct crisis_rule *r)
{
	if (r->role == CRISIS_ROLE_URGENT)
		return r->time ? 0 : CRISIS_MEM_PLAN;
	if (r->role != CRISIS_ROLE_SIGNAL)
		return 0;
	switch (r->kind) {
	case CRISIS_SUICIDE:
	case CRISIS_SELF_HARM:
		return CRISIS_MEM_IDEATION;
	case CRISIS_OVERDOSE:
		return r->emergency ? CRISIS_MEM_INGESTED : CRISIS_MEM_LETHALQ;
	case CRISIS_VIOLENCE:
		return CRISIS_MEM_VIOLENCE;
	default:
		return 0;
	}
}

static void
load_rule(const cJSON *o, struct crisis_rules *rs, const char *path,
    const char *text, struct diag *d)
{
	struct crisis_rule *r = &rs->rules[rs->nrules];
	const cJSON *v, *ph, *it;
	const char *name = "(unnamed)";
	char at[512];
	size_t i;

	memset(r, 0, sizeof(*r));
	v = cJSON_GetObjectItemCaseSensitive(o, "name");
	if (cJSON_IsString(v) && v->valuestring[0] != '\0')
		name = v->valuestring;
	where(at, sizeof(at), path, text, name);
	if (!cJSON_IsObject(o)) {
		diag_addf(d, "%s: every rule must be an object", at);
		return;
	}
	if (name[0] == '(')
		diag_addf(d, "%s: a rule has no name", at);
	for (i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].name, name) == 0)
			diag_addf(d, "%s: rule %s: duplicate name", at, name);
	r->name = xstrdup(name);
	r->role = CRISIS_ROLE_SIGNAL;
	v = cJSON_GetObjectItemCaseSensitive(o, "role");
	if (v != NULL && (!cJSON_IsString(v) ||
	    crisis_role_parse(v->valuestring, &r->role) == -1))
		diag_addf(d, "%s: rule %s: role must be signal, idiom, recovery, "
		    "urgent, context or info", at, name);
	r->kind = r->role == CRISIS_ROLE_CONTEXT ? CRISIS_SUICIDE :
	    CRISIS_KIND_NONE;
	v = cJSON_GetObjectItemCaseSensitive(o, "kind");
	if (v != NULL && (!cJSON_IsString(v) ||
	    crisis_kind_parse(v->valuestring, &r->kind) == -1))
		diag_addf(d, "%s: rule %s: unknown kind (suicide, self_harm, "
		    "overdose, medical_emergency, violence, abuse_of_others)",
		    at, name);
	r->emergency = get_bool(o, "emergency", 0, at, name, d);
	r->negatable = get_bool(o, "negatable", 1, at, name, d);
	r->topic = get_bool(o, "topic", 0, at, name, d);
	get_level(o, "level", CRISIS_NONE, &r->level, at, name, d);
	get_level(o, "third", r->emergency ? r->level :
	    (r->level > CRISIS_CONCERN ? CRISIS_CONCERN : r->level), &r->third,
	    at, name, d);
	get_level(o, "impersonal", r->topic ? CRISIS_MENTION : r->level,
	    &r->impersonal, at, name, d);
	get_level(o, "second", CRISIS_NONE, &r->second, at, name, d);
	r->method = get_bool(o, "method", 0, at, name, d);
	r->urgent_only = get_bool(o, "urgent_only", 0, at, name, d);
	r->strong = get_bool(o, "strong", 0, at, name, d);
	r->asked = get_bool(o, "asked", 0, at, name, d);
	if (r->asked && !r->topic)
		diag_addf(d, "%s: rule %s: \"asked\" is for topic rules", at,
		    name);
	r->time = get_bool(o, "time", 0, at, name, d);
	if (r->time && r->role != CRISIS_ROLE_URGENT)
		diag_addf(d, "%s: rule %s: \"time\" is for urgent rules", at,
		    name);
	v = cJSON_GetObjectItemCaseSensitive(o, "self_kind");
	r->self_kind = CRISIS_KIND_NONE;
	if (v != NULL && (!cJSON_IsString(v) ||
	    crisis_kind_parse(v->valuestring, &r->self_kind) == -1))
		diag_addf(d, "%s: rule %s: unknown self_kind", at, name);
	r->memory = get_mem(o, "memory", default_memory(r), at, name, d);
	r->needs = get_mem(o, "needs", r->role == CRISIS_ROLE_CONTEXT ?
	    CRISIS_MEM_IDEATION : 0, at, name, d);
	if (r->role == CRISIS_ROLE_SIGNAL) {
		if (r->kind == CRISIS_KIND_NONE)
			diag_addf(d, "%s: rule %s: a signal rule needs a kind",
			    at, name);
		if (r->level == CRISIS_NONE && r->second == CRISIS_NONE &&
		    r->third == CRISIS_NONE)
			diag_addf(d, "%s: rule %s: a signal rule needs a level",
			    at, name);
	}
	ph = cJSON_GetObjectItemCaseSensitive(o, "phrases");
	if (!cJSON_IsArray(ph) || cJSON_GetArraySize(ph) == 0) {
		diag_addf(d, "%s: rule %s: phrases must be a non-empty array",
		    at, name);
		rs->nrules++;
		return;
	}
	r->phrases = xcalloc((size_t)cJSON_GetArraySize(ph), sizeof(char *));
	cJSON_ArrayForEach(it, ph) {
		char err[256];

		if (!cJSON_IsString(it)) {
			diag_addf(d, "%s: rule %s: phrases must be strings", at,
			    name);
			continue;
		}
		if (crisis_phrase_check(rs, it->valuestring, err,
		    sizeof(err)) == -1) {
			char pat[512];

			where(pat, sizeof(pat), path, text, it->valuestring);
			diag_addf(d, "%s: rule %s: phrase \"%s\": %s", pat, name,
			    it->valuestring, err);
			continue;
		}
		r->phrases[r->nphrases++] = xstrdup(it->valuestring);
	}
	rs->nrules++;
}

/*
 * rules_load() is crisis_rules_load(); with compile 0 it skips compiling
 * the rules to check them, for a caller that compiles them next anyway.
 */
static int
rules_load(const char *path, struct crisis_rules *out, int compile,
    struct diag *d)
{
	cJSON *doc;
	const cJSON *v, *it;
	char *text;
	size_t before = d->n;
	char at[512];
	size_t i;

	memset(out, 0, sizeof(*out));
	if ((doc = diag_json_file(path, CRISIS_FILE_MAX, d)) == NULL)
		return -1;
	text = read_text(path);
	if (!cJSON_IsObject(doc)) {
		diag_addf(d, "%s: must be a JSON object", path);
		goto done;
	}
	out->context_seconds = 600;
	v = cJSON_GetObjectItemCaseSensitive(doc, "context_seconds");
	if (v != NULL) {
		if (!cJSON_IsNumber(v) || v->valuedouble <= 0 ||
		    v->valuedouble > 86400)
			diag_addf(d, "%s: context_seconds must be a number in "
			    "(0, 86400]", path);
		else
			out->context_seconds = v->valuedouble;
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "classes");
	if (v != NULL && !cJSON_IsObject(v))
		diag_addf(d, "%s: classes must be an object of word lists",
		    path);
	else if (v != NULL) {
		out->classes = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
		    sizeof(*out->classes));
		cJSON_ArrayForEach(it, v) {
			struct crisis_class *cl = &out->classes[out->nclasses];

			if (out->nclasses == CRISIS_MAX_CLASSES) {
				diag_addf(d, "%s: more than 64 classes", path);
				break;
			}
			cl->name = xstrdup(it->string);
			load_words(it, &cl->words, &cl->nwords, path, text,
			    it->string, d);
			out->nclasses++;
		}
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "aliases");
	if (v != NULL && !cJSON_IsObject(v))
		diag_addf(d, "%s: aliases must be an object", path);
	else if (v != NULL) {
		out->aliases = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
		    sizeof(*out->aliases));
		cJSON_ArrayForEach(it, v) {
			if (!cJSON_IsString(it) || !words_ok(it->string) ||
			    !words_ok(it->valuestring)) {
				where(at, sizeof(at), path, text, it->string);
				diag_addf(d, "%s: alias %s: words a-z 0-9 ' "
				    "separated by spaces", at, it->string);
				continue;
			}
			out->aliases[out->naliases].from = xstrdup(it->string);
			out->aliases[out->naliases].to =
			    xstrdup(it->valuestring);
			out->naliases++;
		}
	}
	load_words(cJSON_GetObjectItemCaseSensitive(doc, "fuzzy"), &out->fuzzy,
	    &out->nfuzzy, path, text, "fuzzy", d);
	load_words(cJSON_GetObjectItemCaseSensitive(doc, "keep"), &out->keep,
	    &out->nkeep, path, text, "keep", d);
	load_words(cJSON_GetObjectItemCaseSensitive(doc, "backstop_classes"),
	    &out->backstop_classes, &out->nbackstop_classes, path, text,
	    "backstop_classes", d);
	for (i = 0; i < out->nbackstop_classes; i++) {
		size_t k;

		for (k = 0; k < out->nclasses; k++)
			if (strcmp(out->classes[k].name,
			    out->backstop_classes[i]) == 0)
				break;
		if (k == out->nclasses) {
			where(at, sizeof(at), path, text, "backstop_classes");
			diag_addf(d, "%s: backstop_classes: unknown class "
			    "\"%s\"", at, out->backstop_classes[i]);
		}
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "rules");
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0) {
		diag_addf(d, "%s: rules must be a non-empty array", path);
		goto done;
	}
	out->rules = xcalloc((size_t)cJSON_GetArraySize(v), sizeof(*out->rules));
	cJSON_ArrayForEach(it, v)
		load_rule(it, out, path, text, d);
	if (d->n == before && compile) {
		/* everything parsed: the detector must accept it too */
		char err[256];
		struct crisis *c = crisis_new(out, err, sizeof(err));

		if (c == NULL)
			diag_addf(d, "%s: %s", path, err);
		crisis_free(c);
	}
done:
	cJSON_Delete(doc);
	free(text);
	if (d->n != before) {
		crisis_rules_free(out);
		return -1;
	}
	return 0;
}

int
crisis_rules_load(const char *path, struct crisis_rules *out, struct diag *d)
{
	return rules_load(path, out, 1, d);
}

static void
free_words(char **w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

void
crisis_rules_free(struct crisis_rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrules; i++) {
		free(r->rules[i].name);
		free_words(r->rules[i].phrases, r->rules[i].nphrases);
	}
	free(r->rules);
	for (i = 0; i < r->naliases; i++) {
		free(r->aliases[i].from);
		free(r->aliases[i].to);
	}
	free(r->aliases);
	for (i = 0; i < r->nclasses; i++) {
		free(r->classes[i].name);
		free_words(r->classes[i].words, r->classes[i].nwords);
	}
	free(r->classes);
	free_words(r->fuzzy, r->nfuzzy);
	free_words(r->keep, r->nkeep);
	free_words(r->backstop_classes, r->nbackstop_classes);
	memset(r, 0, sizeof(*r));
}

void
crisis_model_opts_init(struct crisis_model_opts *o,
    const struct crisis_rules *r, struct crisis_class *sel, size_t nsel)
{
	size_t i, k;

	memset(o, 0, sizeof(*o));
	o->concern = o->acute = o->mention = -1;
	o->classes = sel;
	for (i = 0; i < r->nbackstop_classes; i++)
		for (k = 0; k < r->nclasses; k++)
			if (strcmp(r->classes[k].name,
			    r->backstop_classes[i]) == 0 &&
			    o->nclasses < nsel) {
				sel[o->nclasses++] = r->classes[k];
				break;
			}
}

/* What the backstop learns from, for modelcache_obtain(). */
struct backstop_src {
	const struct crisis_example	*ex;
	size_t				 n;
	const struct crisis_model_opts	*o;
};

static void *
backstop_load(void *ctx, const unsigned char *b, size_t n, char *err,
    size_t errlen)
{
	struct backstop_src *src = ctx;

	return crisis_model_load(src->ex, src->n, src->o, b, n, err, errlen);
}

static void *
backstop_train(void *ctx, char *err, size_t errlen)
{
	struct backstop_src *src = ctx;

	return crisis_model_new(src->ex, src->n, src->o, err, errlen);
}

static int
backstop_save(const void *model, unsigned char **out, size_t *len)
{
	return crisis_model_save(model, out, len);
}

/*
 * Trains the backstop from the examples file beside path, when there is
 * one (a KB without it runs on the rules alone), or reads it from the
 * model cache in cache_dir (NULL: no cache); 0 or -1 (reported).
 */
static int
load_backstop(struct crisis *c, const char *path,
    const struct crisis_rules *r, const char *cache_dir,
    struct modelcache_note *note, struct diag *d)
{
	struct crisis_model_opts o;
	struct crisis_class sel[CRISIS_MAX_CLASSES];
	struct crisis_example *ex;
	struct crisis_model *m;
	struct backstop_src src;
	struct modelcache_model mm;
	char *expath, err[256];
	size_t n;
	FILE *fp;
	int rc = 0;

	expath = crisis_examples_path(path);
	if ((fp = fopen(expath, "r")) == NULL) {
		free(expath);
		return 0;
	}
	fclose(fp);
	if (crisis_examples_load(expath, &ex, &n, d) == -1) {
		free(expath);
		return -1;
	}
	crisis_model_opts_init(&o, r, sel, CRISIS_MAX_CLASSES);
	src.ex = ex;
	src.n = n;
	src.o = &o;
	memset(&mm, 0, sizeof(mm));
	mm.what = "crisis backstop";
	mm.file = "model-crisis.cache";
	mm.digest = crisis_model_digest(ex, n, &o);
	mm.load = backstop_load;
	mm.train = backstop_train;
	mm.save = backstop_save;
	mm.ctx = &src;
	m = modelcache_obtain(cache_dir, &mm, note, err, sizeof(err));
	if (m == NULL) {
		diag_addf(d, "%s: %s", expath, err);
		rc = -1;
	} else
		crisis_set_model(c, m);
	crisis_examples_free(ex, n);
	free(expath);
	return rc;
}

struct crisis *
crisis_load(const char *path, struct diag *d)
{
	return crisis_load_cached(path, NULL, NULL, d);
}

struct crisis *
crisis_load_cached(const char *path, const char *cache_dir,
    struct modelcache_note *note, struct diag *d)
{
	struct crisis_rules r;
	struct crisis *c;
	char err[256];

	/* compiled once, here: the check inside crisis_rules_load() would
	 * compile them twice */
	if (rules_load(path, &r, 0, d) == -1)
		return NULL;
	c = crisis_new(&r, err, sizeof(err));
	if (c == NULL)
		diag_addf(d, "%s: %s", path, err);
	if (c != NULL && load_backstop(c, path, &r, cache_dir, note, d) ==
	    -1) {
		crisis_free(c);
		c = NULL;
	}
	crisis_rules_free(&r);
	return c;
}
