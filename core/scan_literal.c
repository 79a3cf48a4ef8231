/* scan_literal.c - language-neutral checks on one string literal:
 * shady-url, sensitive-read (credential paths, token env var names) and
 * obfuscation (long base64 / hex blobs, very high entropy).
 *
 * pv_scan_literal is called for every string literal of every file, so the
 * common path (short, plain strings) does a few byte tests and returns; it
 * never allocates. */
#include "analyze.h"
#include "bytes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- byte helpers (locale-independent) ---------------------------------- */

static inline bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alnum(unsigned char c)
{
	return is_alpha(c) || is_digit(c);
}

static inline bool is_hexdig(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* ---- secret environment variable names ---------------------------------- */

static const char *const secret_env_exact[] = {
	"npm_token", "node_auth_token", "github_token", "gh_token", "gitlab_token",
	"aws_access_key_id", "aws_secret_access_key", "aws_session_token",
	"google_application_credentials", "pypi_token", "twine_password",
	"docker_password", "slack_token", "npm_config__authtoken", "npm_config__auth",
	"gh_enterprise_token", "github_pat", "ci_job_token", "circle_token",
	"heroku_api_key", "openai_api_key", "azure_client_secret",
	"digitalocean_access_token", "vault_token", "travis_token",
};

/* Suffixes that make an UPPER_CASE name a secret. Longest first is not
 * needed: any match is enough. */
static const char *const secret_env_suffix[] = {
	"_token", "_secret", "_secret_key", "_password", "_passwd", "_api_key",
	"_apikey", "_private_key", "_access_key", "_auth_token", "_secret_access_key",
};

/* Last word before _TOKEN that marks a lexer/ML-tokenizer constant
 * (PAD_TOKEN, EOF_TOKEN, CSRF_TOKEN...), not a credential. */
static const char *const token_not_secret[] = {
	"csrf", "xsrf", "eof", "end", "start", "begin", "open", "close", "string",
	"number", "ident", "identifier", "invalid", "unknown", "next", "page",
	"cancel", "cancellation", "max", "min", "special", "separator", "sep",
	"pad", "bos", "eos", "unk", "mask", "cls", "sentinel", "empty", "null",
	"dummy", "placeholder", "injection", "di", "service", "route", "sync", "header",
	"type", "kind", "lexer", "syntax", "escape", "entry",
};

/* Prefixes of build-config / API constant names, not env vars. */
static const char *const env_not_secret_prefix[] = {
	"have_", "curlopt_", "curlinfo_", "err_", "error_", "errors_", "msg_", "sqlite_",
};

bool pv_is_secret_env_name(const char *name, size_t n)
{
	if (!name || n < 4 || n > 128)
		return false;
	if (is_digit((unsigned char)name[0]))
		return false;
	bool has_lower = false, has_upper = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c >= 'a' && c <= 'z')
			has_lower = true;
		else if (c >= 'A' && c <= 'Z')
			has_upper = true;
		else if (!is_digit(c) && c != '_')
			return false;
	}
	if (!has_lower && !has_upper)
		return false;
	for (size_t i = 0; i < sizeof secret_env_exact / sizeof *secret_env_exact; i++)
		if (pv_ieq(name, n, secret_env_exact[i]))
			return true;
	/* Patterns only for env-var-looking (UPPER_CASE) names: lowercase
	 * "access_token" / "api_key" are everyday object keys, not env vars. */
	if (has_lower)
		return false;
	for (size_t i = 0; i < sizeof env_not_secret_prefix / sizeof *env_not_secret_prefix; i++)
		if (pv_istarts(name, n, env_not_secret_prefix[i]))
			return false;
	/* *CREDENTIALS* */
	for (size_t i = 0; i + 11 <= n; i++)
		if (pv_istarts(name + i, n - i, "credentials"))
			return true;
	/* AZURE_*SECRET* */
	if (pv_istarts(name, n, "azure_"))
		for (size_t i = 6; i + 6 <= n; i++)
			if (pv_istarts(name + i, n - i, "secret"))
				return true;
	for (size_t k = 0; k < sizeof secret_env_suffix / sizeof *secret_env_suffix; k++) {
		size_t m = strlen(secret_env_suffix[k]);
		if (n <= m || !pv_ieq(name + n - m, m, secret_env_suffix[k]))
			continue;
		if (k == 0) { /* _TOKEN: skip lexer / tokenizer constants */
			size_t end = n - m, b = end;
			while (b > 0 && name[b - 1] != '_')
				b--;
			for (size_t j = 0; j < sizeof token_not_secret / sizeof *token_not_secret; j++)
				if (pv_ieq(name + b, end - b, token_not_secret[j]))
					return false;
		}
		return true;
	}
	return false;
}

/* ---- shady hosts --------------------------------------------------------- */

enum {
	H_FILEY = 1,   /* name doubles as a file name (transfer.sh): bare host needs a path */
	H_DISCORD = 2, /* only /api/webhooks paths are shady */
};

struct shady_host {
	const char *host; /* lowercase; matched as a suffix on a label boundary */
	const char *why;
	unsigned flags;
};

static const struct shady_host shady_hosts[] = {
	/* paste sites */
	{"pastebin.com", "paste site", 0},
	{"pastebin.pl", "paste site", 0},
	{"paste.ee", "paste site", 0},
	{"hastebin.com", "paste site", 0},
	{"hastebin.skyra.pw", "paste site", 0},
	{"toptal.com/developers/hastebin", "paste site", 0}, /* handled via path below */
	{"ghostbin.co", "paste site", 0},
	{"ghostbin.com", "paste site", 0},
	{"rentry.co", "paste site", 0},
	{"rentry.org", "paste site", 0},
	{"controlc.com", "paste site", 0},
	{"pastes.io", "paste site", 0},
	{"paste.rs", "paste site", H_FILEY},
	{"dpaste.com", "paste site", 0},
	{"dpaste.org", "paste site", 0},
	{"justpaste.it", "paste site", 0},
	{"privatebin.net", "paste site", 0},
	{"termbin.com", "paste site", 0},
	{"ix.io", "paste site", H_FILEY},
	{"sprunge.us", "paste site", 0},
	{"paste.c-net.org", "paste site", 0},
	{"pastefs.com", "paste site", 0},
	/* webhooks and bot APIs */
	{"discord.com", "Discord webhook", H_DISCORD},
	{"discordapp.com", "Discord webhook", H_DISCORD},
	{"api.telegram.org", "Telegram bot API", 0},
	/* request bins and out-of-band (OAST) hosts */
	{"requestbin.net", "request bin", 0},
	{"requestbin.com", "request bin", 0},
	{"pipedream.net", "request bin", 0},
	{"webhook.site", "request bin", 0},
	{"requestcatcher.com", "request bin", 0},
	{"beeceptor.com", "request bin", 0},
	{"hookbin.com", "request bin", 0},
	{"postb.in", "request bin", 0},
	{"burpcollaborator.net", "out-of-band testing host", 0},
	{"oastify.com", "out-of-band testing host", 0},
	{"interact.sh", "out-of-band testing host", H_FILEY},
	{"oast.fun", "out-of-band testing host", 0},
	{"oast.pro", "out-of-band testing host", 0},
	{"oast.live", "out-of-band testing host", 0},
	{"oast.site", "out-of-band testing host", 0},
	{"oast.online", "out-of-band testing host", 0},
	{"oast.me", "out-of-band testing host", 0},
	{"canarytokens.com", "canary token host", 0},
	{"canarytokens.org", "canary token host", 0},
	{"canarytokens.net", "canary token host", 0},
	{"dnslog.cn", "DNS logging host", 0},
	{"ceye.io", "DNS logging host", 0},
	{"dnslog.link", "DNS logging host", 0},
	/* tunnels */
	{"ngrok.io", "tunnel", 0},
	{"ngrok.app", "tunnel", 0},
	{"ngrok-free.app", "tunnel", 0},
	{"ngrok-free.dev", "tunnel", 0},
	{"ngrok.dev", "tunnel", 0},
	{"trycloudflare.com", "tunnel", 0},
	{"serveo.net", "tunnel", 0},
	{"localtunnel.me", "tunnel", 0},
	{"loca.lt", "tunnel", 0},
	{"portmap.io", "tunnel", 0},
	{"portmap.host", "tunnel", 0},
	{"localhost.run", "tunnel", 0},
	{"lhr.life", "tunnel", 0},
	{"pagekite.me", "tunnel", 0},
	{"bore.pub", "tunnel", 0},
	/* URL shorteners */
	{"bit.ly", "URL shortener", 0},
	{"tinyurl.com", "URL shortener", 0},
	{"goo.gl", "URL shortener", 0},
	{"t.co", "URL shortener", 0},
	{"is.gd", "URL shortener", 0},
	{"v.gd", "URL shortener", 0},
	{"cutt.ly", "URL shortener", 0},
	{"rebrand.ly", "URL shortener", 0},
	{"shorturl.at", "URL shortener", 0},
	{"ow.ly", "URL shortener", 0},
	{"t.ly", "URL shortener", 0},
	{"rb.gy", "URL shortener", 0},
	{"tiny.cc", "URL shortener", 0},
	{"s.id", "URL shortener", 0},
	/* anonymous file droppers */
	{"transfer.sh", "anonymous file drop", H_FILEY},
	{"anonfiles.com", "anonymous file drop", 0},
	{"anonfile.com", "anonymous file drop", 0},
	{"file.io", "anonymous file drop", H_FILEY},
	{"temp.sh", "anonymous file drop", H_FILEY},
	{"0x0.st", "anonymous file drop", 0},
	{"gofile.io", "anonymous file drop", 0},
	{"catbox.moe", "anonymous file drop", 0},
	{"filebin.net", "anonymous file drop", 0},
	{"bashupload.com", "anonymous file drop", 0},
	{"oshi.at", "anonymous file drop", 0},
};

#define HOST_MAX 256

/* Is the lowercase host h[0..hn) equal to suffix or a subdomain of it? */
static bool host_is(const char *h, size_t hn, const char *suffix)
{
	size_t m = strlen(suffix);
	if (hn < m || memcmp(h + hn - m, suffix, m) != 0)
		return false;
	return hn == m || h[hn - m - 1] == '.';
}

/* Parse a dotted quad. Returns true and fills q[4]. */
static bool parse_ipv4(const char *h, size_t hn, unsigned q[4])
{
	size_t i = 0;
	for (int k = 0; k < 4; k++) {
		if (i >= hn || !is_digit((unsigned char)h[i]))
			return false;
		unsigned v = 0;
		size_t d = 0;
		while (i < hn && is_digit((unsigned char)h[i])) {
			v = v * 10 + (unsigned)(h[i] - '0');
			if (++d > 3)
				return false;
			i++;
		}
		if (v > 255)
			return false;
		q[k] = v;
		if (k < 3) {
			if (i >= hn || h[i] != '.')
				return false;
			i++;
		}
	}
	return i == hn;
}

/* Loopback, unspecified, private, link-local, documentation, multicast:
 * addresses that are not a remote public server. */
static bool ipv4_is_benign(const unsigned q[4])
{
	if (q[0] == 0 || q[0] == 127 || q[0] == 10)
		return true;
	if (q[0] == 172 && q[1] >= 16 && q[1] <= 31)
		return true;
	if (q[0] == 192 && q[1] == 168)
		return true;
	if (q[0] == 169 && q[1] == 254)
		return true;
	if (q[0] == 100 && q[1] >= 64 && q[1] <= 127) /* CGNAT */
		return true;
	if (q[0] == 192 && q[1] == 0 && (q[2] == 0 || q[2] == 2)) /* IETF special, TEST-NET-1 */
		return true;
	if (q[0] == 198 && q[1] == 51 && q[2] == 100)
		return true;
	if (q[0] == 203 && q[1] == 0 && q[2] == 113)
		return true;
	if (q[0] == 198 && (q[1] == 18 || q[1] == 19)) /* benchmarking */
		return true;
	if (q[0] >= 224) /* multicast, reserved, broadcast */
		return true;
	return false;
}

static bool ipv6_is_benign(const char *h, size_t hn)
{
	if (hn == 0)
		return true;
	if (pv_ieq(h, hn, "::1") || pv_ieq(h, hn, "::") || pv_ieq(h, hn, "0:0:0:0:0:0:0:1"))
		return true;
	if (pv_istarts(h, hn, "fe8") || pv_istarts(h, hn, "fe9") || pv_istarts(h, hn, "fea") ||
	    pv_istarts(h, hn, "feb") || pv_istarts(h, hn, "fc") || pv_istarts(h, hn, "fd") ||
	    pv_istarts(h, hn, "ff") || pv_istarts(h, hn, "2001:db8:") || pv_istarts(h, hn, "::ffff:127.") ||
	    pv_istarts(h, hn, "::ffff:10.") || pv_istarts(h, hn, "::ffff:192.168."))
		return true;
	return false;
}

/* "http://758713353/" or "http://0x2d210c09/": an IPv4 address written as
 * one number, a trick to hide the address. 0 and loopback excluded. */
static bool numeric_host(const char *h, size_t hn)
{
	unsigned long long v = 0;
	if (hn > 2 && h[0] == '0' && h[1] == 'x') {
		if (hn > 10)
			return false;
		for (size_t i = 2; i < hn; i++) {
			if (!is_hexdig((unsigned char)h[i]))
				return false;
			unsigned char c = (unsigned char)h[i];
			v = v * 16 + (unsigned)(is_digit(c) ? c - '0' : pv_lc(c) - 'a' + 10);
		}
	} else {
		if (hn < 8 || hn > 10)
			return false;
		for (size_t i = 0; i < hn; i++) {
			if (!is_digit((unsigned char)h[i]))
				return false;
			v = v * 10 + (unsigned)(h[i] - '0');
		}
	}
	if (v > 0xFFFFFFFFull)
		return false;
	unsigned q[4] = {(unsigned)(v >> 24), (unsigned)(v >> 16) & 255, (unsigned)(v >> 8) & 255,
	                 (unsigned)v & 255};
	return !ipv4_is_benign(q);
}

/* A URL whose path names a Windows executable or script: droppers fetch
 * their payload from such a fixed link. (Release downloads of legitimate
 * tools are built from version variables, not written out whole.) */
static const char *exe_link(const char *rest, size_t rn)
{
	static const char *const ext[][2] = {
		{".exe", "direct link to a Windows executable"}, {".scr", "direct link to a Windows executable"},
		{".msi", "direct link to a Windows installer"}, {".dll", "direct link to a Windows library"},
		{".bat", "direct link to a Windows script"}, {".cmd", "direct link to a Windows script"},
		{".vbs", "direct link to a Windows script"}, {".ps1", "direct link to a PowerShell script"},
		{".hta", "direct link to an HTML application"},
	};
	size_t e = 0;
	while (e < rn && rest[e] != '?' && rest[e] != '#' && (unsigned char)rest[e] > ' ' &&
	       rest[e] != '"' && rest[e] != '\'' && rest[e] != '`')
		e++;
	if (e < 6 || rest[0] != '/')
		return NULL;
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
		size_t m = strlen(ext[i][0]);
		bool match = true;
		for (size_t k = 0; k < m && match; k++)
			match = pv_lc((unsigned char)rest[e - m + k]) == (unsigned char)ext[i][0][k];
		if (match)
			return ext[i][1];
	}
	return NULL;
}

static void emit_url(const struct pv_source *src, size_t off, uint32_t row,
                     struct pv_findings *out, const char *host, size_t hn, const char *why)
{
	char detail[HOST_MAX + 64];
	snprintf(detail, sizeof detail, "%.*s: %s", (int)hn, host, why);
	pv_emit(out, src, "shady-url", off, row, detail);
}

static bool is_host_char(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '-' || c == '_';
}

/* Judge one URL whose authority starts at a (after "scheme://" or "//", or
 * the start of a bare host). bare: no scheme was seen. */
static void check_authority(const struct pv_source *src, size_t off, uint32_t row,
                            const char *a, size_t an, bool bare, struct pv_findings *out)
{
	/* End of authority. */
	size_t e = 0;
	while (e < an) {
		unsigned char c = (unsigned char)a[e];
		if (c == '/' || c == '?' || c == '#' || c == '\\' || c <= ' ' || c == '"' ||
		    c == '\'' || c == '`' || c == '<' || c == '>' || c == ')' || c == ',' || c == ';')
			break;
		e++;
	}
	const char *h = a;
	size_t hn = e;
	/* Strip userinfo. */
	for (size_t i = e; i > 0; i--)
		if (a[i - 1] == '@') {
			if (bare)
				return; /* "user@host" without scheme: an email address */
			h = a + i;
			hn = e - i;
			break;
		}
	if (hn == 0)
		return;
	const char *rest = a + e;
	size_t rn = an - e;
	bool has_path = rn > 1 && rest[0] == '/';

	/* IPv6 literal host. */
	if (h[0] == '[') {
		const char *close = memchr(h, ']', hn);
		if (!close)
			return;
		size_t vn = (size_t)(close - h - 1);
		if (vn < 2 || vn > 45)
			return;
		for (size_t i = 1; i <= vn; i++) {
			unsigned char c = (unsigned char)h[i];
			if (!is_hexdig(c) && c != ':' && c != '.' && c != '%')
				return;
		}
		if (!ipv6_is_benign(h + 1, vn))
			emit_url(src, off, row, out, h, vn + 2, "raw IPv6 address");
		return;
	}
	/* Strip port. */
	size_t port = 0;
	for (size_t i = 0; i < hn; i++)
		if (h[i] == ':') {
			port = hn - i;
			hn = i;
			break;
		}
	if (hn == 0 || hn >= HOST_MAX)
		return;
	char host[HOST_MAX];
	for (size_t i = 0; i < hn; i++) {
		unsigned char c = (unsigned char)h[i];
		if (!is_host_char(c))
			return; /* template placeholders, %-escapes...: not a concrete host */
		host[i] = (char)pv_lc(c);
	}
	while (hn > 0 && host[hn - 1] == '.') /* FQDN trailing dot */
		hn--;
	if (hn == 0)
		return;
	host[hn] = '\0';

	unsigned q[4];
	if (parse_ipv4(host, hn, q)) {
		/* A bare "1.2.3.4" may be a version number: require a port or path,
		 * and "1.2.3.0/24" is a network, not a URL. */
		if (bare && port < 2 && !has_path)
			return;
		if (bare && port < 2 && has_path) {
			size_t j = 1;
			while (j < rn && is_digit((unsigned char)rest[j]))
				j++;
			if (j == rn && j > 1 && j <= 3)
				return;
		}
		if (!ipv4_is_benign(q))
			emit_url(src, off, row, out, host, hn, "raw IP address");
		return;
	}
	if (!bare && numeric_host(host, hn)) {
		emit_url(src, off, row, out, host, hn, "raw IP address (numeric form)");
		return;
	}
	if (!memchr(host, '.', hn))
		return;
	for (size_t k = 0; k < sizeof shady_hosts / sizeof *shady_hosts; k++) {
		const struct shady_host *sh = &shady_hosts[k];
		if (!host_is(host, hn, sh->host))
			continue;
		if (bare && (sh->flags & H_FILEY) && !has_path)
			return;
		if (sh->flags & H_DISCORD) {
			/* /api/webhooks/... or /api/v10/webhooks/... */
			if (!pv_istarts(rest, rn, "/api/"))
				return;
			const char *p = rest + 5;
			size_t pn = rn - 5;
			if (pn > 0 && pv_lc((unsigned char)p[0]) == 'v') {
				size_t i = 1;
				while (i < pn && is_digit((unsigned char)p[i]))
					i++;
				if (i > 1 && i < pn && p[i] == '/') {
					p += i + 1;
					pn -= i + 1;
				}
			}
			if (!pv_istarts(p, pn, "webhooks"))
				return;
		}
		emit_url(src, off, row, out, host, hn, sh->why);
		return;
	}
	/* Hastebin now lives under toptal.com/developers/hastebin. */
	if (host_is(host, hn, "toptal.com") && pv_istarts(rest, rn, "/developers/hastebin")) {
		emit_url(src, off, row, out, host, hn, "paste site");
		return;
	}
	const char *why = exe_link(rest, rn);
	if (why)
		emit_url(src, off, row, out, host, hn, why);
}

static bool url_scheme_ok(const char *s, size_t colon)
{
	size_t b = colon;
	while (b > 0 && is_alpha((unsigned char)s[b - 1]) && colon - b < 8)
		b--;
	size_t m = colon - b;
	if (m == 0)
		return false;
	/* The scheme must not be the tail of a longer word ("xhttps://"). */
	if (b > 0 && is_alnum((unsigned char)s[b - 1]))
		return false;
	const char *sc = s + b;
	return pv_ieq(sc, m, "http") || pv_ieq(sc, m, "https") || pv_ieq(sc, m, "ftp") ||
	       pv_ieq(sc, m, "ftps") || pv_ieq(sc, m, "ws") || pv_ieq(sc, m, "wss") || pv_ieq(sc, m, "sftp") ||
	       pv_ieq(sc, m, "hxxp") || pv_ieq(sc, m, "hxxps");
}

static void scan_urls(const struct pv_source *src, size_t off, uint32_t row,
                      const char *s, size_t n, struct pv_findings *out)
{
	bool any = false;
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		if (!c)
			break;
		size_t i = (size_t)(c - s);
		p = c + 1;
		if (i + 3 > n || s[i + 1] != '/' || s[i + 2] != '/')
			continue;
		any = true;
		if (!url_scheme_ok(s, i))
			continue;
		check_authority(src, off, row, s + i + 3, n - i - 3, false, out);
	}
	if (any)
		return;
	/* Protocol-relative "//host/path". */
	if (n > 4 && s[0] == '/' && s[1] == '/' && is_alnum((unsigned char)s[2])) {
		check_authority(src, off, row, s + 2, n - 2, false, out);
		return;
	}
	/* A bare host ("pastebin.com/raw/x", "api.telegram.org", "1.2.3.4:443"):
	 * the whole literal, no spaces, a dot in the host part. */
	if (n > 512 || !is_alnum((unsigned char)s[0]))
		return;
	size_t e = 0;
	bool dot = false;
	while (e < n && (is_host_char((unsigned char)s[e]) || s[e] == ':')) {
		if (s[e] == '.')
			dot = true;
		e++;
	}
	if (!dot)
		return;
	if (e < n && s[e] != '/' && s[e] != '?' && s[e] != '#')
		return;
	for (size_t i = e; i < n; i++)
		if ((unsigned char)s[i] <= ' ')
			return;
	check_authority(src, off, row, s, n, true, out);
}

/* ---- credential paths ---------------------------------------------------- */

enum {
	P_SEP = 1,   /* must follow a path separator (not at literal start) */
	P_WHOLE = 2, /* or be the whole literal */
};

struct sens_path {
	const char *needle; /* lowercase; '/' matches '/' or '\\' */
	const char *why;
	unsigned flags;
};

static const struct sens_path sens_paths[] = {
	{".ssh", "SSH directory", 0},
	{"id_rsa", "SSH private key", 0},
	{"id_dsa", "SSH private key", 0},
	{"id_ecdsa", "SSH private key", 0},
	{"id_ed25519", "SSH private key", 0},
	{"authorized_keys", "SSH authorized_keys", 0},
	{".aws/credentials", "AWS credentials", 0},
	{".aws", "AWS credentials directory", P_SEP | P_WHOLE},
	{".npmrc", "npm credentials (.npmrc)", 0},
	{".yarnrc", "yarn credentials (.yarnrc)", 0},
	{".pypirc", "PyPI credentials (.pypirc)", 0},
	{".netrc", "netrc credentials", 0},
	{"_netrc", "netrc credentials", 0},
	{".git-credentials", "git credentials", 0},
	{".docker/config.json", "Docker credentials", 0},
	{".kube/config", "Kubernetes credentials", 0},
	{".config/gcloud", "Google Cloud credentials", 0},
	{".azure", "Azure credentials", P_SEP | P_WHOLE},
	{"etc/passwd", "/etc/passwd", 0},
	{"etc/shadow", "/etc/shadow", 0},
	{".bash_history", "shell history", 0},
	{".zsh_history", "shell history", 0},
	{".gnupg", "GnuPG keyring", 0},
	{"login data", "browser saved passwords", P_SEP | P_WHOLE},
	{"web data", "browser saved data", P_SEP | P_WHOLE},
	{"local state", "browser encryption key (Local State)", P_SEP | P_WHOLE},
	{"default/cookies", "browser cookies", 0},
	{"network/cookies", "browser cookies", 0},
	{"user data", "Chromium browser profile", P_SEP},
	{"firefox/profiles", "Firefox profiles", 0},
	{"key4.db", "Firefox key store", 0},
	{"key3.db", "Firefox key store", 0},
	{"logins.json", "Firefox saved passwords", 0},
	{"cookies.sqlite", "Firefox cookies", 0},
	{"wallet.dat", "cryptocurrency wallet", 0},
	{"exodus.wallet", "Exodus wallet", 0},
	{"roaming/exodus", "Exodus wallet", 0},
	{"application support/exodus", "Exodus wallet", 0},
	{"electrum/wallets", "Electrum wallet", 0},
	{"solana/id.json", "Solana keypair", 0},
	{"nkbihfbeogaeaoehlefnkodbefgpgknn", "MetaMask wallet extension", 0},
	{"ejbalbakoplchlghecdalmeeeajnimhm", "MetaMask wallet extension", 0},
	{"bfnaelmomeimhlpmgjnjophhpkkoljpa", "Phantom wallet extension", 0},
	{"hnfanknocfeofbddgcijnmhnfnkdnaad", "Coinbase wallet extension", 0},
	{"local storage/leveldb", "Discord/browser token store (Local Storage)", 0},
	{"login.keychain", "macOS keychain", 0},
	{"proc/self/environ", "process environment (/proc/self/environ)", 0},
	{"telegram desktop/tdata", "Telegram session data", 0},
	{"library/keychains", "macOS keychain", 0},
};

/* First bytes of the needles above: a cheap filter before the table walk. */
static const char sens_first[] = ".iae_lwdnrfkscbhupt";

static bool is_seg_start_char(unsigned char c)
{
	return c == '/' || c == '\\' || c == '~' || c == ' ' || c == '\t' || c == '\'' ||
	       c == '"' || c == '=' || c == ':' || c == ',' || c == ';' || c == '(' ||
	       c == '$' || c == '{' || c == '}' || c == '\n' || c == '@' || c == '<' || c == '>';
}

static bool is_word_char(unsigned char c)
{
	return is_alnum(c) || c == '_' || c == '-';
}

/* Case-insensitive match of needle at s+i, where '/' in the needle matches
 * either separator. Returns the matched length or 0. */
static size_t match_path(const char *s, size_t n, size_t i, const char *needle)
{
	size_t k = 0;
	for (; needle[k]; k++) {
		if (i + k >= n)
			return 0;
		unsigned char c = pv_lc((unsigned char)s[i + k]), w = (unsigned char)needle[k];
		if (w == '/') {
			if (c != '/' && c != '\\')
				return 0;
		} else if (c != w) {
			return 0;
		}
	}
	return k;
}

static void scan_paths(const struct pv_source *src, size_t off, uint32_t row,
                       const char *s, size_t n, struct pv_findings *out)
{
	const size_t np = sizeof sens_paths / sizeof *sens_paths;
	/* In prose ("Reads the .pypirc file.") a bare file name is a mention;
	 * only path-shaped references (~/.pypirc, /etc/passwd) count there. */
	size_t spaces = 0;
	for (size_t i = 0; i < n && spaces < 2; i++)
		if (s[i] == ' ')
			spaces++;
	bool prose = spaces >= 2;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && !is_seg_start_char((unsigned char)s[i - 1]))
			continue;
		unsigned char c0 = pv_lc((unsigned char)s[i]);
		if (!c0 || !strchr(sens_first, c0))
			continue;
		bool after_sep = i > 0 && (s[i - 1] == '/' || s[i - 1] == '\\');
		for (size_t k = 0; k < np; k++) {
			const struct sens_path *sp = &sens_paths[k];
			if ((unsigned char)sp->needle[0] != c0)
				continue;
			size_t m = match_path(s, n, i, sp->needle);
			if (!m)
				continue;
			if (i + m < n && is_word_char((unsigned char)s[i + m]))
				continue;
			if (prose && !(i > 0 && (s[i - 1] == '/' || s[i - 1] == '\\' || s[i - 1] == '~')) &&
			    !(sp->needle[0] != '.' && memchr(sp->needle, '/', m)))
				continue;
			if (sp->flags & (P_SEP | P_WHOLE)) {
				bool whole = i == 0 && m == n;
				bool ok = ((sp->flags & P_SEP) && after_sep) ||
				          ((sp->flags & P_WHOLE) && whole);
				if (!ok)
					continue;
			}
			pv_emit(out, src, "sensitive-read", off, row, sp->why);
			return; /* one per literal is enough evidence */
		}
	}
}

/* ---- obfuscation --------------------------------------------------------- */

#define BLOB_MIN 200
#define ENTROPY_MIN_LEN 300
#define ENTROPY_BITS 5.2
#define ENTROPY_LIKELY 5.8 /* above this, report whatever the structure */

static bool is_b64_char(unsigned char c)
{
	return is_alnum(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
}

/* Is the run s[b..e) preceded by a data: URI header of an image / font /
 * stylesheet / source map (not code)? */
static bool benign_data_uri(const char *s, size_t b)
{
	/* Look back for "data:" within 100 bytes. */
	size_t lim = b > 100 ? b - 100 : 0;
	for (size_t i = b; i > lim; i--) {
		size_t j = i - 1;
		if (j + 5 <= b && pv_istarts(s + j, b - j, "data:")) {
			const char *m = s + j + 5;
			size_t mn = b - j - 5;
			return pv_istarts(m, mn, "image/") || pv_istarts(m, mn, "font/") ||
			       pv_istarts(m, mn, "application/font") || pv_istarts(m, mn, "application/x-font") ||
			       pv_istarts(m, mn, "application/vnd.ms-fontobject") ||
			       pv_istarts(m, mn, "application/json") || pv_istarts(m, mn, "text/css") ||
			       pv_istarts(m, mn, "audio/") || pv_istarts(m, mn, "video/");
		}
	}
	return false;
}

/* Judge one run of base64-alphabet bytes. Returns a kind or NULL. */
static const char *judge_run(const char *s, size_t b, size_t e)
{
	size_t len = e - b;
	size_t up = 0, low = 0, dig = 0, hexl = 0, slash = 0, dash = 0, plus = 0;
	for (size_t i = b; i < e; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z') {
			up++;
			if (c <= 'F')
				hexl++;
		} else if (c >= 'a' && c <= 'z') {
			low++;
			if (c <= 'f')
				hexl++;
		} else if (is_digit(c)) {
			dig++;
		} else if (c == '/') {
			slash++;
		} else if (c == '-' || c == '_') {
			dash++;
		} else if (c == '+') {
			plus++;
		}
	}
	/* Hex: only hex digits, a realistic digit share. */
	if (dig + hexl == len && dig * 10 >= len * 3 && hexl * 20 >= len)
		return "hex blob";
	if (benign_data_uri(s, b))
		return NULL;
	/* Base64: all three classes well represented, few path / word separators. */
	if (up * 10 < len || low * 10 < len || dig * 33 < len)
		return NULL;
	if (slash * 10 > len || dash * 10 > len || (plus && dash)) /* paths, identifiers */
		return NULL;
	return "base64 blob";
}

#define SKIP_MAX 16

/* Shannon entropy (bits per byte) of s[0..n) without the ranges in skip. */
static double entropy_bits(const char *s, size_t n, const size_t (*skip)[2], int nskip, size_t *counted)
{
	size_t hist[256] = {0};
	size_t total = 0, i = 0;
	for (int r = 0; r <= nskip; r++) {
		size_t e = r < nskip ? skip[r][0] : n;
		for (; i < e; i++)
			hist[(unsigned char)s[i]]++;
		total += e - (r > 0 ? skip[r - 1][1] : 0);
		if (r < nskip)
			i = skip[r][1];
	}
	*counted = total;
	if (total == 0)
		return 0;
	double h = 0, dn = (double)total;
	for (int k = 0; k < 256; k++)
		if (hist[k]) {
			double p = (double)hist[k] / dn;
			h -= p * log2(p);
		}
	return h;
}

/* Valid UTF-8 with a good share of multi-byte sequences: Unicode text or
 * Unicode tables (regex sources of identifier ranges), not a payload. */
static bool mostly_utf8_text(const char *s, size_t n, size_t high)
{
	if (high * 10 < n)
		return false;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k;
		if (c < 0x80)
			k = 1;
		else if (c >= 0xC2 && c <= 0xDF)
			k = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 4;
		else
			return false;
		if (i + k > n)
			return false;
		for (size_t j = 1; j < k; j++)
			if (((unsigned char)s[i + j] & 0xC0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (is_digit(c))
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* The first 6 bytes a base64 text decodes to; false when it does not start
 * with 8 base64 characters. */
static bool b64_head(const char *s, size_t n, unsigned char d[6])
{
	if (n < 8)
		return false;
	for (int g = 0; g < 2; g++) {
		int v[4];
		for (int k = 0; k < 4; k++)
			if ((v[k] = b64_val((unsigned char)s[g * 4 + k])) < 0)
				return false;
		d[g * 3] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		d[g * 3 + 1] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		d[g * 3 + 2] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return true;
}

/* Does the base64 text start with the magic of an executable format? */
static const char *b64_executable(const char *s, size_t n)
{
	unsigned char d[6];
	if (!b64_head(s, n, d))
		return NULL;
	if (memcmp(d, "\0asm", 4) == 0)
		return "WebAssembly module";
	if (memcmp(d, "\x7f" "ELF", 4) == 0)
		return "ELF executable";
	if (d[0] == 'M' && d[1] == 'Z')
		return "PE (Windows) executable";
	if (memcmp(d, "\xcf\xfa\xed\xfe", 4) == 0 || memcmp(d, "\xce\xfa\xed\xfe", 4) == 0 ||
	    memcmp(d, "\xfe\xed\xfa\xcf", 4) == 0 || memcmp(d, "\xfe\xed\xfa\xce", 4) == 0)
		return "Mach-O executable";
	return NULL;
}

/* An embedded image or font (GIF, PNG, JPEG, WOFF, WOFF2, OpenType/TrueType):
 * media, not a payload. */
static bool b64_media(const char *s, size_t n)
{
	unsigned char d[6];
	if (!b64_head(s, n, d))
		return false;
	return memcmp(d, "GIF8", 4) == 0 || memcmp(d, "\x89PNG", 4) == 0 || memcmp(d, "\xff\xd8\xff", 3) == 0 ||
	       memcmp(d, "wOFF", 4) == 0 || memcmp(d, "wOF2", 4) == 0 || memcmp(d, "OTTO", 4) == 0 ||
	       memcmp(d, "\0\x01\0\0", 4) == 0;
}

/* Characters that give code and prose their structure. */
static bool is_structure(unsigned char c)
{
	switch (c) {
	case ' ': case '\n': case '\t': case ';': case '(': case ')': case '{': case '}':
	case '[': case ']': case ',': case '"': case '\'': case '<': case '>': case '.':
	case ':': case '!': case '?': case '&': case '|':
		return true;
	default:
		return false;
	}
}

static void scan_blobs(const struct pv_source *src, size_t off, uint32_t row,
                       const char *s, size_t n, struct pv_findings *out)
{
	char detail[96];
	size_t high = 0, ctl = 0, structure = 0;
	size_t skip[SKIP_MAX][2];
	int nskip = 0;
	/* Qualifying runs of base64 / hex alphabet. */
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80)
			high++;
		else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
			ctl++;
		if (is_structure(c))
			structure++;
		if (!is_b64_char(c)) {
			i++;
			continue;
		}
		size_t b = i;
		while (i < n && is_b64_char((unsigned char)s[i]))
			i++;
		/* Base64 wrapped at 40 to 76 columns: join lines (a hand-wrapped
		 * first line may be short of the others). */
		while (i + 1 < n && (s[i] == '\n' || s[i] == '\r') && i - b >= 40) {
			size_t j = i;
			while (j < n && (s[j] == '\n' || s[j] == '\r'))
				j++;
			if (j >= n || !is_b64_char((unsigned char)s[j]))
				break;
			i = j;
			while (i < n && is_b64_char((unsigned char)s[i]))
				i++;
		}
		if (i - b >= BLOB_MIN) {
			const char *kind = judge_run(s, b, i);
			if (kind && kind[0] == 'b' && b64_media(s + b, i - b))
				kind = NULL;
			if (kind) {
				const char *exe = kind[0] == 'b' ? b64_executable(s + b, i - b) : NULL;
				if (exe && strcmp(exe, "WebAssembly module") == 0) {
					/* Bundled wasm (undici's llhttp...): sandboxed code, a
					 * binary but no hidden payload. */
					snprintf(detail, sizeof detail, "base64-encoded %s (%zu chars)", exe, i - b);
					pv_emit(out, src, "binary", off, row, detail);
					if (nskip < SKIP_MAX) {
						skip[nskip][0] = b;
						skip[nskip][1] = i;
						nskip++;
					}
					continue;
				}
				if (exe) {
					snprintf(detail, sizeof detail, "base64-encoded %s (%zu chars)", exe, i - b);
					pv_emit(out, src, "binary", off, row, detail);
					pv_emit(out, src, "obfuscation", off, row, detail);
					return;
				}
				snprintf(detail, sizeof detail, "%s (%zu chars)", kind, i - b);
				pv_emit(out, src, "obfuscation", off, row, detail);
				return;
			}
			/* Not a payload (data URI of an image, a path list...): keep it
			 * out of the entropy measure too. */
			if (nskip < SKIP_MAX) {
				skip[nskip][0] = b;
				skip[nskip][1] = i;
				nskip++;
			}
		}
	}
	if (n < ENTROPY_MIN_LEN)
		return;
	if (nskip == SKIP_MAX || mostly_utf8_text(s, n, high))
		return;
	size_t counted;
	double h = entropy_bits(s, n, (const size_t(*)[2])skip, nskip, &counted);
	if (counted < ENTROPY_MIN_LEN || h <= ENTROPY_BITS)
		return;
	bool binary = ctl * 20 > n || high * 4 > n;
	/* Minified code and prose sit around 4.5-5.4 bits; random printable text
	 * is ~6.5. Between the two, only strings without code/prose structure. */
	if (!binary && h <= ENTROPY_LIKELY && structure * 100 >= counted * 8)
		return;
	snprintf(detail, sizeof detail, "%s (%zu bytes, %.2f bits/char)",
	         binary ? "binary data" : "high-entropy string", n, h);
	pv_emit(out, src, "obfuscation", off, row, detail);
}

/* ---- entry point --------------------------------------------------------- */

static bool has_on_line(const struct pv_findings *fs, const char *attr, const char *file,
                        uint32_t line)
{
	/* Recent findings are at the end: look at the last few only. */
	size_t lim = fs->n > 16 ? fs->n - 16 : 0;
	for (size_t i = fs->n; i-- > lim;) {
		const struct pv_finding *f = &fs->v[i];
		if (f->line == line && strcmp(f->attr, attr) == 0 &&
		    (f->file == file || (f->file && file && strcmp(f->file, file) == 0)))
			return true;
	}
	return false;
}

void pv_scan_literal(const struct pv_source *src, size_t off, uint32_t row,
                     const char *s, size_t n, struct pv_findings *out)
{
	if (!s || n < 4)
		return;
	unsigned char c0 = (unsigned char)s[0];
	/* Whole literal is a token-like env var name: process.env["NPM_TOKEN"]. */
	if (n <= 128 && (is_alpha(c0) || c0 == '_') && pv_is_secret_env_name(s, n)) {
		/* The language analysers report a direct read (os.environ["X"]) on
		 * this line already: a second entry would only eat the evidence cap. */
		if (!has_on_line(out, "sensitive-read", src->path, row + 1)) {
			char detail[160];
			snprintf(detail, sizeof detail, "token environment variable name %.*s", (int)n, s);
			pv_emit(out, src, "sensitive-read", off, row, detail);
		}
		return;
	}
	if (n < 6) {
		if (c0 == '.' || c0 == '_' || c0 == '/')
			scan_paths(src, off, row, s, n, out); /* ".ssh", ".aws" */
		return;
	}
	/* Pre-filter: only strings with URL / path punctuation, or long ones. */
	bool colon = false, dot = false;
	size_t lim = n < 4096 ? n : 4096;
	for (size_t i = 0; i < lim; i++) {
		switch (s[i]) {
		case ':': colon = true; break;
		case '.': dot = true; break;
		default: break;
		}
	}
	if (colon || dot || n > lim)
		scan_urls(src, off, row, s, n, out);
	if (n <= 4096)
		scan_paths(src, off, row, s, n, out);
	if (n >= BLOB_MIN)
		scan_blobs(src, off, row, s, n, out);
}
