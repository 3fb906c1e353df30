/*
 * cmd_run.c -- `faqbot run [-c FILE]`, `faqbot check-config [-c FILE]`:
 * the daemon in the foreground (systemd Type=notify; logs on stderr) and
 * the configuration check.  Option parsing and setup only; the daemon's
 * work is in bot.c.
 */
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "bot.h"
#include "commands.h"
#include "config.h"
#include "diag.h"
#include "log.h"

#define DEFAULT_CONFIG	"/etc/faqbot/faqbot.json"

/* -c FILE, else $CONFIGURATION_DIRECTORY/faqbot.json, else /etc. */
static const char *
config_path(const char *given, char *buf, size_t len)
{
	const char *dir = getenv("CONFIGURATION_DIRECTORY");
	int n;

	if (given != NULL)
		return given;
	if (dir != NULL && dir[0] != '\0') {
		n = snprintf(buf, len, "%.*s/faqbot.json",
		    (int)strcspn(dir, ":"), dir);
		if (n > 0 && (size_t)n < len)
			return buf;
	}
	return DEFAULT_CONFIG;
}

struct config *
cmd_load_config(const char *given)
{
	char buf[4096];
	struct config *cfg;
	struct diag d;

	diag_init(&d);
	if ((cfg = config_load(config_path(given, buf, sizeof(buf)), &d)) ==
	    NULL)
		diag_print(&d, stderr);
	diag_free(&d);
	return cfg;
}

/* Parse [-c FILE]; 0, or CMD_USAGE / -1 for --help (printed). */
static int
parse_opts(int argc, char **argv, const char *usage, const char **file)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			*file = optarg;
			break;
		case 'h':
			printf("%s", usage);
			return -1;
		default:
			fprintf(stderr, "%s", usage);
			return CMD_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s", usage);
		return CMD_USAGE;
	}
	return 0;
}

int
cmd_check_config(int argc, char **argv)
{
	static const char usage[] =
	    "usage: faqbot check-config [-c FILE]\n"
	    "Validate the configuration file (default "
	    "$CONFIGURATION_DIRECTORY/faqbot.json or " DEFAULT_CONFIG ").\n"
	    "Prints every problem as \"file: key.path: message\" and exits "
	    "1,\nor \"configuration OK\".\n";
	const char *file = NULL;
	struct config *cfg;
	int rc;

	if ((rc = parse_opts(argc, argv, usage, &file)) != 0)
		return rc == -1 ? CMD_OK : rc;
	if ((cfg = cmd_load_config(file)) == NULL)
		return CMD_FAIL;
	if (cfg->nplatforms == 0)
		fprintf(stderr, "%s: warning: no platform is enabled; "
		    "`faqbot run` refuses to start without one\n", cfg->file);
	config_free(cfg);
	printf("configuration OK\n");
	return CMD_OK;
}

int
cmd_run(int argc, char **argv)
{
	static const char usage[] =
	    "usage: faqbot run [-c FILE]\n"
	    "Run the daemon in the foreground (logs on stderr).  Signals:\n"
	    "SIGHUP reloads the knowledge base; SIGTERM/SIGINT drain and "
	    "exit 0.\n";
	const char *file = NULL;
	struct config *cfg;
	int rc;

	if ((rc = parse_opts(argc, argv, usage, &file)) != 0)
		return rc == -1 ? CMD_OK : rc;
	if ((cfg = cmd_load_config(file)) == NULL)
		return CMD_FAIL;
	if (cfg->nplatforms == 0) {
		fprintf(stderr, "%s: no platform is enabled (add a section "
		    "such as \"matrix\", \"discord\", \"webchat\", "
		    "\"console\" or \"stdio\" with \"enabled\": true)\n",
		    cfg->file);
		config_free(cfg);
		return CMD_FAIL;
	}
	return cmd_run_config(cfg);
}

int
cmd_run_config(struct config *cfg)
{
	struct bot b;
	uv_loop_t loop;
	int rc;

	log_init(cfg->log_level, "faqbot");
	(void)signal(SIGPIPE, SIG_IGN);
	/*
	 * One malloc arena: reloads allocate in a pool thread and free on
	 * the loop thread; per-thread arenas would keep every old KB's
	 * pages resident.
	 */
	(void)mallopt(M_ARENA_MAX, 1);
	if ((rc = uv_loop_init(&loop)) != 0) {
		log_warnx("uv_loop_init: %s", uv_strerror(rc));
		config_free(cfg);
		return CMD_FAIL;
	}
	/* bot owns cfg from here on */
	if (bot_init(&b, &loop, cfg) == -1 || bot_start(&b) == -1) {
		log_warnx("startup failed");
		b.exit_status = CMD_FAIL;
		if (b.phase == BOT_RUNNING || b.phase == BOT_STARTING)
			b.phase = BOT_DONE;
		rc = CMD_FAIL;
	} else {
		(void)uv_run(&loop, UV_RUN_DEFAULT);
		rc = b.exit_status;
	}
	bot_free(&b);
	if (uv_loop_close(&loop) != 0)
		log_warnx("loop: handles left open at exit");
	return rc;
}
