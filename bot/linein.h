/*
 * linein.h -- lines from a file descriptor (stdin) on the bot's libuv
 * loop, never blocking it: a uv_tty for terminals, a uv_pipe for pipes
 * and sockets, chained uv_fs_read calls for regular files.  Lines are
 * split on '\n' and capped; nothing here knows what a line means.
 * Shared by the stdio platform (one JSON reply per line) and the
 * console platform (a human at a terminal).
 */
#ifndef LINEIN_H
#define LINEIN_H

#include <stddef.h>

#include <uv.h>

struct linein;

/* What the reader reports; arg is the one given to linein_new(). */
struct linein_cb {
	/* A complete line without its '\n' (NUL-terminated, len bytes,
	 * may hold NUL bytes); borrowed until the callback returns. */
	void	(*line)(void *arg, char *line, size_t len);
	/* A line longer than the cap was read and dropped. */
	void	(*toolong)(void *arg);
	/* End of input (or a read error, already logged); a last line
	 * without '\n' was delivered first.  Not called after stop. */
	void	(*eof)(void *arg);
};

/* linein.c */
/*
 * linein_new() prepares to read fd on loop, lines of at most max bytes.
 * cb and arg are borrowed for the reader's life.  Never NULL.
 */
struct linein	*linein_new(uv_loop_t *loop, int fd, size_t max,
		    const struct linein_cb *cb, void *arg);
/* Start reading; 0, or -1 after logging why (what names the user). */
int		 linein_start(struct linein *li, const char *what);
/* 1 when fd is a terminal (decided at start). */
int		 linein_is_tty(const struct linein *li);
/*
 * Stop reading: no callback is made any more; done(arg) is called once
 * the loop no longer refers to the reader (maybe before this returns).
 */
void		 linein_stop(struct linein *li, void (*done)(void *arg));
/* Release; only after stop completed or the loop ended.  NULL ok. */
void		 linein_free(struct linein *li);

#endif /* LINEIN_H */
