/*
 * test_config.c -- the daemon's config parser: every error kind is
 * reported as "file: key.path: message", all of them in one run; the
 * typed readers (cfg.c) and secret references (secret.c).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cfg.h"
#include "check.h"
#include "config.h"
#include "diag.h"
#include "secret.h"

/* Does some diag line equal want? */
static int
has(const struct diag *d, const char *want)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->msgs[i], want) == 0)
			return 1;
	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  diag: %s\n", d->msgs[i]);
	fprintf(stderr, "  wanted: %s\n", want);
	return 0;
}

static struct config *
parse(const char *text, struct diag *d)
{
	diag_init(d);
	return config_parse(text, strlen(text), "t.json", d);
}

static void
test_ok(void)
{
	struct diag d;
	struct config *c;

	c = parse("{\"state_dir\":\"/tmp/x\",\"region\":\"GB\","
	    "\"flood\":{\"user_rate\":0.5,\"user_burst\":3},"
	    "\"moderators\":{\"users\":[\"matrix:@a:b.org\","
	    "\"discord:12\"]},\"admin\":{\"listen\":\"127.0.0.1:0\"},"
	    "\"stdio\":{\"enabled\":true,\"user\":\"u\"}}", &d);
	CHECK(c != NULL);
	CHECK_INT(d.n, 0);
	if (c != NULL) {
		CHECK_STR(c->region, "GB");
		CHECK_STR(c->kb_dir, "faq");
		CHECK_INT(c->nplatforms, 1);
		CHECK_INT(c->admin_port, 0);
		CHECK_STR(c->admin_host, "127.0.0.1");
		CHECK(c->user_rate == 0.5);
		CHECK_INT(c->drain_timeout_ms, 5000);
		/* privacy defaults: nothing a user wrote is kept or shown */
		CHECK_INT(c->unanswered_enabled, 0);
		CHECK_INT(c->log_message_text, 0);
		CHECK_INT(c->escalation_include_text, 0);
		CHECK_INT(c->unanswered_retention_days, 30);
		CHECK_INT(c->unanswered_max_bytes, 1024 * 1024);
		CHECK(config_is_moderator(c, "matrix", "@a:b.org"));
		CHECK(config_is_moderator(c, "discord", "12"));
		CHECK(!config_is_moderator(c, "discord", "1"));
		CHECK(!config_is_moderator(c, "matrix", "12"));
		CHECK(config_platform(c, "stdio") != NULL);
	}
	config_free(c);
	diag_free(&d);

	/* the unanswered log and the escalation text are opt-in */
	c = parse("{\"state_dir\":\"/tmp/x\",\"unanswered\":{\"enabled\":"
	    "true,\"retention_days\":7,\"max_bytes\":65536},\"privacy\":"
	    "{\"escalation_include_text\":true}}", &d);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT(c->unanswered_enabled, 1);
		CHECK_INT(c->unanswered_retention_days, 7);
		CHECK_INT(c->unanswered_max_bytes, 65536);
		CHECK_INT(c->escalation_include_text, 1);
	}
	config_free(c);
	diag_free(&d);

	/* the console-only configuration of `faqbot console` */
	setenv("STATE_DIRECTORY", "/tmp/should-not-be-used", 1);
	diag_init(&d);
	c = config_console("kb", NULL, "x/crisis.json", "GB", &d);
	unsetenv("STATE_DIRECTORY");
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_STR(c->kb_dir, "kb");
		CHECK_STR(c->region, "GB");
		CHECK_STR(c->crisis, "x/crisis.json");
		CHECK(c->state_dir == NULL);
		CHECK(c->hotlines == NULL);
		CHECK_INT(c->unanswered_enabled, 0);
		CHECK_INT(c->nplatforms, 1);
		CHECK(config_platform(c, "console") != NULL);
	}
	config_free(c);
	diag_free(&d);
	diag_init(&d);
	c = config_console("kb", NULL, NULL, "gb", &d);
	CHECK(c == NULL);
	CHECK(has(&d, "faqbot console: region: expected an upper-case region "
	    "code such as \"US\" or \"GB\""));
	diag_free(&d);

	/* a disabled platform is not parsed or created */
	c = parse("{\"state_dir\":\"/tmp/x\",\"stdio\":{\"enabled\":false,"
	    "\"bogus\":1}}", &d);
	CHECK(c != NULL);
	if (c != NULL)
		CHECK_INT(c->nplatforms, 0);
	config_free(c);
	diag_free(&d);
}

static void
test_every_error(void)
{
	struct diag d;
	struct config *c;

	unsetenv("STATE_DIRECTORY");
	c = parse("{\"kb_dir\":7,\"colour\":\"red\",\"region\":\"us\","
	    "\"log_level\":\"loud\",\"privacy\":{\"log_message_text\":\"yes\"},"
	    "\"flood\":{\"user_rate\":-1,\"extra\":1},"
	    "\"moderators\":{\"users\":[\"alice\",3]},"
	    "\"unanswered\":{\"retention_days\":1.5},"
	    "\"admin\":{},\"drain_timeout_ms\":\"5s\","
	    "\"watch_kb\":[],\"stdio\":{\"enabled\":true,\"volume\":11}}", &d);
	CHECK(c == NULL);
	CHECK(has(&d, "t.json: kb_dir: expected a string"));
	CHECK(has(&d, "t.json: colour: unknown key"));
	CHECK(has(&d, "t.json: state_dir: missing required key (or run with "
	    "$STATE_DIRECTORY set)"));
	CHECK(has(&d, "t.json: region: expected an upper-case region code "
	    "such as \"US\" or \"GB\""));
	CHECK(has(&d, "t.json: log_level: expected error, warn, info or "
	    "debug"));
	CHECK(has(&d, "t.json: privacy.log_message_text: expected true or "
	    "false"));
	CHECK(has(&d, "t.json: flood.user_rate: must be between 0 and "
	    "1e+06"));
	CHECK(has(&d, "t.json: flood.extra: unknown key"));
	CHECK(has(&d, "t.json: moderators.users[1]: expected a non-empty "
	    "string of at most 1024 bytes"));
	CHECK(has(&d, "t.json: unanswered.retention_days: expected an "
	    "integer"));
	CHECK(has(&d, "t.json: admin.listen: missing required key"));
	CHECK(has(&d, "t.json: drain_timeout_ms: expected an integer"));
	CHECK(has(&d, "t.json: watch_kb: expected an object"));
	CHECK(has(&d, "t.json: stdio.volume: unknown key"));
	CHECK(d.n >= 14);
	diag_free(&d);

	c = parse("{\"state_dir\":\"/x\",\"moderators\":{\"users\":"
	    "[\"alice\"]},\"admin\":{\"listen\":\"127.0.0.1\"}}", &d);
	CHECK(c == NULL);
	CHECK(has(&d, "t.json: moderators.users[0]: expected "
	    "\"platform:user-id\""));
	CHECK(has(&d, "t.json: admin.listen: expected \"host:port\" (port "
	    "0-65535)"));
	diag_free(&d);

	c = parse("[1,2]", &d);
	CHECK(c == NULL);
	CHECK(has(&d, "t.json: the configuration must be a JSON object"));
	diag_free(&d);
	c = parse("{\"a\":", &d);
	CHECK(c == NULL);
	CHECK(has(&d, "t.json: invalid JSON"));
	diag_free(&d);
}

static void
test_file(void)
{
	char dir[] = "/tmp/test_config.XXXXXX", path[256];
	struct diag d;
	struct config *c;
	FILE *fp;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/c.json", dir);
	fp = fopen(path, "w");
	fputs("{\n  \"state_dir\": \"/x\",\n  \"region\": 1\n}\n", fp);
	fclose(fp);
	diag_init(&d);
	c = config_load(path, &d);
	CHECK(c == NULL);
	{
		char want[512];

		snprintf(want, sizeof(want), "%s: region: expected a string",
		    path);
		CHECK(has(&d, want));
	}
	diag_free(&d);
	fp = fopen(path, "w");
	fputs("{\n  \"state_dir\": \"/x\",\n  \"region\" 1\n}\n", fp);
	fclose(fp);
	diag_init(&d);
	CHECK(config_load(path, &d) == NULL);
	CHECK_INT(d.n, 1);
	CHECK(d.n == 1 && strstr(d.msgs[0], ":3:") != NULL);	/* line */
	diag_free(&d);
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	CHECK(config_load(path, &d) == NULL);
	CHECK_INT(d.n, 1);
	diag_free(&d);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

static void
test_url(void)
{
	struct diag d;
	struct cfg_ctx c = { "f", "matrix", &d };
	cJSON *o = cJSON_Parse("{\"a\":\"https://matrix.org\","
	    "\"b\":\"http://127.0.0.1:8008\",\"c\":\"http://example.org\","
	    "\"d\":\"ftp://x\",\"e\":\"https://\",\"f\":\"https://u:p@h/\","
	    "\"g\":\"https://h:99999/\",\"h\":\"https://h/a b\","
	    "\"i\":\"http://[::1]:80/x\"}");
	char *s = NULL;

	diag_init(&d);
	CHECK_INT(cfg_url(&c, o, "a", 1, 1, &s), 0);
	CHECK_STR(s, "https://matrix.org");
	CHECK_INT(cfg_url(&c, o, "b", 1, 1, &s), 0);
	CHECK_INT(cfg_url(&c, o, "i", 1, 1, &s), 0);
	CHECK_INT(cfg_url(&c, o, "b", 1, 0, &s), -1);
	CHECK_INT(cfg_url(&c, o, "c", 1, 1, &s), -1);
	CHECK_INT(cfg_url(&c, o, "d", 1, 1, &s), -1);
	CHECK_INT(cfg_url(&c, o, "e", 1, 1, &s), -1);
	CHECK_INT(cfg_url(&c, o, "f", 1, 1, &s), -1);
	CHECK_INT(cfg_url(&c, o, "g", 1, 1, &s), -1);
	CHECK_INT(cfg_url(&c, o, "h", 1, 1, &s), -1);
	CHECK_INT(cfg_url(&c, o, "zz", 1, 1, &s), -1);
	CHECK(has(&d, "f: matrix.c: bad URL: plain http:// is only allowed "
	    "for loopback hosts"));
	CHECK(has(&d, "f: matrix.d: bad URL: must start with https://"));
	CHECK(has(&d, "f: matrix.zz: missing required key"));
	CHECK_STR(s, "http://[::1]:80/x");
	free(s);
	cJSON_Delete(o);
	diag_free(&d);
}

static void
test_secret(void)
{
	char dir[] = "/tmp/test_secret.XXXXXX", path[256], json[512];
	char err[256], *sec = NULL;
	size_t len = 0;
	struct diag d;
	struct cfg_ctx c = { "f", "matrix", &d };
	struct secret_ref r;
	cJSON *o;
	FILE *fp;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/token", dir);
	fp = fopen(path, "w");
	fputs("s3cr3t-value\n", fp);
	fclose(fp);
	chmod(path, 0644);
	snprintf(json, sizeof(json), "{\"token_file\":\"%s\"}", path);
	o = cJSON_Parse(json);
	diag_init(&d);
	CHECK_INT(secret_ref_parse(&c, o, "token", 1, &r), -1);
	CHECK_INT(d.n, 1);
	CHECK(d.n == 1 && strstr(d.msgs[0], "f: matrix.token_file: "
	    "unreadable token file:") == d.msgs[0]);
	CHECK(d.n == 1 && strstr(d.msgs[0], "group or others") != NULL);
	CHECK(d.n == 1 && strstr(d.msgs[0], "s3cr3t") == NULL);
	diag_free(&d);
	chmod(path, 0600);
	diag_init(&d);
	CHECK_INT(secret_ref_parse(&c, o, "token", 1, &r), 0);
	CHECK_INT(secret_load(&r, &sec, &len, err, sizeof(err)), 0);
	CHECK_STR(sec, "s3cr3t-value");
	CHECK_INT(len, 12);
	secret_free(sec, len);
	secret_ref_free(&r);
	cJSON_Delete(o);

	/* missing file, two sources, none at all */
	o = cJSON_Parse("{\"token_file\":\"/nonexistent/t\","
	    "\"token_env\":\"X\"}");
	CHECK_INT(secret_ref_parse(&c, o, "token", 1, &r), -1);
	CHECK(has(&d, "f: matrix.token_file: unreadable token file: cannot "
	    "read /nonexistent/t: No such file or directory"));
	CHECK(has(&d, "f: matrix.token_env: give only one of token_file, "
	    "token_credential, token_env"));
	cJSON_Delete(o);
	o = cJSON_Parse("{}");
	CHECK_INT(secret_ref_parse(&c, o, "token", 1, &r), -1);
	CHECK(has(&d, "f: matrix: missing required key: one of token_file, "
	    "token_credential or token_env"));
	CHECK_INT(secret_ref_parse(&c, o, "token", 0, &r), 0);
	CHECK_INT(r.src, SECRET_NONE);
	cJSON_Delete(o);
	diag_free(&d);

	/* env and systemd credential */
	setenv("FAQBOT_TEST_TOKEN", "envtok", 1);
	r.src = SECRET_ENV;
	r.where = "FAQBOT_TEST_TOKEN";
	CHECK_INT(secret_load(&r, &sec, &len, err, sizeof(err)), 0);
	CHECK_STR(sec, "envtok");
	secret_free(sec, len);
	r.where = "FAQBOT_TEST_UNSET";
	CHECK_INT(secret_load(&r, &sec, &len, err, sizeof(err)), -1);
	setenv("CREDENTIALS_DIRECTORY", dir, 1);
	r.src = SECRET_CREDENTIAL;
	r.where = "token";
	CHECK_INT(secret_load(&r, &sec, &len, err, sizeof(err)), 0);
	CHECK_STR(sec, "s3cr3t-value");
	secret_free(sec, len);
	unsetenv("CREDENTIALS_DIRECTORY");
	CHECK_INT(secret_load(&r, &sec, &len, err, sizeof(err)), -1);
	CHECK(strstr(err, "CREDENTIALS_DIRECTORY") != NULL);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	test_ok();
	test_every_error();
	test_file();
	test_url();
	test_secret();
	return CHECK_DONE();
}
