/*
 * kbfixture.h -- a small, valid knowledge base written to a temporary
 * directory for the kbset/compose/pipeline unit tests, plus helpers to
 * write or break single files.  Included once per test program.
 */
#ifndef KBFIXTURE_H
#define KBFIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fx_dir[64];

/* Write content to dir/name; returns 0 or -1. */
static int
fx_write(const char *name, const char *content)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", fx_dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fputs(content, fp);
	return fclose(fp);
}

static void
fx_remove(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", fx_dir, name);
	unlink(path);
}

#define FX_EX(p) "\"" p " one\", \"" p " two\", \"" p " three\", "	\
	"\"" p " four\", \"" p " five\", \"" p " six\", \"" p " seven\", " \
	"\"" p " eight\", \"" p " nine\", \"" p " ten\", \"" p " eleven\", " \
	"\"" p " twelve\""

static const char fx_sources[] =
    "{\"sources\": [\n"
    " {\"id\": \"src-a\", \"title\": \"Article A\", \"publisher\": \"Pub\",\n"
    "  \"author\": \"Ann\", \"date\": \"2023-04-01\",\n"
    "  \"url\": \"https://example.org/a\", \"caveat\": \"a blog\"},\n"
    " {\"id\": \"src-b\", \"title\": \"Article B\",\n"
    "  \"publisher\": \"not stated\", \"author\": \"not stated\",\n"
    "  \"date\": \"not stated\", \"url\": \"not stated\",\n"
    "  \"caveat\": \"AI text\"}\n"
    "]}\n";

static const char fx_intents[] =
    "{\"intents\": [\n"
    " {\"id\": \"drug.what_is\", \"question\": \"What is drugol?\",\n"
    "  \"examples\": [" FX_EX("what is drugol") "],\n"
    "  \"answer\": \"Drugol is a made-up medicine.\",\n"
    "  \"sources\": [\"src-a\", \"src-b\"], \"related\": [\"drug.side\"]},\n"
    " {\"id\": \"drug.side\", \"question\": \"What are drugol's side "
    "effects?\",\n"
    "  \"examples\": [" FX_EX("drugol side effects") "],\n"
    "  \"answer\": \"Sleepiness, says article A.\",\n"
    "  \"sources\": [\"src-a\"]},\n"
    " {\"id\": \"bot.greeting\", \"question\": \"Hello!\",\n"
    "  \"examples\": [" FX_EX("hello there") "],\n"
    "  \"answer\": \"Hello! Ask me about drugol.\", \"sources\": []}\n"
    "]}\n";

static const char fx_lexicon[] =
    "{\"concepts\": [ {\"canonical\": \"drugol\", "
    "\"variants\": [\"drugolin\"]} ]}\n";

static const char fx_messages[] =
    "{\"disclaimer\": \"General information, not medical advice.\",\n"
    " \"greeting\": \"Hi, I answer drugol questions.\",\n"
    " \"no_match\": \"Sorry, I don't know that.\",\n"
    " \"did_you_mean\": \"Did you mean:\",\n"
    " \"see_doctor\": \"Ask a doctor or pharmacist.\"}\n";

/* Copy a repository file (tests run from the repository root) into the
 * fixture as name; 0 or -1. */
static int
fx_copy(const char *from, const char *name)
{
	char path[256], buf[8192];
	FILE *in, *out;
	size_t n;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", fx_dir, name);
	if ((in = fopen(from, "rb")) == NULL)
		return -1;
	if ((out = fopen(path, "wb")) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

/* A fresh valid KB (the real crisis rules); returns the directory or
 * NULL. */
static const char *
fx_make(void)
{
	char sub[128];

	snprintf(fx_dir, sizeof(fx_dir), "/tmp/faqbot-kb.XXXXXX");
	if (mkdtemp(fx_dir) == NULL)
		return NULL;
	snprintf(sub, sizeof(sub), "%s/intents", fx_dir);
	if (mkdir(sub, 0700) == -1)
		return NULL;
	if (fx_write("sources.json", fx_sources) == -1 ||
	    fx_write("intents/drug.json", fx_intents) == -1 ||
	    fx_write("lexicon.json", fx_lexicon) == -1 ||
	    fx_write("messages.json", fx_messages) == -1 ||
	    fx_copy("faq/crisis.json", "crisis.json") == -1)
		return NULL;
	return fx_dir;
}

/* Remove the fixture directory (files we may have written). */
static void
fx_cleanup(void)
{
	static const char *const names[] = { "sources.json", "lexicon.json",
	    "messages.json", "crisis.json", "required-intents.tsv",
	    "hotlines.json", "intents/drug.json", "intents/a.json",
	    "intents/b.json", "intents/c.json", "intents/d.json", NULL };
	char path[256];
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		fx_remove(names[i]);
	snprintf(path, sizeof(path), "%s/intents", fx_dir);
	rmdir(path);
	rmdir(fx_dir);
}

#endif /* KBFIXTURE_H */
