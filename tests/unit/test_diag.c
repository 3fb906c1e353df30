/*
 * test_diag.c -- diagnostics list and JSON file loading with positions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "diag.h"

static char *
write_tmp(const char *content)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_diag.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, content, strlen(content)) != (ssize_t)strlen(content)) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

int
main(void)
{
	struct diag d;
	cJSON *doc;
	char *path;
	int line, col;

	diag_init(&d);
	path = write_tmp("{\n  \"a\": 1,\n  \"b\": ]\n}\n");
	CHECK(path != NULL);
	doc = diag_json_file(path, 1024, &d);
	CHECK(doc == NULL);
	CHECK_INT(d.n, 1);
	CHECK(d.n == 1 && strstr(d.msgs[0], ":3:8: invalid JSON") != NULL);
	unlink(path);

	path = write_tmp("{\"x\": [1, 2]}");
	doc = diag_json_file(path, 1024, &d);
	CHECK(doc != NULL);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "x")), 2);
	cJSON_Delete(doc);
	CHECK_INT(d.n, 1);
	doc = diag_json_file(path, 4, &d);
	CHECK(doc == NULL);
	CHECK(d.n == 2 && strstr(d.msgs[1], "larger than") != NULL);
	unlink(path);

	doc = diag_json_file("/nonexistent/faqbot.json", 1024, &d);
	CHECK(doc == NULL);
	CHECK(d.n == 3 && strstr(d.msgs[2], "No such file") != NULL);

	diag_json_pos("{\n \"id\": \"x.y\"\n}", "x.y", &line, &col);
	CHECK_INT(line, 2);
	CHECK_INT(col, 8);
	diag_json_pos("{}", "absent", &line, &col);
	CHECK_INT(line, 0);

	diag_free(&d);
	CHECK_INT(d.n, 0);
	diag_free(NULL);
	return CHECK_DONE();
}
