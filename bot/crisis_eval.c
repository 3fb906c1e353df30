/*
 * crisis_eval.c -- `faqbot eval-crisis`: the crisis detector and its
 * replies against labelled messages.
 *
 * FILE lines: text<TAB>level<TAB>kind<TAB>category ('#' comments, an
 * optional "text" header).  CONTEXTFILE lines: previous<TAB>text<TAB>
 * level<TAB>kind (the previous message from the same author 30 s before).
 * Reports acute recall, escalation recall, acute flagged below concern,
 * exact-level accuracy, false escalation overall and per category, kind
 * accuracy, the reply checks (every acute reply carries a number of the
 * region; overdose and emergency replies the emergency number; no
 * forbidden wording), the errors, the detector's latency, and a JSON
 * object as the last line.
 *
 * Escalation recall and false escalation are about crisis kinds: a
 * message flagged concern+ with kind abuse_of_others gets no crisis reply
 * (the pipeline sends it to moderators), so it is neither a crisis caught
 * nor a crisis reply sent wrongly; it is counted on its own line.  A
 * message labelled abuse_of_others is likewise not a crisis to catch.
 * The old figures over every kind are printed too ("all kinds").
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "commands.h"
#include "crisis.h"
#include "crisis_load.h"
#include "diag.h"
#include "hotlines.h"
#include "intents.h"
#include "xmalloc.h"

#define EVAL_MAX_LINE	8192
#define EVAL_MAX_ROWS	100000
#define EVAL_MAX_CATS	256

struct row {
	char			*prev;		/* context file only */
	char			*text;
	enum crisis_level	 level;
	enum crisis_kind	 kind;
	char			*cat;
	int			 lineno;
};

struct cat {
	char	*name;
	int	 n, exact, low, esc_n, esc_false, esc_exp, esc_hit, abuse;
};

/*
 * Counts.  esc_*: crisis kinds (a crisis expected: level concern+ and a
 * kind other than abuse_of_others; one caught: flagged concern+ with a
 * crisis kind); neg_*: every other message, false when flagged concern+
 * with a crisis kind.  all_esc_* and low_*: the same over every kind, on
 * levels alone (concern+ expected / none or mention expected).  abuse:
 * flagged concern+ as abuse_of_others (moderators only), abuse_exp: of
 * those, labelled abuse_of_others.
 */
struct tally {
	int	n, exact, acute_n, acute_hit, acute_low, esc_n, esc_hit;
	int	neg_n, neg_false, all_esc_n, all_esc_hit;
	int	low_n, low_false, kind_n, kind_hit, abuse, abuse_exp;
	int	replies, reply_bad;
	struct cat cats[EVAL_MAX_CATS];
	int	ncats;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faqbot eval-crisis [--kb DIR] [--hotlines FILE] "
	    "[--region XX]\n"
	    "                          [--json] [--repeat N] [--errors N] "
	    "FILE [CONTEXTFILE]\n"
	    "\n"
	    "Runs the crisis detector (DIR/crisis.json, default faq) over\n"
	    "FILE (text<TAB>level<TAB>kind<TAB>category) and CONTEXTFILE\n"
	    "(previous<TAB>text<TAB>level<TAB>kind) and checks the replies\n"
	    "for the region (default US).  Prints recall, accuracy, false\n"
	    "escalation per category, errors and latency; the last line is\n"
	    "JSON (--json: only the JSON).  Recall and false escalation\n"
	    "count crisis kinds: abuse_of_others (moderators only, no\n"
	    "crisis reply) is counted on its own line; the \"all kinds\"\n"
	    "lines count it as before.  --repeat N times the detector\n"
	    "over the messages N times for the latency figures.\n");
}

static int
parse_level(const char *s, enum crisis_level *l)
{
	return crisis_level_parse(s, l);
}

/* Splits line in place on tabs into at most max fields; returns count. */
static int
split_tabs(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		f[n++] = p;
		if ((p = strchr(p, '\t')) == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

/*
 * Reads a TSV file of rows.  ctx: the context layout.  Returns the row
 * count, or -1 after printing the problem.
 */
static long
read_rows(const char *path, int ctx, struct row **out)
{
	FILE *fp;
	char line[EVAL_MAX_LINE + 2];
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	int lineno = 0, bad = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "faqbot eval-crisis: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *f[6];
		int nf, base = ctx ? 1 : 0;
		size_t len = strlen(line);
		struct row r;

		lineno++;
		if (len > 0 && line[len - 1] != '\n' && !feof(fp)) {
			fprintf(stderr, "%s:%d: line too long\n", path, lineno);
			bad = 1;
			while (fgets(line, sizeof(line), fp) != NULL &&
			    strchr(line, '\n') == NULL)
				;
			continue;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		nf = split_tabs(line, f, 6);
		if ((!ctx && strcmp(f[0], "text") == 0) ||
		    (ctx && strcmp(f[0], "previous") == 0))
			continue;
		memset(&r, 0, sizeof(r));
		if (nf < base + 3 || parse_level(f[base + 1], &r.level) == -1 ||
		    crisis_kind_parse(f[base + 2], &r.kind) == -1) {
			fprintf(stderr, "%s:%d: want %stext, level, kind%s "
			    "separated by tabs\n", path, lineno,
			    ctx ? "previous, " : "", ctx ? "" : ", category");
			bad = 1;
			continue;
		}
		if (n == EVAL_MAX_ROWS) {
			fprintf(stderr, "%s: more than %d rows\n", path,
			    EVAL_MAX_ROWS);
			bad = 1;
			break;
		}
		r.prev = ctx ? xstrdup(f[0]) : NULL;
		r.text = xstrdup(f[base]);
		r.cat = xstrdup(!ctx && nf > 3 && f[3][0] != '\0' ? f[3] :
		    (ctx ? "context" : "uncategorised"));
		r.lineno = lineno;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			rows = xreallocarray(rows, cap, sizeof(*rows));
		}
		rows[n++] = r;
	}
	fclose(fp);
	*out = rows;
	if (bad) {
		while (n > 0) {
			n--;
			free(rows[n].prev);
			free(rows[n].text);
			free(rows[n].cat);
		}
		free(rows);
		*out = NULL;
		return -1;
	}
	return (long)n;
}

static void
free_rows(struct row *rows, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		free(rows[i].prev);
		free(rows[i].text);
		free(rows[i].cat);
	}
	free(rows);
}

static struct cat *
cat_get(struct tally *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncats; i++)
		if (strcmp(t->cats[i].name, name) == 0)
			return &t->cats[i];
	if (t->ncats == EVAL_MAX_CATS)
		return &t->cats[EVAL_MAX_CATS - 1];
	memset(&t->cats[t->ncats], 0, sizeof(t->cats[0]));
	t->cats[t->ncats].name = xstrdup(name);
	return &t->cats[t->ncats++];
}

static int
contains(const char *hay, const char *needle)
{
	return hay != NULL && needle != NULL && strcasestr(hay, needle) != NULL;
}

/*
 * The reply checks for one flagged message.  Returns 0 or -1 with the
 * reason in why.
 */
static int
check_reply(const struct hotlines *h, const char *region,
    const struct crisis_result *res, char *why, size_t whylen)
{
	static const char *const banned[] = { "committed suicide",
	    "commit suicide", "secret", "confidential", "precious",
	    "selfish", " mg", "press 3", NULL };
	const struct hotline_region *r = hotlines_region(h, region);
	char *txt = crisis_reply_compose(h, region, res);
	int rc = 0;
	size_t i;

	if (res->kind == CRISIS_ABUSE_OF_OTHERS) {
		if (txt != NULL) {
			snprintf(why, whylen, "abuse of others got a reply");
			rc = -1;
		}
		free(txt);
		return rc;
	}
	if (txt == NULL || r == NULL) {
		snprintf(why, whylen, "no reply");
		free(txt);
		return -1;
	}
	if (res->level == CRISIS_ACUTE &&
	    !contains(txt, r->emergency) &&
	    !(r->crisis.call != NULL && contains(txt, r->crisis.call))) {
		snprintf(why, whylen, "acute reply without a %s number",
		    r->code);
		rc = -1;
	}
	if (res->level == CRISIS_ACUTE && (res->kind == CRISIS_OVERDOSE ||
	    res->kind == CRISIS_MEDICAL_EMERGENCY || res->emergency) &&
	    !contains(txt, r->emergency)) {
		snprintf(why, whylen, "overdose/emergency reply without %s",
		    r->emergency);
		rc = -1;
	}
	if (!contains(txt, "bot")) {
		snprintf(why, whylen, "reply does not say it is a bot");
		rc = -1;
	}
	for (i = 0; banned[i] != NULL; i++)
		if (contains(txt, banned[i])) {
			snprintf(why, whylen, "reply contains \"%s\"",
			    banned[i]);
			rc = -1;
		}
	free(txt);
	return rc;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct opts {
	const char	*region;
	int		 json;
	int		 max_errors;
};

/* Scores rows into t; prints errors (text mode). */
static void
score(const struct crisis *c, const struct hotlines *h,
    const struct opts *o, struct row *rows, long n, struct tally *t,
    int *shown, cJSON *errs)
{
	struct matcher_ws *ws = xmatcher_ws_new();
	long i;

	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		struct crisis_memory mem;
		struct crisis_result res;
		struct cat *ct, *vt = NULL;
		int exp_esc = r->level >= CRISIS_CONCERN;
		int exp_crisis = exp_esc && r->kind != CRISIS_ABUSE_OF_OTHERS;
		int got_esc, got_crisis, got_abuse;
		char why[160] = "";
		int reply_bad = 0;

		{
			/* "plan/leet": category "plan", variant "/leet" */
			char base[128];
			const char *sl = strchr(r->cat, '/');
			size_t bl = sl ? (size_t)(sl - r->cat) : strlen(r->cat);

			if (bl >= sizeof(base))
				bl = sizeof(base) - 1;
			memcpy(base, r->cat, bl);
			base[bl] = '\0';
			ct = cat_get(t, base);
			if (sl != NULL)
				vt = cat_get(t, sl);
		}
		memset(&mem, 0, sizeof(mem));
		if (r->prev != NULL)
			crisis_check_ws(c, ws, r->prev, strlen(r->prev), &mem,
			    1000, &res);
		crisis_check_ws(c, ws, r->text, strlen(r->text), &mem, 1030,
		    &res);
		got_esc = res.level >= CRISIS_CONCERN;
		got_abuse = got_esc && res.kind == CRISIS_ABUSE_OF_OTHERS;
		got_crisis = got_esc && !got_abuse;
		t->n++;
		ct->n++;
		if (vt != NULL)
			vt->n++;
		if (res.level == r->level) {
			t->exact++;
			ct->exact++;
			if (vt != NULL)
				vt->exact++;
		}
		if (r->level == CRISIS_ACUTE) {
			t->acute_n++;
			if (res.level == CRISIS_ACUTE && got_crisis)
				t->acute_hit++;
			if (!got_crisis)
				t->acute_low++;
		}
		/* the old figures, on levels alone */
		if (exp_esc) {
			t->all_esc_n++;
			t->all_esc_hit += got_esc;
		} else {
			t->low_n++;
			t->low_false += got_esc;
		}
		if (got_abuse) {
			t->abuse++;
			t->abuse_exp += r->kind == CRISIS_ABUSE_OF_OTHERS;
			ct->abuse++;
			if (vt != NULL)
				vt->abuse++;
		}
		if (exp_crisis) {
			t->esc_n++;
			ct->esc_exp++;
			if (got_crisis) {
				t->esc_hit++;
				ct->esc_hit++;
				t->kind_n++;
				if (res.kind == r->kind)
					t->kind_hit++;
			} else {
				ct->low++;
				if (vt != NULL)
					vt->low++;
			}
		} else {
			t->neg_n++;
			ct->esc_n++;
			if (vt != NULL)
				vt->esc_n++;
			if (got_crisis) {
				t->neg_false++;
				ct->esc_false++;
				if (vt != NULL)
					vt->esc_false++;
			}
		}
		if (got_esc) {
			t->replies++;
			if (check_reply(h, o->region, &res, why,
			    sizeof(why)) == -1) {
				t->reply_bad++;
				reply_bad = 1;
			}
		}
		if (res.level != r->level || reply_bad ||
		    (exp_esc && got_esc && res.kind != r->kind)) {
			char m[256] = "";
			size_t k;
			cJSON *e;

			for (k = 0; k < res.nmatched; k++) {
				size_t l = strlen(m);

				snprintf(m + l, sizeof(m) - l, "%s%s",
				    k ? "," : "", res.matched[k]);
			}
			if ((e = cJSON_CreateObject()) != NULL) {
				cJSON_AddNumberToObject(e, "line", r->lineno);
				cJSON_AddStringToObject(e, "category", r->cat);
				cJSON_AddStringToObject(e, "want",
				    crisis_level_str(r->level));
				cJSON_AddStringToObject(e, "want_kind",
				    crisis_kind_str(r->kind));
				cJSON_AddStringToObject(e, "got",
				    crisis_level_str(res.level));
				cJSON_AddStringToObject(e, "got_kind",
				    crisis_kind_str(res.kind));
				if (why[0] != '\0')
					cJSON_AddStringToObject(e, "reply",
					    why);
				cJSON_AddItemToArray(errs, e);
			}
			if (!o->json && *shown < o->max_errors) {
				printf("  %s:%d want %s/%s got %s/%s [%s]%s%s: "
				    "%s%s%s\n", r->cat, r->lineno,
				    crisis_level_str(r->level),
				    crisis_kind_str(r->kind),
				    crisis_level_str(res.level),
				    crisis_kind_str(res.kind), m,
				    why[0] ? " reply: " : "", why,
				    r->prev ? r->prev : "",
				    r->prev ? " => " : "", r->text);
				(*shown)++;
			}
		}
	}
	matcher_ws_free(ws);
}

static double
pct(int a, int b)
{
	return b > 0 ? 100.0 * a / b : 100.0;
}

/* Times crisis_check over all rows, repeat times.  p50/p99/max in us. */
static void
latency(const struct crisis *c, struct row **sets, const long *ns, int nsets,
    int repeat, double out[3])
{
	struct matcher_ws *ws;
	double *lat;
	long total = 0, k = 0, i;
	int s, r;

	for (s = 0; s < nsets; s++)
		total += ns[s];
	out[0] = out[1] = out[2] = 0;
	if (total == 0 || repeat <= 0)
		return;
	lat = xreallocarray(NULL, (size_t)total * (size_t)repeat,
	    sizeof(*lat));
	ws = xmatcher_ws_new();	/* as the pipeline: one per caller */
	for (r = 0; r < repeat; r++)
		for (s = 0; s < nsets; s++)
			for (i = 0; i < ns[s]; i++) {
				struct crisis_result res;
				struct crisis_memory mem;
				const char *txt = sets[s][i].text;
				double t0;

				memset(&mem, 0, sizeof(mem));
				t0 = now_us();
				crisis_check_ws(c, ws, txt, strlen(txt), &mem,
				    1000, &res);
				lat[k++] = now_us() - t0;
			}
	matcher_ws_free(ws);
	qsort(lat, (size_t)k, sizeof(*lat), cmp_double);
	out[0] = lat[k / 2];
	out[1] = lat[(size_t)((double)k * 0.99) < (size_t)k ?
	    (size_t)((double)k * 0.99) : (size_t)k - 1];
	out[2] = lat[k - 1];
	free(lat);
}

int
cmd_crisis_eval(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "kb", required_argument, NULL, 'k' },
		{ "hotlines", required_argument, NULL, 'H' },
		{ "region", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "errors", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { "US", 0, 200 };
	const char *kbdir = "faq", *hotpath = "config/hotlines.json";
	struct row *sets[2] = { NULL, NULL };
	long ns[2] = { 0, 0 };
	struct tally t;
	struct crisis *c = NULL;
	struct hotlines *h = NULL;
	struct diag d;
	char path[4096];
	int ch, nsets = 0, repeat = 20, shown = 0, rc = CMD_FAIL, i;
	double lat[3];
	cJSON *js = NULL, *errs = NULL, *cats;
	char *end;
	long v;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'k': kbdir = optarg; break;
		case 'H': hotpath = optarg; break;
		case 'r': o.region = optarg; break;
		case 'j': o.json = 1; break;
		case 'n':
		case 'e':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 0 || v > 100000) {
				fprintf(stderr, "faqbot eval-crisis: bad "
				    "number: %s\n", optarg);
				return CMD_USAGE;
			}
			if (ch == 'n')
				repeat = (int)v;
			else
				o.max_errors = (int)v;
			break;
		case 'h':
			usage(stdout);
			return CMD_OK;
		default:
			usage(stderr);
			return CMD_USAGE;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		usage(stderr);
		return CMD_USAGE;
	}
	memset(&t, 0, sizeof(t));
	diag_init(&d);
	if (snprintf(path, sizeof(path), "%s/crisis.json", kbdir) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "faqbot eval-crisis: path too long\n");
		return CMD_USAGE;
	}
	c = crisis_load(path, &d);
	h = hotlines_load(hotpath, &d);
	if (c == NULL || h == NULL) {
		diag_print(&d, stderr);
		goto done;
	}
	if (!hotlines_has_region(h, o.region) &&
	    strcasecmp(o.region, "other") != 0)
		fprintf(stderr, "faqbot eval-crisis: region %s not in %s: "
		    "using \"other\"\n", o.region, hotpath);
	for (i = optind; i < argc; i++) {
		ns[nsets] = read_rows(argv[i], i > optind, &sets[nsets]);
		if (ns[nsets] < 0)
			goto done;
		nsets++;
	}
	errs = cJSON_CreateArray();
	if (!o.json)
		printf("crisis eval: %s%s%s (region %s)\nerrors:\n", argv[optind],
		    nsets > 1 ? " + " : "", nsets > 1 ? argv[optind + 1] : "",
		    o.region);
	for (i = 0; i < nsets; i++)
		score(c, h, &o, sets[i], ns[i], &t, &shown, errs);
	latency(c, sets, ns, nsets, repeat, lat);
	if (!o.json) {
		printf("\n%-24s %5s %7s %9s %9s %7s\n", "category (/variant)",
		    "n", "exact%", "esc-miss", "false-esc", "abuse");
		for (i = 0; i < t.ncats; i++)
			printf("%-24s %5d %7.1f %9d %9d %7d\n", t.cats[i].name,
			    t.cats[i].n, pct(t.cats[i].exact, t.cats[i].n),
			    t.cats[i].low, t.cats[i].esc_false, t.cats[i].abuse);
		printf("\nmessages                 %d\n", t.n);
		printf("acute recall             %.2f%% (%d/%d flagged acute)\n",
		    pct(t.acute_hit, t.acute_n), t.acute_hit, t.acute_n);
		printf("escalation recall        %.2f%% (%d/%d concern or "
		    "acute flagged concern+, crisis kinds)\n",
		    pct(t.esc_hit, t.esc_n), t.esc_hit, t.esc_n);
		printf("escalation recall (all kinds) %.2f%% (%d/%d concern or "
		    "acute flagged concern+)\n", pct(t.all_esc_hit, t.all_esc_n),
		    t.all_esc_hit, t.all_esc_n);
		printf("acute below concern      %d\n", t.acute_low);
		printf("exact level accuracy     %.2f%% (%d/%d)\n",
		    pct(t.exact, t.n), t.exact, t.n);
		printf("false escalation (crisis kinds) %.2f%% (%d/%d not a "
		    "crisis flagged concern+ with a crisis kind)\n",
		    pct(t.neg_false, t.neg_n) * (t.neg_n > 0), t.neg_false,
		    t.neg_n);
		printf("false escalation (all kinds) %.2f%% (%d/%d none/mention "
		    "flagged concern+)\n", pct(t.low_false, t.low_n) *
		    (t.low_n > 0), t.low_false, t.low_n);
		printf("routed to moderators as abuse: %d, of which expected "
		    "abuse_of_others: %d\n", t.abuse, t.abuse_exp);
		printf("kind accuracy            %.2f%% (%d/%d escalated)\n",
		    pct(t.kind_hit, t.kind_n), t.kind_hit, t.kind_n);
		printf("reply checks             %d/%d passed\n",
		    t.replies - t.reply_bad, t.replies);
		printf("latency per message      p50 %.2f us, p99 %.2f us, "
		    "max %.2f us (%d runs)\n", lat[0], lat[1], lat[2], repeat);
	}
	js = cJSON_CreateObject();
	cJSON_AddNumberToObject(js, "messages", t.n);
	cJSON_AddNumberToObject(js, "acute_recall", pct(t.acute_hit, t.acute_n));
	cJSON_AddNumberToObject(js, "escalation_recall",
	    pct(t.esc_hit, t.esc_n));
	cJSON_AddNumberToObject(js, "escalation_recall_all_kinds",
	    pct(t.all_esc_hit, t.all_esc_n));
	cJSON_AddNumberToObject(js, "acute_below_concern", t.acute_low);
	cJSON_AddNumberToObject(js, "exact_accuracy", pct(t.exact, t.n));
	cJSON_AddNumberToObject(js, "false_escalation",
	    t.neg_n > 0 ? pct(t.neg_false, t.neg_n) : 0);
	cJSON_AddNumberToObject(js, "false_escalation_all_kinds",
	    t.low_n > 0 ? pct(t.low_false, t.low_n) : 0);
	cJSON_AddNumberToObject(js, "abuse_routed", t.abuse);
	cJSON_AddNumberToObject(js, "abuse_routed_expected", t.abuse_exp);
	cJSON_AddNumberToObject(js, "kind_accuracy", pct(t.kind_hit, t.kind_n));
	cJSON_AddNumberToObject(js, "replies", t.replies);
	cJSON_AddNumberToObject(js, "reply_failures", t.reply_bad);
	cJSON_AddNumberToObject(js, "latency_p50_us", lat[0]);
	cJSON_AddNumberToObject(js, "latency_p99_us", lat[1]);
	cJSON_AddNumberToObject(js, "latency_max_us", lat[2]);
	cats = cJSON_AddObjectToObject(js, "false_escalation_by_category");
	for (i = 0; cats != NULL && i < t.ncats; i++)
		if (t.cats[i].esc_n > 0)
			cJSON_AddNumberToObject(cats, t.cats[i].name,
			    pct(t.cats[i].esc_false, t.cats[i].esc_n));
	cats = cJSON_AddObjectToObject(js, "exact_by_category");
	for (i = 0; cats != NULL && i < t.ncats; i++)
		cJSON_AddNumberToObject(cats, t.cats[i].name,
		    pct(t.cats[i].exact, t.cats[i].n));
	if (o.json) {
		cJSON_AddItemToObject(js, "errors", errs);
		errs = NULL;
	} else
		cJSON_AddNumberToObject(js, "errors", cJSON_GetArraySize(errs));
	{
		char *s = cJSON_PrintUnformatted(js);

		if (s != NULL) {
			printf("%s\n", s);
			free(s);
		}
	}
	rc = CMD_OK;
done:
	cJSON_Delete(js);
	cJSON_Delete(errs);
	for (i = 0; i < t.ncats; i++)
		free(t.cats[i].name);
	for (i = 0; i < nsets; i++)
		free_rows(sets[i], ns[i]);
	crisis_free(c);
	hotlines_free(h);
	diag_free(&d);
	return rc;
}
