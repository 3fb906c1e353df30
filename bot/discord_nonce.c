/*
 * discord_nonce.c -- the nonce of a message the bot creates, derived from
 * the question it answers, so that the same reply sent again (a question
 * replayed after a crash: the stored sequence number was older) carries
 * the same nonce and Discord, told enforce_nonce, returns the message
 * already created instead of posting a second one.
 *
 * Pure: no I/O, no clock, no randomness; the same inputs give the same
 * nonce in every process.
 */
#include <stdio.h>
#include <string.h>

#include "discord.h"
#include "intents.h"

/*
 * discord_nonce() writes the nonce of reply `kind` (DISCORD_NONCE_REPLY,
 * DISCORD_NONCE_ESCALATION) to message id into buf.  rev is NULL for the
 * message as created; for an edit it names the revision (the event's
 * edited_timestamp), so that a crisis found in an edit is not taken for
 * the reply to the original.  The nonce is the kind letter and the id
 * when that fits Discord's 25 characters and rev is NULL (every real
 * snowflake does), otherwise the letter, 'x' and 16 hex digits of a
 * 64-bit FNV-1a of id and rev.  Ids are digits only, so the two forms
 * never collide.
 */
void
discord_nonce(char buf[DISCORD_NONCE_MAX + 1], char kind, const char *id,
    const char *rev)
{
	uint64_t h;

	if (id == NULL)
		id = "";
	if (rev == NULL && strlen(id) + 1 <= DISCORD_NONCE_MAX) {
		snprintf(buf, DISCORD_NONCE_MAX + 1, "%c%s", kind, id);
		return;
	}
	h = mio_hash_str(MIO_HASH_INIT, id);
	h = mio_hash_str(h, rev);
	snprintf(buf, DISCORD_NONCE_MAX + 1, "%cx%016llx", kind,
	    (unsigned long long)h);
}
