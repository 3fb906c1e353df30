/*
 * platforms.c -- the table of platform adapters the daemon knows.
 * One row per adapter; see platforms.h for the contract.
 */
#include <string.h>

#include "bot.h"
#include "discord.h"
#include "matrix.h"
#include "platforms.h"
#include "platform_console.h"
#include "platform_stdio.h"
#include "webchat.h"

static const struct platform_entry table[] = {
	{ "stdio", stdio_config, stdio_config_free, stdio_create, 0, 1 },
	{ "console", console_config, console_config_free, console_create, 0,
	    1 },
	{ "matrix", matrix_config, matrix_config_free, matrix_bot_create, 1,
	    0 },
	{ "discord", discord_config_parse, discord_config_free,
	    discord_bot_create, 1, 0 },
	{ "webchat", webchat_config, webchat_config_free, webchat_create, 0,
	    0 },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

size_t
platforms_count(void)
{
	return NTABLE;
}

const struct platform_entry *
platforms_get(size_t i)
{
	return i < NTABLE ? &table[i] : NULL;
}

const struct platform_entry *
platforms_find(const char *name)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}
