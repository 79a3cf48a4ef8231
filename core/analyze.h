/* analyze.h - code analysers. Each takes one source file and appends
 * findings (permissions and code attributes) with file:line evidence.
 * They never execute anything; they only read bytes. Each analyser parses
 * a file once with tree-sitter and walks that one tree. */
#ifndef PV_ANALYZE_H
#define PV_ANALYZE_H

#include "finding.h"

/* JavaScript (.js .cjs .mjs, and the code of npm lifecycle scripts).
 * Returns 0, or -1 when the file could not be analysed at all (out of
 * memory); parse errors are tolerated and analysis goes on. */
int pv_analyze_js(const struct pv_source *src, struct pv_findings *out);

/* Python (.py, setup.py, .pth). setup.py and .pth content are judged for
 * install-hook (code beyond a plain setup() call, cmdclass, executable
 * .pth lines); every finding of an install_time source is install-time. */
int pv_analyze_py(const struct pv_source *src, struct pv_findings *out);

/* Language-neutral checks on one string literal (or shell command text)
 * found at byte offset off / row of src: shady-url, sensitive-read paths
 * and token-like env var names, obfuscation (long base64/hex blobs, very
 * high entropy). s/n is the literal's decoded content. */
void pv_scan_literal(const struct pv_source *src, size_t off, uint32_t row,
                     const char *s, size_t n, struct pv_findings *out);

/* A shell command line (npm lifecycle script value, or a string passed to
 * exec/system/subprocess). Reports download-exec for "curl … | sh",
 * "wget … && chmod +x", and network/process/sensitive-read permissions
 * it plainly uses. */
void pv_scan_shell(const struct pv_source *src, size_t off, uint32_t row,
                   const char *cmd, size_t n, struct pv_findings *out);

/* Is this an executable binary (ELF, PE, Mach-O, fat Mach-O, or a
 * name like .node/.so/.dll/.exe/.dylib)? Reports `binary` and perm-native. */
void pv_scan_binary(const struct pv_source *src, struct pv_findings *out);

/* Shared: is `name` a token-like environment variable name
 * (NPM_TOKEN, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, *_PASSWORD, ...)? */
bool pv_is_secret_env_name(const char *name, size_t n);

#endif
