/* typosquat.h - is a package name an imitation of a popular one? */
#ifndef PV_TYPOSQUAT_H
#define PV_TYPOSQUAT_H

#include <stddef.h>

/* ecosystem is "npm" or "pypi"; list is the text of the matching
 * policy/data/top-*-packages.txt (one name a line, '#' comments, most
 * popular first). The list is parsed once and cached, keyed by the list
 * pointer (thread-safe); pass the same buffer each time.
 *
 * Returns 1 and writes the popular name `name` imitates into target
 * (NUL-terminated, truncated to target_len) when name is not itself in the
 * list and is: one edit (insert / delete / substitute) from a popular name
 * of length >= 4, an adjacent transposition, a separator confusion (- _ .),
 * an npm scope confusion (@types-node, @evil/lodash), a PyPI python-/py-
 * prefix or -python/-py suffix added, or a digit/letter homoglyph swap
 * (0/o, 1/l/i, rn/m). PyPI names are compared PEP 503-normalised.
 * Returns 0 when it is not a squat, -1 on allocation failure. */
int pv_typosquat(const char *ecosystem, const char *name, const char *list, size_t list_len,
                 char *target, size_t target_len);

#endif
