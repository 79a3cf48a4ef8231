/* Terminal escaping: nothing from a package can control the terminal. */
#include "check.h"
#include "escape.h"

#include <stdlib.h>
#include <string.h>

static char *esc(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pv_fputs_term(f, s, n);
	fclose(f);
	return buf;
}

int main(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"plain", "plain"},
		{"a\x1b[2Jb", "a\\x1B[2Jb"},
		{"bell\x07", "bell\\x07"},
		{"tab\tnl\n", "tab\\tnl\\n"},
		{"back\\slash", "back\\\\slash"},
		{"\xe2\x80\xae" "rtl", "\\u{202E}rtl"},        /* RIGHT-TO-LEFT OVERRIDE */
		{"\xc2\x9b" "31m", "\\u{009B}31m"},            /* C1 CSI */
		{"caf\xc3\xa9", "caf\xc3\xa9"},                /* valid UTF-8 kept */
		{"\xff\xfe", "\\xFF\\xFE"},                    /* invalid bytes */
		{"\xc0\xaf", "\\xC0\\xAF"},                    /* overlong '/' */
		{"\xed\xa0\x80", "\\xED\\xA0\\x80"},           /* surrogate */
		{"\x7f", "\\x7F"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = esc(cases[i].in, strlen(cases[i].in));
		CHECK(got && strcmp(got, cases[i].out) == 0, "case %zu: got '%s' want '%s'", i, got, cases[i].out);
		free(got);
	}
	char *nul = esc("a\0b", 3);
	CHECK(strcmp(nul, "a\\x00b") == 0, "NUL shown: %s", nul);
	free(nul);

	char *clean = pv_utf8_clean("ok\xff" "x\xc3\xa9");
	CHECK(clean && strcmp(clean, "ok\xef\xbf\xbdx\xc3\xa9") == 0, "utf8 clean: %s", clean);
	free(clean);
	return CHECK_DONE();
}
