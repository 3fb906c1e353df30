/*
 * clinc.c -- CLINC150 (Larson et al., EMNLP-IJCNLP 2019) as faqbot data:
 * builds a struct kb from the train split of data_full.json and lists the
 * utterances of the other splits.  Knows nothing of the matcher or of how
 * figures are reported (cmd_clinc.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinc.h"
#include "xmalloc.h"

#define CLINC_MAX_INTENTS	1000

static int
find_intent(const struct kb *kb, const char *label)
{
	size_t i;

	for (i = 0; i < kb->nintents; i++)
		if (strcmp(kb->intents[i].id + 6, label) == 0)	/* "clinc." */
			return (int)i;
	return -1;
}

/* Checks one [utterance, label] pair; returns 0 and sets the strings. */
static int
pair(const cJSON *item, const char **text, const char **label)
{
	const cJSON *t, *l;

	if (!cJSON_IsArray(item) || cJSON_GetArraySize(item) != 2)
		return -1;
	t = cJSON_GetArrayItem(item, 0);
	l = cJSON_GetArrayItem(item, 1);
	if (!cJSON_IsString(t) || !cJSON_IsString(l))
		return -1;
	*text = t->valuestring;
	*label = l->valuestring;
	return 0;
}

struct kb *
clinc_kb_from_json(const struct cJSON *doc, char *err, size_t errlen)
{
	const cJSON *train, *item;
	struct kb *kb;
	size_t *cap;
	int idx;

	train = cJSON_GetObjectItemCaseSensitive(doc, "train");
	if (!cJSON_IsArray(train)) {
		snprintf(err, errlen, "no \"train\" array");
		return NULL;
	}
	kb = xcalloc(1, sizeof(*kb));
	kb->intents = xcalloc(CLINC_MAX_INTENTS, sizeof(*kb->intents));
	cap = xcalloc(CLINC_MAX_INTENTS, sizeof(*cap));
	cJSON_ArrayForEach(item, train) {
		const char *text, *label;
		struct kb_intent *in;

		if (pair(item, &text, &label) == -1) {
			snprintf(err, errlen, "train: an item is not "
			    "[utterance, intent]");
			goto fail;
		}
		if ((idx = find_intent(kb, label)) < 0) {
			if (kb->nintents == CLINC_MAX_INTENTS) {
				snprintf(err, errlen, "train: more than %d "
				    "intents", CLINC_MAX_INTENTS);
				goto fail;
			}
			idx = (int)kb->nintents++;
			in = &kb->intents[idx];
			in->id = xasprintf("clinc.%s", label);
			in->question = xstrdup(text);
			in->answer = xasprintf("(CLINC150 intent %s)", label);
			in->sources = xcalloc(1, sizeof(char *));
			in->sources[0] = xstrdup("clinc150");
			in->nsources = 1;
			continue;
		}
		in = &kb->intents[idx];
		if (in->nexamples == cap[idx]) {
			cap[idx] = cap[idx] ? cap[idx] * 2 : 64;
			in->examples = xreallocarray(in->examples, cap[idx],
			    sizeof(char *));
		}
		in->examples[in->nexamples++] = xstrdup(text);
	}
	free(cap);
	if (kb->nintents == 0) {
		snprintf(err, errlen, "train: no utterances");
		clinc_kb_free(kb);
		return NULL;
	}
	return kb;
fail:
	free(cap);
	clinc_kb_free(kb);
	return NULL;
}

void
clinc_kb_free(struct kb *kb)
{
	size_t i, j;

	if (kb == NULL)
		return;
	for (i = 0; i < kb->nintents; i++) {
		struct kb_intent *in = &kb->intents[i];
		free(in->id);
		free(in->question);
		free(in->answer);
		for (j = 0; j < in->nexamples; j++)
			free(in->examples[j]);
		free(in->examples);
		for (j = 0; j < in->nsources; j++)
			free(in->sources[j]);
		free(in->sources);
	}
	free(kb->intents);
	free(kb);
}

struct clinc_item *
clinc_split(const struct cJSON *doc, const char *name, const struct kb *kb,
    int oos, size_t *n, char *err, size_t errlen)
{
	const cJSON *arr, *item;
	struct clinc_item *items;
	size_t k = 0;

	*n = 0;
	arr = cJSON_GetObjectItemCaseSensitive(doc, name);
	if (!cJSON_IsArray(arr)) {
		snprintf(err, errlen, "no \"%s\" array", name);
		return NULL;
	}
	items = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*items));
	cJSON_ArrayForEach(item, arr) {
		const char *text, *label;

		if (pair(item, &text, &label) == -1) {
			snprintf(err, errlen, "%s: an item is not "
			    "[utterance, intent]", name);
			free(items);
			return NULL;
		}
		items[k].text = text;
		items[k].intent = oos ? -1 : find_intent(kb, label);
		k++;
	}
	*n = k;
	return items;
}
