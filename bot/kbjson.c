/*
 * kbjson.c -- the knowledge base's JSON documents (faq/KBFORMAT) into
 * struct kb, with every problem reported, not just the first: wrong or
 * missing fields, unknown keys, caps, invalid UTF-8, answers over 700
 * characters, too few examples, and the cross-file checks (unknown source
 * or related ids, duplicate intents, one example under two intents; the
 * out-of-scope topics against each other and the intents).
 * It does not open files or train anything (kbset.c does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "kbjson.h"
#include "xmalloc.h"

/* Where a problem is: "file" or "file: id" (owned by the caller). */
struct where {
	const char	*file;
	const char	*id;		/* intent/source id, or NULL */
};

#define WHERE_FMT	"%s%s%s"
#define WHERE_ARGS(w)	(w)->file, (w)->id ? ": " : "", (w)->id ? (w)->id : ""

long
kbjson_utf8_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	long n = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t k, need;
		unsigned cp;

		if (c < 0x80) {
			i++;
			n++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else
			return -1;
		if (len - i <= need)
			return -1;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		i += need + 1;
		n++;
	}
	return n;
}

/* Report keys of obj not in allowed (NULL-terminated). */
static size_t
check_keys(const cJSON *obj, const char *const *allowed,
    const struct where *w, struct diag *d)
{
	const cJSON *it;
	size_t i, bad = 0;

	cJSON_ArrayForEach(it, obj) {
		for (i = 0; allowed[i] != NULL; i++)
			if (it->string != NULL &&
			    strcmp(it->string, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			diag_addf(d, WHERE_FMT ": unknown key \"%s\"",
			    WHERE_ARGS(w), it->string ? it->string : "");
			bad++;
		}
	}
	return bad;
}

/* A string's value is usable: valid UTF-8, not empty, under the cap. */
static int
string_ok(const char *s, const char *key, const struct where *w,
    struct diag *d)
{
	size_t len = strlen(s);

	if (len == 0) {
		diag_addf(d, WHERE_FMT ": field \"%s\" is empty",
		    WHERE_ARGS(w), key);
		return 0;
	}
	if (len > KBJSON_MAX_STRING) {
		diag_addf(d, WHERE_FMT ": field \"%s\" is longer than %d "
		    "bytes", WHERE_ARGS(w), key, KBJSON_MAX_STRING);
		return 0;
	}
	if (kbjson_utf8_chars(s, len) < 0) {
		diag_addf(d, WHERE_FMT ": field \"%s\" is not valid UTF-8",
		    WHERE_ARGS(w), key);
		return 0;
	}
	return 1;
}

/*
 * A required (or optional) string member.  Returns a copy (caller frees)
 * or NULL after reporting; *bad counts problems.
 */
static char *
get_string(const cJSON *obj, const char *key, int required,
    const struct where *w, struct diag *d, size_t *bad)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (it == NULL) {
		if (required) {
			diag_addf(d, WHERE_FMT ": missing field \"%s\"",
			    WHERE_ARGS(w), key);
			(*bad)++;
		}
		return NULL;
	}
	if (!cJSON_IsString(it) || it->valuestring == NULL) {
		diag_addf(d, WHERE_FMT ": field \"%s\" must be a string",
		    WHERE_ARGS(w), key);
		(*bad)++;
		return NULL;
	}
	if (!string_ok(it->valuestring, key, w, d)) {
		(*bad)++;
		return NULL;
	}
	return xstrdup(it->valuestring);
}

/*
 * A string array member.  Returns its length and a copy in *out (caller
 * frees each and the array); 0 and NULL when absent or broken.
 */
static size_t
get_strings(const cJSON *obj, const char *key, int required, size_t cap,
    char ***out, const struct where *w, struct diag *d, size_t *bad)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key), *it;
	char **v;
	size_t n = 0, i = 0;

	*out = NULL;
	if (arr == NULL) {
		if (required) {
			diag_addf(d, WHERE_FMT ": missing field \"%s\"",
			    WHERE_ARGS(w), key);
			(*bad)++;
		}
		return 0;
	}
	if (!cJSON_IsArray(arr)) {
		diag_addf(d, WHERE_FMT ": field \"%s\" must be an array of "
		    "strings", WHERE_ARGS(w), key);
		(*bad)++;
		return 0;
	}
	n = (size_t)cJSON_GetArraySize(arr);
	if (n > cap) {
		diag_addf(d, WHERE_FMT ": field \"%s\" has %zu entries "
		    "(limit %zu)", WHERE_ARGS(w), key, n, cap);
		(*bad)++;
		return 0;
	}
	v = xcalloc(n + 1, sizeof(*v));
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it) || it->valuestring == NULL) {
			diag_addf(d, WHERE_FMT ": %s[%zu] must be a string",
			    WHERE_ARGS(w), key, i);
			(*bad)++;
		} else if (!string_ok(it->valuestring, key, w, d))
			(*bad)++;
		else
			v[i++] = xstrdup(it->valuestring);
	}
	if (i == 0) {
		free(v);
		return 0;
	}
	*out = v;
	return i;
}

/* The top-level {"KEY": [ ... ]} array of a document, or NULL. */
static const cJSON *
top_array(const cJSON *doc, const char *key, const char *file,
    struct diag *d, size_t *bad)
{
	const cJSON *arr;
	const char *allowed[2];
	struct where w = { file, NULL };

	if (!cJSON_IsObject(doc)) {
		diag_addf(d, "%s: top level must be an object with \"%s\"",
		    file, key);
		(*bad)++;
		return NULL;
	}
	allowed[0] = key;
	allowed[1] = NULL;
	*bad += check_keys(doc, allowed, &w, d);
	arr = cJSON_GetObjectItemCaseSensitive(doc, key);
	if (arr == NULL) {
		diag_addf(d, "%s: missing field \"%s\"", file, key);
		(*bad)++;
		return NULL;
	}
	if (!cJSON_IsArray(arr)) {
		diag_addf(d, "%s: field \"%s\" must be an array", file, key);
		(*bad)++;
		return NULL;
	}
	return arr;
}

static void
free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

size_t
kbjson_add_sources(struct kb *kb, const cJSON *doc, const char *file,
    struct diag *d)
{
	static const char *const keys[] = { "id", "title", "publisher",
	    "author", "date", "url", "caveat", NULL };
	const cJSON *arr, *it;
	size_t bad = 0, i = 0;

	if ((arr = top_array(doc, "sources", file, d, &bad)) == NULL)
		return bad;
	cJSON_ArrayForEach(it, arr) {
		struct kb_source s;
		char label[32];
		struct where w = { file, NULL };

		snprintf(label, sizeof(label), "sources[%zu]", i++);
		w.id = label;
		if (!cJSON_IsObject(it)) {
			diag_addf(d, "%s: %s: must be an object", file, label);
			bad++;
			continue;
		}
		if (kb->nsources >= KBJSON_MAX_SOURCES) {
			diag_addf(d, "%s: more than %d sources", file,
			    KBJSON_MAX_SOURCES);
			return bad + 1;
		}
		memset(&s, 0, sizeof(s));
		s.id = get_string(it, "id", 1, &w, d, &bad);
		if (s.id != NULL)
			w.id = s.id;
		s.title = get_string(it, "title", 1, &w, d, &bad);
		s.publisher = get_string(it, "publisher", 1, &w, d, &bad);
		s.author = get_string(it, "author", 1, &w, d, &bad);
		s.date = get_string(it, "date", 1, &w, d, &bad);
		s.url = get_string(it, "url", 1, &w, d, &bad);
		s.caveat = get_string(it, "caveat", 0, &w, d, &bad);
		bad += check_keys(it, keys, &w, d);
		if (s.id == NULL) {
			free(s.title);
			free(s.publisher);
			free(s.author);
			free(s.date);
			free(s.url);
			free(s.caveat);
			continue;
		}
		kb->sources = xreallocarray(kb->sources, kb->nsources + 1,
		    sizeof(*kb->sources));
		kb->sources[kb->nsources++] = s;
	}
	for (i = 0; i < kb->nsources; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (strcmp(kb->sources[i].id, kb->sources[j].id) == 0) {
				diag_addf(d, "%s: %s: duplicate source id",
				    file, kb->sources[i].id);
				bad++;
				break;
			}
	}
	return bad;
}

size_t
kbjson_add_intents(struct kb *kb, const cJSON *doc, const char *file,
    struct diag *d)
{
	static const char *const keys[] = { "id", "question", "examples",
	    "answer", "sources", "related", NULL };
	const cJSON *arr, *it;
	size_t bad = 0, i = 0;

	if ((arr = top_array(doc, "intents", file, d, &bad)) == NULL)
		return bad;
	cJSON_ArrayForEach(it, arr) {
		struct kb_intent in;
		char label[32];
		struct where w = { file, NULL };
		long nchars;

		snprintf(label, sizeof(label), "intents[%zu]", i++);
		w.id = label;
		if (!cJSON_IsObject(it)) {
			diag_addf(d, "%s: %s: must be an object", file, label);
			bad++;
			continue;
		}
		if (kb->nintents >= KBJSON_MAX_INTENTS) {
			diag_addf(d, "%s: more than %d intents in the "
			    "knowledge base", file, KBJSON_MAX_INTENTS);
			return bad + 1;
		}
		memset(&in, 0, sizeof(in));
		in.id = get_string(it, "id", 1, &w, d, &bad);
		if (in.id != NULL)
			w.id = in.id;
		in.question = get_string(it, "question", 1, &w, d, &bad);
		in.nexamples = get_strings(it, "examples", 1,
		    KBJSON_MAX_EXAMPLES, &in.examples, &w, d, &bad);
		in.answer = get_string(it, "answer", 1, &w, d, &bad);
		in.nsources = get_strings(it, "sources", 1,
		    KBJSON_MAX_SOURCES, &in.sources, &w, d, &bad);
		in.nrelated = get_strings(it, "related", 0,
		    KBJSON_MAX_INTENTS, &in.related, &w, d, &bad);
		bad += check_keys(it, keys, &w, d);
		if (cJSON_GetObjectItemCaseSensitive(it, "examples") != NULL &&
		    in.nexamples < KBJSON_MIN_EXAMPLES) {
			diag_addf(d, WHERE_FMT ": %zu examples (at least %d "
			    "needed)", WHERE_ARGS(&w), in.nexamples,
			    KBJSON_MIN_EXAMPLES);
			bad++;
		}
		if (in.answer != NULL) {
			nchars = kbjson_utf8_chars(in.answer,
			    strlen(in.answer));
			if (nchars > KBJSON_MAX_ANSWER) {
				diag_addf(d, WHERE_FMT ": answer is %ld "
				    "characters (limit %d)", WHERE_ARGS(&w),
				    nchars, KBJSON_MAX_ANSWER);
				bad++;
			}
		}
		if (in.id == NULL || in.question == NULL ||
		    in.answer == NULL) {
			free(in.id);
			free(in.question);
			free(in.answer);
			free_strings(in.examples, in.nexamples);
			free_strings(in.sources, in.nsources);
			free_strings(in.related, in.nrelated);
			continue;
		}
		kb->intents = xreallocarray(kb->intents, kb->nintents + 1,
		    sizeof(*kb->intents));
		kb->intents[kb->nintents++] = in;
	}
	return bad;
}

size_t
kbjson_add_lexicon(struct kb *kb, const cJSON *doc, const char *file,
    struct diag *d)
{
	static const char *const keys[] = { "canonical", "variants", NULL };
	const cJSON *arr, *it;
	size_t bad = 0, i = 0;

	if ((arr = top_array(doc, "concepts", file, d, &bad)) == NULL)
		return bad;
	cJSON_ArrayForEach(it, arr) {
		struct kb_concept c;
		char label[32];
		struct where w = { file, NULL };

		snprintf(label, sizeof(label), "concepts[%zu]", i++);
		w.id = label;
		if (!cJSON_IsObject(it)) {
			diag_addf(d, "%s: %s: must be an object", file, label);
			bad++;
			continue;
		}
		if (kb->nconcepts >= KBJSON_MAX_CONCEPTS) {
			diag_addf(d, "%s: more than %d concepts", file,
			    KBJSON_MAX_CONCEPTS);
			return bad + 1;
		}
		memset(&c, 0, sizeof(c));
		c.canonical = get_string(it, "canonical", 1, &w, d, &bad);
		if (c.canonical != NULL)
			w.id = c.canonical;
		c.nvariants = get_strings(it, "variants", 1,
		    KBJSON_MAX_VARIANTS, &c.variants, &w, d, &bad);
		bad += check_keys(it, keys, &w, d);
		if (c.canonical == NULL) {
			free_strings(c.variants, c.nvariants);
			continue;
		}
		kb->concepts = xreallocarray(kb->concepts, kb->nconcepts + 1,
		    sizeof(*kb->concepts));
		kb->concepts[kb->nconcepts++] = c;
	}
	return bad;
}

size_t
kbjson_add_topics(struct kb *kb, const cJSON *doc, const char *file,
    struct diag *d)
{
	static const char *const keys[] = { "id", "reply", "examples", NULL };
	const cJSON *arr, *it;
	size_t bad = 0, i = 0;

	if ((arr = top_array(doc, "topics", file, d, &bad)) == NULL)
		return bad;
	cJSON_ArrayForEach(it, arr) {
		struct kb_topic t;
		char label[32];
		struct where w = { file, NULL };
		long nchars;

		snprintf(label, sizeof(label), "topics[%zu]", i++);
		w.id = label;
		if (!cJSON_IsObject(it)) {
			diag_addf(d, "%s: %s: must be an object", file, label);
			bad++;
			continue;
		}
		if (kb->ntopics >= KBJSON_MAX_TOPICS) {
			diag_addf(d, "%s: more than %d topics", file,
			    KBJSON_MAX_TOPICS);
			return bad + 1;
		}
		memset(&t, 0, sizeof(t));
		t.id = get_string(it, "id", 1, &w, d, &bad);
		if (t.id != NULL)
			w.id = t.id;
		t.reply = get_string(it, "reply", 1, &w, d, &bad);
		t.nexamples = get_strings(it, "examples", 1,
		    KBJSON_MAX_EXAMPLES, &t.examples, &w, d, &bad);
		bad += check_keys(it, keys, &w, d);
		if (cJSON_GetObjectItemCaseSensitive(it, "examples") != NULL &&
		    t.nexamples < KBJSON_MIN_EXAMPLES) {
			diag_addf(d, WHERE_FMT ": %zu examples (at least %d "
			    "needed)", WHERE_ARGS(&w), t.nexamples,
			    KBJSON_MIN_EXAMPLES);
			bad++;
		}
		if (t.reply != NULL) {
			nchars = kbjson_utf8_chars(t.reply, strlen(t.reply));
			if (nchars > KBJSON_MAX_ANSWER) {
				diag_addf(d, WHERE_FMT ": reply is %ld "
				    "characters (limit %d)", WHERE_ARGS(&w),
				    nchars, KBJSON_MAX_ANSWER);
				bad++;
			}
		}
		if (t.id == NULL || t.reply == NULL) {
			free(t.id);
			free(t.reply);
			free_strings(t.examples, t.nexamples);
			continue;
		}
		kb->topics = xreallocarray(kb->topics, kb->ntopics + 1,
		    sizeof(*kb->topics));
		kb->topics[kb->ntopics++] = t;
	}
	return bad;
}

/* Example folded for duplicate detection: ASCII lower case, runs of
 * space collapsed, ends trimmed.  Caller frees. */
static char *
fold_example(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *out = xmalloc(n + 1);
	int space = 1;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (!space)
				out[o++] = ' ';
			space = 1;
			continue;
		}
		out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
		space = 0;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

struct example_ref {
	char	*folded;
	size_t	 intent;
};

static int
cmp_example(const void *a, const void *b)
{
	const struct example_ref *x = a, *y = b;
	int c = strcmp(x->folded, y->folded);

	if (c != 0)
		return c;
	return (x->intent > y->intent) - (x->intent < y->intent);
}

static int
has_source(const struct kb *kb, const char *id)
{
	size_t i;

	for (i = 0; i < kb->nsources; i++)
		if (strcmp(kb->sources[i].id, id) == 0)
			return 1;
	return 0;
}

static int
has_intent(const struct kb *kb, const char *id)
{
	size_t i;

	for (i = 0; i < kb->nintents; i++)
		if (strcmp(kb->intents[i].id, id) == 0)
			return 1;
	return 0;
}

static int
cmp_intent_id(const void *a, const void *b)
{
	const struct kb_intent *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

size_t
kbjson_crosscheck(const struct kb *kb, const char *const *files,
    struct diag *d)
{
	struct example_ref *ex;
	const struct kb_intent **byid;
	size_t i, j, nex = 0, bad = 0;

	for (i = 0; i < kb->nintents; i++) {
		const struct kb_intent *in = &kb->intents[i];

		for (j = 0; j < in->nsources; j++)
			if (!has_source(kb, in->sources[j])) {
				diag_addf(d, "%s: %s: unknown source id \"%s\"",
				    files[i], in->id, in->sources[j]);
				bad++;
			}
		/* A KB that cites sources must cite them everywhere. */
		if (kb->nsources > 0 && in->nsources == 0 &&
		    strncmp(in->id, "bot.", 4) != 0) {
			diag_addf(d, "%s: %s: no sources (only bot.* intents "
			    "may have none)", files[i], in->id);
			bad++;
		}
		for (j = 0; j < in->nrelated; j++)
			if (!has_intent(kb, in->related[j])) {
				diag_addf(d, "%s: %s: unknown related intent "
				    "\"%s\"", files[i], in->id,
				    in->related[j]);
				bad++;
			}
		nex += in->nexamples;
	}

	/* Duplicate intent ids: sort pointers, compare neighbours. */
	byid = xcalloc(kb->nintents + 1, sizeof(*byid));
	for (i = 0; i < kb->nintents; i++)
		byid[i] = &kb->intents[i];
	qsort(byid, kb->nintents, sizeof(*byid), cmp_intent_id);
	for (i = 1; i < kb->nintents; i++)
		if (strcmp(byid[i]->id, byid[i - 1]->id) == 0) {
			size_t k = (size_t)(byid[i] - kb->intents);

			size_t k0 = (size_t)(byid[i - 1] - kb->intents);

			diag_addf(d, "%s: %s: duplicate intent id (also in "
			    "%s)", files[k], byid[i]->id, files[k0]);
			bad++;
		}
	free(byid);

	/* One example under two intents (same intent twice is fine). */
	ex = xcalloc(nex + 1, sizeof(*ex));
	nex = 0;
	for (i = 0; i < kb->nintents; i++)
		for (j = 0; j < kb->intents[i].nexamples; j++) {
			ex[nex].folded = fold_example(
			    kb->intents[i].examples[j]);
			ex[nex++].intent = i;
		}
	qsort(ex, nex, sizeof(*ex), cmp_example);
	for (i = 0; i < nex; i = j) {
		for (j = i + 1; j < nex &&
		    strcmp(ex[j].folded, ex[i].folded) == 0; j++) {
			if (ex[j].intent != ex[j - 1].intent) {
				const struct kb_intent *a =
				    &kb->intents[ex[i].intent];
				const struct kb_intent *b =
				    &kb->intents[ex[j].intent];

				diag_addf(d, "%s: %s: example \"%s\" is also "
				    "under %s", files[ex[j].intent], b->id,
				    ex[j].folded, a->id);
				bad++;
			}
		}
	}
	for (i = 0; i < nex; i++)
		free(ex[i].folded);
	free(ex);
	return bad;
}

/* The class index c names: intents first, then topics (owned by kb). */
static const char *
class_id(const struct kb *kb, size_t c)
{
	return c < kb->nintents ? kb->intents[c].id :
	    kb->topics[c - kb->nintents].id;
}

static const char *
class_file(const struct kb *kb, const char *const *files,
    const char *topic_file, size_t c)
{
	return c < kb->nintents ? files[c] : topic_file;
}

size_t
kbjson_crosscheck_topics(const struct kb *kb, const char *const *files,
    const char *topic_file, struct diag *d)
{
	struct example_ref *ex;
	size_t i, j, nex = 0, bad = 0, nc = kb->nintents + kb->ntopics;

	if (kb->ntopics == 0)
		return 0;
	for (i = 0; i < kb->ntopics; i++) {
		const char *id = kb->topics[i].id;

		for (j = 0; j < kb->nintents + i; j++)
			if (strcmp(class_id(kb, j), id) == 0) {
				diag_addf(d, "%s: %s: duplicate id (also %s in "
				    "%s)", topic_file, id, j < kb->nintents ?
				    "an intent" : "a topic",
				    class_file(kb, files, topic_file, j));
				bad++;
				break;
			}
	}
	/* Examples: every pair involving a topic (intent pairs are
	 * kbjson_crosscheck()'s). */
	for (i = 0; i < nc; i++)
		nex += i < kb->nintents ? kb->intents[i].nexamples :
		    kb->topics[i - kb->nintents].nexamples;
	ex = xcalloc(nex + 1, sizeof(*ex));
	nex = 0;
	for (i = 0; i < nc; i++) {
		char **v = i < kb->nintents ? kb->intents[i].examples :
		    kb->topics[i - kb->nintents].examples;
		size_t n = i < kb->nintents ? kb->intents[i].nexamples :
		    kb->topics[i - kb->nintents].nexamples;

		for (j = 0; j < n; j++) {
			ex[nex].folded = fold_example(v[j]);
			ex[nex++].intent = i;
		}
	}
	qsort(ex, nex, sizeof(*ex), cmp_example);
	for (i = 0; i < nex; i = j) {
		for (j = i + 1; j < nex &&
		    strcmp(ex[j].folded, ex[i].folded) == 0; j++) {
			if (ex[j].intent != ex[j - 1].intent &&
			    ex[j].intent >= kb->nintents) {
				diag_addf(d, "%s: %s: example \"%s\" is also "
				    "under %s", topic_file,
				    class_id(kb, ex[j].intent), ex[j].folded,
				    class_id(kb, ex[i].intent));
				bad++;
			}
		}
	}
	for (i = 0; i < nex; i++)
		free(ex[i].folded);
	free(ex);
	return bad;
}

void
kbjson_free(struct kb *kb)
{
	size_t i;

	if (kb == NULL)
		return;
	for (i = 0; i < kb->nsources; i++) {
		struct kb_source *s = &kb->sources[i];

		free(s->id);
		free(s->title);
		free(s->publisher);
		free(s->author);
		free(s->date);
		free(s->url);
		free(s->caveat);
	}
	free(kb->sources);
	for (i = 0; i < kb->nintents; i++) {
		struct kb_intent *in = &kb->intents[i];

		free(in->id);
		free(in->question);
		free(in->answer);
		free_strings(in->examples, in->nexamples);
		free_strings(in->sources, in->nsources);
		free_strings(in->related, in->nrelated);
	}
	free(kb->intents);
	for (i = 0; i < kb->nconcepts; i++) {
		free(kb->concepts[i].canonical);
		free_strings(kb->concepts[i].variants,
		    kb->concepts[i].nvariants);
	}
	free(kb->concepts);
	for (i = 0; i < kb->ntopics; i++) {
		free(kb->topics[i].id);
		free(kb->topics[i].reply);
		free_strings(kb->topics[i].examples,
		    kb->topics[i].nexamples);
	}
	free(kb->topics);
	free(kb->stopwords_extra);
	memset(kb, 0, sizeof(*kb));
}
