/* escape.c - neutralise hostile strings for terminals and JSON. */
#include "escape.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

size_t pv_utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	unsigned min;
	if ((c & 0xE0) == 0xC0)
		len = 2, c &= 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		len = 3, c &= 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Code points that change how a terminal shows what follows. */
static bool dangerous_cp(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9F) ||            /* C1 controls, incl. CSI 0x9B */
	       cp == 0x200E || cp == 0x200F ||          /* LRM, RLM */
	       (cp >= 0x202A && cp <= 0x202E) ||        /* embeddings and overrides */
	       (cp >= 0x2066 && cp <= 0x2069) ||        /* isolates */
	       cp == 0x061C || cp == 0xFEFF;            /* ALM, BOM */
}

void pv_fputs_term(FILE *f, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t len = pv_utf8_seq(u + i, n - i, &cp);
		if (len == 0) {
			fprintf(f, "\\x%02X", u[i]);
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7F) {
			if (cp == '\t')
				fputs("\\t", f);
			else if (cp == '\n')
				fputs("\\n", f);
			else if (cp == '\r')
				fputs("\\r", f);
			else
				fprintf(f, "\\x%02X", cp);
		} else if (cp == '\\') {
			fputs("\\\\", f);
		} else if (dangerous_cp(cp)) {
			fprintf(f, "\\u{%04X}", cp);
		} else {
			fwrite(u + i, 1, len, f);
		}
		i += len;
	}
}

void pv_fputs_term0(FILE *f, const char *s)
{
	if (s)
		pv_fputs_term(f, s, strlen(s));
}

char *pv_utf8_clean(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	/* Each invalid byte grows to 3 bytes (U+FFFD). */
	char *out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	while (i < n) {
		unsigned cp;
		size_t len = pv_utf8_seq(u + i, n - i, &cp);
		if (len == 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, u + i, len);
			o += len;
			i += len;
		}
	}
	out[o] = 0;
	return out;
}

json_object *pv_json_str(const char *s)
{
	if (!s)
		return NULL;
	char *c = pv_utf8_clean(s);
	if (!c)
		return NULL;
	json_object *o = json_object_new_string(c);
	free(c);
	return o;
}
