/* strvec.h - a growable, NULL-terminated list of borrowed strings, and
 * slice comparison: what the command-line classifiers (npm_args.c,
 * pip_args.c) share. libc only, so the shims' front doors can link it. */
#ifndef PV_STRVEC_H
#define PV_STRVEC_H

#include <stdbool.h>
#include <stddef.h>

struct pv_strvec {
	const char **v; /* NULL-terminated once anything was pushed or finished */
	size_t n, cap;
};

/* Append s (borrowed). 0, or -1 on ENOMEM. */
int pv_strvec_push(struct pv_strvec *sv, const char *s);

/* Make an empty list a valid NULL-terminated array too, so callers never
 * test for NULL. 0, or -1 on ENOMEM. */
int pv_strvec_finish(struct pv_strvec *sv);

/* Are the len bytes at s exactly word? */
bool pv_slice_eq(const char *s, size_t len, const char *word);

#endif
