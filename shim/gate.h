/* gate.h - the gate (design.md §5): a loopback PEP 503 / PEP 691 index that
 * pip is pointed at instead of the configured indexes. It forwards project
 * pages from every upstream index (merged, links rewritten to itself),
 * forwards PEP 658 metadata files, and hands over a distribution file only
 * after checking its sha256 against the index and asking the caller's
 * vet() for a verdict. pip therefore never gets (and never builds) an
 * sdist the policy refused.
 *
 * Listens on 127.0.0.1 on an ephemeral port; every path starts with a
 * random 32-hex token, so other local users cannot use the gate. Nothing
 * is printed: upstream data never reaches a terminal from here. */
#ifndef PV_GATE_H
#define PV_GATE_H

#include <stddef.h>

#include "http.h"

#define PV_GATE_MAX_ARTIFACT_DEFAULT ((size_t)512 << 20)
#define PV_GATE_MAX_UPSTREAMS 64

struct pv_gate;

/* The decision for one artifact pip asked for. Called from the gate's
 * threads (one at a time per artifact; may be several at once for
 * different artifacts): return 1 to serve it, 0 to refuse (pip gets 403
 * with a one-line reason in the body), -1 on an internal error (503).
 * filename is the distribution file name ("foo-1.0.tar.gz"), project its
 * PEP 503-normalised name, sha256 hex of the bytes (already checked
 * against the index's hash when the index gave one). Decisions 1 and 0
 * are cached per sha256 for the life of the gate. */
typedef int (*pv_gate_vet_fn)(void *ud, const char *project, const char *filename,
                              const unsigned char *data, size_t len, const char *sha256_hex);

struct pv_gate_opts {
	/* Index base URLs (".../simple" or ".../simple/"), NULL-terminated: the
	 * user's --index-url then --extra-index-url (or pip.conf's). http(s)
	 * only; at most PV_GATE_MAX_UPSTREAMS; duplicates are dropped. */
	const char *const *upstreams;
	/* pip's --find-links sources, NULL-terminated (may be NULL): absolute
	 * paths of directories or archives, file:// or http(s) URLs (see
	 * gate_findlinks.h); at most PV_GATE_MAX_FIND_LINKS. Their files join
	 * the project pages; a project both there and on an index (or in two
	 * sources) counts as shadowed. upstreams may then be empty (pip's
	 * --no-index --find-links). */
	const char *const *find_links;
	size_t max_dir_entries;           /* per directory; 0: PV_GATE_FL_ENTRIES_DEFAULT */
	pv_gate_vet_fn vet;
	void *ud;
	const struct pv_http_opts *http;  /* upstream timeouts etc.; NULL: defaults (copied) */
	size_t max_artifact;              /* bytes; 0: PV_GATE_MAX_ARTIFACT_DEFAULT */
	const char *blob_dir;             /* artifact bytes kept by digest between runs
	                                   * (blobcache.h); NULL: none. Copied. */
};

/* Start listening and serving. 0, or -1 with a one-line reason in err. */
int pv_gate_start(struct pv_gate **out, const struct pv_gate_opts *o, char *err, size_t errlen);

/* "http://127.0.0.1:PORT/TOKEN/simple/", valid until stop. */
const char *pv_gate_index_url(const struct pv_gate *g);

/* From now on serve only artifacts whose sha256 (hex, any case) is in the
 * set (the final install): anything else is refused (403) without calling
 * vet; a listed one is served without calling vet again unless vet refused
 * it earlier. May be called again to replace the set. 0, or -1 (ENOMEM or
 * a string that is not 64 hex digits; the mode is then unchanged). */
int pv_gate_vetted_only(struct pv_gate *g, const char *const *sha256_hex, size_t n);

/* Before an install from the vetted bytes themselves: ask the upstreams
 * again for the projects of these files (n file names with the sha256 each
 * was vetted as) and compare. 0 every file is still listed as it was (or
 * the source lists no digest for it); 1 one is gone or the source now
 * lists another digest for it (err names it: the index changed after
 * vetting); -1 a source could not be asked (err says which). */
int pv_gate_recheck(struct pv_gate *g, const char *const *filenames, const char *const *sha256, size_t n,
                    char *err, size_t errlen);

/* Normalised names of projects found on more than one upstream index or
 * find-links source (dependency confusion), NULL-terminated, as seen so far; valid until stop. */
const char *const *pv_gate_shadowed(struct pv_gate *g);

/* Stop the listener, finish requests in flight (bounded by the upstream
 * HTTP timeouts), join the threads, free everything. NULL is a no-op. */
void pv_gate_stop(struct pv_gate *g);

#endif
