/*
 * test_kbset.c -- the KB loader: a valid KB loads (counts, version,
 * references, wording); broken KBs report every problem at once, each
 * kind with its file and intent id or line:col.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "kbfixture.h"
#include "kbjson.h"
#include "kbset.h"
#include "modelcache.h"
#include "xmalloc.h"

/* Does some diagnostic contain every one of the (up to 3) needles? */
static int
has_diag(const struct diag *d, const char *a, const char *b, const char *c)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->msgs[i], a) != NULL &&
		    (b == NULL || strstr(d->msgs[i], b) != NULL) &&
		    (c == NULL || strstr(d->msgs[i], c) != NULL))
			return 1;
	return 0;
}

static void
dump(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  diag: %s\n", d->msgs[i]);
}

static void
test_valid(void)
{
	struct diag d;
	struct kbset *ks, *ks2;
	char version[32];

	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	if (ks == NULL) {
		dump(&d);
		diag_free(&d);
		return;
	}
	CHECK_INT(d.n, 0);
	CHECK_INT(kbset_kb(ks)->nintents, 3);
	CHECK_INT(kbset_kb(ks)->nsources, 2);
	CHECK_INT(kbset_kb(ks)->nconcepts, 1);
	CHECK_INT(kbset_nexamples(ks), 36);
	CHECK_INT(strlen(kbset_version(ks)), 12);
	CHECK_INT(kbset_intent_index(ks, "drug.side"), 1);
	CHECK_INT(kbset_intent_index(ks, "nope"), -1);
	CHECK(kbset_matcher(ks) != NULL);
	CHECK_STR(kbset_msg(ks, KBSET_MSG_GREETING),
	    "Hi, I answer drugol questions.");
	/* not in messages.json: built-in default */
	CHECK_STR(kbset_msg(ks, KBSET_MSG_NOT_STATED), "not stated");
	snprintf(version, sizeof(version), "%s", kbset_version(ks));

	ks2 = kbset_ref(ks);
	CHECK(ks2 == ks);
	kbset_unref(ks2);
	CHECK_INT(kbset_kb(ks)->nintents, 3);	/* still alive */
	kbset_unref(ks);
	kbset_unref(NULL);

	/* the version follows the content */
	fx_write("lexicon.json", "{\"concepts\": []}\n");
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	if (ks != NULL) {
		CHECK(strcmp(version, kbset_version(ks)) != 0);
		kbset_unref(ks);
	}
	fx_write("lexicon.json", fx_lexicon);
	diag_free(&d);
}

/* 701 and 700 two-byte characters: the limit counts characters. */
static char *
long_answer(size_t chars)
{
	char *s = malloc(chars * 2 + 1);
	size_t i;

	for (i = 0; i < chars; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);	/* é */
	s[chars * 2] = '\0';
	return s;
}

static void
test_broken(void)
{
	struct diag d;
	struct kbset *ks;
	char *a701 = long_answer(701), *a700 = long_answer(700), *b;
	size_t blen;

	/* a: invalid JSON at line 3, column 3 */
	fx_write("intents/a.json", "{\"intents\": [\n {\"id\": \"x\"},\n"
	    "  oops\n]}\n");
	/* b: one intent per problem kind */
	blen = strlen(a701) + strlen(a700) + 4096;
	b = malloc(blen);
	snprintf(b, blen,
	    "{\"intents\": [\n"
	    " {\"id\": \"b.no_question\",\n"
	    "  \"examples\": [" FX_EX("no question") "],\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-a\"]},\n"
	    " {\"id\": \"b.wrong_type\", \"question\": \"Q?\",\n"
	    "  \"examples\": \"not an array\",\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-a\"]},\n"
	    " {\"id\": \"b.unknown_key\", \"question\": \"Q?\", \"colour\": 1,\n"
	    "  \"examples\": [" FX_EX("unknown key") "],\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-a\"]},\n"
	    " {\"id\": \"b.unknown_source\", \"question\": \"Q?\",\n"
	    "  \"examples\": [" FX_EX("unknown source") "],\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-zzz\"]},\n"
	    " {\"id\": \"b.too_long\", \"question\": \"Q?\",\n"
	    "  \"examples\": [" FX_EX("too long") "],\n"
	    "  \"answer\": \"%s\", \"sources\": [\"src-a\"]},\n"
	    " {\"id\": \"b.just_fits\", \"question\": \"Q?\",\n"
	    "  \"examples\": [" FX_EX("just fits") "],\n"
	    "  \"answer\": \"%s\", \"sources\": [\"src-a\"]},\n"
	    " {\"id\": \"b.few\", \"question\": \"Q?\",\n"
	    "  \"examples\": [\"only one\", \"only two\"],\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-a\"]},\n"
	    " {\"id\": \"b.bad_related\", \"question\": \"Q?\",\n"
	    "  \"examples\": [" FX_EX("bad related") "],\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-a\"],\n"
	    "  \"related\": [\"b.nowhere\"]},\n"
	    " {\"id\": \"b.shared\", \"question\": \"Q?\",\n"
	    "  \"examples\": [" FX_EX("shared") ", \"  What IS   Drugol one \"],\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-a\"]},\n"
	    " {\"id\": \"b.no_sources\", \"question\": \"Q?\",\n"
	    "  \"examples\": [" FX_EX("no sources") "],\n"
	    "  \"answer\": \"x\", \"sources\": []},\n"
	    " {\"id\": \"b.bad_utf8\", \"question\": \"Q\xff?\",\n"
	    "  \"examples\": [" FX_EX("bad utf8") "],\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-a\"]}\n"
	    "]}\n", a701, a700);
	fx_write("intents/b.json", b);
	free(b);
	/* c: a duplicate intent id */
	fx_write("intents/c.json", "{\"intents\": [\n"
	    " {\"id\": \"drug.side\", \"question\": \"Again?\",\n"
	    "  \"examples\": [" FX_EX("duplicate id") "],\n"
	    "  \"answer\": \"x\", \"sources\": [\"src-a\"]}\n]}\n");
	fx_write("required-intents.tsv", "intent\tquestion\tsources\n"
	    "drug.what_is\tWhat is drugol?\tsrc-a\n"
	    "drug.missing\tWhere is it?\tsrc-a\n");
	fx_write("messages.json", "{\"disclaimer\": \"d\", \"colour\": \"x\"}");
	fx_write("lexicon.json", "{\"concepts\": [{\"canonical\": \"a\"}]}");

	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	dump(&d);
	CHECK(has_diag(&d, "intents/a.json:3:3: invalid JSON", NULL, NULL));
	CHECK(has_diag(&d, "intents/b.json: b.no_question: ",
	    "missing field \"question\"", NULL));
	CHECK(has_diag(&d, "intents/b.json: b.wrong_type: ",
	    "\"examples\" must be an array", NULL));
	CHECK(has_diag(&d, "intents/b.json: b.unknown_key: ",
	    "unknown key \"colour\"", NULL));
	CHECK(has_diag(&d, "intents/b.json: b.unknown_source: ",
	    "unknown source id \"src-zzz\"", NULL));
	CHECK(has_diag(&d, "intents/b.json: b.too_long: ",
	    "answer is 701 characters (limit 700)", NULL));
	CHECK(!has_diag(&d, "b.just_fits", NULL, NULL));
	CHECK(has_diag(&d, "intents/b.json: b.few: ", "2 examples",
	    "at least 12"));
	CHECK(has_diag(&d, "intents/b.json: b.bad_related: ",
	    "unknown related intent \"b.nowhere\"", NULL));
	CHECK(has_diag(&d, "example \"what is drugol one\" is also under",
	    "drug.what_is", "b.shared"));
	CHECK(has_diag(&d, "intents/b.json: b.no_sources: ", "no sources",
	    NULL));
	CHECK(has_diag(&d, "intents/b.json: b.bad_utf8: ",
	    "\"question\" is not valid UTF-8", NULL));
	CHECK(has_diag(&d, ": drug.side: duplicate intent id (also in ",
	    "intents/c.json", NULL));
	CHECK(has_diag(&d, "required-intents.tsv:3:1: ", "drug.missing",
	    "missing"));
	CHECK(!has_diag(&d, "drug.what_is is missing", NULL, NULL));
	CHECK(has_diag(&d, "messages.json: unknown key \"colour\"", NULL,
	    NULL));
	CHECK(has_diag(&d, "lexicon.json: a: ",
	    "missing field \"variants\"", NULL));
	/* b.wrong_type also has too few examples: 16 problems in all */
	CHECK_INT(d.n, 16);
	diag_free(&d);

	fx_remove("intents/a.json");
	fx_remove("intents/b.json");
	fx_remove("intents/c.json");
	fx_remove("required-intents.tsv");
	fx_write("messages.json", fx_messages);
	fx_write("lexicon.json", fx_lexicon);
	free(a701);
	free(a700);
}

/* Over KBSET_MAX_INTENT_FILES intent files: rejected, never cut short. */
static void
test_too_many_files(void)
{
	struct diag d;
	struct kbset *ks;
	char name[64];
	int i, wrote = 0;

	for (i = 0; i < KBSET_MAX_INTENT_FILES; i++) {
		snprintf(name, sizeof(name), "intents/zz%03d.json", i);
		wrote += fx_write(name, "{\"intents\": []}\n") == 0;
	}
	CHECK_INT(wrote, KBSET_MAX_INTENT_FILES);
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	CHECK(has_diag(&d, "intents: more than", ".json files", NULL));
	kbset_unref(ks);
	diag_free(&d);
	for (i = 0; i < KBSET_MAX_INTENT_FILES; i++) {
		snprintf(name, sizeof(name), "intents/zz%03d.json", i);
		fx_remove(name);
	}
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks != NULL);
	kbset_unref(ks);
	diag_free(&d);
}

static void
test_files(void)
{
	struct diag d;
	struct kbset *ks;

	/* citations without sources.json */
	fx_remove("sources.json");
	diag_init(&d);
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	CHECK(has_diag(&d, "sources.json: No such file", NULL, NULL));
	CHECK(has_diag(&d, "unknown source id \"src-a\"", NULL, NULL));
	diag_free(&d);
	fx_write("sources.json", fx_sources);

	/* wrong top level, unknown top-level key, duplicate source */
	fx_write("sources.json", "[1, 2]");
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	CHECK(has_diag(&d, "sources.json: top level must be an object",
	    NULL, NULL));
	diag_free(&d);
	fx_write("sources.json", "{\"sources\": [{\"id\": \"src-a\", "
	    "\"title\": \"t\", \"publisher\": \"p\", \"author\": \"a\", "
	    "\"date\": \"d\", \"url\": \"u\"}, {\"id\": \"src-a\", "
	    "\"title\": \"t\", \"publisher\": \"p\", \"author\": \"a\", "
	    "\"date\": \"d\", \"url\": \"u\"}, {\"id\": \"src-b\", "
	    "\"title\": 3, \"publisher\": \"p\", \"author\": \"a\", "
	    "\"date\": \"d\", \"url\": \"u\"}], \"extra\": true}");
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	CHECK(has_diag(&d, "sources.json: unknown key \"extra\"", NULL,
	    NULL));
	CHECK(has_diag(&d, "sources.json: src-a: duplicate source id", NULL,
	    NULL));
	CHECK(has_diag(&d, "sources.json: src-b: field \"title\" must be a "
	    "string", NULL, NULL));
	diag_free(&d);
	fx_write("sources.json", fx_sources);

	/* no intents directory at all; a missing KB directory */
	fx_remove("intents/drug.json");
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	CHECK(has_diag(&d, "intents: no .json intent files", NULL, NULL));
	diag_free(&d);
	fx_write("intents/drug.json", fx_intents);
	test_too_many_files();
	ks = kbset_load("/nonexistent/faqbot-kb", NULL, &d);
	CHECK(ks == NULL);
	CHECK(d.n >= 1);
	diag_free(&d);

	/* crisis rules and hotlines are part of the set, never optional */
	fx_remove("crisis.json");
	ks = kbset_load(fx_dir, NULL, &d);
	CHECK(ks == NULL);
	CHECK(has_diag(&d, "crisis.json", NULL, NULL));
	diag_free(&d);
	fx_copy("faq/crisis.json", "crisis.json");
	ks = kbset_load(fx_dir, "/nonexistent/hotlines.json", &d);
	CHECK(ks == NULL);
	CHECK(has_diag(&d, "/nonexistent/hotlines.json", NULL, NULL));
	diag_free(&d);
	fx_write("hotlines.json", "{\"regions\": 1}");
	{
		char hl[128];

		snprintf(hl, sizeof(hl), "%s/hotlines.json", fx_dir);
		ks = kbset_load(fx_dir, hl, &d);
		CHECK(ks == NULL);
		CHECK(has_diag(&d, "hotlines.json", NULL, NULL));
		diag_free(&d);
		/* another crisis file through the options */
		{
			struct kbset_opts o = { .crisis = "faq/crisis.json" };

			fx_remove("crisis.json");
			ks = kbset_load_opts(fx_dir, &o, &d);
			CHECK(ks != NULL);
			CHECK(ks != NULL && kbset_crisis(ks) != NULL &&
			    kbset_hotlines(ks) != NULL);
			kbset_unref(ks);
			diag_free(&d);
			fx_copy("faq/crisis.json", "crisis.json");
		}
	}

	/* a file over the size cap */
	{
		FILE *fp;
		char path[256];
		size_t i;

		snprintf(path, sizeof(path), "%s/lexicon.json", fx_dir);
		fp = fopen(path, "w");
		CHECK(fp != NULL);
		if (fp != NULL) {
			for (i = 0; i <= KBSET_MAX_FILE / 64; i++)
				fputs("                                        "
				    "                        ", fp);
			fclose(fp);
		}
		ks = kbset_load(fx_dir, NULL, &d);
		CHECK(ks == NULL);
		CHECK(has_diag(&d, "lexicon.json: file larger than", NULL,
		    NULL));
		diag_free(&d);
		fx_write("lexicon.json", fx_lexicon);
	}
}

static void
test_utf8(void)
{
	CHECK_INT(kbjson_utf8_chars("abc", 3), 3);
	CHECK_INT(kbjson_utf8_chars("\xc3\xa9t\xc3\xa9", 5), 3);
	CHECK_INT(kbjson_utf8_chars("\xe2\x80\x99", 3), 1);
	CHECK_INT(kbjson_utf8_chars("\xf0\x9f\x98\x80", 4), 1);
	CHECK_INT(kbjson_utf8_chars("\xff", 1), -1);
	CHECK_INT(kbjson_utf8_chars("\xc3", 1), -1);
	CHECK_INT(kbjson_utf8_chars("\xc0\xaf", 2), -1);	/* overlong */
	CHECK_INT(kbjson_utf8_chars("\xed\xa0\x80", 3), -1);	/* surrogate */
}

/* Flips one byte in the middle of path, or cuts it to half; 0 or -1. */
static int
damage(const char *path, int truncate_it)
{
	FILE *fp = fopen(path, "r+b");
	long size;
	int ch, rc = 0;

	if (fp == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) <= 0) {
		fclose(fp);
		return -1;
	}
	if (truncate_it)
		rc = ftruncate(fileno(fp), size / 2);
	else if (fseek(fp, size / 2, SEEK_SET) != 0 ||
	    (ch = fgetc(fp)) == EOF || fseek(fp, size / 2, SEEK_SET) != 0 ||
	    fputc(ch ^ 0x10, fp) == EOF)
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}

/* Loads the fixture with the model cache in dir; the cache note (or "")
 * in note, the warning flag in *warn; NULL on failure. */
static struct kbset *
load_cached(const char *dir, char *note, size_t notelen, int *warn)
{
	struct kbset_opts o;
	struct kbset *ks;
	struct diag d;
	const char *n;

	memset(&o, 0, sizeof(o));
	o.cache_dir = dir;
	diag_init(&d);
	ks = kbset_load_opts(fx_dir, &o, &d);
	if (ks == NULL)
		dump(&d);
	diag_free(&d);
	*warn = -1;
	note[0] = '\0';
	if (ks != NULL && (n = kbset_cache_note(ks, warn)) != NULL)
		snprintf(note, notelen, "%s", n);
	return ks;
}

/* 1 when both sets' matchers give identical results on a few texts. */
static int
same_matches(const struct kbset *a, const struct kbset *b)
{
	static const char *const q[] = { "what is drugol", "side effects",
	    "hello", "drugolin side effect", "something else entirely" };
	struct match_result ra, rb;
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		matcher_match(kbset_matcher(a), q[i], strlen(q[i]), &ra);
		matcher_match(kbset_matcher(b), q[i], strlen(q[i]), &rb);
		if (memcmp(&ra, &rb, sizeof(ra)) != 0)
			return 0;
	}
	return 1;
}

/*
 * The cache key names the program's build and the model libraries' (so a
 * libstemmer upgrade makes a cache stale), is stable within a process even
 * when libcurl is loaded later, and changes with the training inputs'
 * digest.
 */
static void
test_cache_key(void)
{
	char *a = modelcache_key("matcher", 42), *b, *c, *d;
	void *lib;

	CHECK(a != NULL);
	if (a == NULL)
		return;
	b = modelcache_key("matcher", 42);
	c = modelcache_key("matcher", 43);
	d = modelcache_key("crisis", 42);
	CHECK(strstr(a, "; build ") != NULL);
	CHECK(strstr(a, "; objects ") != NULL);
	CHECK_STR(a, b);
	CHECK(strcmp(a, c) != 0);
	CHECK(strcmp(a, d) != 0);
	free(b);
	/* libcurl, loaded when an HTTP platform starts, leaves it alone */
	lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	CHECK(lib != NULL);
	b = modelcache_key("matcher", 42);
	CHECK_STR(a, b);
	if (lib != NULL)
		dlclose(lib);
	free(a);
	free(b);
	free(c);
	free(d);
}

/*
 * The model cache: written on the first load, read on the next, refused
 * (with a warning, then retrained and rewritten) when corrupt or cut,
 * kept when only an answer changes, unused when an example changes.
 */
static void
test_cache(void)
{
	char dir[64], mpath[128], cpath[128], note[512];
	struct kbset *ks1, *ks2;
	int warn;

	snprintf(dir, sizeof(dir), "/tmp/faqbot-cache.XXXXXX");
	if (mkdtemp(dir) == NULL || fx_copy("faq/crisis-examples.tsv",
	    "crisis-examples.tsv") == -1) {
		CHECK(0);
		return;
	}
	snprintf(mpath, sizeof(mpath), "%s/model-matcher.cache", dir);
	snprintf(cpath, sizeof(cpath), "%s/model-crisis.cache", dir);

	ks1 = load_cached(dir, note, sizeof(note), &warn);
	CHECK(ks1 != NULL);
	CHECK_INT(warn, 0);
	CHECK(strstr(note, "matcher: trained in") != NULL);
	CHECK(strstr(note, "crisis backstop: trained in") != NULL);
	CHECK(strstr(note, "cache written") != NULL);
	CHECK(access(mpath, R_OK) == 0 && access(cpath, R_OK) == 0);

	ks2 = load_cached(dir, note, sizeof(note), &warn);
	CHECK(ks2 != NULL);
	CHECK_INT(warn, 0);
	CHECK(strstr(note, "matcher: loaded from the cache") != NULL);
	CHECK(strstr(note, "crisis backstop: loaded from the cache") != NULL);
	CHECK(strstr(note, "trained") == NULL);
	if (ks1 != NULL && ks2 != NULL)
		CHECK(same_matches(ks1, ks2));
	kbset_unref(ks2);

	/* a flipped byte: refused with a warning, retrained, rewritten */
	CHECK_INT(damage(mpath, 0), 0);
	ks2 = load_cached(dir, note, sizeof(note), &warn);
	CHECK(ks2 != NULL);
	CHECK_INT(warn, 1);
	CHECK(strstr(note, "checksum mismatch") != NULL);
	CHECK(strstr(note, "matcher: trained in") != NULL);
	CHECK(strstr(note, "crisis backstop: loaded from the cache") != NULL);
	if (ks1 != NULL && ks2 != NULL)
		CHECK(same_matches(ks1, ks2));
	kbset_unref(ks2);
	ks2 = load_cached(dir, note, sizeof(note), &warn);
	CHECK(ks2 != NULL && warn == 0 &&
	    strstr(note, "matcher: loaded from the cache") != NULL);
	kbset_unref(ks2);

	/* cut in half: refused too */
	CHECK_INT(damage(cpath, 1), 0);
	ks2 = load_cached(dir, note, sizeof(note), &warn);
	CHECK(ks2 != NULL);
	CHECK_INT(warn, 1);
	CHECK(strstr(note, "crisis backstop: cache refused") != NULL);
	CHECK(strstr(note, "crisis backstop: trained in") != NULL);
	kbset_unref(ks2);

	/* an answer edit keeps the models; an example edit retrains */
	{
		char *edited = xstrdup(fx_intents), *p;

		p = strstr(edited, "a made-up medicine");
		memcpy(p, "an imaginary drug.", 18);
		fx_write("intents/drug.json", edited);
		ks2 = load_cached(dir, note, sizeof(note), &warn);
		CHECK(ks2 != NULL && warn == 0 &&
		    strstr(note, "matcher: loaded from the cache") != NULL);
		kbset_unref(ks2);
		p = strstr(edited, "what is drugol one");
		memcpy(p, "what's", 6);
		fx_write("intents/drug.json", edited);
		ks2 = load_cached(dir, note, sizeof(note), &warn);
		CHECK(ks2 != NULL && warn == 0 &&
		    strstr(note, "matcher: cache is for another") != NULL &&
		    strstr(note, "matcher: trained in") != NULL &&
		    strstr(note, "crisis backstop: loaded") != NULL);
		kbset_unref(ks2);
		fx_write("intents/drug.json", fx_intents);
		free(edited);
	}

	/* a cache directory that cannot hold files: trained, warned */
	ks2 = load_cached("/dev/null", note, sizeof(note), &warn);
	CHECK(ks2 != NULL);
	CHECK_INT(warn, 1);
	CHECK(strstr(note, "matcher: trained in") != NULL &&
	    strstr(note, "cache not written") != NULL);
	kbset_unref(ks2);

	/* no cache directory: nothing to say */
	kbset_unref(ks1);
	ks1 = load_cached(NULL, note, sizeof(note), &warn);
	CHECK(ks1 != NULL);
	CHECK_STR(note, "");
	kbset_unref(ks1);

	unlink(mpath);
	unlink(cpath);
	rmdir(dir);
	fx_remove("crisis-examples.tsv");
}

int
main(void)
{
	if (fx_make() == NULL) {
		fprintf(stderr, "cannot create the fixture KB\n");
		return 1;
	}
	test_cache_key();
	test_cache();	/* first: the others leave the fixture edited */
	test_valid();
	test_broken();
	test_files();
	test_utf8();
	fx_cleanup();
	return CHECK_DONE();
}
