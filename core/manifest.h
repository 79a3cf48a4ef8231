/* manifest.h - find and read a package's manifest (package.json for npm;
 * PKG-INFO / *.dist-info/METADATA / setup.py for Python) and mark the files
 * that run at install time. */
#ifndef PV_MANIFEST_H
#define PV_MANIFEST_H

#include <stdbool.h>
#include <stdint.h>
#include "pkgtree.h"
#include "finding.h"

/* Code given inline on a lifecycle command line (`node -e '…'`,
 * `python -c '…'`): analysed like a file, reported at the script's line. */
struct pv_inline {
	char *code;
	size_t len;
	uint32_t line;  /* line of the script in the manifest file */
	bool js;        /* JavaScript, else Python */
};

struct pv_manifest {
	const char *ecosystem;  /* "npm" / "pypi" (static strings) */
	char *name;
	char *version;
	char *root;             /* directory prefix of the package inside the tree ("" or "package/") */
	bool *install_time;     /* per tree entry: runs at install time */
	bool *is_code_js;       /* per tree entry: analyse as JavaScript */
	bool *is_code_py;       /* per tree entry: analyse as Python */
	bool *is_shell;         /* per tree entry: a shell script run at install time */
	char *manifest_path;    /* tree path of the manifest file */
	char *main;             /* npm "main" (what `node .` runs), may be NULL */
	struct pv_inline *inl;  /* inline install-time code */
	size_t n_inl;
};

/* Locate the manifest. Returns 0 and fills m, or -1 with a one-line err
 * ("no package.json, PKG-INFO, METADATA or setup.py found"). Adds the
 * install-hook findings of the manifest (npm lifecycle scripts, binding.gyp,
 * wheel scripts) to out. */
int pv_manifest_read(const struct pv_tree *tree, struct pv_manifest *m,
                     struct pv_findings *out, char *err, size_t errlen);

/* npm half and Python half, called by pv_manifest_read. */
int pv_manifest_npm(const struct pv_tree *tree, size_t idx, struct pv_manifest *m,
                    struct pv_findings *out, char *err, size_t errlen);
int pv_manifest_py(const struct pv_tree *tree, size_t idx, struct pv_manifest *m,
                   struct pv_findings *out, char *err, size_t errlen);

/* Code reachable from install-time code runs at install time too: mark
 * package files that install-time files name in string literals
 * (require("./lib/x"), spawn("node", ["index.js"]), "x.py"), to a fixpoint. */
void pv_mark_reachable(const struct pv_tree *tree, struct pv_manifest *m);

/* Index of the entry whose path is exactly p, or -1. */
long pv_tree_find(const struct pv_tree *tree, const char *p);

void pv_manifest_free(struct pv_manifest *m);

#endif
