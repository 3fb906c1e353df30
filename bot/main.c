/*
 * main.c -- faqbot's entry point: looks the subcommand up in a table and
 * runs it.  Nothing else lives here; each command is its own bot/cmd_*.c
 * file (see commands.h) and parses its own options.
 */
#include <stdio.h>
#include <string.h>

#include "clinc.h"
#include "commands.h"

struct command {
	const char	*name;
	int		(*fn)(int argc, char **argv);
	const char	*help;		/* one line for `faqbot --help` */
};

/* Keep in the order `faqbot --help` should list them. */
static const struct command commands[] = {
	{ "console", cmd_console,
	    "chat with the bot in this terminal (what `make run` starts)" },
	{ "ask", cmd_ask,
	    "print the reply to one question, or JSON Lines for stdin" },
	{ "check", cmd_check,
	    "validate a knowledge base directory (default faq)" },
	{ "eval", cmd_eval,
	    "accuracy on a text<TAB>expected file" },
	{ "eval-crisis", cmd_crisis_eval,
	    "crisis detector recall, false alarms and reply checks" },
	{ "crisis-cv", cmd_crisis_cv,
	    "cross-validate the crisis backstop to choose its thresholds" },
	{ "cv", cmd_cv,
	    "cross-validated matcher figures on the KB's own examples" },
	{ "bench", cmd_bench,
	    "latency of ask, KB load time and peak memory" },
	{ "run", cmd_run,
	    "run the daemon in the foreground (systemd service)" },
	{ "check-config", cmd_check_config,
	    "validate the daemon's configuration file" },
	{ "unanswered", cmd_unanswered,
	    "group and count the questions the bot could not answer" },
	{ "clinc", cmd_clinc,
	    "CLINC150 benchmark: accuracy and out-of-scope recall" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: faqbot COMMAND [OPTIONS] [ARGS]\n"
	    "       faqbot --help | --version\n"
	    "\n"
	    "faqbot answers medication FAQ questions from a knowledge base,\n"
	    "with sources and a disclaimer; crisis messages come first.\n"
	    "It gives general information, not medical advice.\n"
	    "\n"
	    "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-13s %s\n", commands[i].name, commands[i].help);
	fprintf(fp, "\nRun `faqbot COMMAND --help` for a command's options.\n");
}

int
main(int argc, char *argv[])
{
	const char *name;
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CMD_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
	    strcmp(name, "help") == 0) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			/* `faqbot help ask` == `faqbot ask --help` */
			for (i = 0; i < NCOMMANDS; i++) {
				if (strcmp(argv[2], commands[i].name) == 0) {
					char *hargv[] = { argv[2], "--help",
					    NULL };
					return commands[i].fn(2, hargv);
				}
			}
			fprintf(stderr, "faqbot: unknown command: %s\n",
			    argv[2]);
			return CMD_USAGE;
		}
		usage(stdout);
		return CMD_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("faqbot %s\n", FAQBOT_VERSION);
		return CMD_OK;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "faqbot: unknown command: %s\n", name);
	usage(stderr);
	return CMD_USAGE;
}
