/* downloads.c - weekly download counts (npm downloads API, pypistats.org).
 * See downloads.h. */
#include "downloads.h"
#include "breaker.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "cache.h"
#include "http.h"
#include "pep440.h"

#define PLACEHOLDER "{name}"
/* The answers are flat objects; anything deeper is not one of them. */
#define JSON_DEPTH 8
/* Longest name we look up: npm allows 214 characters, PyPI has no limit but
 * no real project name comes near this. */
#define NAME_MAX_LEN 1024

/* Format a one-line reason into why (control characters from URLs or server
 * messages are replaced so the line stays one line). Returns -1 for the
 * caller's convenience. */
__attribute__((format(printf, 3, 4)))
static long long fail(char *why, size_t whylen, const char *fmt, ...)
{
	if (!why || !whylen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	for (char *p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

static bool unreserved(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '.' || ch == '_' || ch == '~';
}

/* Percent-encode name into a malloc'd string. With scoped, the leading '@'
 * and the first '/' stay literal: the npm downloads API takes /@scope/name
 * as two path segments and does not decode %2F there. */
static char *encode_name(const char *name, bool scoped)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(name);
	char *out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	char *o = out;
	bool slash_kept = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		bool literal = unreserved(ch);
		if (scoped && i == 0 && ch == '@')
			literal = true;
		if (scoped && ch == '/' && !slash_kept) {
			literal = true;
			slash_kept = true;
		}
		if (literal) {
			*o++ = (char)ch;
		} else {
			*o++ = '%';
			*o++ = hex[ch >> 4];
			*o++ = hex[ch & 15];
		}
	}
	*o = '\0';
	return out;
}

/* The template with every {name} replaced by enc; NULL when out of memory.
 * The caller has checked that the template contains {name}. */
static char *expand(const char *tmpl, const char *enc)
{
	size_t pl = strlen(PLACEHOLDER), el = strlen(enc), count = 0;
	for (const char *p = strstr(tmpl, PLACEHOLDER); p; p = strstr(p + pl, PLACEHOLDER))
		count++;
	size_t tl = strlen(tmpl);
	/* el <= 3 * NAME_MAX_LEN and templates are policy strings, so this cannot
	 * overflow in practice; check anyway since both come from outside. */
	if (el > pl && count > (SIZE_MAX - tl - 1) / (el - pl))
		return NULL;
	char *out = malloc(tl + count * (el > pl ? el - pl : 0) + 1);
	if (!out)
		return NULL;
	char *o = out;
	const char *s = tmpl;
	for (const char *p = strstr(s, PLACEHOLDER); p; p = strstr(s, PLACEHOLDER)) {
		memcpy(o, s, (size_t)(p - s));
		o += p - s;
		memcpy(o, enc, el);
		o += el;
		s = p + pl;
	}
	strcpy(o, s);
	return out;
}

/* Parse the API's answer. Returns the count >= 0, or -1 with why set. */
static long long parse_count(const char *body, size_t len, bool npm, char *why, size_t whylen)
{
	if (len == 0)
		return fail(why, whylen, "malformed answer: empty body");
	if (len > INT32_MAX)  /* json-c takes an int length; bounded far below anyway */
		return fail(why, whylen, "malformed answer: too large");
	json_tokener *tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok)
		return fail(why, whylen, "out of memory");
	json_object *root = json_tokener_parse_ex(tok, body, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!root || jerr != json_tokener_success) {
		json_object_put(root);
		return fail(why, whylen, "malformed answer: not JSON (%s)",
		            jerr == json_tokener_continue ? "unexpected end of input"
		                                          : json_tokener_error_desc(jerr));
	}
	for (; end < len; end++)
		if (!strchr(" \t\r\n", body[end])) {
			json_object_put(root);
			return fail(why, whylen, "malformed answer: trailing data after the JSON value");
		}
	long long n = -1;
	json_object *obj = root, *v = NULL;
	const char *field = npm ? "downloads" : "data.last_week";
	if (!json_object_is_type(root, json_type_object)) {
		fail(why, whylen, "malformed answer: not a JSON object");
		goto done;
	}
	if (!npm && (!json_object_object_get_ex(root, "data", &obj) ||
	             !json_object_is_type(obj, json_type_object))) {
		fail(why, whylen, "malformed answer: no \"data\" object");
		goto done;
	}
	if (!json_object_object_get_ex(obj, npm ? "downloads" : "last_week", &v)) {
		fail(why, whylen, "malformed answer: no \"%s\"", field);
		goto done;
	}
	/* Only a JSON integer: 1.5, "12" or true are not counts. */
	if (!json_object_is_type(v, json_type_int)) {
		fail(why, whylen, "malformed answer: \"%s\" is not an integer", field);
		goto done;
	}
	int64_t val = json_object_get_int64(v);
	if (val < 0) {
		fail(why, whylen, "malformed answer: \"%s\" is negative (%" PRId64 ")", field, val);
		goto done;
	}
	/* json-c clamps integers beyond int64 to INT64_MAX; no package has that many. */
	if (val == INT64_MAX) {
		fail(why, whylen, "malformed answer: \"%s\" is out of range", field);
		goto done;
	}
	n = (long long)val;
done:
	json_object_put(root);
	return n;
}

/* A cached entry is the count in decimal; anything else is ignored. */
static long long parse_cached(const char *body, size_t len)
{
	if (len == 0 || len > 20 || strlen(body) != len)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (body[i] < '0' || body[i] > '9')
			return -1;
	errno = 0;
	char *end = NULL;
	long long n = strtoll(body, &end, 10);
	if (errno || !end || *end)
		return -1;
	return n;
}

/* Why the request failed, as one line. */
static void http_reason(const struct pv_http_req *req, char *why, size_t whylen)
{
	switch (req->result) {
	case PV_HTTP_HTTP_ERROR:
		if (req->status == 404)
			fail(why, whylen, "not found (HTTP 404 from %s): no download statistics", req->url);
		else
			fail(why, whylen, "HTTP %ld from %s", req->status, req->url);
		break;
	case PV_HTTP_NOT_MODIFIED:  /* we never send an ETag, so this is the server's fault */
		fail(why, whylen, "unexpected HTTP 304 from %s", req->url);
		break;
	default:
		fail(why, whylen, "%s: %s", pv_http_result_name(req->result),
		     req->err[0] ? req->err : req->url);
		break;
	}
}

long long pv_downloads_weekly(const char *url_template, const char *ecosystem, const char *name,
                              struct pv_cache *cache, const struct pv_http_opts *http,
                              char *why, size_t whylen)
{
	if (why && whylen)
		why[0] = '\0';
	if (!url_template || !ecosystem || !name)
		return fail(why, whylen, "bad argument (NULL)");
	bool npm;
	if (strcasecmp(ecosystem, "npm") == 0)
		npm = true;
	else if (strcasecmp(ecosystem, "pypi") == 0)
		npm = false;
	else
		return fail(why, whylen, "no download statistics for ecosystem \"%.40s\"", ecosystem);
	if (!strstr(url_template, PLACEHOLDER))
		return fail(why, whylen, "download URL template has no {name}: %.200s", url_template);
	size_t nlen = strlen(name);
	if (nlen == 0 || nlen > NAME_MAX_LEN)
		return fail(why, whylen, "bad package name (empty or longer than %d)", NAME_MAX_LEN);

	/* PyPI: the statistics are keyed by the normalised name. */
	char norm[NAME_MAX_LEN + 1];
	const char *lookup = name;
	if (!npm) {
		if (pv_pep503_normalize(name, norm, sizeof norm) < 0)
			return fail(why, whylen, "not a valid PyPI project name: %.200s", name);
		lookup = norm;
	}

	long long n = -1;
	char *key = NULL, *enc = NULL, *url = NULL, *cbody = NULL;
	struct pv_http_req req = {0};
	size_t klen = strlen(lookup) + 32;
	key = malloc(klen);
	if (!key) {
		fail(why, whylen, "out of memory");
		goto done;
	}
	snprintf(key, klen, "downloads:%s:%s", npm ? "npm" : "pypi", lookup);

	if (cache) {
		size_t clen = 0;
		bool fresh = false;
		if (pv_cache_get_meta(cache, key, PV_DOWNLOADS_TTL_S, &cbody, &clen, NULL, &fresh) ==
		        PV_CACHE_OK && fresh) {
			n = parse_cached(cbody, clen);
			if (n >= 0)
				goto done;
			/* A damaged entry: fetch again and overwrite it. */
		}
	}

	enc = encode_name(lookup, npm && lookup[0] == '@' && strchr(lookup, '/'));
	url = enc ? expand(url_template, enc) : NULL;
	if (!url) {
		fail(why, whylen, "out of memory");
		goto done;
	}
	if (pv_breaker_is_open(url_template, why, whylen))
		goto done;
	req.url = url;
	req.accept = "application/json";
	req.max_body = PV_DOWNLOADS_BODY_MAX;
	pv_http_fetch(&req, http);
	if (req.result != PV_HTTP_OK) {
		http_reason(&req, why, whylen);
		if (pv_breaker_trips(req.result, req.status))
			pv_breaker_trip(url_template, why);
		goto done;
	}
	n = parse_count(req.body, req.len, npm, why, whylen);
	if (n >= 0 && cache) {
		char num[32];
		int w = snprintf(num, sizeof num, "%lld", n);
		/* The cache only saves requests: a failed write changes nothing else. */
		if (w > 0 && (size_t)w < sizeof num)
			(void)pv_cache_put_meta(cache, key, num, (size_t)w, NULL);
	}
done:
	pv_http_req_free(&req);
	free(cbody);
	free(url);
	free(enc);
	free(key);
	return n;
}
