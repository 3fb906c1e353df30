/*
 * kbset.c -- load a knowledge base directory into one reference-counted
 * set: the KB structs (with the optional out-of-scope topics of
 * out_of_scope.json), the trained matcher, the reply wording
 * (messages.json), the crisis rules with their learned backstop
 * (crisis.json + crisis-examples.tsv, see crisis_load.c) and the
 * hotlines.  Every file is
 * validated and every problem reported before giving up, so `faqbot
 * check` and a reload show moderators the whole list at once.
 *
 * DESIGN: the set is immutable once loaded; a reload builds a new one and
 * swaps it in, and replies keep a reference to the set their strings
 * point into (kbset_ref/kbset_unref).  The daemon is single-threaded, so
 * the count is a plain integer.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "crisis_load.h"
#include "diag.h"
#include "hotlines.h"
#include "kbjson.h"
#include "kbset.h"
#include "modelcache.h"
#include "xmalloc.h"

#define DEFAULT_HOTLINES	"config/hotlines.json"

struct kbset {
	int		 refs;
	char		*dir;
	struct kb	 kb;
	char		**files;	/* files[i]: where intent i came from */
	struct matcher	*matcher;
	struct crisis	*crisis;
	struct hotlines	*hotlines;
	size_t		 nexamples;
	char		 version[17];
	double		 load_seconds;
	char		*msg[KBSET_NMSG];
	struct modelcache_note	 note;	/* model cache: what happened */
};

static const struct matcher_opts default_mopts = { -1.0 };

/* messages.json keys, in enum kbset_msg order, with built-in defaults
 * for a KB directory without the file (e.g. a converted dataset). */
static const struct {
	const char	*key;
	const char	*fallback;
} msg_keys[KBSET_NMSG] = {
	{ "disclaimer", "This is general information, not medical advice: "
	    "talk to a doctor or pharmacist about your own situation." },
	{ "greeting", "Hi, I'm an FAQ bot. Ask me a question." },
	{ "no_match", "Sorry, I don't know the answer to that one." },
	{ "did_you_mean", "Did you mean:" },
	{ "see_doctor", "A doctor or pharmacist can answer questions I "
	    "can't." },
	{ "not_stated", "not stated" },
};

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* FNV-1a 64 over a file's name and bytes (missing files hash their
 * name only), so the version changes when any file does. */
static void
hash_file(uint64_t *h, const char *path)
{
	FILE *fp;
	unsigned char buf[8192];
	size_t n, i;
	const char *p;

	for (p = path; *p != '\0'; p++) {
		*h ^= (unsigned char)*p;
		*h *= 1099511628211ULL;
	}
	if ((fp = fopen(path, "rb")) == NULL)
		return;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		for (i = 0; i < n; i++) {
			*h ^= buf[i];
			*h *= 1099511628211ULL;
		}
	fclose(fp);
}

static char *
path_join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int
file_exists(const char *path)
{
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return 0;
	fclose(fp);
	return 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names of dir's *.json files, sorted (caller frees each and the
 * array); count in *n.  Reports and returns NULL when dir cannot be read
 * or holds too many files.
 */
static char **
list_json(const char *dir, size_t *n, struct diag *d)
{
	DIR *dp;
	struct dirent *de;
	char **v = NULL;
	size_t len;

	*n = 0;
	if ((dp = opendir(dir)) == NULL) {
		diag_addf(d, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(dp)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (*n >= KBSET_MAX_INTENT_FILES) {
			diag_addf(d, "%s: more than %d .json files", dir,
			    KBSET_MAX_INTENT_FILES);
			goto fail;	/* never load a silently cut KB */
		}
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dp);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_str);
	else
		diag_addf(d, "%s: no .json intent files", dir);
	return v;
fail:
	closedir(dp);
	while (*n > 0)
		free(v[--(*n)]);
	free(v);
	return NULL;
}

/* messages.json: every key a string; unknown keys reported. */
static size_t
load_messages(struct kbset *ks, const char *path, struct diag *d)
{
	cJSON *doc, *it;
	size_t bad = 0, i;

	if (!file_exists(path))
		return 0;
	if ((doc = diag_json_file(path, KBSET_MAX_FILE, d)) == NULL)
		return 1;
	if (!cJSON_IsObject(doc)) {
		diag_addf(d, "%s: top level must be an object", path);
		cJSON_Delete(doc);
		return 1;
	}
	cJSON_ArrayForEach(it, doc) {
		for (i = 0; i < KBSET_NMSG; i++)
			if (strcmp(it->string, msg_keys[i].key) == 0)
				break;
		if (i == KBSET_NMSG) {
			diag_addf(d, "%s: unknown key \"%s\"", path,
			    it->string);
			bad++;
			continue;
		}
		if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
		    strlen(it->valuestring) > KBJSON_MAX_STRING ||
		    kbjson_utf8_chars(it->valuestring,
		    strlen(it->valuestring)) < 0) {
			diag_addf(d, "%s: %s: must be a non-empty UTF-8 "
			    "string", path, it->string);
			bad++;
			continue;
		}
		free(ks->msg[i]);
		ks->msg[i] = xstrdup(it->valuestring);
	}
	cJSON_Delete(doc);
	return bad;
}

/*
 * required-intents.tsv: the first column of every line after the header
 * is an intent id the KB must have.  Missing ids are reported with the
 * line they are listed on.
 */
static size_t
check_required(const struct kb *kb, const char *path, struct diag *d)
{
	FILE *fp;
	char line[1024];
	size_t bad = 0, i, len;
	int lineno = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return 0;	/* optional: only the medical KB has one */
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strcspn(line, "\t\r\n");
		line[len] = '\0';
		if (lineno == 1 || len == 0 || line[0] == '#')
			continue;
		for (i = 0; i < kb->nintents; i++)
			if (strcmp(kb->intents[i].id, line) == 0)
				break;
		if (i == kb->nintents) {
			diag_addf(d, "%s:%d:1: required intent %s is missing "
			    "from the knowledge base", path, lineno, line);
			bad++;
		}
	}
	fclose(fp);
	return bad;
}

/* intents/NAME.json in name order; records each intent's file. */
static size_t
load_intents(struct kbset *ks, const char *dir, struct diag *d)
{
	char **names, *path;
	size_t n, i, k, bad = 0, before;
	cJSON *doc;

	if ((names = list_json(dir, &n, d)) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		path = path_join(dir, names[i]);
		before = ks->kb.nintents;
		if ((doc = diag_json_file(path, KBSET_MAX_FILE, d)) == NULL)
			bad++;
		else {
			bad += kbjson_add_intents(&ks->kb, doc, path, d);
			cJSON_Delete(doc);
		}
		ks->files = xreallocarray(ks->files, ks->kb.nintents + 1,
		    sizeof(*ks->files));
		for (k = before; k < ks->kb.nintents; k++)
			ks->files[k] = xstrdup(path);
		free(path);
		free(names[i]);
	}
	free(names);
	return bad;
}

/* Load an optional document through add(); absent = nothing to add. */
static size_t
load_optional(struct kb *kb, const char *path,
    size_t (*add)(struct kb *, const cJSON *, const char *, struct diag *),
    struct diag *d)
{
	cJSON *doc;
	size_t bad;

	if (!file_exists(path))
		return 0;
	if ((doc = diag_json_file(path, KBSET_MAX_FILE, d)) == NULL)
		return 1;
	bad = add(kb, doc, path, d);
	cJSON_Delete(doc);
	return bad;
}

static void *
matcher_from_cache(void *ctx, const unsigned char *b, size_t n, char *err,
    size_t errlen)
{
	struct kbset *ks = ctx;

	return matcher_load(&ks->kb, &default_mopts, b, n, err, errlen);
}

static void *
matcher_train(void *ctx, char *err, size_t errlen)
{
	struct kbset *ks = ctx;

	return matcher_new(&ks->kb, &default_mopts, err, errlen);
}

static int
matcher_to_bytes(const void *m, unsigned char **out, size_t *len)
{
	return matcher_save(m, out, len);
}

/* The matcher, from the model cache in cache_dir (NULL: none) or
 * trained; NULL with a message in err. */
static struct matcher *
obtain_matcher(struct kbset *ks, const char *cache_dir, char *err,
    size_t errlen)
{
	struct modelcache_model mm;

	memset(&mm, 0, sizeof(mm));
	mm.what = "matcher";
	mm.file = "model-matcher.cache";
	mm.digest = matcher_digest(&ks->kb);
	mm.load = matcher_from_cache;
	mm.train = matcher_train;
	mm.save = matcher_to_bytes;
	mm.ctx = ks;
	return modelcache_obtain(cache_dir, &mm, &ks->note, err, errlen);
}

static void
kbset_free(struct kbset *ks)
{
	size_t i;

	if (ks == NULL)
		return;
	matcher_free(ks->matcher);
	crisis_free(ks->crisis);
	hotlines_free(ks->hotlines);
	if (ks->files != NULL)
		for (i = 0; i < ks->kb.nintents; i++)
			free(ks->files[i]);
	free(ks->files);
	kbjson_free(&ks->kb);
	for (i = 0; i < KBSET_NMSG; i++)
		free(ks->msg[i]);
	free(ks->dir);
	free(ks);
}

struct kbset *
kbset_load(const char *kbdir, const char *hotlines_path, struct diag *d)
{
	struct kbset_opts o;

	memset(&o, 0, sizeof(o));
	o.hotlines = hotlines_path;
	return kbset_load_opts(kbdir, &o, d);
}

struct kbset *
kbset_load_opts(const char *kbdir, const struct kbset_opts *o,
    struct diag *d)
{
	struct kbset *ks;
	const char *cache_dir = o != NULL ? o->cache_dir : NULL;
	char *sources, *intents, *lexicon, *messages, *required, *crisis;
	char *oos;
	const char *hotlines_path;
	char err[256];
	size_t bad = 0, i, before;
	uint64_t h = 1469598103934665603ULL;
	double t0 = now_seconds();

	hotlines_path = o != NULL && o->hotlines != NULL ? o->hotlines :
	    DEFAULT_HOTLINES;
	ks = xcalloc(1, sizeof(*ks));
	ks->refs = 1;
	ks->dir = xstrdup(kbdir);
	sources = path_join(kbdir, "sources.json");
	intents = path_join(kbdir, "intents");
	lexicon = path_join(kbdir, "lexicon.json");
	messages = path_join(kbdir, "messages.json");
	required = path_join(kbdir, "required-intents.tsv");
	oos = path_join(kbdir, "out_of_scope.json");
	crisis = o != NULL && o->crisis != NULL ? xstrdup(o->crisis) :
	    path_join(kbdir, "crisis.json");

	bad += load_optional(&ks->kb, sources, kbjson_add_sources, d);
	bad += load_intents(ks, intents, d);
	bad += load_optional(&ks->kb, lexicon, kbjson_add_lexicon, d);
	bad += load_messages(ks, messages, d);
	bad += load_optional(&ks->kb, oos, kbjson_add_topics, d);
	if (ks->kb.nsources == 0 && !file_exists(sources)) {
		for (i = 0; i < ks->kb.nintents; i++)
			if (ks->kb.intents[i].nsources > 0)
				break;
		if (i < ks->kb.nintents) {
			diag_addf(d, "%s: %s", sources, strerror(ENOENT));
			bad++;
		}
	}
	if (ks->kb.nintents == 0 && bad == 0) {
		diag_addf(d, "%s: no intents", intents);
		bad++;
	}
	bad += kbjson_crosscheck(&ks->kb, (const char *const *)ks->files, d);
	bad += kbjson_crosscheck_topics(&ks->kb,
	    (const char *const *)ks->files, oos, d);
	if (ks->kb.nintents > 0)
		bad += check_required(&ks->kb, required, d);

	/* crisis rules: never optional, a KB without them is unsafe */
	before = d->n;
	ks->crisis = crisis_load_cached(crisis, cache_dir, &ks->note, d);
	if (ks->crisis == NULL) {
		if (d->n == before)
			diag_addf(d, "%s: cannot load the crisis rules",
			    crisis);
		bad++;
	}
	before = d->n;
	ks->hotlines = hotlines_load(hotlines_path, d);
	if (ks->hotlines == NULL) {
		if (d->n == before)
			diag_addf(d, "%s: cannot load the hotlines",
			    hotlines_path);
		bad++;
	}

	for (i = 0; i < KBSET_NMSG; i++)
		if (ks->msg[i] == NULL)
			ks->msg[i] = xstrdup(msg_keys[i].fallback);
	for (i = 0; i < ks->kb.nintents; i++)
		ks->nexamples += ks->kb.intents[i].nexamples;

	if (bad == 0) {
		ks->matcher = obtain_matcher(ks, cache_dir, err,
		    sizeof(err));
		if (ks->matcher == NULL) {
			diag_addf(d, "%s: cannot train the matcher: %s", kbdir,
			    err);
			bad++;
		}
	}

	hash_file(&h, sources);
	for (i = 0; i < ks->kb.nintents; i++)
		if (i == 0 || strcmp(ks->files[i], ks->files[i - 1]) != 0)
			hash_file(&h, ks->files[i]);
	hash_file(&h, lexicon);
	hash_file(&h, messages);
	hash_file(&h, oos);
	hash_file(&h, crisis);
	{
		char *ex = crisis_examples_path(crisis);

		hash_file(&h, ex);	/* the backstop's training file */
		free(ex);
	}
	hash_file(&h, hotlines_path);
	snprintf(ks->version, sizeof(ks->version), "%016llx",
	    (unsigned long long)h);
	ks->version[12] = '\0';

	free(sources);
	free(intents);
	free(lexicon);
	free(messages);
	free(required);
	free(oos);
	free(crisis);
	if (bad > 0) {
		kbset_free(ks);
		return NULL;
	}
	{
		size_t n = strlen(ks->note.text);

		while (n > 0 && (ks->note.text[n - 1] == ' ' ||
		    ks->note.text[n - 1] == ';'))
			ks->note.text[--n] = '\0';
	}
	ks->load_seconds = now_seconds() - t0;
	return ks;
}

struct kbset *
kbset_ref(struct kbset *ks)
{
	if (ks != NULL)
		ks->refs++;
	return ks;
}

void
kbset_unref(struct kbset *ks)
{
	if (ks != NULL && --ks->refs == 0)
		kbset_free(ks);
}

const struct kb *
kbset_kb(const struct kbset *ks)
{
	return &ks->kb;
}

const struct matcher *
kbset_matcher(const struct kbset *ks)
{
	return ks->matcher;
}

const struct crisis *
kbset_crisis(const struct kbset *ks)
{
	return ks->crisis;
}

const struct hotlines *
kbset_hotlines(const struct kbset *ks)
{
	return ks->hotlines;
}

const char *
kbset_version(const struct kbset *ks)
{
	return ks->version;
}

const char *
kbset_dir(const struct kbset *ks)
{
	return ks->dir;
}

size_t
kbset_nexamples(const struct kbset *ks)
{
	return ks->nexamples;
}

double
kbset_load_seconds(const struct kbset *ks)
{
	return ks->load_seconds;
}

const char *
kbset_cache_note(const struct kbset *ks, int *warn)
{
	if (warn != NULL)
		*warn = ks->note.warn;
	return ks->note.text[0] != '\0' ? ks->note.text : NULL;
}

const char *
kbset_msg(const struct kbset *ks, enum kbset_msg which)
{
	return ks->msg[which];
}

/* Linear scan: used for related ids and tests, not per message. */
int
kbset_intent_index(const struct kbset *ks, const char *id)
{
	size_t i;

	for (i = 0; i < ks->kb.nintents; i++)
		if (strcmp(ks->kb.intents[i].id, id) == 0)
			return (int)i;
	return -1;
}
