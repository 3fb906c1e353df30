/*
 * internal.h -- private interfaces between the files of libintents (the
 * matcher's pipeline: tokens, lexicon, fuzzy lookup, features, model).
 * Not installed, not used outside intents/ and its unit tests.
 */
#ifndef INTENTS_INTERNAL_H
#define INTENTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* ---- strmap.c: string -> int open-addressing hash map ---- */

struct smap;

struct smap	*smap_new(void);
void		 smap_free(struct smap *m);
/* Value of key, or -1 when absent. */
int		 smap_get(const struct smap *m, const char *key, size_t len);
/* Inserts key -> val unless present; returns the stored value, or -2 on
 * out-of-memory. */
int		 smap_put(struct smap *m, const char *key, size_t len, int val);
size_t		 smap_count(const struct smap *m);
uint32_t	 smap_hash(const char *key, size_t len, uint32_t seed);

/* ---- tokenize.c: words of folded text ---- */

#define TOK_MAX		64	/* tokens kept per text */
#define TOK_WORD_MAX	40	/* bytes per token; longer ones are cut */

struct tok_list {
	size_t	n;
	struct tok {
		char	text[TOK_WORD_MAX + 1];
		uint8_t	len;
		uint8_t	stop;		/* a stop word */
		uint8_t	squeezed;	/* a run of 3+ letters was cut to 2 */
	} t[TOK_MAX];
};

/*
 * tok_split() splits folded text (norm_fold output) into tokens: runs of
 * letters and digits (bytes >= 0x80 count as letters), contractions
 * expanded ("don't" -> "do not", "im" -> "i am"), runs of three or more
 * identical letters cut to two ("sooo" -> "soo"; the matcher then tries
 * "so"), stop words flagged.  Never fails; extra tokens are dropped.
 */
void	tok_split(const char *text, size_t len, struct tok_list *tl);
/* 1 if the (folded) word is a stop word. */
int	tok_is_stop(const char *w, size_t len);
/* Squeezes every doubled letter of w to one, in place; returns new len. */
size_t	tok_squeeze_all(char *w, size_t len);

/* ---- fuzzy.c: bounded Damerau-Levenshtein ---- */

/*
 * fuzzy_dist() is the optimal-string-alignment distance between a and b,
 * or max + 1 as soon as it is known to exceed max (max <= 3).
 */
int	fuzzy_dist(const char *a, size_t alen, const char *b, size_t blen,
	    int max);
/* Edit distance allowed for a word of len bytes: 0, 1 or 2. */
int	fuzzy_budget(size_t len);
/* Bit set of the letters a-z (and one bit for everything else) of w. */
uint32_t fuzzy_mask(const char *w, size_t len);
/* Number of bits set in x. */
int	fuzzy_popcount(uint32_t x);

/* ---- analyze.c: text -> terms (vocabulary, fuzzy, lexicon, stems) ---- */

struct sb_stemmer;
struct matcher_ws;
struct kb_concept;

/* One known surface word. */
struct vword {
	uint32_t	off;		/* text in vocab pool */
	uint32_t	stem;		/* stem text in vocab pool */
	uint16_t	len;
	uint16_t	stemlen;
	uint32_t	mask;		/* fuzzy_mask() */
	int32_t		phrase;		/* first lexicon phrase starting here */
	uint32_t	freq;		/* occurrences in the training text */
	uint8_t		stop;		/* tok_is_stop(), computed once */
};

#define PHRASE_MAX_WORDS 6

struct phrase {
	int32_t		word[PHRASE_MAX_WORDS];
	int		nwords;
	int32_t		concept;	/* index into kb->concepts */
	int32_t		next;		/* next phrase with the same first word */
};

struct analyzer {
	struct smap	*map;		/* surface word -> index in words */
	struct vword	*words;
	size_t		 nwords, capwords;
	int32_t		*bylen;		/* word ids by length (ana_finish) */
	size_t		 lenstart[TOK_WORD_MAX + 2];
	char		*pool;
	size_t		 poollen, poolcap;
	struct phrase	*phrases;
	size_t		 nphrases;
	char		**canon;	/* folded canonical of each concept */
	size_t		 ncanon;
	int		 fuzzy;		/* spelling correction on */
	/* spelling index (ana_finish): each vocabulary word of 4 to
	 * DEL_MAXLEN + 2 letters under every string made by deleting up to
	 * its edit budget of letters from it, itself included; keyed by the
	 * string's hash, collisions only add candidates.  Derived from words
	 * and pool only: whatever restores an analyser (a model cache) calls
	 * ana_finish() again rather than storing it */
	uint32_t	*delkey;	/* hash per slot */
	int32_t		*delhead;	/* first posting per slot, -1: empty */
	size_t		 delcap;	/* slots, a power of two; 0: no index */
	int32_t		*postword;	/* word id per posting */
	int32_t		*postnext;	/* next posting of the slot, or -1 */
	size_t		 npost;
	int		 delscan;	/* 1: never use the index (tests) */
};

/* Unknown words of up to this many letters are corrected through the
 * spelling index; longer ones by scanning the few words of similar
 * length. */
#define DEL_MAXLEN	12

#define TERM_MAX	TOK_MAX

/* The analysed text: terms after correction, lexicon and stemming. */
struct terms {
	size_t	n;
	struct term {
		char	surf[TOK_WORD_MAX + 1];	/* corrected word/concept */
		char	stem[TOK_WORD_MAX + 1];	/* stem, or the concept */
		uint8_t	surflen, stemlen;
		uint8_t	stop;
		uint8_t	known;		/* word in the vocabulary */
		uint8_t	concept;	/* from the lexicon */
	} t[TERM_MAX];
};

int	ana_init(struct analyzer *a, const struct kb_concept *c, size_t nc,
	    struct sb_stemmer *st, char *err, size_t errlen);
/* Adds every word of text to the vocabulary (training).  0 or -1 (OOM).
 * ana_finish() then builds the spelling index; 0 or -1 (OOM). */
int	ana_learn(struct analyzer *a, const char *text, size_t len,
	    struct sb_stemmer *st);
int	ana_finish(struct analyzer *a);
/* Frees the spelling index: corrections then scan the vocabulary (same
 * answers, slower).  For analysers that never correct. */
void	ana_drop_index(struct analyzer *a);
/*
 * ana_terms() analyses text.  *stp is a stemmer for unknown words: if NULL
 * one is created on demand and left in *stp for the caller to delete.
 */
void	ana_terms(const struct analyzer *a, const char *text, size_t len,
	    struct sb_stemmer **stp, struct terms *out);
/* ana_terms() with a caller's workspace (NULL: a stemmer per call). */
void	ana_terms_ws(const struct analyzer *a, const char *text, size_t len,
	    struct matcher_ws *ws, struct terms *out);
void	ana_free(struct analyzer *a);

/*
 * What matcher_ws_new() returns (intents.h): one caller's stemmer, the
 * stems of the last unknown words it saw (direct-mapped by hash: the same
 * words, e.g. drug names outside a small model's vocabulary, come back
 * in message after message, and stemming costs more than a lookup), and
 * the tokens of the last text it analysed: the pipeline hands the same
 * message to the crisis backstop and then to the matcher, whose
 * analysers differ only after tokenisation, so the second one reuses
 * them.  Texts over WS_TEXT_MAX bytes are not kept.
 */
#define WS_STEMS	256	/* power of two */
#define WS_TEXT_MAX	2048

struct ws_stem {
	uint8_t	len, stemlen;	/* len 0: empty slot */
	char	w[TOK_WORD_MAX + 1];
	char	stem[TOK_WORD_MAX + 1];
};

struct matcher_ws {
	struct sb_stemmer	*st;
	struct ws_stem		 stems[WS_STEMS];
	int			 have_toks;	/* toks are those of text */
	size_t			 textlen;
	char			 text[WS_TEXT_MAX];
	struct tok_list		 toks;
};

/* ---- features.c: terms -> sparse hashed TF-IDF vector ---- */

#define FEAT_BITS	20
#define FEAT_DIM	(1u << FEAT_BITS)
#define FVEC_MAX	2048

struct fvec {
	size_t		n;
	uint32_t	idx[FVEC_MAX];
	float		val[FVEC_MAX];
	int32_t		row[FVEC_MAX];	/* model row of idx[i], -1: none
					   (set by feat_weight()) */
};

struct feat_params {
	float	word_weight;	/* weight of the word block */
	float	char_weight;	/* weight of the char n-gram block */
	int	bigrams;	/* word bigrams: 0 off, 1 without stop words,
				   2 all words */
	int	char_min, char_max;	/* n-gram sizes (0: none) */
	int	stop_unigrams;	/* keep stop words as unigrams */
	int	char_span;	/* 0: n-grams per word; 1: across words */
};

/* Raw term counts of terms (duplicates merged, first-seen order). */
void	feat_extract(const struct feat_params *p, const struct terms *t,
	    struct fvec *out);
/*
 * feat_weight() turns counts into sublinear tf * idf, each block L2
 * normalised then scaled by its weight.  The idf is that of the feature's
 * model row (model_row(); a feature without one gets m->unseen_idf);
 * v->row records each feature's row for model_scores().
 * feat_weight_raw() does it on plain arrays, storing the rows in rows
 * unless it is NULL.
 */
struct model;
void	feat_weight(const struct feat_params *p, const struct model *m,
	    struct fvec *v);
void	feat_weight_raw(const struct feat_params *p, const struct model *m,
	    const uint32_t *idx, float *val, int32_t *rows, size_t n);

/* ---- model.c: the linear model over features ---- */

/* One slot of the row table: a hashed feature index and its row. */
struct row_slot {
	uint32_t	idx;
	int32_t		row;	/* -1: empty slot */
};

struct model {
	struct row_slot	*rowtab;	/* open addressing, rowcap slots (a
					   power of two, at least 2 * nrows) */
	size_t	 rowcap;
	float	*rowidf;	/* nrows */
	float	 unseen_idf;
	float	*w;		/* nrows * nclass, row-major */
	float	*bias;		/* nclass */
	size_t	 nrows;
	int	 nclass;
	int	 stride;	/* nclass rounded up to a multiple of 8 */
	float	 temp;		/* softmax temperature */
	size_t	 nfold_preds;	/* held-out predictions made for the
				   temperature (diagnostics) */
};

struct model_params {
	int	 epochs;	/* SGD passes over the data */
	float	 eta;		/* initial learning rate */
	float	 lambda;	/* L2 regularisation */
	int	 min_df;	/* features in fewer examples are dropped */
	int	 folds;		/* cross-validation folds for the temperature
				   (0: temperature 1) */
	uint32_t seed;		/* shuffling */
	float	 dropout;	/* share of features dropped per SGD step */
};

/* Training vectors, flattened: example i is [off[i], off[i + 1]). */
struct train_set {
	uint32_t	*idx;	/* hashed index; model_train maps to rows */
	float		*val;	/* raw counts; model_train weights them */
	size_t		*off;
	int		*y;
	size_t		 n;
};

/* Trains m from ts (whose vectors it weights in place); 0 or -1 (OOM). */
int	model_train(struct model *m, const struct feat_params *fp,
	    const struct model_params *mp, struct train_set *ts, int nclass,
	    char *err, size_t errlen);
/* Row of hashed feature index idx, or -1 when it has none. */
int32_t	model_row(const struct model *m, uint32_t idx);
/* An empty row table for nrows rows; 0 or -1 (OOM).  model_row_add()
 * adds idx -> row: -1 when idx or row is out of range or idx is there. */
int	model_rows_alloc(struct model *m, size_t nrows);
int	model_row_add(struct model *m, uint32_t idx, int32_t row);
/* Class scores of a vector weighted by feat_weight() (which set its
 * rows) into s (stride floats; the first nclass are meaningful). */
void	model_scores(const struct model *m, const struct fvec *v, float *s);
void	model_free(struct model *m);

/* ---- model_io.c: the model to and from bytes ---- */

/* What a stored model must have been trained on, checked on reading. */
struct model_io_check {
	uint32_t	ntexts;		/* training texts */
	uint32_t	nwords;		/* analyser vocabulary */
};

/*
 * model_io_write() serialises m with the parameters it was trained with
 * into *out (malloc'd, *outlen bytes; caller frees).  0 or -1 (OOM).
 * model_io_read() is its inverse into m (freed with model_free()): -1
 * with a message in err unless buf is exactly such a model for nclass
 * classes, trained with fp, mp and on chk, every float finite.
 */
int	model_io_write(const struct model *m, const struct feat_params *fp,
	    const struct model_params *mp, const struct model_io_check *chk,
	    unsigned char **out, size_t *outlen);
int	model_io_read(struct model *m, const struct feat_params *fp,
	    const struct model_params *mp, const struct model_io_check *chk,
	    int nclass, const unsigned char *buf, size_t len, char *err,
	    size_t errlen);

/* ---- matcher.c: tuning hooks (defaults: NULL) ---- */

struct matcher;
struct matcher_opts;
struct kb;
struct matcher	*matcher_new_tuned(const struct kb *kb,
		    const struct matcher_opts *opts,
		    const struct feat_params *fp, const struct model_params *mp,
		    char *err, size_t errlen);
/* matcher_load() with given parameters (see matcher_new_tuned()). */
struct matcher	*matcher_load_tuned(const struct kb *kb,
		    const struct matcher_opts *opts,
		    const struct feat_params *fp, const struct model_params *mp,
		    const unsigned char *buf, size_t len, char *err,
		    size_t errlen);
/* What the confidence is made of, for tuning and tests. */
struct match_detail {
	int	top;		/* best intent */
	double	pmax;		/* its softmax probability */
	double	term_cov;	/* share of content words in the vocabulary */
	size_t	nterms;
};
void		 matcher_detail(const struct matcher *m, const char *text,
		    size_t len, struct match_detail *d);
/* Spelling correction of unknown words on (default) or off (which frees
 * the spelling index: turned on again, corrections scan the vocabulary).
 * Not while matcher_match() may run. */
void		 matcher_set_fuzzy(struct matcher *m, int on);
/*
 * matcher_probs() writes the softmax probability of every intent (np >=
 * the number of intents) to p and the share of known content words to
 * cov (may be NULL), stemming with ws (NULL: a stemmer per call).
 * Returns 0, or -1 when the text has no words (p all 0) or np is too
 * small.
 */
int		 matcher_probs(const struct matcher *m, struct matcher_ws *ws,
		    const char *text, size_t len, double *p, size_t np,
		    double *cov);
void		 matcher_stats(const struct matcher *m, size_t *nrows,
		    double *temp);

#endif /* INTENTS_INTERNAL_H */
