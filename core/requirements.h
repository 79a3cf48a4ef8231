/* requirements.h - pip requirements files (pip install -r FILE).
 *
 * One requirement per line; '#' comments (at the start of a line or after
 * whitespace) and blank lines; '\' at the end of a line continues it.
 * Requirements must be pinned: NAME[EXTRAS]==VERSION or ===VERSION, with
 * an optional "; MARKER" (kept as text, not evaluated) and --hash=ALG:HEX
 * options. Direct references (NAME @ URL, bare URLs such as git+https://...,
 * local paths such as ./pkg, -e PATH|URL) become URL entries. Anything else
 * (requests, requests>=2, requests~=2.0, ==1.*) is an error naming
 * FILE:LINE. Options recorded (not acted on): -r/--requirement FILE and
 * -c/--constraint FILE (read recursively, relative to the including file;
 * entries of a constraints file are marked as constraints), -i/--index-url,
 * --extra-index-url, -f/--find-links, --pre, --no-binary, --only-binary,
 * --prefer-binary, --no-index, --require-hashes, --trusted-host. */
#ifndef PV_REQUIREMENTS_H
#define PV_REQUIREMENTS_H

#include <stdbool.h>
#include <stddef.h>

#define PV_REQ_MAX_FILE_SIZE (16u * 1024u * 1024u) /* bytes per file */
#define PV_REQ_MAX_LINE 65536                       /* logical line, after joining */
#define PV_REQ_MAX_DEPTH 16                         /* -r / -c nesting */
#define PV_REQ_MAX_FILES 256                        /* files read in all */

enum pv_req_kind {
	PV_REQ_PINNED, /* NAME==VERSION / NAME===VERSION */
	PV_REQ_URL,    /* direct reference: URL or local path */
};

struct pv_req {
	enum pv_req_kind kind;
	char *name;      /* PEP 503 normalised; NULL for a URL entry with no name (no #egg=) */
	char *version;   /* PINNED: normalised PEP 440 (==) or the text as written (===) */
	bool arbitrary;  /* the pin is === */
	char *extras;    /* normalised names joined by ',' ("security,socks"), or NULL */
	char *marker;    /* environment marker text after ';', trimmed, or NULL */
	char *url;       /* URL: the URL or path as written, else NULL */
	bool editable;   /* -e / --editable */
	bool constraint; /* read from a -c file (or a file it includes) */
	char **hashes;   /* "sha256:HEX" as written after --hash= */
	size_t nhashes;
	char *file;    /* the file it was read from (path as opened) */
	unsigned line; /* its first physical line */
};

struct pv_strlist {
	char **v;
	size_t n;
};

struct pv_reqfile {
	struct pv_req *reqs;
	size_t n;
	char *index_url; /* last -i / --index-url, or NULL */
	struct pv_strlist extra_index_urls, find_links, trusted_hosts;
	struct pv_strlist no_binary, only_binary; /* values split at ',' (":all:", ":none:", names) */
	bool pre, no_index, require_hashes, prefer_binary;
};

/* Read the requirements file at path and every file it includes. Returns 0
 * and fills *out (free with pv_reqfile_free), -1 with a message
 * "FILE:LINE: what is wrong" (or "FILE: ...") in err, -2 on allocation
 * failure. A file that includes itself, directly or not, is an error; a
 * file included twice in the same mode (e.g. two files both -r common.txt)
 * is read once. *out is empty on error. */
int pv_requirements_load(const char *path, struct pv_reqfile *out, char *err, size_t errlen);

/* Parse text in memory, labelled label in messages and entries. Nested -r /
 * -c paths are resolved against base_dir (NULL: the current directory). */
int pv_requirements_parse(const char *text, size_t len, const char *label, const char *base_dir,
                          struct pv_reqfile *out, char *err, size_t errlen);

void pv_reqfile_free(struct pv_reqfile *rf);

#endif
