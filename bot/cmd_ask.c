/*
 * cmd_ask.c -- `faqbot ask [--kb DIR] [--region XX] [--json] TEXT...` and
 * `faqbot ask [--json] -`: print the reply the bot would send, through
 * the same pipeline as every platform.  With "-" each stdin line is one
 * question and (with --json) one JSON object per line comes out, in
 * order, flushed per line.  Bad lines (empty, too long) get an error
 * object on their line; invalid UTF-8 and NUL bytes are answered.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmdutil.h"
#include "commands.h"
#include "console.h"
#include "kbset.h"
#include "pipeline.h"
#include "xmalloc.h"

struct ask {
	struct pipeline	*pl;
	struct kbset	*ks;
	int		 json;
	double		 t;		/* advances 1 s per question */
};

static void
ask_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: faqbot ask [--kb DIR] [--region XX] [--hotlines FILE] "
	    "[--json] TEXT...\n"
	    "       faqbot ask [--kb DIR] [--region XX] [--json] -\n"
	    "\n"
	    "Print the reply the bot would send to TEXT (words are joined\n"
	    "with spaces).  With -, read one question per line from stdin.\n"
	    "  --kb DIR        knowledge base directory (default faq)\n"
	    "  --region XX     hotline region: US (default), CA, UK, IE, AU,\n"
	    "                  EU, or any other code for the directory\n"
	    "  --hotlines FILE hotlines file (default config/hotlines.json)\n"
	    "  --json          one JSON object per question: text, intent,\n"
	    "                  confidence, alternatives, crisis, reply\n");
}

/* Print one JSON line without any newline inside (cJSON unformatted). */
static void
print_json_line(cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);

	if (s == NULL) {
		fprintf(stderr, "faqbot ask: out of memory printing JSON\n");
		exit(1);
	}
	fputs(s, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	free(s);
}

static void
print_error_line(long lineno, const char *msg)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL) {
		fprintf(stderr, "faqbot ask: out of memory\n");
		exit(1);
	}
	cJSON_AddNumberToObject(o, "line", (double)lineno);
	cJSON_AddStringToObject(o, "error", msg);
	print_json_line(o);
	cJSON_Delete(o);
}

/* Answer one question and print it; 0, or -1 if nothing could be said. */
static int
ask_one(struct ask *a, const char *text, size_t len)
{
	struct message msg;
	struct reply r;
	struct escalation esc;
	char line[512];
	cJSON *o;

	memset(&msg, 0, sizeof(msg));
	msg.platform = "ask";
	msg.user = "ask";
	msg.text = text;
	msg.len = len;
	msg.is_dm = 1;
	a->t += 1.0;
	if (pipeline_handle(a->pl, a->ks, &msg, a->t, &r, &esc) == -1)
		return -1;
	if (a->json) {
		o = cmd_reply_json(text, len, &r);
		if (esc.present)
			cJSON_AddBoolToObject(o, "escalate", 1);
		print_json_line(o);
		cJSON_Delete(o);
	} else {
		printf("%s\n", r.text != NULL ? r.text : "");
		fflush(stdout);
		if (esc.present) {
			console_escalation_str(line, sizeof(line), &esc);
			fprintf(stderr, "%s\n", line);
		}
	}
	reply_free(&r);
	return 0;
}

static int
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Questions from stdin, one per line, answered in order. */
static int
ask_stdin(struct ask *a)
{
	char *buf = xmalloc(CMD_MAX_LINE + 1);
	long len, lineno = 0;
	int toolong;
	char msg[128];

	while ((len = cmd_read_line(stdin, buf, &toolong)) >= 0) {
		lineno++;
		if (toolong) {
			snprintf(msg, sizeof(msg), "question too long "
			    "(limit %d bytes)", CMD_MAX_LINE);
			if (a->json)
				print_error_line(lineno, msg);
			else
				printf("faqbot: line %ld: %s\n", lineno, msg);
			continue;
		}
		if (blank(buf, (size_t)len)) {
			if (a->json)
				print_error_line(lineno, "empty question");
			else
				printf("faqbot: line %ld: empty question\n",
				    lineno);
			continue;
		}
		ask_one(a, buf, (size_t)len);
		if (!a->json)
			putchar('\n');	/* a blank line between replies */
	}
	free(buf);
	return CMD_OK;
}

int
cmd_ask(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kb", required_argument, NULL, 'k' },
		{ "region", required_argument, NULL, 'r' },
		{ "hotlines", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pipeline_opts po;
	struct ask a;
	const char *kbdir = "faq", *hotlines = NULL;
	char *text = NULL;
	size_t len = 0, n;
	int ch, i, rc;

	memset(&a, 0, sizeof(a));
	memset(&po, 0, sizeof(po));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "hjk:r:H:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'k':
			kbdir = optarg;
			break;
		case 'r':
			po.region = optarg;
			break;
		case 'H':
			hotlines = optarg;
			break;
		case 'j':
			a.json = 1;
			break;
		case 'h':
			ask_usage(stdout);
			return CMD_OK;
		default:
			ask_usage(stderr);
			return CMD_USAGE;
		}
	}
	if (optind >= argc) {
		ask_usage(stderr);
		return CMD_USAGE;
	}
	if ((a.ks = cmd_load_kb("ask", kbdir, hotlines)) == NULL)
		return CMD_FAIL;
	cmd_check_region("ask", a.ks, po.region);
	a.pl = pipeline_new(&po);
	if (argc - optind == 1 && strcmp(argv[optind], "-") == 0)
		rc = ask_stdin(&a);
	else {
		for (i = optind; i < argc; i++) {
			n = strlen(argv[i]);
			text = xreallocarray(text, len + n + 2, 1);
			if (len > 0)
				text[len++] = ' ';
			memcpy(text + len, argv[i], n + 1);
			len += n;
		}
		if (len > CMD_MAX_LINE) {
			fprintf(stderr, "faqbot ask: question too long (limit "
			    "%d bytes)\n", CMD_MAX_LINE);
			rc = CMD_FAIL;
		} else
			rc = ask_one(&a, text, len) == 0 ? CMD_OK : CMD_FAIL;
		free(text);
	}
	pipeline_free(a.pl);
	kbset_unref(a.ks);
	return rc;
}
