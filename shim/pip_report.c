/* pip_report.c - read pip's installation report (see pip_report.h). */
#include "pip_report.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "pep440.h"

/* Longest project name accepted; PyPI's own limit is far below this, and a
 * bound keeps the normalisation buffer small. */
#define NAME_MAX_LEN 256u
/* Longest VCS commit id accepted (git's SHA-256 ids are 64 hex digits). */
#define COMMIT_MAX_LEN 256u

struct ctx {
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct ctx *c, const char *fmt, ...)
{
	if (c->err && c->errlen) {
		int k = snprintf(c->err, c->errlen, "pip report: ");
		if (k >= 0 && (size_t)k < c->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
			va_end(ap);
		}
	}
	return -1;
}

static int oom(struct ctx *c)
{
	if (c->err && c->errlen)
		snprintf(c->err, c->errlen, "pip report: out of memory");
	return -2;
}

/* Copy at most 32 printable ASCII bytes of s into out for an error message:
 * the report is untrusted, and err must stay one harmless line. */
static void safe_excerpt(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 4 < outlen; i++) {
		if (i == 32) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		unsigned char ch = (unsigned char)s[i];
		out[o++] = ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' ? (char)ch : '?';
	}
	out[o] = '\0';
}

/* Look key up in obj. Returns 1 with *s and *n set when it is a string without NUL
 * bytes, 0 when absent (or JSON null: pip never writes null for these keys,
 * and PEP 610 says an absent optional key and null mean the same), -1 when
 * it is of another type or holds a NUL (a C string would silently cut it). */
static int get_str(json_object *obj, const char *key, const char **s, size_t *n)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*s = json_object_get_string(v);
	int len = json_object_get_string_len(v);
	if (!*s || len < 0 || strlen(*s) != (size_t)len)
		return -1;
	*n = (size_t)len;
	return 1;
}

/* Like get_str for booleans: 1 with *b, 0 absent, -1 wrong type. */
static int get_bool(json_object *obj, const char *key, bool *b)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*b = json_object_get_boolean(v) != 0;
	return 1;
}

/* Like get_str for objects. */
static int get_obj(json_object *obj, const char *key, json_object **o)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_object))
		return -1;
	*o = v;
	return 1;
}

/* True when s has no byte that could end a requirements-file line or
 * start another token there: no whitespace, no control characters, no
 * DEL. Everything the hand-off writes comes from these strings. */
static bool no_space_or_ctl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= 0x20 || ch == 0x7f)
			return false;
	}
	return true;
}

/* A PEP 440 version only uses these characters (legacy versions pip still
 * tolerates do too, apart from exotic ones we refuse); anything else could
 * turn "name==version" into something else. */
static bool version_ok(const char *s, size_t n)
{
	if (n == 0 || n > PV_PIP_REPORT_MAX_VERSION)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		          ch == '.' || ch == '-' || ch == '_' || ch == '+' || ch == '!';
		if (!ok)
			return false;
	}
	return true;
}

static bool prefix_ci(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);
	if (n < pl)
		return false;
	for (size_t i = 0; i < pl; i++) {
		char a = s[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != p[i])
			return false;
	}
	return true;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The file name of an archive URL: its last path segment (query and
 * fragment dropped), percent-decoded. Returns 0 with *out (malloc'd), -1
 * when there is no usable name (none, a bad %-escape, or a decoded name
 * that is not a plain file name: the caller may use it in a path), -2 on
 * ENOMEM. */
static int url_filename(const char *url, size_t n, char **out)
{
	*out = NULL;
	size_t end = n;
	for (size_t i = 0; i < n; i++)
		if (url[i] == '?' || url[i] == '#') {
			end = i;
			break;
		}
	/* Skip "scheme://authority" so a URL with no path does not yield the
	 * host name as a file name. */
	const char *sep = memchr(url, ':', end);
	if (!sep)
		return -1;
	size_t path = (size_t)(sep - url) + 1;
	if (end - path >= 2 && url[path] == '/' && url[path + 1] == '/') {
		path += 2;
		const char *slash = memchr(url + path, '/', end - path);
		if (!slash)
			return -1;
		path = (size_t)(slash - url);
	}
	size_t start = path;
	for (size_t i = path; i < end; i++)
		if (url[i] == '/')
			start = i + 1;
	if (start >= end)
		return -1;
	char *name = malloc(end - start + 1);
	if (!name)
		return -2;
	size_t o = 0;
	for (size_t i = start; i < end; i++) {
		char ch = url[i];
		if (ch == '%') {
			int hi = i + 2 < end ? hexval(url[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(url[i + 2]) : -1;
			if (lo < 0) {
				free(name);
				return -1;
			}
			ch = (char)(hi * 16 + lo);
			i += 2;
		}
		unsigned char u = (unsigned char)ch;
		if (u < 0x20 || u == 0x7f || ch == '/' || ch == '\\') {
			free(name);
			return -1;
		}
		name[o++] = ch;
	}
	name[o] = '\0';
	if (o == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		free(name);
		return -1;
	}
	*out = name;
	return 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static bool is_sha256_hex(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			return false;
	return true;
}

static void item_free(struct pv_pip_item *it)
{
	free(it->name);
	free(it->display_name);
	free(it->version);
	free(it->url);
	free(it->filename);
	free(it->sha256);
	free(it->vcs_commit);
	free(it->vcs);
	memset(it, 0, sizeof *it);
}

/* archive_info: the SHA-256, from "hashes" or the legacy "hash". A hash
 * that is present but malformed, or two that disagree, is an error: pip
 * would have checked the artifact against it, so it must be what we vet. */
static int read_archive_hash(struct ctx *c, size_t idx, json_object *ai, struct pv_pip_item *it)
{
	const char *s = NULL, *legacy = NULL;
	size_t n = 0, ln = 0;
	json_object *hashes = NULL;
	int r = get_obj(ai, "hashes", &hashes);
	if (r < 0)
		return fail(c, "entry %zu: archive_info.hashes is not an object", idx);
	if (r > 0) {
		r = get_str(hashes, "sha256", &s, &n);
		if (r < 0 || (r > 0 && !is_sha256_hex(s, n)))
			return fail(c, "entry %zu: archive_info.hashes.sha256 is not a SHA-256", idx);
		if (r == 0)
			s = NULL;
	}
	r = get_str(ai, "hash", &legacy, &ln);
	if (r < 0)
		return fail(c, "entry %zu: archive_info.hash is not a string", idx);
	if (r > 0) {
		const char *eq = memchr(legacy, '=', ln);
		if (!eq)
			return fail(c, "entry %zu: archive_info.hash is not \"algorithm=value\"", idx);
		size_t an = (size_t)(eq - legacy);
		if (an == 6 && prefix_ci(legacy, an, "sha256")) {
			const char *v = eq + 1;
			size_t vn = ln - an - 1;
			if (!is_sha256_hex(v, vn))
				return fail(c, "entry %zu: archive_info.hash is not a SHA-256", idx);
			if (s && strncasecmp(s, v, 64) != 0)
				return fail(c, "entry %zu: archive_info.hash and hashes.sha256 disagree", idx);
			if (!s) {
				s = v;
				n = vn;
			}
		}
	}
	if (s) {
		it->sha256 = pv_sha256_hex_norm(s, n);
		if (!it->sha256)
			return oom(c); /* s was checked to be 64 hex digits */
	}
	return 0;
}

static int read_item(struct ctx *c, size_t idx, json_object *e, struct pv_pip_item *it)
{
	if (!json_object_is_type(e, json_type_object))
		return fail(c, "entry %zu is not an object", idx);

	json_object *meta = NULL, *di = NULL;
	int r = get_obj(e, "metadata", &meta);
	if (r <= 0)
		return fail(c, "entry %zu: %s", idx, r < 0 ? "metadata is not an object" : "no metadata");
	const char *s;
	size_t n;
	r = get_str(meta, "name", &s, &n);
	if (r <= 0)
		return fail(c, "entry %zu: %s", idx, r < 0 ? "metadata.name is not a string" : "no metadata.name");
	if (n > NAME_MAX_LEN)
		return fail(c, "entry %zu: metadata.name is longer than %u bytes", idx, NAME_MAX_LEN);
	char norm[NAME_MAX_LEN + 1];
	/* pv_pep503_normalize also refuses anything that is not a PEP 508
	 * project name, so display_name is safe to print and to write. */
	if (pv_pep503_normalize(s, norm, sizeof norm) < 0) {
		char ex[48];
		safe_excerpt(s, n, ex, sizeof ex);
		return fail(c, "entry %zu: metadata.name \"%s\" is not a valid project name", idx, ex);
	}
	if (!(it->display_name = dup_n(s, n)) || !(it->name = strdup(norm)))
		return oom(c);

	r = get_str(meta, "version", &s, &n);
	if (r <= 0)
		return fail(c, "entry %zu (%s): %s", idx, it->name,
		            r < 0 ? "metadata.version is not a string" : "no metadata.version");
	if (!version_ok(s, n)) {
		char ex[48];
		safe_excerpt(s, n, ex, sizeof ex);
		return fail(c, "entry %zu (%s): metadata.version \"%s\" is not a version", idx, it->name, ex);
	}
	if (!(it->version = dup_n(s, n)))
		return oom(c);

	/* is_direct and requested are mandatory in report version 1; a
	 * missing is_direct would make a direct URL look like an index file. */
	r = get_bool(e, "is_direct", &it->is_direct);
	if (r <= 0)
		return fail(c, "entry %zu (%s): %s", idx, it->name,
		            r < 0 ? "is_direct is not a boolean" : "no is_direct");
	r = get_bool(e, "requested", &it->requested);
	if (r <= 0)
		return fail(c, "entry %zu (%s): %s", idx, it->name,
		            r < 0 ? "requested is not a boolean" : "no requested");
	if (get_bool(e, "is_yanked", &it->is_yanked) < 0)
		return fail(c, "entry %zu (%s): is_yanked is not a boolean", idx, it->name);

	r = get_obj(e, "download_info", &di);
	if (r <= 0)
		return fail(c, "entry %zu (%s): %s", idx, it->name,
		            r < 0 ? "download_info is not an object" : "no download_info");
	r = get_str(di, "url", &s, &n);
	if (r <= 0)
		return fail(c, "entry %zu (%s): %s", idx, it->name,
		            r < 0 ? "download_info.url is not a string" : "no download_info.url");
	if (n == 0 || n > PV_PIP_REPORT_MAX_URL || !no_space_or_ctl(s, n))
		return fail(c, "entry %zu (%s): download_info.url is empty, too long or has spaces or "
		               "control characters", idx, it->name);
	if (!(it->url = dup_n(s, n)))
		return oom(c);
	const char *url = s;
	size_t urln = n;

	/* PEP 610: exactly one of archive_info, dir_info, vcs_info. */
	json_object *ai = NULL, *dinfo = NULL, *vi = NULL;
	int ra = get_obj(di, "archive_info", &ai);
	int rd = get_obj(di, "dir_info", &dinfo);
	int rv = get_obj(di, "vcs_info", &vi);
	if (ra < 0 || rd < 0 || rv < 0)
		return fail(c, "entry %zu (%s): archive_info, dir_info or vcs_info is not an object", idx,
		            it->name);
	if (ra + rd + rv != 1)
		return fail(c, "entry %zu (%s): download_info has %s of archive_info, dir_info, vcs_info", idx,
		            it->name, ra + rd + rv ? "more than one" : "none");

	if (vi) {
		it->origin = PV_PIP_FROM_VCS;
		r = get_str(vi, "commit_id", &s, &n);
		if (r <= 0 || n == 0 || n > COMMIT_MAX_LEN || !no_space_or_ctl(s, n))
			return fail(c, "entry %zu (%s): vcs_info.commit_id is missing or not a commit id", idx,
			            it->name);
		if (!(it->vcs_commit = dup_n(s, n)))
			return oom(c);
		r = get_str(vi, "vcs", &s, &n);
		bool known = (n == 3 && (memcmp(s, "git", 3) == 0 || memcmp(s, "svn", 3) == 0 ||
		                         memcmp(s, "bzr", 3) == 0)) ||
		             (n == 2 && memcmp(s, "hg", 2) == 0);
		if (r <= 0 || !known)
			return fail(c, "entry %zu (%s): vcs_info.vcs is missing or not git, hg, svn or bzr", idx,
			            it->name);
		if (!(it->vcs = dup_n(s, n)))
			return oom(c);
		return 0;
	}
	if (dinfo) {
		it->origin = PV_PIP_FROM_DIR;
		if (get_bool(dinfo, "editable", &it->editable) < 0)
			return fail(c, "entry %zu (%s): dir_info.editable is not a boolean", idx, it->name);
		return 0;
	}

	/* An archive. pip fetches only http(s) and file URLs; anything else is
	 * refused rather than classified. */
	if (prefix_ci(url, urln, "file:"))
		it->origin = PV_PIP_FROM_FILE;
	else if (prefix_ci(url, urln, "https://") || prefix_ci(url, urln, "http://"))
		it->origin = it->is_direct ? PV_PIP_FROM_URL : PV_PIP_FROM_INDEX;
	else
		return fail(c, "entry %zu (%s): archive URL is not http, https or file", idx, it->name);
	r = url_filename(url, urln, &it->filename);
	if (r == -2)
		return oom(c);
	if (r < 0)
		return fail(c, "entry %zu (%s): archive URL has no usable file name", idx, it->name);
	return read_archive_hash(c, idx, ai, it);
}

static int cmp_item_name(const void *a, const void *b)
{
	const struct pv_pip_item *x = *(const struct pv_pip_item *const *)a;
	const struct pv_pip_item *y = *(const struct pv_pip_item *const *)b;
	return strcmp(x->name, y->name);
}

/* pip's resolver picks one distribution per project; a report naming one
 * twice is not something pip wrote, and "which one is vetted" would be
 * ambiguous. */
static int check_duplicates(struct ctx *c, const struct pv_pip_report *r)
{
	if (r->n < 2)
		return 0;
	const struct pv_pip_item **v = malloc(r->n * sizeof *v);
	if (!v)
		return oom(c);
	for (size_t i = 0; i < r->n; i++)
		v[i] = &r->items[i];
	qsort(v, r->n, sizeof *v, cmp_item_name);
	int rc = 0;
	for (size_t i = 1; i < r->n; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0) {
			rc = fail(c, "%s is listed more than once", v[i]->name);
			break;
		}
	free(v);
	return rc;
}

static int parse_root(struct ctx *c, json_object *root, struct pv_pip_report *out)
{
	if (!json_object_is_type(root, json_type_object))
		return fail(c, "the top level is not an object");
	const char *s;
	size_t n;
	int r = get_str(root, "version", &s, &n);
	if (r < 0)
		return fail(c, "\"version\" is not a string");
	if (r == 0)
		return fail(c, "no \"version\"");
	if (n != 1 || s[0] != '1') {
		char ex[48];
		safe_excerpt(s, n, ex, sizeof ex);
		return fail(c, "report version \"%s\" is not supported (only \"1\" is)", ex);
	}
	r = get_str(root, "pip_version", &s, &n);
	if (r < 0)
		return fail(c, "\"pip_version\" is not a string");
	if (r > 0 && !(out->pip_version = dup_n(s, n)))
		return oom(c);

	json_object *inst;
	if (!json_object_object_get_ex(root, "install", &inst) || !inst ||
	    !json_object_is_type(inst, json_type_array))
		return fail(c, "no \"install\" list");
	size_t cnt = json_object_array_length(inst);
	if (cnt > PV_PIP_REPORT_MAX_ITEMS)
		return fail(c, "more than %u entries in \"install\"", PV_PIP_REPORT_MAX_ITEMS);
	if (cnt) {
		out->items = calloc(cnt, sizeof *out->items);
		if (!out->items)
			return oom(c);
	}
	for (size_t i = 0; i < cnt; i++) {
		/* n counts entries started, so a failure part-way frees this one too. */
		out->n = i + 1;
		int rc = read_item(c, i, json_object_array_get_idx(inst, i), &out->items[i]);
		if (rc != 0)
			return rc;
	}
	return check_duplicates(c, out);
}

int pv_pip_report_parse(const char *json, size_t len, struct pv_pip_report *out, char *err,
                        size_t errlen)
{
	struct ctx c = {.err = err, .errlen = errlen};
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	if (!json || len == 0)
		return fail(&c, "empty");
	if (len > PV_PIP_REPORT_MAX)
		return fail(&c, "larger than %u bytes", PV_PIP_REPORT_MAX);
	json_tokener *tok = json_tokener_new_ex(PV_PIP_REPORT_MAX_DEPTH);
	if (!tok)
		return oom(&c);
	json_object *root = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success) {
		json_object_put(root);
		json_tokener_free(tok);
		if (jerr == json_tokener_continue)
			return fail(&c, "not JSON (unexpected end of input)");
		if (jerr == json_tokener_error_depth)
			return fail(&c, "not JSON (nested deeper than %d)", PV_PIP_REPORT_MAX_DEPTH);
		return fail(&c, "not JSON (%s)", json_tokener_error_desc(jerr));
	}
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (; end < len; end++)
		if (!strchr(" \t\r\n", json[end]) || json[end] == '\0') {
			json_object_put(root);
			return fail(&c, "not JSON (data after the top-level value)");
		}
	int rc = parse_root(&c, root, out);
	json_object_put(root);
	if (rc != 0)
		pv_pip_report_free(out);
	return rc;
}

int pv_pip_report_load(const char *path, struct pv_pip_report *out, char *err, size_t errlen)
{
	struct ctx c = {.err = err, .errlen = errlen};
	memset(out, 0, sizeof *out);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(&c, "cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(&c, "%s is not a regular file", path);
	}
	if (st.st_size > (off_t)PV_PIP_REPORT_MAX) {
		close(fd);
		return fail(&c, "%s is larger than %u bytes", path, PV_PIP_REPORT_MAX);
	}
	/* The size is only a hint (the file could still grow): read until end
	 * of file, never keeping more than PV_PIP_REPORT_MAX + 1 bytes. */
	size_t cap = (size_t)st.st_size + 1, len = 0;
	if (cap < 4096)
		cap = 4096;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return oom(&c);
	}
	for (;;) {
		if (len == cap) {
			if (cap > PV_PIP_REPORT_MAX)
				break;
			size_t ncap = cap * 2 > (size_t)PV_PIP_REPORT_MAX + 1 ? (size_t)PV_PIP_REPORT_MAX + 1 : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				close(fd);
				return oom(&c);
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t k = read(fd, buf + len, cap - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return fail(&c, "cannot read %s: %s", path, strerror(e));
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	int rc;
	if (len > PV_PIP_REPORT_MAX)
		rc = fail(&c, "%s is larger than %u bytes", path, PV_PIP_REPORT_MAX);
	else
		rc = pv_pip_report_parse(buf, len, out, err, errlen);
	free(buf);
	return rc;
}

void pv_pip_report_free(struct pv_pip_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		item_free(&r->items[i]);
	free(r->items);
	free(r->pip_version);
	memset(r, 0, sizeof *r);
}
