/*
 * diag.h -- collect every problem found while validating a file, so that
 * checks report all errors, not just the first ("file:line:col: message"
 * or "file: key: message").  Also the JSON file loader that turns a cJSON
 * parse error into a line and column.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

struct cJSON;

struct diag {
	char	**msgs;
	size_t	  n;
	size_t	  cap;
};

/* diag.c */
void	diag_init(struct diag *d);
void	diag_addf(struct diag *d, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	diag_print(const struct diag *d, void *stream);	/* FILE * */
void	diag_free(struct diag *d);

/*
 * diag_json_file() reads path (at most maxbytes) and parses it as JSON.
 * Returns the document (caller frees with cJSON_Delete) or NULL after
 * adding "path: message" or "path:line:col: invalid JSON" to d.
 */
struct cJSON	*diag_json_file(const char *path, size_t maxbytes,
		    struct diag *d);

/*
 * diag_json_pos() finds the line and column (1-based) of the first
 * occurrence in text of the JSON string "needle" (with quotes) after
 * position from; for pointing at an intent id.  Sets line 0 when absent.
 */
void	diag_json_pos(const char *text, const char *needle, int *line,
	    int *col);

#endif /* DIAG_H */
