/* Decision log: one JSON object per line with every field; strings from
 * packages come out valid UTF-8; concurrent writers of lines longer than
 * PIPE_BUF interleave whole lines only. */
#include "decision_log.h"
#include "check.h"
#include "escape.h"

#include <ftw.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { PROCS = 8, PER_PROC = 500, FILL = 8000 };

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *s = malloc(cap);
	while (s && (r = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap) {
			char *ns = realloc(s, cap *= 2);
			if (!ns)
				free(s);
			s = ns;
		}
	}
	fclose(f);
	if (s)
		s[n] = 0;
	*len = n;
	return s;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Parse exactly one JSON object from s[0..n). */
static json_object *parse_line(const char *s, size_t n)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, s, (int)n);
	if (o && (json_tokener_get_error(tok) != json_tokener_success || json_tokener_get_parse_end(tok) != n ||
	          !json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool is_null(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) && v == NULL;
}

static bool valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t l = pv_utf8_seq((const unsigned char *)s + i, n - i, &cp);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

static void test_paths(void)
{
	char buf[4096], err[256];
	setenv("XDG_STATE_HOME", "/st", 1);
	CHECK(pv_decision_log_default_path(buf, sizeof buf, err, sizeof err) == 0 &&
	      strcmp(buf, "/st/pkgvet/decisions.jsonl") == 0, "%s", buf);
	setenv("XDG_STATE_HOME", "", 1);
	setenv("HOME", "/home/al", 1);
	CHECK(pv_decision_log_default_path(buf, sizeof buf, err, sizeof err) == 0 &&
	      strcmp(buf, "/home/al/.local/state/pkgvet/decisions.jsonl") == 0, "%s", buf);
	CHECK(pv_decision_log_default_path(buf, 10, err, sizeof err) < 0 && strstr(err, "too long"), "%s", err);
	unsetenv("XDG_STATE_HOME");
	CHECK(strcmp(pv_decider_name(PV_DECIDED_ALLOW_LIST), "allow-list") == 0, "decider name");
	CHECK(strcmp(pv_decider_name(PV_DECIDED_DENY_LIST), "deny-list") == 0, "decider name");
	char t[PV_TIME_LEN];
	pv_utc_time(1795748400, t); /* 2026-11-27T03:00:00Z */
	CHECK(strcmp(t, "2026-11-27T03:00:00Z") == 0, "%s", t);
	CHECK(pv_user_name(buf, sizeof buf) == 0 && buf[0], "user name");
}

static void test_record(const char *dir)
{
	char path[4096], err[512];
	snprintf(path, sizeof path, "%s/state/pkgvet/decisions.jsonl", dir);

	struct pv_findings fs = {0};
	pv_findings_add(&fs, "perm-network", "index.js", 3, "fetch(u)", 8, NULL, false);
	pv_findings_add(&fs, "perm-network", "lib/a.js", 9, "http.get(u)", 11, NULL, false);
	pv_findings_add(&fs, "install-hook", "package.json", 0, NULL, 0, NULL, true);
	pv_findings_add(&fs, "shady-url", "bad\xff\xfe.js", 1, "x", 1, NULL, false);
	fs.v[0].action = fs.v[1].action = PV_WARN;
	fs.v[2].action = PV_PROMPT;
	fs.v[3].action = PV_BLOCK;
	struct pv_decision d = {
		.time = "2026-11-27T03:00:00Z",
		.user = "alice",
		.command = "pkgvet audit \"x.tgz\" /tmp/y\n",
		.ecosystem = "npm",
		.name = "evil\xc3\x28name\xff",
		.version = NULL,
		.digest = "",
		.findings = &fs,
		.action = PV_BLOCK,
		.decided_by = PV_DECIDED_POLICY,
	};
	CHECK(pv_decision_log_append(path, &d, err, sizeof err) == 0, "%s", err);
	d.findings = NULL;
	d.name = "ok";
	d.version = "1.0.0";
	d.digest = "sha256:abc";
	d.time = NULL;
	d.user = NULL;
	d.action = PV_ALLOW;
	d.decided_by = PV_DECIDED_APPROVAL;
	CHECK(pv_decision_log_append(path, &d, err, sizeof err) == 0, "%s", err);

	struct stat sb;
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 07777) == 0600, "file mode %o", (unsigned)sb.st_mode & 07777);
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/state/pkgvet", dir);
	CHECK(stat(sub, &sb) == 0 && (sb.st_mode & 07777) == 0700, "dir mode %o", (unsigned)sb.st_mode & 07777);
	snprintf(sub, sizeof sub, "%s/state", dir);
	CHECK(stat(sub, &sb) == 0 && (sb.st_mode & 07777) == 0700, "dir mode %o", (unsigned)sb.st_mode & 07777);

	size_t len;
	char *text = slurp(path, &len);
	CHECK(text && valid_utf8(text, len), "log is not valid UTF-8");
	char *nl = text ? strchr(text, '\n') : NULL;
	CHECK(nl && text[len - 1] == '\n' && strchr(nl + 1, '\n') == text + len - 1, "two lines:\n%s", text);
	if (!nl) {
		free(text);
		pv_findings_free(&fs);
		return;
	}
	/* Keys in the documented order. */
	const char *want_prefix =
		"{\"time\":\"2026-11-27T03:00:00Z\",\"user\":\"alice\",\"command\":\"pkgvet audit \\\"x.tgz\\\" /tmp/y\\n\","
		"\"ecosystem\":\"npm\",\"name\":\"evil\xEF\xBF\xBD(name\xEF\xBF\xBD\",\"version\":null,\"digest\":null,"
		"\"findings\":[{\"attribute\":\"perm-network\",\"action\":\"warn\"},"
		"{\"attribute\":\"install-hook\",\"action\":\"prompt\"},"
		"{\"attribute\":\"shady-url\",\"action\":\"block\"}],"
		"\"action\":\"block\",\"decided_by\":\"policy\"}\n";
	CHECK(strncmp(text, want_prefix, strlen(want_prefix)) == 0, "line 1:\n%s", text);

	json_object *o = parse_line(text, (size_t)(nl - text));
	CHECK(o != NULL, "line 1 does not parse");
	if (o) {
		const char *name = get_str(o, "name");
		CHECK(name && strcmp(name, "evil\xEF\xBF\xBD(name\xEF\xBF\xBD") == 0, "name %s", name);
		CHECK(is_null(o, "version") && is_null(o, "digest"), "nulls");
		json_object *f;
		CHECK(json_object_object_get_ex(o, "findings", &f) && json_object_array_length(f) == 3, "findings");
		json_object_put(o);
	}
	o = parse_line(nl + 1, (size_t)(text + len - 1 - (nl + 1)));
	CHECK(o != NULL, "line 2 does not parse");
	if (o) {
		static const char *const keys[] = {"time", "user", "command", "ecosystem", "name", "version",
		                                   "digest", "action", "decided_by"};
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
			CHECK(get_str(o, keys[i]) != NULL, "line 2 lacks %s", keys[i]);
		const char *t = get_str(o, "time");
		CHECK(t && strlen(t) == 20 && t[10] == 'T' && t[19] == 'Z', "time %s", t);
		const char *u = get_str(o, "user");
		CHECK(u && u[0], "user");
		CHECK(get_str(o, "decided_by") && strcmp(get_str(o, "decided_by"), "approval") == 0, "decided_by");
		CHECK(get_str(o, "action") && strcmp(get_str(o, "action"), "allow") == 0, "action");
		json_object *f;
		CHECK(json_object_object_get_ex(o, "findings", &f) && json_object_is_type(f, json_type_array) &&
		      json_object_array_length(f) == 0, "empty findings");
		json_object_put(o);
	}
	free(text);

	/* A log left without a final newline: the next record starts a line. */
	FILE *fp = fopen(path, "ab");
	if (fp) {
		fputs("{\"truncated\":", fp);
		fclose(fp);
	}
	CHECK(pv_decision_log_append(path, &d, err, sizeof err) == 0, "%s", err);
	text = slurp(path, &len);
	nl = text ? strstr(text, "{\"truncated\":\n{\"time\":") : NULL;
	CHECK(nl && text[len - 1] == '\n', "record glued to a partial line");
	free(text);

	/* Errors: one line naming the path. */
	char bad[4200];
	snprintf(bad, sizeof bad, "%s/x.jsonl", path);
	err[0] = 0;
	CHECK(pv_decision_log_append(bad, &d, err, sizeof err) < 0, "appended below a file");
	CHECK(err[0] && !strchr(err, '\n') && strstr(err, path), "error: %s", err);
	d.decided_by = PV_DECIDED__COUNT;
	CHECK(pv_decision_log_append(path, &d, err, sizeof err) < 0, "invalid decided_by accepted");
	pv_findings_free(&fs);
}

static void test_concurrent(const char *dir)
{
	char path[4096], err[512];
	snprintf(path, sizeof path, "%s/conc.jsonl", dir);
	pid_t pids[PROCS];
	for (int c = 0; c < PROCS; c++) {
		pids[c] = fork();
		if (pids[c] == 0) {
			char *cmd = malloc(FILL + 64);
			int bad = !cmd;
			for (int i = 0; i < PER_PROC && !bad; i++) {
				int n = snprintf(cmd, 64, "w%d n%d ", c, i);
				memset(cmd + n, 'a' + c, FILL);
				cmd[n + FILL] = 0;
				char ver[32];
				snprintf(ver, sizeof ver, "%d.%d.0", c, i);
				struct pv_decision d = {
					.user = "bob", .command = cmd, .ecosystem = "pypi", .name = "concurrent",
					.version = ver, .digest = "sha256:ff", .action = PV_WARN,
					.decided_by = PV_DECIDED_USER,
				};
				if (pv_decision_log_append(path, &d, err, sizeof err) != 0) {
					fprintf(stderr, "child %d: %s\n", c, err);
					bad = 1;
				}
			}
			free(cmd);
			_exit(bad);
		}
		CHECK(pids[c] > 0, "fork failed");
	}
	for (int c = 0; c < PROCS; c++) {
		int status = 0;
		if (pids[c] > 0)
			CHECK(waitpid(pids[c], &status, 0) == pids[c] && WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "child %d failed (status %#x)", c, (unsigned)status);
	}
	size_t len;
	char *text = slurp(path, &len);
	CHECK(text != NULL, "no log");
	if (!text)
		return;
	CHECK(len > (size_t)PROCS * PER_PROC * FILL, "log too short: %zu", len);
	CHECK(len && text[len - 1] == '\n', "no final newline");
	static unsigned char seen[PROCS][PER_PROC];
	size_t lines = 0, bad = 0;
	for (char *s = text; s < text + len;) {
		char *e = memchr(s, '\n', (size_t)(text + len - s));
		if (!e)
			e = text + len;
		lines++;
		json_object *o = parse_line(s, (size_t)(e - s));
		const char *cmd = o ? get_str(o, "command") : NULL;
		int c = -1, i = -1, off = 0;
		if (cmd && sscanf(cmd, "w%d n%d %n", &c, &i, &off) == 2 && c >= 0 && c < PROCS && i >= 0 &&
		    i < PER_PROC && strlen(cmd + off) == FILL && strspn(cmd + off, (char[]){(char)('a' + c), 0}) == FILL &&
		    get_str(o, "time") && get_str(o, "user") && get_str(o, "version") && get_str(o, "digest") &&
		    get_str(o, "decided_by") && strcmp(get_str(o, "decided_by"), "user") == 0) {
			seen[c][i]++;
		} else if (bad++ < 3) {
			fprintf(stderr, "bad line %zu: %.80s...\n", lines, s);
		}
		json_object_put(o);
		s = e + 1;
	}
	CHECK(bad == 0, "%zu bad lines", bad);
	CHECK(lines == PROCS * PER_PROC, "%zu lines, want %d", lines, PROCS * PER_PROC);
	for (int c = 0; c < PROCS; c++)
		for (int i = 0; i < PER_PROC; i++)
			CHECK(seen[c][i] == 1, "writer %d record %d seen %u times", c, i, seen[c][i]);
	free(text);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/pv-declog-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	umask(022);
	test_paths();
	test_record(dir);
	test_concurrent(dir);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return CHECK_DONE();
}
