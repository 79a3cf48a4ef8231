/* bytes.h - locale-independent comparisons of byte ranges with lowercase
 * ASCII literals, shared by the scanners (package text is not NUL-
 * terminated and not in the user's locale). */
#ifndef PV_BYTES_H
#define PV_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline unsigned char pv_lc(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Does s[0..n) start with the lowercase literal lit, ignoring case? */
static inline bool pv_istarts(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	if (n < m)
		return false;
	for (size_t i = 0; i < m; i++)
		if (pv_lc((unsigned char)s[i]) != (unsigned char)lit[i])
			return false;
	return true;
}

/* Is s[0..n) the lowercase literal lit, ignoring case? */
static inline bool pv_ieq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && pv_istarts(s, n, lit);
}

/* Does s[0..n) contain the lowercase literal lit, ignoring case? */
static inline bool pv_icontains(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	for (size_t i = 0; i + m <= n; i++)
		if (pv_istarts(s + i, n - i, lit))
			return true;
	return false;
}

#endif
