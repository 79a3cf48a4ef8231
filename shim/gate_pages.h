/* gate_pages.h - the gate's simple-index pages: read an upstream's PEP 691
 * JSON or PEP 503 HTML project page into a file list, merge lists from
 * several upstreams, and write the merged list back out (JSON or HTML) with
 * every link pointing at the gate.
 *
 * registry_pypi.c parses PEP 691 JSON too, but only into releases for
 * resolution (no requires-python, no PEP 658 metadata, no HTML), and its
 * parsers are private; the gate needs every field pip reads, so it has its
 * own reader here.
 *
 * All strings kept from a page are bounded (PV_GATE_FIELD_MAX) and valid
 * UTF-8 when written out; HTML attribute values and JSON strings are
 * escaped. */
#ifndef PV_GATE_PAGES_H
#define PV_GATE_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#define PV_GATE_FIELD_MAX 4096     /* longest URL / attribute kept */
#define PV_GATE_FILENAME_MAX 255   /* longest distribution file name */
#define PV_GATE_PAGE_FILES_MAX 200000 /* files kept from one page */

struct pv_gate_file {
	char *filename;        /* a plain file name: no '/', '\\' or controls */
	char *url;             /* absolute upstream URL, no fragment */
	char *sha256;          /* lowercase hex, or NULL */
	char *requires_python; /* or NULL */
	bool yanked;
	char *yanked_reason;   /* or NULL (yanked without a reason) */
	bool has_meta;         /* PEP 658: URL + ".metadata" exists */
	char *meta_sha256;     /* its digest, or NULL */
	int upstream;          /* index of the upstream it came from */
};

struct pv_gate_page {
	struct pv_gate_file *files;
	size_t n, cap;
	size_t *slots;  /* file names, open addressing: index + 1, 0 = free */
	size_t nslots;
};

/* Parse one upstream answer (JSON when it starts with '{', else HTML) and
 * append its files to pg, skipping file names pg already holds (the first
 * upstream wins). page_url resolves relative links. Returns the number of
 * usable files the page lists (duplicates included), -1 out of memory, -2
 * not a page we understand. */
int pv_gate_page_parse(struct pv_gate_page *pg, int upstream, const char *page_url,
                       const char *body, size_t len);

void pv_gate_page_free(struct pv_gate_page *pg);

/* Take ownership of *f (zeroed afterwards): appended, or freed when pg
 * already has a file of that name or is full. 0, or -1 out of memory. */
int pv_gate_page_add(struct pv_gate_page *pg, struct pv_gate_file *f);
void pv_gate_file_free(struct pv_gate_file *f);

/* A distribution file name we are willing to put in a URL path and hand
 * to pip: at most PV_GATE_FILENAME_MAX bytes, not "." or "..", no '/',
 * '\\' or control characters. */
bool pv_gate_filename_ok(const char *s);

/* The page for project (normalised name) with file i linked at hrefs[i]
 * (its metadata at hrefs[i] + ".metadata"). JSON (PEP 691 v1.0) or HTML
 * (PEP 503). malloc'd, *len set; NULL when out of memory. */
char *pv_gate_page_render(const struct pv_gate_page *pg, const char *project,
                          const char *const *hrefs, bool json, size_t *len);

/* A growable string; after an allocation failure oom is set and further
 * appends do nothing. */
struct pv_gate_buf {
	char *p;
	size_t len, cap;
	bool oom;
};
void pv_gate_buf_add(struct pv_gate_buf *b, const char *s, size_t n);
void pv_gate_buf_str(struct pv_gate_buf *b, const char *s);
/* s percent-encoded for a URL path segment (all but unreserved characters). */
void pv_gate_buf_pct(struct pv_gate_buf *b, const char *s);
/* Percent-decode one URL path segment (or path) in place; -1 when it
 * decodes to a NUL or '/' or is malformed. */
int pv_gate_pct_decode(char *s);

#endif
