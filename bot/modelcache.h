/*
 * modelcache.h -- trained models kept in the state directory between
 * starts and reloads, so that an unchanged knowledge base is not trained
 * again.  One file per model (model-matcher.cache, model-crisis.cache),
 * keyed by a digest of what the model learns from plus the program's
 * build id; the bytes are intents/model_io.c's container, checked
 * (magic, version, key, checksum) before the library reads the model.
 */
#ifndef MODELCACHE_H
#define MODELCACHE_H

#include <stddef.h>
#include <stdint.h>

#define MODELCACHE_MAX_FILE	(256u * 1024 * 1024)

/* What happened to one cached model, for the daemon's log. */
struct modelcache_note {
	char	text[320];	/* "matcher: loaded from ..." */
	int	warn;		/* a cache file was refused or not written */
};

/* modelcache.c */
/*
 * modelcache_key() is the key for a model named what ("matcher") whose
 * training inputs hash to digest: it names the format, the program's
 * build id, a digest of the build ids of every loaded object (shared
 * libraries included) and the digest.  NULL when the program has no build id (the
 * cache is then off: a rebuilt program could not be told apart).
 * Caller frees.
 */
char	*modelcache_key(const char *what, uint64_t digest);
/*
 * modelcache_get() reads dir/name and checks it against key.  Returns 1
 * with the model's bytes in (*data, *len), which point into *file (the
 * caller frees *file); 0 when there is no such file; 2 when it is intact
 * but for another key (stale: the KB or the program changed); -1 when it
 * cannot be read or is corrupt; the reason in why.
 */
int	modelcache_get(const char *dir, const char *name, const char *key,
	    unsigned char **file, const unsigned char **data, size_t *len,
	    char *why, size_t whylen);
/*
 * modelcache_put() writes the model's bytes under key to dir/name
 * atomically (temporary file, fsync, rename, fsync of the directory).
 * 0, or -1 with the reason in why.
 */
int	modelcache_put(const char *dir, const char *name, const char *key,
	    const unsigned char *data, size_t len, char *why, size_t whylen);
/*
 * One model as modelcache_obtain() sees it: how to read it from bytes,
 * train it and write it to bytes, with ctx passed back to each.
 */
struct modelcache_model {
	const char	*what;		/* "matcher", for the note */
	const char	*file;		/* "model-matcher.cache" */
	uint64_t	 digest;	/* of the training inputs */
	void		*(*load)(void *ctx, const unsigned char *b, size_t n,
			    char *err, size_t errlen);
	void		*(*train)(void *ctx, char *err, size_t errlen);
	int		 (*save)(const void *model, unsigned char **out,
			    size_t *len);
	void		*ctx;
};

/*
 * modelcache_obtain() returns the model from dir's cache file when it is
 * valid for mm->digest, else trains it (and writes the cache file).  dir
 * NULL: always trains, no file.  The note says which and why (refused
 * cache files, write failures).  NULL with train's message in err when
 * training fails.
 */
void	*modelcache_obtain(const char *dir, const struct modelcache_model *mm,
	    struct modelcache_note *note, char *err, size_t errlen);
/* Appends printf-style text to note (cut when full). */
void	modelcache_notef(struct modelcache_note *note, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* MODELCACHE_H */
