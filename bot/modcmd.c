/*
 * modcmd.c -- parse and run the moderator commands.  Whether the sender
 * may run them is the router's decision; this file only does the work
 * and words the replies (no message text, no user ids in them).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bot.h"
#include "metrics.h"
#include "modcmd.h"
#include "strbuf.h"
#include "unanswered.h"
#include "xmalloc.h"

static const struct {
	const char	*word;
	enum modcmd	 cmd;
} words[] = {
	{ "help", MODCMD_HELP },
	{ "reload", MODCMD_RELOAD },
	{ "stats", MODCMD_STATS },
	{ "unanswered", MODCMD_UNANSWERED },
};

const char *
modcmd_str(enum modcmd cmd)
{
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].cmd == cmd)
			return words[i].word;
	return "none";
}

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t
modcmd_strip_prefix(const char *text, size_t len)
{
	size_t i = 0, pl = strlen(MODCMD_PREFIX);

	while (i < len && space(text[i]))
		i++;
	if (len - i < pl || strncasecmp(text + i, MODCMD_PREFIX, pl) != 0)
		return 0;
	i += pl;
	if (i < len && !space(text[i]) && text[i] != ':' && text[i] != ',')
		return 0;	/* "!faqs..." is not our prefix */
	while (i < len && (space(text[i]) || text[i] == ':' ||
	    text[i] == ','))
		i++;
	return i;
}

enum modcmd
modcmd_parse(const char *text, size_t len, long *arg)
{
	size_t i, s, n, k;
	char num[16];
	char *end;

	*arg = 0;
	if ((i = modcmd_strip_prefix(text, len)) == 0)
		return MODCMD_NONE;
	while (len > i && space(text[len - 1]))
		len--;
	if (i == len)
		return MODCMD_HELP;		/* a bare "!faq" */
	s = i;
	while (i < len && !space(text[i]))
		i++;
	n = i - s;
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strlen(words[k].word) == n &&
		    strncasecmp(text + s, words[k].word, n) == 0)
			break;
	if (k == sizeof(words) / sizeof(words[0]))
		return MODCMD_NONE;
	while (i < len && space(text[i]))
		i++;
	if (i == len)
		return words[k].cmd;
	/* only "unanswered DAYS" takes an argument */
	if (words[k].cmd != MODCMD_UNANSWERED || len - i >= sizeof(num))
		return MODCMD_NONE;
	memcpy(num, text + i, len - i);
	num[len - i] = '\0';
	if (!isdigit((unsigned char)num[0]))
		return MODCMD_NONE;
	*arg = strtol(num, &end, 10);
	if (*end != '\0' || *arg < 1 || *arg > 3650)
		return MODCMD_NONE;
	return MODCMD_UNANSWERED;
}

const char *
modcmd_refusal(void)
{
	return "Sorry, only moderators can use !faq commands. You can still "
	    "ask me a question, for example \"!faq is Klonopin an "
	    "antidepressant?\"";
}

static char *
unanswered_text(struct bot *b, long days)
{
	struct strbuf sb, out;
	char err[256];
	long n;
	time_t since;

	if (b->unanswered == NULL)
		return xstrdup("The unanswered-question log is turned off "
		    "(unanswered.enabled in the configuration).");
	if (days <= 0)
		days = 7;
	since = time(NULL) - (time_t)days * 86400;
	sb_init(&sb);
	n = unanswered_report(unanswered_path(b->unanswered), since, 10, &sb,
	    err, sizeof(err));
	sb_init(&out);
	if (n < 0)
		sb_printf(&out, "Cannot read the unanswered log: %s", err);
	else if (n == 0)
		sb_printf(&out, "No unanswered questions in the last %ld "
		    "days.", days);
	else
		sb_printf(&out, "Top unanswered questions, last %ld days "
		    "(%ld in all; count, question):\n%s", days, n,
		    sb.s != NULL ? sb.s : "");
	sb_free(&sb);
	return sb_steal(&out, NULL);
}

char *
modcmd_run(struct bot *b, enum modcmd cmd, long arg)
{
	char *msg = NULL;

	switch (cmd) {
	case MODCMD_RELOAD:
		(void)bot_reload(b, "!faq reload", &msg);
		return msg;
	case MODCMD_STATS:
		return metrics_summary(b->metrics);
	case MODCMD_UNANSWERED:
		return unanswered_text(b, arg);
	case MODCMD_HELP:
	case MODCMD_NONE:
	default:
		return xstrdup("Moderator commands: \"!faq reload\" reloads "
		    "the knowledge base; \"!faq stats\" shows counters and "
		    "the KB version; \"!faq unanswered [DAYS]\" lists the "
		    "most asked questions I could not answer (default 7 "
		    "days); \"!faq help\" shows this.");
	}
}
