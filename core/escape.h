/* escape.h - every string that came from a registry or a package goes
 * through here before it reaches a terminal or a JSON document. */
#ifndef PV_ESCAPE_H
#define PV_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Write s (n bytes) to f for a terminal: control characters, DEL, C1
 * controls, bidirectional overrides and invalid UTF-8 are shown as \xNN or
 * \u{NNNN}; a backslash is doubled. Nothing in s can move the cursor,
 * change colours, set the title or reorder text. */
void pv_fputs_term(FILE *f, const char *s, size_t n);
void pv_fputs_term0(FILE *f, const char *s); /* NUL-terminated; NULL prints nothing */

/* A copy of s that is valid UTF-8 (invalid bytes become U+FFFD), for JSON. */
char *pv_utf8_clean(const char *s);

/* A JSON string of pv_utf8_clean(s), for json-c documents; NULL when s is
 * NULL (json-c then writes null) or on ENOMEM. */
struct json_object;
struct json_object *pv_json_str(const char *s);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid.
 * *cp gets the code point. */
size_t pv_utf8_seq(const unsigned char *s, size_t n, unsigned *cp);

#endif
