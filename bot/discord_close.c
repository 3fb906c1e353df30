/*
 * discord_close.c -- names of gateway opcodes and close codes, what a
 * close code means for the next connection (resume, new session, stop)
 * and how long to wait before it.  Tables and arithmetic only; the state
 * machine lives in discord_gateway.c.
 */
#include "discord.h"

/*
 * discord_backoff_ms() is the wait before reconnect attempt `attempt`
 * (0 first): min_ms doubled per attempt up to max_ms, times a jitter
 * factor 0.5 + r / 2 (r in [0, 1)), so that many clients dropped at
 * once do not come back in step.
 */
uint64_t
discord_backoff_ms(int attempt, long min_ms, long max_ms, double r)
{
	double base = (double)min_ms;
	int i;

	for (i = 0; i < attempt && base < (double)max_ms; i++)
		base *= 2;
	if (base > (double)max_ms)
		base = (double)max_ms;
	if (r < 0 || r >= 1)
		r = 0;
	return (uint64_t)(base * (0.5 + r / 2));
}

/*
 * discord_close_classify() sorts a close code: 4004 and 4010-4014 are
 * configuration problems (no reconnect loop), 4007 and 4009 end the
 * session, everything else (4000-4003, 4005, 4008, 1000/1001 from the
 * server, 1006 for a dead link) is worth a RESUME.
 */
enum discord_close_action
discord_close_classify(int code)
{
	switch (code) {
	case 4004:
	case 4010:
	case 4011:
	case 4012:
	case 4013:
	case 4014:
		return DISCORD_CLOSE_FATAL;
	case 4007:
	case 4009:
		return DISCORD_CLOSE_NEW_SESSION;
	default:
		return DISCORD_CLOSE_RESUME;
	}
}

const char *
discord_close_str(int code)
{
	switch (code) {
	case 1000: return "normal closure";
	case 1001: return "going away";
	case 1006: return "connection lost";
	case 4000: return "unknown error";
	case 4001: return "unknown opcode";
	case 4002: return "decode error";
	case 4003: return "not authenticated";
	case 4004: return "authentication failed (check the bot token)";
	case 4005: return "already authenticated";
	case 4007: return "invalid sequence number";
	case 4008: return "rate limited";
	case 4009: return "session timed out";
	case 4010: return "invalid shard (check discord.shard)";
	case 4011: return "sharding required (set discord.shard)";
	case 4012: return "invalid API version";
	case 4013: return "invalid intents";
	case 4014: return "disallowed intents (enable the privileged "
	    "MESSAGE_CONTENT intent in the developer portal, or set "
	    "discord.message_content to false)";
	default: return "unexpected close code";
	}
}

const char *
discord_op_str(int op)
{
	switch (op) {
	case 0: return "DISPATCH";
	case 1: return "HEARTBEAT";
	case 2: return "IDENTIFY";
	case 6: return "RESUME";
	case 7: return "RECONNECT";
	case 9: return "INVALID_SESSION";
	case 10: return "HELLO";
	case 11: return "HEARTBEAT_ACK";
	default: return "UNKNOWN";
	}
}
