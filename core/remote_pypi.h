/* remote_pypi.h - vet a release straight from a Python package index:
 * "pypi:NAME[SPEC]" -> project (JSON API, PEP 691 fallback) -> PEP 440
 * resolution -> every selected file of the release (the sdist and each
 * wheel), sha256 checked -> the code analysis of package.c from memory ->
 * metadata attributes -> OSV (known-vuln / known-malware).
 *
 * Core code: the caller (the CLI) turns its policy into these options. */
#ifndef PV_REMOTE_PYPI_H
#define PV_REMOTE_PYPI_H

#include <stdbool.h>
#include <stddef.h>

#include "meta_services.h"
#include "metadata.h"
#include "package.h"

struct pv_remote_pypi_opts {
	const struct pv_audit_opts *audit;      /* analysis options (cache, limits, threads) */
	const char *index_url;                  /* overrides pip's configuration (e.g. the
	                                           policy's pypi_index); NULL: pip decides */
	unsigned timeout_s;                     /* per HTTP transfer; 0: the HTTP defaults */
	const struct pv_meta_thresholds *th;    /* NULL: the catalogue defaults */
	struct pv_meta_services services;       /* download counts, email DNS */
};

/* Does input name a PyPI package ("pypi:...")? */
bool pv_is_pypi_spec(const char *input);

/* Vet input ("pypi:NAME", "pypi:NAME==1.0", "pypi:NAME>=4,<5"). One package
 * per selected file of the resolved release, input
 * "pypi:NAME==VERSION (FILENAME)" (NAME PEP 503 normalised). *pkgs
 * (malloc'd, *n >= 1 entries, each for pv_package_free) is always set on
 * return 0. When the release cannot be fetched or resolved there is one
 * entry, input the spec as given, status PV_PKG_ERROR and a one-line error;
 * a file whose download fails or whose sha256 differs is an entry with
 * input the spec as given and status PV_PKG_ERROR; nothing is analysed or
 * cached from it. OSV unreachable leaves a note in pkg->unknowns. Returns
 * 0, or -1 on allocation failure (*pkgs NULL, *n 0). */
int pv_audit_pypi_spec(struct pv_package **pkgs, size_t *n, const char *input,
                       const struct pv_remote_pypi_opts *o);

/* Vet one distribution file already in hand (the pip gate got it from an
 * index): the code analysis of its len bytes, and the release's metadata
 * attributes and OSV answer from the index's JSON API (o->index_url, else
 * pip's configuration). project is the PEP 503 name, version the release
 * the file belongs to. A project the index cannot describe still gets the
 * code analysis; its metadata checks are then reported unknown. Input
 * "pypi:NAME==VERSION (FILENAME)". 0, or -1 on allocation failure. */
int pv_audit_pypi_file(struct pv_package *pkg, const char *project, const char *version,
                       const char *filename, const unsigned char *data, size_t len,
                       const struct pv_remote_pypi_opts *o);

#endif
