/*
 * commands.h -- the faqbot subcommands, one file each (bot/cmd_*.c).
 *
 * Every command has the shape int cmd_NAME(int argc, char **argv): argv[0]
 * is the command name, the return value is the process exit status (0 ok,
 * 1 problem found / runtime error, 2 usage error).  Each command prints its
 * own usage for --help / -h.  bot/main.c holds the table that maps names to
 * these functions; add a row there and a section here for a new command.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

#include <stddef.h>

#define FAQBOT_VERSION	"0.1.0"

/* Exit statuses shared by every command. */
#define CMD_OK		0
#define CMD_FAIL	1
#define CMD_USAGE	2

/* cmd_check.c: validate a knowledge base directory */
int	cmd_check(int argc, char **argv);

/* cmd_ask.c: answer one question, or JSON Lines from stdin */
int	cmd_ask(int argc, char **argv);

/* cmd_console.c: terminal chat (the console platform alone) */
int	cmd_console(int argc, char **argv);

/* cmd_eval.c: accuracy on a text<TAB>expected file */
int	cmd_eval(int argc, char **argv);

/* cmd_cv.c: cross-validation on the KB's own examples and topics */
int	cmd_cv(int argc, char **argv);

/* cmd_bench.c: latency, load time and memory figures */
int	cmd_bench(int argc, char **argv);

/* crisis_eval.c: the crisis detector and replies on labelled messages */
int	cmd_crisis_eval(int argc, char **argv);

/* cmd_crisis_cv.c: cross-validation of the crisis backstop */
int	cmd_crisis_cv(int argc, char **argv);

struct config;

/* cmd_run.c: the daemon, and its configuration check */
int	cmd_run(int argc, char **argv);
int	cmd_check_config(int argc, char **argv);
/* Load the configuration: -c FILE (given), else
 * $CONFIGURATION_DIRECTORY/faqbot.json, else /etc/faqbot/faqbot.json.
 * NULL after printing every problem on stderr; free with config_free(). */
struct config	*cmd_load_config(const char *given);
/* Run the daemon with cfg (owned from here on) until it stops; the exit
 * status.  `faqbot console` runs its console-only config through it. */
int		 cmd_run_config(struct config *cfg);

/* cmd_unanswered.c: report of the unanswered-question log */
int	cmd_unanswered(int argc, char **argv);

#endif /* COMMANDS_H */
