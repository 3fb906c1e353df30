/*
 * modelcache.c -- the model cache's files: the key (format, build id of
 * this program, a digest of the model libraries' build ids, digest of the
 * training inputs), reading and checking a cache file, writing one
 * atomically, and "load or train" for one model.
 * The bytes are built and checked by intents/model_io.c; nothing here
 * trusts a file that does not pass mio_open() and the library's reader.
 * Called from the reload thread too: no logging here, only notes.
 */
#include <sys/stat.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "intents.h"
#include "modelcache.h"
#include "state.h"
#include "xmalloc.h"

#define BUILD_ID_MAX	64

struct build_id {
	unsigned char	id[BUILD_ID_MAX];
	size_t		len;
	uint64_t	libs;		/* FNV-1a of every object's build id */
	size_t		nobj;		/* objects seen so far */
};

/*
 * The shared libraries whose code decides what the models learn and
 * compute: the stemmer, Unicode folding, and the C and maths libraries.
 * Only these (and the program) go into the key.  Every loaded object did
 * before, but libcurl is loaded with dlopen() when an HTTP platform
 * starts, so a reload after that saw a different key and retrained (and
 * the next start again).
 */
static const char *const model_libs[] = {
	"libstemmer.so", "libutf8proc.so", "libm.so", "libc.so",
};

/* Whether the object at path is the program (first) or a model library. */
static int
counts_for_model(const char *path, size_t nobj)
{
	const char *base;
	size_t i;

	if (nobj == 0)
		return 1;
	if (path == NULL || *path == '\0')
		return 0;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	for (i = 0; i < sizeof(model_libs) / sizeof(model_libs[0]); i++)
		if (strncmp(base, model_libs[i], strlen(model_libs[i])) == 0)
			return 1;
	return 0;
}

/* dl_iterate_phdr() callback: the GNU build id of each object, from its
 * PT_NOTE segments.  The first object's (the program's) is kept whole;
 * the program's and each model library's (model_libs) go into a digest,
 * so that an upgraded libstemmer or libutf8proc makes the cache stale
 * too. */
static int
find_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct build_id *bid = arg;
	size_t i, off, namesz, descsz;

	(void)size;
	if (!counts_for_model(info->dlpi_name, bid->nobj))
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		for (off = 0; off + sizeof(ElfW(Nhdr)) <= ph->p_memsz;) {
			const ElfW(Nhdr) *nh = (const void *)(p + off);

			namesz = (nh->n_namesz + 3) & ~(size_t)3;
			descsz = (nh->n_descsz + 3) & ~(size_t)3;
			off += sizeof(*nh);
			if (off + namesz + descsz > ph->p_memsz)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID &&
			    nh->n_namesz == 4 && memcmp(p + off, "GNU", 4) ==
			    0 && nh->n_descsz > 0 &&
			    nh->n_descsz <= BUILD_ID_MAX) {
				if (bid->nobj++ == 0) {
					memcpy(bid->id, p + off + namesz,
					    nh->n_descsz);
					bid->len = nh->n_descsz;
				}
				bid->libs = mio_hash(bid->libs, p + off + namesz,
				    nh->n_descsz);
				return 0;
			}
			off += namesz + descsz;
		}
	}
	if (bid->nobj++ == 0)
		return 1;	/* the program has no build id: give up */
	return 0;
}

char *
modelcache_key(const char *what, uint64_t digest)
{
	struct build_id bid;
	char hex[2 * BUILD_ID_MAX + 1];
	size_t i;

	memset(&bid, 0, sizeof(bid));
	bid.libs = MIO_HASH_INIT;
	(void)dl_iterate_phdr(find_build_id, &bid);
	if (bid.len == 0)
		return NULL;
	for (i = 0; i < bid.len; i++)
		snprintf(hex + 2 * i, 3, "%02x", bid.id[i]);
	return xasprintf("faqbot model cache %d; build %s; objects %016llx; "
	    "%s %016llx", MIO_VERSION, hex, (unsigned long long)bid.libs,
	    what, (unsigned long long)digest);
}

void
modelcache_notef(struct modelcache_note *note, const char *fmt, ...)
{
	size_t len;
	va_list ap;

	if (note == NULL)
		return;
	len = strlen(note->text);
	if (len + 1 >= sizeof(note->text))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(note->text + len, sizeof(note->text) - len, fmt, ap);
	va_end(ap);
}

/* Reads path whole into *out (*len bytes; caller frees).  0, 1 when it
 * does not exist, -1 with the reason in why. */
static int
read_file(const char *path, unsigned char **out, size_t *len, char *why,
    size_t whylen)
{
	struct stat sb;
	unsigned char *buf;
	size_t done = 0;
	ssize_t n;
	int fd;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 1;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size < 0 ||
	    (uintmax_t)sb.st_size > MODELCACHE_MAX_FILE) {
		snprintf(why, whylen, "%s: not a regular file of at most %u "
		    "bytes", path, MODELCACHE_MAX_FILE);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (done < (size_t)sb.st_size) {
		n = read(fd, buf + done, (size_t)sb.st_size - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, whylen, "%s: %s", path, n == 0 ?
			    "shorter than its size" : strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	close(fd);
	*out = buf;
	*len = done;
	return 0;
}

int
modelcache_get(const char *dir, const char *name, const char *key,
    unsigned char **file, const unsigned char **data, size_t *len,
    char *why, size_t whylen)
{
	struct mio_part part;
	enum mio_status st;
	char *path, err[200];
	size_t flen;
	int rc;

	*data = NULL;
	*len = 0;
	path = xasprintf("%s/%s", dir, name);
	rc = read_file(path, file, &flen, why, whylen);
	if (rc != 0) {
		free(path);
		return rc == 1 ? 0 : -1;
	}
	if ((st = mio_open(*file, flen, key, &part, 1, err, sizeof(err))) !=
	    MIO_OK) {
		snprintf(why, whylen, "%s: %s", path, err);
		free(*file);
		*file = NULL;
		free(path);
		return st == MIO_OTHER_KEY ? 2 : -1;
	}
	free(path);
	*data = part.data;
	*len = part.len;
	return 1;
}

int
modelcache_put(const char *dir, const char *name, const char *key,
    const unsigned char *data, size_t len, char *why, size_t whylen)
{
	struct mio_part part = { data, len };
	unsigned char *buf;
	size_t blen;
	char *path;
	int rc;

	if (mio_seal(key, &part, 1, &buf, &blen) == -1) {
		snprintf(why, whylen, "out of memory sealing the cache");
		return -1;
	}
	if (blen > MODELCACHE_MAX_FILE) {
		snprintf(why, whylen, "cache of %zu bytes is over the limit",
		    blen);
		free(buf);
		return -1;
	}
	path = xasprintf("%s/%s", dir, name);
	rc = state_write_file(path, buf, blen, why, whylen);
	free(path);
	free(buf);
	return rc;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void *
modelcache_obtain(const char *dir, const struct modelcache_model *mm,
    struct modelcache_note *note, char *err, size_t errlen)
{
	unsigned char *file = NULL, *out = NULL;
	const unsigned char *data;
	char why[400], *key = NULL;
	size_t len, outlen;
	void *model = NULL;
	double t0 = now_ms();
	struct modelcache_note scratch;
	int rc;

	if (dir == NULL)
		return mm->train(mm->ctx, err, errlen);
	if (note == NULL) {
		memset(&scratch, 0, sizeof(scratch));
		note = &scratch;
	}
	if ((key = modelcache_key(mm->what, mm->digest)) == NULL)
		modelcache_notef(note, "%s: no cache (the program has no "
		    "build id); ", mm->what);
	if (key != NULL) {
		rc = modelcache_get(dir, mm->file, key, &file, &data, &len,
		    why, sizeof(why));
		if (rc == 1) {
			model = mm->load(mm->ctx, data, len, why,
			    sizeof(why));
			if (model == NULL) {
				modelcache_notef(note, "%s: cache %s/%s "
				    "refused: %s; ", mm->what, dir, mm->file,
				    why);
				note->warn = 1;
			}
		} else if (rc == 2)
			modelcache_notef(note, "%s: cache is for another "
			    "knowledge base or build; ", mm->what);
		else if (rc == -1) {
			modelcache_notef(note, "%s: cache refused: %s; ",
			    mm->what, why);
			note->warn = 1;
		}
		free(file);
		if (model != NULL) {
			modelcache_notef(note, "%s: loaded from the cache in "
			    "%.1f ms; ", mm->what, now_ms() - t0);
			free(key);
			return model;
		}
	}
	t0 = now_ms();
	if ((model = mm->train(mm->ctx, err, errlen)) == NULL) {
		free(key);
		return NULL;
	}
	modelcache_notef(note, "%s: trained in %.1f ms", mm->what,
	    now_ms() - t0);
	if (key != NULL) {
		if (mm->save(model, &out, &outlen) == -1)
			snprintf(why, sizeof(why), "out of memory");
		if (out == NULL || modelcache_put(dir, mm->file, key, out,
		    outlen, why, sizeof(why)) == -1) {
			modelcache_notef(note, ", cache not written: %s",
			    why);
			note->warn = 1;
		} else
			modelcache_notef(note, ", cache written");
		free(out);
	}
	modelcache_notef(note, "; ");
	free(key);
	return model;
}
