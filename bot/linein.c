/*
 * linein.c -- lines from stdin on the loop (see linein.h).  Reads into a
 * fixed buffer, splits on '\n', drops lines over the cap (reporting
 * them), and reports the end of input once.  It never logs what was
 * read, only read errors.
 */
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "linein.h"
#include "log.h"
#include "xmalloc.h"

enum src { SRC_NONE, SRC_STREAM, SRC_FILE };

struct linein {
	uv_loop_t		*loop;
	int			 fd;
	size_t			 max;
	const struct linein_cb	*cb;
	void			*arg;
	const char		*what;		/* for logs: "stdio", ... */
	enum src		 src;
	int			 tty;
	union {
		uv_pipe_t	 pipe;
		uv_tty_t	 tty;
	} h;
	uv_fs_t			 fsreq;
	int			 handle_open;
	int			 reading;	/* read started / fs read queued */
	int			 stopping;
	int			 discarding;	/* inside an overlong line */
	size_t			 len;
	void			(*done)(void *arg);
	char			*line;		/* max + 1 bytes */
	char			 rbuf[65536];
};

struct linein *
linein_new(uv_loop_t *loop, int fd, size_t max, const struct linein_cb *cb,
    void *arg)
{
	struct linein *li = xcalloc(1, sizeof(*li));

	li->loop = loop;
	li->fd = fd;
	li->max = max;
	li->cb = cb;
	li->arg = arg;
	li->what = "input";
	li->line = xmalloc(max + 1);
	return li;
}

void
linein_free(struct linein *li)
{
	if (li == NULL)
		return;
	free(li->line);
	free(li);
}

int
linein_is_tty(const struct linein *li)
{
	return li->tty;
}

/* Call done once (it may be set while a file read is in flight). */
static void
call_done(struct linein *li)
{
	void (*done)(void *) = li->done;

	li->done = NULL;
	if (done != NULL)
		done(li->arg);
}

/* Split a chunk of input into lines; stops early once stopping. */
static void
feed(struct linein *li, const char *buf, size_t n)
{
	const char *nl;
	size_t take;

	while (n > 0 && !li->stopping) {
		nl = memchr(buf, '\n', n);
		take = nl != NULL ? (size_t)(nl - buf) : n;
		if (!li->discarding) {
			if (li->len + take > li->max) {
				li->discarding = 1;
				li->len = 0;
			} else {
				memcpy(li->line + li->len, buf, take);
				li->len += take;
			}
		}
		if (nl == NULL)
			return;
		if (li->discarding) {
			li->discarding = 0;
			li->cb->toolong(li->arg);
		} else {
			size_t len = li->len;

			li->line[len] = '\0';
			li->len = 0;
			li->cb->line(li->arg, li->line, len);
		}
		li->len = 0;
		buf = nl + 1;
		n -= take + 1;
	}
}

static void
at_eof(struct linein *li)
{
	size_t n = li->len;

	li->len = 0;
	if (n > 0 && !li->discarding && !li->stopping) {
		li->line[n] = '\0';		/* last line without '\n' */
		li->cb->line(li->arg, li->line, n);
	}
	if (!li->stopping)
		li->cb->eof(li->arg);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct linein *li = h->data;

	(void)suggested;
	buf->base = li->rbuf;
	buf->len = sizeof(li->rbuf);
}

static void
on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	struct linein *li = st->data;

	if (n > 0) {
		feed(li, buf->base, (size_t)n);
		return;
	}
	if (n == 0)
		return;
	if (n != UV_EOF)
		log_warnx("%s: read: %s", li->what, uv_strerror((int)n));
	uv_read_stop(st);
	li->reading = 0;
	at_eof(li);
}

static void file_read(struct linein *li);

static void
on_file_read(uv_fs_t *req)
{
	struct linein *li = req->data;
	ssize_t n = req->result;

	uv_fs_req_cleanup(req);
	/* still "reading" while lines are handed out: a stop from a line
	 * callback then leaves done to us */
	if (n > 0 && !li->stopping)
		feed(li, li->rbuf, (size_t)n);
	li->reading = 0;
	if (li->stopping) {
		call_done(li);
		return;
	}
	if (n > 0) {
		file_read(li);
		return;
	}
	if (n < 0)
		log_warnx("%s: read: %s", li->what, uv_strerror((int)n));
	at_eof(li);
}

static void
file_read(struct linein *li)
{
	uv_buf_t b = uv_buf_init(li->rbuf, sizeof(li->rbuf));
	int r;

	li->fsreq.data = li;
	if ((r = uv_fs_read(li->loop, &li->fsreq, li->fd, &b, 1, -1,
	    on_file_read)) == 0) {
		li->reading = 1;
		return;
	}
	log_warnx("%s: read: %s", li->what, uv_strerror(r));
	at_eof(li);
}

int
linein_start(struct linein *li, const char *what)
{
	uv_handle_type t = uv_guess_handle(li->fd);
	int r;

	li->what = what;
	if (t == UV_FILE || t == UV_UNKNOWN_HANDLE) {
		li->src = SRC_FILE;
		file_read(li);
		return 0;
	}
	li->src = SRC_STREAM;
	if (t == UV_TTY) {
		li->tty = 1;
		r = uv_tty_init(li->loop, &li->h.tty, li->fd, 1);
	} else {
		r = uv_pipe_init(li->loop, &li->h.pipe, 0);
		if (r == 0 && (r = uv_pipe_open(&li->h.pipe, li->fd)) != 0) {
			li->h.pipe.data = li;
			uv_close((uv_handle_t *)&li->h.pipe, NULL);
		}
	}
	if (r != 0) {
		log_warnx("%s: cannot use stdin: %s", what, uv_strerror(r));
		li->src = SRC_NONE;
		return -1;
	}
	li->h.pipe.data = li;
	li->handle_open = 1;
	if ((r = uv_read_start((uv_stream_t *)&li->h.pipe, on_alloc,
	    on_read)) != 0) {
		log_warnx("%s: read stdin: %s", what, uv_strerror(r));
		return -1;
	}
	li->reading = 1;
	return 0;
}

static void
on_closed(uv_handle_t *h)
{
	struct linein *li = h->data;

	li->handle_open = 0;
	call_done(li);
}

void
linein_stop(struct linein *li, void (*done)(void *arg))
{
	li->stopping = 1;
	li->done = done;
	if (li->src == SRC_STREAM && li->handle_open) {
		if (li->reading)
			uv_read_stop((uv_stream_t *)&li->h.pipe);
		li->reading = 0;
		if (!uv_is_closing((uv_handle_t *)&li->h.pipe))
			uv_close((uv_handle_t *)&li->h.pipe, on_closed);
		return;
	}
	if (li->src == SRC_FILE && li->reading)
		return;			/* done when the read completes */
	call_done(li);
}
