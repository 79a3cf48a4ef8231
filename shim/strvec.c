/* strvec.c - growable lists of borrowed strings. */
#include "strvec.h"

#include <stdlib.h>
#include <string.h>

int pv_strvec_push(struct pv_strvec *sv, const char *s)
{
	if (sv->n + 2 > sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		const char **v = realloc(sv->v, cap * sizeof *v);
		if (!v)
			return -1;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

int pv_strvec_finish(struct pv_strvec *sv)
{
	if (sv->v)
		return 0;
	if (pv_strvec_push(sv, NULL) != 0)
		return -1;
	sv->n = 0;
	return 0;
}

bool pv_slice_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}
