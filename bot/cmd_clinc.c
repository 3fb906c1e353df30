/*
 * cmd_clinc.c -- `faqbot clinc`: the CLINC150 benchmark (Larson et al.,
 * EMNLP-IJCNLP 2019) with the paper's oos-threshold protocol.  Trains the
 * matcher on `train`, chooses the out-of-scope threshold on `val` +
 * `oos_val` (best 151-class accuracy), reports on `test` + `oos_test`;
 * also the balanced point (best mean of val in-scope accuracy and val OOS
 * recall).  Test data never influences a choice.  `--write-kb DIR` writes
 * the train split as a faq/-format KB directory instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "clinc.h"
#include "commands.h"
#include "diag.h"
#include "xmalloc.h"

#define CLINC_DEFAULT_DATA	"../shared/datasets/clinc150/data_full.json"
#define CLINC_MAX_FILE		(64u * 1024 * 1024)
#define BENCH_MIN_QUERIES	20000

/* One prediction: top intent and its confidence, before any threshold. */
struct pred {
	int	gold;		/* -1: out of scope */
	int	top;
	double	conf;
};

struct figures {
	double	in_acc;		/* in-scope accuracy (rejected = wrong) */
	double	oos_rec;	/* out-of-scope recall */
	double	acc151;		/* accuracy over 151 classes */
};

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static struct figures
score(const struct pred *p, size_t n, double thr)
{
	struct figures f;
	size_t i, nin = 0, nout = 0, okin = 0, okout = 0;

	for (i = 0; i < n; i++) {
		if (p[i].gold >= 0) {
			nin++;
			okin += p[i].top == p[i].gold && p[i].conf >= thr;
		} else {
			nout++;
			okout += p[i].conf < thr;
		}
	}
	f.in_acc = nin ? (double)okin / nin : 0;
	f.oos_rec = nout ? (double)okout / nout : 0;
	f.acc151 = n ? (double)(okin + okout) / n : 0;
	return f;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * choose() returns the threshold maximising 151-class accuracy (balanced
 * == 0) or the mean of in-scope accuracy and OOS recall (balanced == 1)
 * over p.  Candidates are midpoints between consecutive confidences; ties
 * keep the lowest threshold.
 */
static double
choose(const struct pred *p, size_t n, int balanced)
{
	double *c = xcalloc(n + 1, sizeof(*c)), best = -1, bthr = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = p[i].conf;
	qsort(c, n, sizeof(*c), cmp_double);
	for (i = 0; i <= n; i++) {
		double thr = i == 0 ? 0 : i == n ? c[n - 1] + 1e-6 :
		    (c[i - 1] + c[i]) / 2;
		struct figures f;
		double v;

		if (i > 0 && i < n && c[i - 1] == c[i])
			continue;
		f = score(p, n, thr);
		v = balanced ? (f.in_acc + f.oos_rec) / 2 : f.acc151;
		if (v > best) {
			best = v;
			bthr = thr;
		}
	}
	free(c);
	return bthr;
}

/* Runs the matcher over both splits into one prediction array. */
static struct pred *
predict(const struct matcher *m, const struct clinc_item *a, size_t na,
    const struct clinc_item *b, size_t nb)
{
	struct pred *p = xcalloc(na + nb + 1, sizeof(*p));
	struct matcher_ws *ws = xmatcher_ws_new();
	struct match_result r;
	size_t i;

	for (i = 0; i < na + nb; i++) {
		const struct clinc_item *it = i < na ? &a[i] : &b[i - na];
		matcher_match_ws(m, ws, it->text, strlen(it->text), &r);
		p[i].gold = it->intent;
		p[i].top = r.intent >= 0 ? r.intent :
		    r.nalts > 0 ? r.alts[0].intent : -1;
		p[i].conf = r.confidence;
	}
	matcher_ws_free(ws);
	return p;
}

/* p50 and p99 latency in microseconds over >= BENCH_MIN_QUERIES calls. */
static void
latency(const struct matcher *m, const struct clinc_item *q, size_t nq,
    double *p50, double *p99, size_t *count)
{
	size_t n = nq, i;
	double *t;
	struct matcher_ws *ws = xmatcher_ws_new();
	struct match_result r;

	while (n < BENCH_MIN_QUERIES)
		n += nq;
	t = xcalloc(n, sizeof(*t));
	for (i = 0; i < n; i++) {
		const char *s = q[i % nq].text;
		double t0 = now();
		matcher_match_ws(m, ws, s, strlen(s), &r);
		t[i] = (now() - t0) * 1e6;
	}
	matcher_ws_free(ws);
	qsort(t, n, sizeof(*t), cmp_double);
	*p50 = t[n / 2];
	*p99 = t[(n * 99) / 100];
	*count = n;
	free(t);
}

static int
usage(FILE *fp, int rc)
{
	fprintf(fp,
	    "usage: faqbot clinc [--data PATH] [--json] [--bench]\n"
	    "       faqbot clinc [--data PATH] --write-kb DIR\n"
	    "\n"
	    "CLINC150 (Larson et al., EMNLP-IJCNLP 2019): train on `train`,\n"
	    "choose the out-of-scope threshold on val + oos_val, report on\n"
	    "test + oos_test.  --bench adds match latency over >= %d\n"
	    "questions.  --write-kb writes the train split as a KB directory.\n"
	    "Default data: %s\n", BENCH_MIN_QUERIES, CLINC_DEFAULT_DATA);
	return rc;
}

/* Writes cJSON item to path; 0 or -1 with a message on stderr. */
static int
write_json(const char *path, const cJSON *item)
{
	char *s = cJSON_Print(item);
	FILE *fp;
	int rc = 0;

	if (s == NULL) {
		fprintf(stderr, "faqbot clinc: %s: out of memory\n", path);
		return -1;
	}
	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "faqbot clinc: %s: %s\n", path,
		    strerror(errno));
		free(s);
		return -1;
	}
	if (fputs(s, fp) == EOF || fputc('\n', fp) == EOF)
		rc = -1;
	if (fclose(fp) == EOF)
		rc = -1;
	if (rc == -1)
		fprintf(stderr, "faqbot clinc: %s: write error\n", path);
	free(s);
	return rc;
}

/*
 * write_kb() writes kb as DIR/sources.json, DIR/intents/clinc.json and an
 * empty DIR/lexicon.json.  An utterance already seen (under any intent) is
 * skipped so the KB passes `faqbot check`.
 */
static int
write_kb(const struct kb *kb, const char *dir)
{
	char path[4096];
	cJSON *src, *arr, *o, *ints, *lex;
	size_t i, j;
	int rc = 0;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "faqbot clinc: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/intents", dir) >=
	    sizeof(path)) {
		fprintf(stderr, "faqbot clinc: %s: path too long\n", dir);
		return -1;
	}
	if (mkdir(path, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "faqbot clinc: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	src = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(src, "sources");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", "clinc150");
	cJSON_AddStringToObject(o, "title", "An Evaluation Dataset for "
	    "Intent Classification and Out-of-Scope Prediction");
	cJSON_AddStringToObject(o, "publisher", "EMNLP-IJCNLP 2019");
	cJSON_AddStringToObject(o, "author", "Larson et al.");
	cJSON_AddStringToObject(o, "date", "2019");
	cJSON_AddStringToObject(o, "url", "https://github.com/clinc/oos-eval");
	cJSON_AddStringToObject(o, "caveat", "Benchmark data (CC BY 3.0), "
	    "not medical information.");
	cJSON_AddItemToArray(arr, o);
	snprintf(path, sizeof(path), "%s/sources.json", dir);
	rc |= write_json(path, src);
	cJSON_Delete(src);

	ints = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(ints, "intents");
	{
		cJSON *seen = cJSON_CreateObject();
		for (i = 0; i < kb->nintents; i++) {
			const struct kb_intent *in = &kb->intents[i];
			cJSON *ex, *s;
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", in->id);
			cJSON_AddStringToObject(o, "question", in->question);
			cJSON_AddItemToObject(seen, in->question,
			    cJSON_CreateTrue());
			ex = cJSON_AddArrayToObject(o, "examples");
			for (j = 0; j < in->nexamples; j++) {
				if (cJSON_GetObjectItemCaseSensitive(seen,
				    in->examples[j]) != NULL)
					continue;
				cJSON_AddItemToObject(seen, in->examples[j],
				    cJSON_CreateTrue());
				cJSON_AddItemToArray(ex,
				    cJSON_CreateString(in->examples[j]));
			}
			cJSON_AddStringToObject(o, "answer", in->answer);
			s = cJSON_AddArrayToObject(o, "sources");
			cJSON_AddItemToArray(s, cJSON_CreateString("clinc150"));
			cJSON_AddItemToArray(arr, o);
		}
		cJSON_Delete(seen);
	}
	snprintf(path, sizeof(path), "%s/intents/clinc.json", dir);
	rc |= write_json(path, ints);
	cJSON_Delete(ints);

	lex = cJSON_CreateObject();
	cJSON_AddArrayToObject(lex, "concepts");
	snprintf(path, sizeof(path), "%s/lexicon.json", dir);
	rc |= write_json(path, lex);
	cJSON_Delete(lex);
	return rc == 0 ? 0 : -1;
}

int
cmd_clinc(int argc, char **argv)
{
	const char *data = CLINC_DEFAULT_DATA, *kbdir = NULL;
	int json = 0, bench = 0, i, rc = CMD_FAIL;
	struct clinc_item *sp[4] = { NULL, NULL, NULL, NULL };
	size_t ns[4] = { 0, 0, 0, 0 };
	static const char *names[4] = { "val", "oos_val", "test", "oos_test" };
	struct pred *pv = NULL, *pt = NULL;
	struct matcher_opts mo = { .threshold = 0 };
	struct matcher *m = NULL;
	struct kb *kb = NULL;
	struct diag d;
	cJSON *doc;
	char err[256];
	double t0, cpu0, load_s, train_s, train_cpu_s, thr, bthr;
	double p50 = 0, p99 = 0;
	size_t nlat = 0, nex = 0, k;
	struct figures fv, ft, bv, bt;
	struct rusage ru;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return usage(stdout, CMD_OK);
		else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--bench") == 0)
			bench = 1;
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data = argv[++i];
		else if (strcmp(argv[i], "--write-kb") == 0 && i + 1 < argc)
			kbdir = argv[++i];
		else
			return usage(stderr, CMD_USAGE);
	}
	diag_init(&d);
	t0 = now();
	if ((doc = diag_json_file(data, CLINC_MAX_FILE, &d)) == NULL) {
		diag_print(&d, stderr);
		diag_free(&d);
		return CMD_FAIL;
	}
	diag_free(&d);
	if ((kb = clinc_kb_from_json(doc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "faqbot clinc: %s: %s\n", data, err);
		goto out;
	}
	if (kbdir != NULL) {
		if (write_kb(kb, kbdir) == 0) {
			printf("wrote %s (%zu intents)\n", kbdir, kb->nintents);
			rc = CMD_OK;
		}
		goto out;
	}
	for (k = 0; k < 4; k++) {
		sp[k] = clinc_split(doc, names[k], kb, k % 2, &ns[k], err,
		    sizeof(err));
		if (sp[k] == NULL) {
			fprintf(stderr, "faqbot clinc: %s: %s\n", data, err);
			goto out;
		}
	}
	for (k = 0; k < kb->nintents; k++)
		nex += kb->intents[k].nexamples + 1;
	load_s = now() - t0;
	t0 = now();
	cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if ((m = matcher_new(kb, &mo, err, sizeof(err))) == NULL) {
		fprintf(stderr, "faqbot clinc: %s\n", err);
		goto out;
	}
	train_s = now() - t0;
	train_cpu_s = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	pv = predict(m, sp[0], ns[0], sp[1], ns[1]);
	pt = predict(m, sp[2], ns[2], sp[3], ns[3]);
	thr = choose(pv, ns[0] + ns[1], 0);
	bthr = choose(pv, ns[0] + ns[1], 1);
	fv = score(pv, ns[0] + ns[1], thr);
	ft = score(pt, ns[2] + ns[3], thr);
	bv = score(pv, ns[0] + ns[1], bthr);
	bt = score(pt, ns[2] + ns[3], bthr);
	if (bench)
		latency(m, sp[2], ns[2], &p50, &p99, &nlat);
	getrusage(RUSAGE_SELF, &ru);
	printf("CLINC150 (Larson et al., EMNLP-IJCNLP 2019), full, "
	    "oos-threshold protocol\n");
	printf("train: %zu intents, %zu utterances; JSON load %.3f s, "
	    "train %.3f s\n", kb->nintents, nex, load_s, train_s);
	printf("%-22s %9s %9s %9s %9s\n", "operating point", "threshold",
	    "in-scope", "oos-rec", "acc151");
	printf("%-22s %9.4f %8.2f%% %8.2f%% %8.2f%%\n", "paper (val)", thr,
	    100 * fv.in_acc, 100 * fv.oos_rec, 100 * fv.acc151);
	printf("%-22s %9.4f %8.2f%% %8.2f%% %8.2f%%\n", "paper (test)", thr,
	    100 * ft.in_acc, 100 * ft.oos_rec, 100 * ft.acc151);
	printf("%-22s %9.4f %8.2f%% %8.2f%% %8.2f%%\n", "balanced (val)", bthr,
	    100 * bv.in_acc, 100 * bv.oos_rec, 100 * bv.acc151);
	printf("%-22s %9.4f %8.2f%% %8.2f%% %8.2f%%\n", "balanced (test)",
	    bthr, 100 * bt.in_acc, 100 * bt.oos_rec, 100 * bt.acc151);
	if (bench)
		printf("match latency over %zu questions: p50 %.2f us, "
		    "p99 %.2f us\n", nlat, p50, p99);
	printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024);
	if (json) {
		printf("{\"dataset\": \"clinc150\", \"protocol\": "
		    "\"oos-threshold\", \"intents\": %zu, \"train_utterances\":"
		    " %zu, \"load_seconds\": %.3f, \"train_seconds\": %.3f, "
		    "\"train_cpu_seconds\": %.3f, "
		    "\"threshold\": %.4f, "
		    "\"val_in_scope_acc\": %.4f, \"val_oos_recall\": %.4f, "
		    "\"test_in_scope_acc\": %.4f, \"test_oos_recall\": %.4f, "
		    "\"balanced\": {\"threshold\": %.4f, \"val_in_scope_acc\":"
		    " %.4f, \"val_oos_recall\": %.4f, \"test_in_scope_acc\": "
		    "%.4f, \"test_oos_recall\": %.4f}",
		    kb->nintents, nex, load_s, train_s, train_cpu_s, thr,
		    fv.in_acc, fv.oos_rec,
		    ft.in_acc, ft.oos_rec, bthr, bv.in_acc, bv.oos_rec,
		    bt.in_acc, bt.oos_rec);
		if (bench)
			printf(", \"latency_us\": {\"n\": %zu, \"p50\": %.2f, "
			    "\"p99\": %.2f}", nlat, p50, p99);
		printf(", \"peak_rss_mb\": %.1f}\n",
		    (double)ru.ru_maxrss / 1024);
	}
	rc = CMD_OK;
out:
	free(pv);
	free(pt);
	for (k = 0; k < 4; k++)
		free(sp[k]);
	matcher_free(m);
	clinc_kb_free(kb);
	cJSON_Delete(doc);
	return rc;
}
