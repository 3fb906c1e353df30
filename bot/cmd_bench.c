/*
 * cmd_bench.c -- `faqbot bench [--kb DIR] [--n N] [--eval FILE]`: single
 * thread figures for the core path: KB load + matcher training time, the
 * per-question latency of ask (normalise + match + compose) and, apart,
 * of the crisis check, as p50/p99/max over at least 20,000 questions
 * (the KB's examples and the eval file's questions, cycled), and peak RSS.
 * Prints a table and a last JSON line.  Figures are printed, not judged.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cmdutil.h"
#include "commands.h"
#include "compose.h"
#include "kbset.h"
#include "xmalloc.h"

#define BENCH_DEFAULT_N	20000
#define BENCH_MAX_N	10000000L
#define BENCH_MAX_Q	200000		/* distinct questions kept */

struct questions {
	char	**v;
	size_t	 *len;
	size_t	  n;
};

static void
bench_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faqbot bench [--kb DIR] [--n N] [--eval FILE]\n"
	    "\n"
	    "Time, on one thread: KB load + training, ask (normalise + match\n"
	    "+ compose) and the crisis check per question (p50/p99/max over N\n"
	    "questions, cycling through the KB examples and the eval file),\n"
	    "and peak RSS.  Prints a table and a JSON line.\n"
	    "  --kb DIR     knowledge base directory (default faq)\n"
	    "  --n N        questions to time, 1..%ld (default %d)\n"
	    "  --eval FILE  extra questions, text<TAB>expected (default\n"
	    "               tests/eval/medfaq.tsv when --kb is faq)\n",
	    BENCH_MAX_N, BENCH_DEFAULT_N);
}

static void
q_add(struct questions *q, const char *s, size_t len)
{
	if (q->n >= BENCH_MAX_Q)
		return;
	q->v = xreallocarray(q->v, q->n + 1, sizeof(*q->v));
	q->len = xreallocarray(q->len, q->n + 1, sizeof(*q->len));
	q->v[q->n] = xstrndup(s, len);
	q->len[q->n++] = len;
}

static void
q_add_file(struct questions *q, const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf, *tab;
	long len;
	int toolong;

	if (fp == NULL) {
		perror(path);
		return;
	}
	buf = xmalloc(CMD_MAX_LINE + 1);
	while ((len = cmd_read_line(fp, buf, &toolong)) >= 0) {
		if (len == 0 || buf[0] == '#' || toolong)
			continue;
		tab = memchr(buf, '\t', (size_t)len);
		q_add(q, buf, tab != NULL ? (size_t)(tab - buf) : (size_t)len);
	}
	free(buf);
	fclose(fp);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* p-th percentile (0..100) of sorted v (n > 0). */
static double
percentile(const double *v, size_t n, double p)
{
	size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

struct lat {
	double	p50, p99, max, mean;
};

static void
summarize(double *v, size_t n, struct lat *l)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof(*v), cmp_double);
	l->p50 = percentile(v, n, 50) / 1000;
	l->p99 = percentile(v, n, 99) / 1000;
	l->max = v[n - 1] / 1000;
	l->mean = sum / (double)n / 1000;
}

static void
add_lat(cJSON *o, const char *name, const struct lat *l)
{
	cJSON *x = cJSON_AddObjectToObject(o, name);

	if (x == NULL)
		return;
	cJSON_AddNumberToObject(x, "p50_us", (double)(long)(l->p50 * 100 + 0.5) /
	    100);
	cJSON_AddNumberToObject(x, "p99_us", (double)(long)(l->p99 * 100 + 0.5) /
	    100);
	cJSON_AddNumberToObject(x, "max_us", (double)(long)(l->max * 100 + 0.5) /
	    100);
	cJSON_AddNumberToObject(x, "mean_us", (double)(long)(l->mean * 100 + 0.5) /
	    100);
}

int
cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kb", required_argument, NULL, 'k' },
		{ "n", required_argument, NULL, 'n' },
		{ "eval", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kbdir = "faq", *evalpath = NULL;
	struct questions q = { NULL, NULL, 0 };
	struct kbset *ks;
	const struct kb *kb;
	struct match_result m;
	struct crisis_result cr;
	struct matcher_ws *ws;
	struct reply r;
	struct lat la, lc;
	struct rusage ru;
	double *ask_ns, *cri_ns, t0, load_s;
	long n = BENCH_DEFAULT_N, i;
	size_t j, k, answered = 0, flagged = 0;
	char *end, *s;
	cJSON *o;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "hk:n:e:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'k':
			kbdir = optarg;
			break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || n < 1 ||
			    n > BENCH_MAX_N) {
				fprintf(stderr, "faqbot bench: --n: 1..%ld\n",
				    BENCH_MAX_N);
				return CMD_USAGE;
			}
			break;
		case 'e':
			evalpath = optarg;
			break;
		case 'h':
			bench_usage(stdout);
			return CMD_OK;
		default:
			bench_usage(stderr);
			return CMD_USAGE;
		}
	}
	if (optind != argc) {
		bench_usage(stderr);
		return CMD_USAGE;
	}
	t0 = cmd_now();
	if ((ks = cmd_load_kb("bench", kbdir, NULL)) == NULL)
		return CMD_FAIL;
	load_s = cmd_now() - t0;
	kb = kbset_kb(ks);
	for (j = 0; j < kb->nintents; j++)
		for (k = 0; k < kb->intents[j].nexamples; k++)
			q_add(&q, kb->intents[j].examples[k],
			    strlen(kb->intents[j].examples[k]));
	if (evalpath == NULL && strcmp(kbdir, "faq") == 0 &&
	    access("tests/eval/medfaq.tsv", R_OK) == 0)
		evalpath = "tests/eval/medfaq.tsv";
	if (evalpath != NULL)
		q_add_file(&q, evalpath);
	if (q.n == 0) {
		fprintf(stderr, "faqbot bench: no questions\n");
		kbset_unref(ks);
		return CMD_FAIL;
	}
	ask_ns = xcalloc((size_t)n, sizeof(*ask_ns));
	cri_ns = xcalloc((size_t)n, sizeof(*cri_ns));
	ws = xmatcher_ws_new();	/* as the pipeline: one per caller */
	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		const char *text = q.v[(size_t)i % q.n];
		size_t len = q.len[(size_t)i % q.n];
		double a, b, c;

		a = now_ns();
		matcher_match_ws(kbset_matcher(ks), ws, text, len, &m);
		if (m.intent >= 0) {
			compose_answer(&r, ks, m.intent, m.confidence);
			answered++;
		} else
			compose_no_match(&r, ks, &m);
		b = now_ns();
		c = now_ns();
		crisis_check_ws(kbset_crisis(ks), ws, text, len, NULL, 0,
		    &cr);
		cri_ns[i] = now_ns() - c;
		ask_ns[i] = b - a;
		flagged += cr.level >= CRISIS_CONCERN;
		reply_free(&r);
	}
	summarize(ask_ns, (size_t)n, &la);
	summarize(cri_ns, (size_t)n, &lc);
	getrusage(RUSAGE_SELF, &ru);

	printf("faqbot bench: kb %s (%zu intents, %zu examples, version %s)\n",
	    kbdir, kb->nintents, kbset_nexamples(ks), kbset_version(ks));
	printf("  questions timed      %ld (%zu distinct, %.1f%% answered, "
	    "%.1f%% flagged concern/acute)\n", n, q.n,
	    100.0 * (double)answered / (double)n,
	    100.0 * (double)flagged / (double)n);
	printf("  load + train         %.3f s\n", load_s);
	printf("  %-20s %9s %9s %9s %9s\n", "latency (us)", "p50", "p99",
	    "max", "mean");
	printf("  %-20s %9.2f %9.2f %9.2f %9.2f\n", "ask", la.p50, la.p99,
	    la.max, la.mean);
	printf("  %-20s %9.2f %9.2f %9.2f %9.2f\n", "crisis check", lc.p50,
	    lc.p99, lc.max, lc.mean);
	printf("  peak RSS             %.1f MB\n", (double)ru.ru_maxrss / 1024);

	if ((o = cJSON_CreateObject()) == NULL) {
		fprintf(stderr, "faqbot bench: out of memory\n");
		exit(1);
	}
	cJSON_AddStringToObject(o, "kb", kbdir);
	cJSON_AddNumberToObject(o, "intents", (double)kb->nintents);
	cJSON_AddNumberToObject(o, "examples", (double)kbset_nexamples(ks));
	cJSON_AddNumberToObject(o, "questions", (double)n);
	cJSON_AddNumberToObject(o, "load_train_s",
	    (double)(long)(load_s * 10000) / 10000);
	add_lat(o, "ask", &la);
	add_lat(o, "crisis", &lc);
	cJSON_AddNumberToObject(o, "peak_rss_mb",
	    (double)(long)((double)ru.ru_maxrss / 1024 * 10) / 10);
	if ((s = cJSON_PrintUnformatted(o)) == NULL) {
		fprintf(stderr, "faqbot bench: out of memory\n");
		exit(1);
	}
	printf("%s\n", s);
	free(s);
	cJSON_Delete(o);
	free(ask_ns);
	free(cri_ns);
	matcher_ws_free(ws);
	for (j = 0; j < q.n; j++)
		free(q.v[j]);
	free(q.v);
	free(q.len);
	kbset_unref(ks);
	return CMD_OK;
}
