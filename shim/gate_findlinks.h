/* gate_findlinks.h - pip's --find-links sources, read by the gate instead
 * of by pip (pip would open those archives, and build those sdists,
 * without anything vetting them first).
 *
 * A source is a local directory (its archives), a local archive, a file://
 * URL of either, or an http(s) URL of a "flat" HTML page whose links are
 * archives. For a project page the gate adds every file of every source
 * whose name says it belongs to that project (wheel: PEP 427
 * NAME-VERSION-...; sdist: NAME-VERSION.EXT, NAME compared PEP 503
 * normalised), and hands a file over only after reading it once, hashing
 * and vetting those bytes.
 *
 * Local sources: only regular files directly in the directory are listed
 * (symbolic links, subdirectories, devices and FIFOs are not); at most
 * max_entries directory entries are looked at (more: the listing fails,
 * nothing is guessed); a file is read with a bounded read into memory
 * (pv_read_file: regular files only, the final component never followed),
 * so what is hashed is what is vetted and served. A listed file carries
 * the sha256 of its bytes at listing time; when the file is replaced
 * before pip fetches it, the bytes no longer match and it is not served. */
#ifndef PV_GATE_FINDLINKS_H
#define PV_GATE_FINDLINKS_H

#include <stdbool.h>
#include <stddef.h>

#include "gate_pages.h"

#define PV_GATE_MAX_FIND_LINKS 64               /* sources */
#define PV_GATE_FL_ENTRIES_DEFAULT 100000u      /* directory entries looked at */

struct pv_gate_fl {
	char *url;   /* http(s) page, or NULL for a local source */
	char *path;  /* local: absolute, canonical when it exists */
	bool dir;    /* local: a directory (else a single archive) */
};

/* Does distribution file name filename belong to project (PEP 503
 * normalised)? A wheel with 5 or 6 '-' fields whose first is the project;
 * an sdist (.tar.gz .tgz .tar.bz2 .tbz .tar.xz .txz .tar .zip) NAME-VERSION
 * where some split at a '-' gives NAME normalising to project and VERSION
 * starting with a digit (or 'v' and a digit). Anything else: false. */
bool pv_gate_dist_is(const char *filename, const char *project);

/* Parse one source as pip got it: "http(s)://...", "file:///abs/path" (or
 * file://localhost/...), or an absolute path (a relative one is an error:
 * the caller makes it absolute, as pip reads it relative to the current
 * directory). A local path that does not exist is kept and lists nothing
 * (pip ignores such a location too). 0, or -1 with a one-line err. */
int pv_gate_fl_init(struct pv_gate_fl *s, const char *spec, char *err, size_t errlen);
void pv_gate_fl_free(struct pv_gate_fl *s);

/* Add the files of local source s belonging to project to pg (file URLs
 * are absolute paths), as upstream number src. Returns how many it lists,
 * -1 out of memory, -2 an error (reason in why: unreadable directory,
 * more than max_entries entries). */
int pv_gate_fl_list(struct pv_gate_page *pg, int src, const struct pv_gate_fl *s, const char *project,
                    size_t max_entries, size_t max_file, char *why, size_t whylen);

/* Add the files of a fetched flat page belonging to project to pg, as
 * upstream src. Returns how many it lists, -1 out of memory, -2 not a page. */
int pv_gate_fl_take_page(struct pv_gate_page *pg, int src, const char *page_url, const char *body,
                         size_t len, const char *project);

#endif
