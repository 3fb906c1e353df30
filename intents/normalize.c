/*
 * normalize.c -- Unicode folding of user text before tokenisation.
 *
 * norm_fold() lower-cases and strips accents (utf8proc: compatibility
 * decomposition, case folding, marks stripped, default-ignorables dropped),
 * maps Unicode punctuation and spaces to ASCII, Cyrillic and Greek letters
 * that look Latin to Latin, drops zero-width and control characters, turns
 * invalid UTF-8 into spaces and squeezes runs of spaces.  Pure ASCII input
 * takes a fast path.  It never reads past len and never writes past outcap.
 */
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "intents.h"

/* Letters of other scripts that readers (and spammers) take for Latin. */
static const struct {
	int32_t	cp;
	char	ascii;
} lookalikes[] = {
	/* Cyrillic lower case (upper case is case-folded first). */
	{ 0x0430, 'a' }, { 0x0432, 'b' }, { 0x0435, 'e' }, { 0x0451, 'e' },
	{ 0x043a, 'k' }, { 0x043c, 'm' }, { 0x043d, 'h' }, { 0x043e, 'o' },
	{ 0x0440, 'p' }, { 0x0441, 'c' }, { 0x0442, 't' }, { 0x0443, 'y' },
	{ 0x0445, 'x' }, { 0x0455, 's' }, { 0x0456, 'i' }, { 0x0458, 'j' },
	{ 0x04bb, 'h' }, { 0x0501, 'd' }, { 0x051b, 'q' }, { 0x051d, 'w' },
	/* Greek lower case. */
	{ 0x03b1, 'a' }, { 0x03b2, 'b' }, { 0x03b5, 'e' }, { 0x03b9, 'i' },
	{ 0x03ba, 'k' }, { 0x03bd, 'v' }, { 0x03bf, 'o' }, { 0x03c1, 'p' },
	{ 0x03c4, 't' }, { 0x03c5, 'u' }, { 0x03c7, 'x' }, { 0x03b7, 'n' },
	{ 0x03c3, 's' }, { 0x03c2, 's' }, { 0x03b3, 'y' },
};

/*
 * fold_ascii_cp() maps one already-folded code point to an ASCII byte when
 * a mapping exists: look-alike letters and punctuation.  Returns the byte,
 * 0 to drop the code point, or -1 when the code point is kept as is.
 */
static int
fold_ascii_cp(int32_t cp)
{
	size_t i;

	if (cp < 0x80) {
		if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
		    cp == '\v')
			return ' ';
		if (cp < 0x20 || cp == 0x7f)
			return 0;
		if (cp >= 'A' && cp <= 'Z')
			return cp + ('a' - 'A');
		if (cp == '`')
			return '\'';
		return cp;
	}
	switch (cp) {
	case 0x200b: case 0x200c: case 0x200d: case 0x200e: case 0x200f:
	case 0x2060: case 0x2061: case 0x2062: case 0x2063: case 0x2064:
	case 0xfeff: case 0x00ad: case 0x180e: case 0x034f:
		return 0;
	case 0x2018: case 0x2019: case 0x201a: case 0x201b: case 0x2032:
	case 0x2035: case 0x2039: case 0x203a: case 0x02bc: case 0x02b9:
	case 0x00b4: case 0xff07:
		return '\'';
	case 0x201c: case 0x201d: case 0x201e: case 0x201f: case 0x2033:
	case 0x00ab: case 0x00bb: case 0x2036:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212: case 0x2043: case 0xfe58: case 0xfe63:
		return '-';
	case 0x2026:
		return '.';
	case 0x2044: case 0x2215:
		return '/';
	case 0x00b7: case 0x2022: case 0x2027:
		return ' ';
	default:
		break;
	}
	for (i = 0; i < sizeof(lookalikes) / sizeof(lookalikes[0]); i++)
		if (lookalikes[i].cp == cp)
			return lookalikes[i].ascii;
	if (cp >= 0x80 && cp < 0xa0)		/* C1 controls */
		return 0;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return ' ';
	case UTF8PROC_CATEGORY_CC:
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return 0;
	case UTF8PROC_CATEGORY_PD:
		return '-';
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
		return '"';
	case UTF8PROC_CATEGORY_PS:
		return '(';
	case UTF8PROC_CATEGORY_PE:
		return ')';
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SC:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO:
	case UTF8PROC_CATEGORY_CO:
	case UTF8PROC_CATEGORY_CS:
	case UTF8PROC_CATEGORY_CN:
		return ' ';
	default:
		return -1;
	}
}

/* Output cursor: appends bytes, squeezes spaces, never overflows. */
struct outbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;	/* usable bytes, excluding the NUL */
	int	 full;
};

static void
out_byte(struct outbuf *o, int c)
{
	if (o->full)
		return;
	if (c == ' ' && (o->len == 0 || o->p[o->len - 1] == ' '))
		return;
	if (o->len >= o->cap) {
		o->full = 1;
		return;
	}
	o->p[o->len++] = (char)c;
}

static void
out_cp(struct outbuf *o, int32_t cp)
{
	uint8_t enc[4];
	utf8proc_ssize_t n, i;

	if (o->full)
		return;
	n = utf8proc_encode_char(cp, enc);
	if (n <= 0)
		return;
	if (o->len + (size_t)n > o->cap) {	/* never split a character */
		o->full = 1;
		return;
	}
	for (i = 0; i < n; i++)
		o->p[o->len++] = (char)enc[i];
}

/*
 * fold_ascii_run() folds the run of ASCII bytes of s starting at i (as
 * fold_ascii_cp() and out_byte() would, one by one: letters and digits
 * are kept or lower-cased inline, everything else goes through them) and
 * returns the index of the first byte after the run, or len.
 */
static size_t
fold_ascii_run(struct outbuf *o, const uint8_t *s, size_t i, size_t len)
{
	for (; i < len && s[i] < 0x80 && !o->full; i++) {
		int c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c >= 'A' && c <= 'Z')) {
			if (o->len >= o->cap) {
				o->full = 1;
				break;
			}
			o->p[o->len++] = (char)(c >= 'A' && c <= 'Z' ?
			    c + ('a' - 'A') : c);
			continue;
		}
		c = fold_ascii_cp(c);
		if (c > 0)
			out_byte(o, c);
	}
	return i;
}

/* Folds one decoded code point into o. */
static void
fold_cp(struct outbuf *o, int32_t cp)
{
	utf8proc_int32_t dec[32];
	utf8proc_ssize_t n, i;
	int last = 0, c;

	c = fold_ascii_cp(cp);		/* punctuation before decomposition */
	if (c >= 0) {
		if (c != 0)
			out_byte(o, c);
		return;
	}
	n = utf8proc_decompose_char(cp, dec, 32, (utf8proc_option_t)
	    (UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
	    UTF8PROC_STRIPMARK | UTF8PROC_IGNORE), &last);
	if (n < 0 || n > 32) {
		out_byte(o, ' ');
		return;
	}
	for (i = 0; i < n; i++) {
		c = fold_ascii_cp(dec[i]);
		if (c > 0)
			out_byte(o, c);
		else if (c < 0)
			out_cp(o, dec[i]);
	}
}

long
norm_fold(const char *text, size_t len, char *out, size_t outcap)
{
	struct outbuf o;
	const uint8_t *s = (const uint8_t *)text;
	size_t i;

	if (outcap == 0)
		return -1;
	o.p = out;
	o.len = 0;
	o.cap = outcap - 1;
	o.full = 0;
	if (text == NULL)
		len = 0;
	i = 0;
	while (i < len && !o.full) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if (s[i] < 0x80) {		/* ASCII fast path */
			i = fold_ascii_run(&o, s, i, len);
			continue;
		}
		n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || cp < 0) {
			out_byte(&o, ' ');
			i++;
			continue;
		}
		fold_cp(&o, cp);
		i += (size_t)n;
	}
	while (o.len > 0 && o.p[o.len - 1] == ' ')
		o.len--;
	o.p[o.len] = '\0';
	return (long)o.len;
}
