/*
 * fuzz_config.c -- libFuzzer target for the daemon's config parser
 * (config_parse: JSON, every typed reader, the stdio section, secret
 * references).  Any input must give either a config or diagnostics,
 * never a crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c;
	struct diag d;

	diag_init(&d);
	c = config_parse((const char *)data, size, "fuzz.json", &d);
	if (c != NULL) {
		(void)config_is_moderator(c, "matrix", "@a:b");
		(void)config_platform(c, "stdio");
		config_free(c);
	}
	diag_free(&d);
	return 0;
}
