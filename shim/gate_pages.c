/* gate_pages.c - reading and writing simple-index project pages for the gate. */
#include "digest.h"
#include "gate_pages.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"

/* ---------------- growable buffer ---------------- */

void pv_gate_buf_add(struct pv_gate_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc < b->len + n + 1) {
			if (nc > SIZE_MAX / 2) {
				b->oom = true;
				return;
			}
			nc *= 2;
		}
		char *np = realloc(b->p, nc);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void pv_gate_buf_str(struct pv_gate_buf *b, const char *s)
{
	pv_gate_buf_add(b, s, strlen(s));
}

/* Percent-encode everything but RFC 3986 unreserved characters, so a file
 * name can never end the path segment or start a query or fragment. */
void pv_gate_buf_pct(struct pv_gate_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			pv_gate_buf_add(b, (const char *)p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			pv_gate_buf_add(b, e, 3);
		}
	}
}

static int hexval(int ch)
{
	return isdigit(ch) ? ch - '0' : isxdigit(ch) ? tolower(ch) - 'a' + 10 : -1;
}

int pv_gate_pct_decode(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '%') {
			int hi = hexval((unsigned char)s[1]), lo = hi < 0 ? -1 : hexval((unsigned char)s[2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0) || (hi == 2 && lo == 15))
				return -1;
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return 0;
}

/* HTML attribute value / text: the five significant characters escaped. */
static void buf_html(struct pv_gate_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': pv_gate_buf_str(b, "&amp;"); break;
		case '<': pv_gate_buf_str(b, "&lt;"); break;
		case '>': pv_gate_buf_str(b, "&gt;"); break;
		case '"': pv_gate_buf_str(b, "&quot;"); break;
		case '\'': pv_gate_buf_str(b, "&#39;"); break;
		default: pv_gate_buf_add(b, s, 1);
		}
	}
}

/* ---------------- page model ---------------- */

static void file_free(struct pv_gate_file *f)
{
	free(f->filename);
	free(f->url);
	free(f->sha256);
	free(f->requires_python);
	free(f->yanked_reason);
	free(f->meta_sha256);
	memset(f, 0, sizeof *f);
}

void pv_gate_page_free(struct pv_gate_page *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		file_free(&pg->files[i]);
	free(pg->files);
	free(pg->slots);
	memset(pg, 0, sizeof *pg);
}

static size_t name_hash(const char *s)
{
	size_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* Slot of filename in pg's name table: its entry, or the free slot where
 * it would go. The table is never full (kept at most half used). */
static size_t name_slot(const struct pv_gate_page *pg, const char *filename)
{
	size_t k = name_hash(filename) & (pg->nslots - 1);
	while (pg->slots[k] && strcmp(pg->files[pg->slots[k] - 1].filename, filename) != 0)
		k = (k + 1) & (pg->nslots - 1);
	return k;
}

static bool page_has(const struct pv_gate_page *pg, const char *filename)
{
	return pg->nslots && pg->slots[name_slot(pg, filename)] != 0;
}

static int names_grow(struct pv_gate_page *pg)
{
	size_t ns = pg->nslots ? pg->nslots * 2 : 64;
	size_t *sl = calloc(ns, sizeof *sl);
	if (!sl)
		return -1;
	free(pg->slots);
	pg->slots = sl;
	pg->nslots = ns;
	for (size_t i = 0; i < pg->n; i++)
		pg->slots[name_slot(pg, pg->files[i].filename)] = i + 1;
	return 0;
}

/* Take ownership of f: appended, or freed when the name is already there
 * (an earlier upstream won) or the page is full. 0 or -1 (ENOMEM). */
static int page_take(struct pv_gate_page *pg, struct pv_gate_file *f)
{
	if (page_has(pg, f->filename) || pg->n >= PV_GATE_PAGE_FILES_MAX) {
		file_free(f);
		return 0;
	}
	if ((pg->n + 1) * 2 > pg->nslots && names_grow(pg) != 0) {
		file_free(f);
		return -1;
	}
	if (pg->n == pg->cap) {
		size_t nc = pg->cap ? pg->cap * 2 : 16;
		struct pv_gate_file *nf = realloc(pg->files, nc * sizeof *nf);
		if (!nf) {
			file_free(f);
			return -1;
		}
		pg->files = nf;
		pg->cap = nc;
	}
	pg->files[pg->n] = *f;
	pg->slots[name_slot(pg, f->filename)] = ++pg->n;
	return 0;
}

/* A distribution file name we are willing to put in a URL path and hand
 * to pip: bounded, no path separators, no control characters. */
bool pv_gate_filename_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > PV_GATE_FILENAME_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			return false;
	return true;
}

int pv_gate_page_add(struct pv_gate_page *pg, struct pv_gate_file *f)
{
	int rc = page_take(pg, f);
	memset(f, 0, sizeof *f); /* pg owns it now, or it was freed */
	return rc;
}

void pv_gate_file_free(struct pv_gate_file *f)
{
	file_free(f);
}

/* ---------------- URLs ---------------- */

/* Length of "scheme:" when s starts with a URL scheme, else 0. */
static size_t scheme_len(const char *s)
{
	if (!isalpha((unsigned char)s[0]))
		return 0;
	size_t i = 1;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':' ? i + 1 : 0;
}

/* Remove "." and ".." segments from the path of an absolute URL in place
 * (RFC 3986 5.2.4), leaving scheme, authority and query alone. */
static void remove_dots(char *u)
{
	char *path = strstr(u, "://");
	if (!path)
		return;
	path = strchr(path + 3, '/');
	if (!path)
		return;
	size_t plen = strcspn(path, "?");
	char *q = path + plen;
	char *out = path; /* write position; out <= read position */
	const char *in = path;
	while (in < q) {
		const char *seg = in + 1; /* after the '/' */
		const char *end = memchr(seg, '/', (size_t)(q - seg));
		if (!end)
			end = q;
		size_t sl = (size_t)(end - seg);
		if (sl == 1 && seg[0] == '.') {
			if (end == q)
				*out++ = '/';
		} else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > path && *--out != '/')
				;
			if (end == q)
				*out++ = '/';
		} else {
			memmove(out, in, (size_t)(end - in));
			out += end - in;
		}
		in = end;
	}
	memmove(out, q, strlen(q) + 1);
	if (out == path && *path != '/') {
		/* everything was removed: keep the root */
		memmove(path + 1, path, strlen(path) + 1);
		*path = '/';
	}
}

/* Absolute http(s) URL of href (fragment removed) as seen on page_url;
 * *frag gets the fragment (or NULL). NULL when not http(s), too long, or
 * out of memory (*oom set). */
static char *resolve(const char *page_url, const char *href, const char **frag, bool *oom)
{
	size_t hl = strcspn(href, "#");
	*frag = href[hl] == '#' ? href + hl + 1 : NULL;
	size_t ps = scheme_len(page_url);
	if (ps == 0 || strncmp(page_url + ps, "//", 2) != 0)
		return NULL; /* we only ever fetch absolute http(s) pages */
	size_t auth_end = ps + 2 + strcspn(page_url + ps + 2, "/?#");
	size_t pre;
	bool slash = false;
	if (scheme_len(href)) {
		pre = 0;
	} else if (href[0] == '/' && href[1] == '/') {
		pre = ps;
	} else if (href[0] == '/') {
		pre = auth_end;
	} else {
		/* relative: the page's directory */
		pre = strcspn(page_url, "?#");
		while (pre > auth_end && page_url[pre - 1] != '/')
			pre--;
		slash = pre == auth_end;
	}
	if (pre + hl > PV_GATE_FIELD_MAX)
		return NULL;
	char *u = malloc(pre + hl + 2);
	if (!u) {
		*oom = true;
		return NULL;
	}
	memcpy(u, page_url, pre);
	size_t k = pre;
	if (slash)
		u[k++] = '/';
	memcpy(u + k, href, hl);
	u[k + hl] = '\0';
	remove_dots(u);
	if (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0) {
		free(u);
		return NULL;
	}
	return u;
}

/* The last path segment of url (for a link without text). */
static char *url_basename(const char *url)
{
	size_t n = strcspn(url, "?");
	size_t s = n;
	while (s > 0 && url[s - 1] != '/')
		s--;
	char *o = malloc(n - s + 1);
	if (o) {
		memcpy(o, url + s, n - s);
		o[n - s] = '\0';
	}
	return o;
}

/* "true" or "sha256=HEX" (PEP 658/714 attribute values): has metadata,
 * with its digest when given. */
static int meta_value(struct pv_gate_file *f, const char *v)
{
	if (strcasecmp(v, "true") == 0) {
		f->has_meta = true;
		return 0;
	}
	const char *eq = strchr(v, '=');
	if (!eq || eq == v)
		return 0;
	f->has_meta = true;
	if ((size_t)(eq - v) == 6 && strncasecmp(v, "sha256", 6) == 0 && !f->meta_sha256)
		f->meta_sha256 = pv_sha256_hex_norm(eq + 1, strlen(eq + 1));
	return 0;
}

/* Common tail of both parsers: url from href, sha256 from a #sha256=
 * fragment when no other digest was given, filename checked. Takes f.
 * 1 a usable file (kept, or dropped as a duplicate), 0 unusable, -1 ENOMEM. */
static int finish_file(struct pv_gate_page *pg, struct pv_gate_file *f, const char *page_url,
                       const char *href)
{
	const char *frag;
	bool oom = false;
	f->url = resolve(page_url, href, &frag, &oom);
	if (!f->url) {
		file_free(f);
		return oom ? -1 : 0;
	}
	if (!f->sha256 && frag && strncasecmp(frag, "sha256=", 7) == 0)
		f->sha256 = pv_sha256_hex_norm(frag + 7, strlen(frag + 7));
	if (!f->filename && !(f->filename = url_basename(f->url))) {
		file_free(f);
		return -1;
	}
	if (!pv_gate_filename_ok(f->filename)) {
		file_free(f);
		return 0;
	}
	return page_take(pg, f) == 0 ? 1 : -1;
}

/* Copy of an upstream string for output: bounded, valid UTF-8. NULL when
 * s is NULL or too long; *oom on allocation failure. */
static char *field(const char *s, bool *oom)
{
	if (!s || strlen(s) > PV_GATE_FIELD_MAX)
		return NULL;
	char *c = pv_utf8_clean(s);
	if (!c)
		*oom = true;
	return c;
}

/* ---------------- PEP 691 JSON ---------------- */

static const char *jstr(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* "core-metadata" / "dist-info-metadata": true, or {"sha256": HEX}. */
static void json_meta(struct pv_gate_file *f, json_object *fo, const char *key)
{
	json_object *m;
	if (!json_object_object_get_ex(fo, key, &m))
		return;
	if (json_object_is_type(m, json_type_boolean)) {
		f->has_meta = f->has_meta || json_object_get_boolean(m);
	} else if (json_object_is_type(m, json_type_object)) {
		f->has_meta = true;
		const char *h = jstr(m, "sha256");
		if (h && !f->meta_sha256)
			f->meta_sha256 = pv_sha256_hex_norm(h, strlen(h));
	}
}

static int json_file(struct pv_gate_page *pg, int upstream, const char *page_url, json_object *fo)
{
	const char *fn = jstr(fo, "filename"), *url = jstr(fo, "url");
	if (!fn || !url || strlen(url) > PV_GATE_FIELD_MAX || !pv_gate_filename_ok(fn))
		return 0;
	if (page_has(pg, fn))
		return 1; /* an earlier upstream's file of that name wins */
	struct pv_gate_file f = {.upstream = upstream};
	bool oom = false;
	json_object *hs, *y;
	f.filename = field(fn, &oom);
	if (json_object_object_get_ex(fo, "hashes", &hs)) {
		const char *h = jstr(hs, "sha256");
		f.sha256 = h ? pv_sha256_hex_norm(h, strlen(h)) : NULL;
	}
	f.requires_python = field(jstr(fo, "requires-python"), &oom);
	if (json_object_object_get_ex(fo, "yanked", &y)) {
		if (json_object_is_type(y, json_type_string)) {
			f.yanked = true;
			f.yanked_reason = field(json_object_get_string(y), &oom);
		} else {
			f.yanked = json_object_get_boolean(y);
		}
	}
	json_meta(&f, fo, "core-metadata");
	json_meta(&f, fo, "dist-info-metadata");
	if (oom || !f.filename) {
		file_free(&f);
		return -1;
	}
	return finish_file(pg, &f, page_url, url);
}

static int parse_json(struct pv_gate_page *pg, int upstream, const char *page_url, const char *body,
                      size_t len)
{
	if (len > INT32_MAX)
		return -2;
	json_tokener *tok = json_tokener_new();
	if (!tok)
		return -1;
	json_object *root = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	json_object *files;
	if (!root || !json_object_object_get_ex(root, "files", &files) ||
	    !json_object_is_type(files, json_type_array)) {
		json_object_put(root);
		return -2;
	}
	int listed = 0;
	size_t n = json_object_array_length(files);
	for (size_t i = 0; i < n && listed >= 0; i++) {
		int rc = json_file(pg, upstream, page_url, json_object_array_get_idx(files, i));
		listed = rc < 0 ? -1 : listed + (rc > 0 && listed < INT32_MAX);
	}
	json_object_put(root);
	return listed;
}

/* ---------------- PEP 503 HTML ---------------- */

/* Append code point cp as UTF-8 (invalid ones as U+FFFD). */
static void put_cp(struct pv_gate_buf *b, unsigned long cp)
{
	char u[4];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		pv_gate_buf_add(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		pv_gate_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		pv_gate_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		pv_gate_buf_add(b, u, 4);
	}
}

/* One character reference at s (after '&'), appended to b; returns the
 * bytes consumed after '&' (0: not a reference we know, '&' is literal). */
static size_t entity(struct pv_gate_buf *b, const char *s, const char *end)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t nl = strlen(named[i].name);
		if ((size_t)(end - s) >= nl && strncmp(s, named[i].name, nl) == 0) {
			pv_gate_buf_add(b, &named[i].c, 1);
			return nl;
		}
	}
	if (s < end && *s == '#') {
		bool hx = s + 1 < end && (s[1] == 'x' || s[1] == 'X');
		const char *p = s + 1 + hx;
		unsigned long cp = 0;
		size_t digits = 0;
		while (p < end && (hx ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)) && digits < 8) {
			int d = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;
			cp = cp * (hx ? 16 : 10) + (unsigned long)d;
			p++, digits++;
		}
		if (digits == 0)
			return 0;
		if (p < end && *p == ';')
			p++;
		put_cp(b, cp);
		return (size_t)(p - s);
	}
	return 0;
}

/* Decoded (character references resolved) copy of s[0..n), bounded. */
static char *decode(const char *s, size_t n, bool *oom)
{
	if (n > PV_GATE_FIELD_MAX)
		return NULL;
	struct pv_gate_buf b = {0};
	const char *end = s + n;
	pv_gate_buf_add(&b, "", 0);
	while (s < end) {
		size_t k = strcspn(s, "&");
		if (k > (size_t)(end - s))
			k = (size_t)(end - s);
		pv_gate_buf_add(&b, s, k);
		s += k;
		if (s < end) {
			size_t used = entity(&b, s + 1, end);
			if (!used)
				pv_gate_buf_add(&b, "&", 1);
			s += 1 + used;
		}
	}
	if (b.oom) {
		free(b.p);
		*oom = true;
		return NULL;
	}
	return b.p;
}

struct attr {
	const char *name, *val;
	size_t nlen, vlen;
	bool has_val;
};

/* The next attribute of a tag at *p (within end); 1 found, 0 at '>' or
 * end of tag. */
static int next_attr(const char **p, const char *end, struct attr *a)
{
	const char *s = *p;
	while (s < end && (isspace((unsigned char)*s) || *s == '/'))
		s++;
	if (s >= end || *s == '>') {
		*p = s;
		return 0;
	}
	memset(a, 0, sizeof *a);
	a->name = s;
	while (s < end && !isspace((unsigned char)*s) && *s != '=' && *s != '>' && *s != '/')
		s++;
	a->nlen = (size_t)(s - a->name);
	if (a->nlen == 0) /* a stray character: skip it */
		s++;
	const char *t = s;
	while (t < end && isspace((unsigned char)*t))
		t++;
	if (t < end && *t == '=') {
		t++;
		while (t < end && isspace((unsigned char)*t))
			t++;
		a->has_val = true;
		if (t < end && (*t == '"' || *t == '\'')) {
			char q = *t++;
			a->val = t;
			while (t < end && *t != q)
				t++;
			a->vlen = (size_t)(t - a->val);
			s = t < end ? t + 1 : t;
		} else {
			a->val = t;
			while (t < end && !isspace((unsigned char)*t) && *t != '>')
				t++;
			a->vlen = (size_t)(t - a->val);
			s = t;
		}
	}
	*p = s;
	return 1;
}

static bool attr_is(const struct attr *a, const char *name)
{
	return a->nlen == strlen(name) && strncasecmp(a->name, name, a->nlen) == 0;
}

/* The attributes of one <a ...> tag into f; *href the decoded href (or NULL). */
static int anchor_attrs(struct pv_gate_file *f, const char *s, const char *end, char **href)
{
	struct attr a;
	bool oom = false;
	while (next_attr(&s, end, &a)) {
		bool meta = attr_is(&a, "data-core-metadata") || attr_is(&a, "data-dist-info-metadata");
		if (attr_is(&a, "href") && a.has_val && !*href) {
			*href = decode(a.val, a.vlen, &oom);
		} else if (attr_is(&a, "data-requires-python") && a.has_val && !f->requires_python) {
			char *v = decode(a.val, a.vlen, &oom);
			f->requires_python = field(v, &oom);
			free(v);
		} else if (attr_is(&a, "data-yanked")) {
			f->yanked = true;
			char *v = a.has_val && a.vlen ? decode(a.val, a.vlen, &oom) : NULL;
			if (v && *v && !f->yanked_reason)
				f->yanked_reason = field(v, &oom);
			free(v);
		} else if (meta && a.has_val) {
			char *v = decode(a.val, a.vlen, &oom);
			if (v)
				meta_value(f, v);
			free(v);
		}
		if (oom)
			return -1;
	}
	return 0;
}

/* The text of a link: decoded, surrounding whitespace removed. */
static char *anchor_text(const char *s, size_t n, bool *oom)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	char *d = decode(s, n, oom);
	if (!d)
		return NULL;
	char *c = field(d, oom);
	free(d);
	return c;
}

/* Case-insensitive search for needle in [s, end). */
static const char *find_ci(const char *s, const char *end, const char *needle)
{
	size_t nl = strlen(needle);
	for (; s + nl <= end; s++)
		if (strncasecmp(s, needle, nl) == 0)
			return s;
	return NULL;
}

/* One anchor starting after "<a"; *next gets where scanning resumes. */
static int html_anchor(struct pv_gate_page *pg, int upstream, const char *page_url, const char *s,
                       const char *end, const char **next)
{
	const char *gt = memchr(s, '>', (size_t)(end - s));
	if (!gt) {
		*next = end;
		return 0;
	}
	const char *close = find_ci(gt + 1, end, "</a");
	*next = close ? close : gt + 1;
	struct pv_gate_file f = {.upstream = upstream};
	char *href = NULL;
	bool oom = false;
	if (anchor_attrs(&f, s, gt, &href) != 0)
		oom = true;
	if (!oom && close)
		f.filename = anchor_text(gt + 1, (size_t)(close - gt - 1), &oom);
	if (oom || !href) {
		free(href);
		file_free(&f);
		return oom ? -1 : 0;
	}
	int rc = finish_file(pg, &f, page_url, href);
	free(href);
	return rc;
}

static int parse_html(struct pv_gate_page *pg, int upstream, const char *page_url, const char *body,
                      size_t len)
{
	const char *s = body, *end = body + len;
	int listed = 0;
	while (listed >= 0 && (s = find_ci(s, end, "<a")) != NULL) {
		s += 2;
		if (s < end && !isspace((unsigned char)*s))
			continue; /* <abbr>, <area>, ... */
		int rc = html_anchor(pg, upstream, page_url, s, end, &s);
		listed = rc < 0 ? -1 : listed + (rc > 0 && listed < INT32_MAX);
	}
	return listed;
}

int pv_gate_page_parse(struct pv_gate_page *pg, int upstream, const char *page_url, const char *body,
                       size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	if (i < len && body[i] == '{')
		return parse_json(pg, upstream, page_url, body, len);
	if (!find_ci(body, body + len, "<html") && !find_ci(body, body + len, "<a") &&
	    !find_ci(body, body + len, "<!doctype"))
		return -2;
	return parse_html(pg, upstream, page_url, body, len);
}

/* ---------------- output ---------------- */

static int jadd(json_object *o, const char *k, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, k, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static json_object *json_meta_out(const struct pv_gate_file *f)
{
	if (!f->meta_sha256)
		return json_object_new_boolean(1);
	json_object *m = json_object_new_object();
	if (m && jadd(m, "sha256", json_object_new_string(f->meta_sha256)) != 0) {
		json_object_put(m);
		return NULL;
	}
	return m;
}

static json_object *json_file_out(const struct pv_gate_file *f, const char *href)
{
	json_object *o = json_object_new_object(), *h = json_object_new_object();
	int bad = !o || !h;
	if (!bad && f->sha256)
		bad |= jadd(h, "sha256", json_object_new_string(f->sha256));
	if (!bad) {
		bad |= jadd(o, "hashes", h);
		h = NULL;
	}
	bad |= bad || jadd(o, "filename", json_object_new_string(f->filename));
	bad |= bad || jadd(o, "url", json_object_new_string(href));
	if (!bad && f->requires_python)
		bad |= jadd(o, "requires-python", json_object_new_string(f->requires_python));
	if (!bad)
		bad |= jadd(o, "yanked",
		            f->yanked && f->yanked_reason ? json_object_new_string(f->yanked_reason)
		                                          : json_object_new_boolean(f->yanked));
	if (!bad && f->has_meta) {
		bad |= jadd(o, "core-metadata", json_meta_out(f));
		bad |= bad || jadd(o, "dist-info-metadata", json_meta_out(f));
	}
	json_object_put(h);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static char *render_json(const struct pv_gate_page *pg, const char *project, const char *const *hrefs,
                         size_t *len)
{
	json_object *root = json_object_new_object(), *meta = json_object_new_object();
	json_object *files = json_object_new_array();
	int bad = !root || !meta || !files;
	if (!bad && jadd(meta, "api-version", json_object_new_string("1.0")) != 0)
		bad = 1;
	for (size_t i = 0; !bad && i < pg->n; i++) {
		json_object *fo = json_file_out(&pg->files[i], hrefs[i]);
		if (!fo || json_object_array_add(files, fo) != 0) {
			json_object_put(fo);
			bad = 1;
		}
	}
	if (!bad) {
		bad |= jadd(root, "meta", meta);
		meta = NULL;
	}
	bad |= bad || jadd(root, "name", json_object_new_string(project));
	if (!bad) {
		bad |= jadd(root, "files", files);
		files = NULL;
	}
	char *out = NULL;
	if (!bad) {
		size_t n = 0;
		const char *s = json_object_to_json_string_length(
		    root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
		if (s && (out = malloc(n + 1)) != NULL) {
			memcpy(out, s, n + 1);
			*len = n;
		}
	}
	json_object_put(meta);
	json_object_put(files);
	json_object_put(root);
	return out;
}

static void html_file(struct pv_gate_buf *b, const struct pv_gate_file *f, const char *href)
{
	pv_gate_buf_str(b, "<a href=\"");
	buf_html(b, href);
	if (f->sha256) {
		pv_gate_buf_str(b, "#sha256=");
		pv_gate_buf_str(b, f->sha256);
	}
	pv_gate_buf_str(b, "\"");
	if (f->requires_python) {
		pv_gate_buf_str(b, " data-requires-python=\"");
		buf_html(b, f->requires_python);
		pv_gate_buf_str(b, "\"");
	}
	if (f->yanked) {
		pv_gate_buf_str(b, " data-yanked=\"");
		buf_html(b, f->yanked_reason ? f->yanked_reason : "");
		pv_gate_buf_str(b, "\"");
	}
	if (f->has_meta) {
		const char *v = f->meta_sha256 ? f->meta_sha256 : NULL;
		for (int k = 0; k < 2; k++) {
			pv_gate_buf_str(b, k ? " data-dist-info-metadata=\"" : " data-core-metadata=\"");
			pv_gate_buf_str(b, v ? "sha256=" : "true");
			if (v)
				pv_gate_buf_str(b, v);
			pv_gate_buf_str(b, "\"");
		}
	}
	pv_gate_buf_str(b, ">");
	buf_html(b, f->filename);
	pv_gate_buf_str(b, "</a><br/>\n");
}

static char *render_html(const struct pv_gate_page *pg, const char *project, const char *const *hrefs,
                         size_t *len)
{
	struct pv_gate_buf b = {0};
	pv_gate_buf_str(&b, "<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" "
	                    "content=\"1.0\"><title>Links for ");
	buf_html(&b, project);
	pv_gate_buf_str(&b, "</title></head><body><h1>Links for ");
	buf_html(&b, project);
	pv_gate_buf_str(&b, "</h1>\n");
	for (size_t i = 0; i < pg->n; i++)
		html_file(&b, &pg->files[i], hrefs[i]);
	pv_gate_buf_str(&b, "</body></html>\n");
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

char *pv_gate_page_render(const struct pv_gate_page *pg, const char *project, const char *const *hrefs,
                          bool json, size_t *len)
{
	return json ? render_json(pg, project, hrefs, len) : render_html(pg, project, hrefs, len);
}
