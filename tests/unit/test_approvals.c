/* Approval store: record, find and reuse; a different digest is not
 * covered; permission growth reports only what was added; sorted, stable
 * file text; malformed files name file:line; concurrent recorders lose
 * nothing. */
#include "approvals.h"
#include "check.h"

#include <dirent.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define BIT(p) (1u << (p))

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);
	size_t r;
	while (s && (r = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap) {
			char *ns = realloc(s, cap *= 2);
			if (!ns) {
				free(s);
				s = NULL;
			}
			s = ns;
		}
	}
	fclose(f);
	if (s)
		s[n] = 0;
	return s;
}

static void put(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL, "cannot create %s", path);
	if (f) {
		fwrite(text, 1, n, f);
		fclose(f);
	}
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static struct pv_approval rec(const char *eco, const char *name, const char *ver, const char *digest,
                              unsigned perms, const char *when)
{
	struct pv_approval a = {
		.ecosystem = (char *)eco, .name = (char *)name, .version = (char *)ver,
		.digest = (char *)digest, .perms = perms, .approved = (char *)when, .by = "alice",
	};
	return a;
}

static void test_paths(void)
{
	char buf[4096], err[256];
	setenv("XDG_CONFIG_HOME", "/cfg/x", 1);
	CHECK(pv_approvals_user_path(buf, sizeof buf, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(buf, "/cfg/x/pkgvet/approvals.ini") == 0, "%s", buf);
	setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
	setenv("HOME", "/home/al", 1);
	CHECK(pv_approvals_user_path(buf, sizeof buf, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(buf, "/home/al/.config/pkgvet/approvals.ini") == 0, "%s", buf);
	unsetenv("XDG_CONFIG_HOME");
	CHECK(pv_approvals_user_path(buf, sizeof buf, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(buf, "/home/al/.config/pkgvet/approvals.ini") == 0, "%s", buf);
	CHECK(pv_approvals_project_path("/src/app/", buf, sizeof buf) == 0 &&
	      strcmp(buf, "/src/app/.pkgvet-approvals.ini") == 0, "%s", buf);
	CHECK(pv_approvals_project_path("/", buf, sizeof buf) == 0 &&
	      strcmp(buf, "/.pkgvet-approvals.ini") == 0, "%s", buf);
	CHECK(pv_approvals_project_path("/src", buf, 8) < 0, "too long accepted");

	CHECK(pv_perms_format(0, buf, sizeof buf) == 0 && strcmp(buf, "none") == 0, "%s", buf);
	CHECK(pv_perms_format(BIT(PV_PERM_NETWORK) | BIT(PV_PERM_FS_READ) | BIT(PV_PERM_INSTALL_HOOK), buf,
	                      sizeof buf) == 0 && strcmp(buf, "fs-read, install-hook, network") == 0, "%s", buf);
}

static void test_record_find(const char *dir)
{
	char path[4096], err[512];
	snprintf(path, sizeof path, "%s/cfg/pkgvet/approvals.ini", dir);
	struct pv_approvals st;

	/* Missing file (and directory): an empty store. */
	CHECK(pv_approvals_load(&st, path, err, sizeof err) == 0 && st.n == 0, "missing file: %s", err);
	CHECK(!pv_approval_covers(&st, "npm", "left-pad", "1.3.0", D1, 0), "empty store covers");
	pv_approvals_free(&st);

	unsigned granted = BIT(PV_PERM_FS_READ) | BIT(PV_PERM_NETWORK);
	struct pv_approval a = rec("npm", "left-pad", "1.3.0", D1, granted, "2026-11-27T03:00:00Z");
	CHECK(pv_approvals_record(path, &a, err, sizeof err) == 0, "%s", err);

	struct stat sb;
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/cfg/pkgvet", dir);
	CHECK(stat(sub, &sb) == 0 && (sb.st_mode & 07777) == 0755, "dir mode %o", (unsigned)sb.st_mode & 07777);
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 07777) == 0644, "file mode %o", (unsigned)sb.st_mode & 07777);

	char *text = slurp(path);
	const char *want = "[npm:left-pad@1.3.0]\n"
	                   "digest = " D1 "\n"
	                   "permissions = fs-read, network\n"
	                   "approved = 2026-11-27T03:00:00Z\n"
	                   "by = alice\n";
	CHECK(text && strcmp(text, want) == 0, "file text:\n%s", text ? text : "(null)");
	free(text);

	CHECK(pv_approvals_load(&st, path, err, sizeof err) == 0 && st.n == 1, "load: %s", err);
	const struct pv_approval *r = pv_approval_find(&st, "npm", "left-pad", "1.3.0", D1);
	CHECK(r && r->perms == granted && strcmp(r->by, "alice") == 0 && r->line == 1, "find");
	/* Reuse: same artifact, same or fewer permissions. */
	CHECK(pv_approval_covers(&st, "npm", "left-pad", "1.3.0", D1, granted), "not reused");
	CHECK(pv_approval_covers(&st, "npm", "left-pad", "1.3.0", D1, BIT(PV_PERM_NETWORK)), "subset not reused");
	CHECK(pv_approval_covers(&st, "npm", "left-pad", "1.3.0", D1, 0), "no perms not reused");
	/* Another artifact under the same version is not covered. */
	CHECK(pv_approval_find(&st, "npm", "left-pad", "1.3.0", D2) == NULL, "digest mismatch found");
	CHECK(!pv_approval_covers(&st, "npm", "left-pad", "1.3.0", D2, granted), "digest mismatch covered");
	CHECK(!pv_approval_covers(&st, "npm", "left-pad", "1.3.0", "", 0), "empty digest covered");
	CHECK(!pv_approval_covers(&st, "pypi", "left-pad", "1.3.0", D1, 0), "other ecosystem covered");
	CHECK(!pv_approval_covers(&st, "npm", "left-pad", "1.3.1", D1, 0), "other version covered");
	/* Permission growth: only what was added. */
	unsigned now = granted | BIT(PV_PERM_PROCESS) | BIT(PV_PERM_CODEGEN);
	CHECK(!pv_approval_covers(&st, "npm", "left-pad", "1.3.0", D1, now), "growth covered");
	CHECK(pv_approvals_added_perms(r, now) == (BIT(PV_PERM_PROCESS) | BIT(PV_PERM_CODEGEN)),
	      "added %#x", pv_approvals_added_perms(r, now));
	CHECK(pv_approvals_added_perms(r, granted) == 0, "nothing added");
	CHECK(pv_approvals_added_perms(NULL, now) == now, "no record: all");
	pv_approvals_free(&st);

	/* An upgrade: the previous version's approval tells what is new. */
	struct pv_approval b = rec("npm", "left-pad", "1.2.0", D2, BIT(PV_PERM_FS_READ), "2026-01-01T00:00:00Z");
	CHECK(pv_approvals_record(path, &b, err, sizeof err) == 0, "%s", err);
	struct pv_approval c = rec("npm", "left-pad", "1.10.0", D2, BIT(PV_PERM_FS_READ), "2026-01-01T00:00:00Z");
	CHECK(pv_approvals_record(path, &c, err, sizeof err) == 0, "%s", err);
	struct pv_approval o = rec("npm", "left-pad-x", "9.0.0", D2, 0, "2027-01-01T00:00:00Z");
	CHECK(pv_approvals_record(path, &o, err, sizeof err) == 0, "%s", err);
	CHECK(pv_approvals_load(&st, path, err, sizeof err) == 0 && st.n == 4, "load: %s", err);
	const struct pv_approval *prev = pv_approval_latest_other(&st, "npm", "left-pad", "2.0.0");
	CHECK(prev && strcmp(prev->version, "1.3.0") == 0, "latest other: %s", prev ? prev->version : "none");
	prev = pv_approval_latest_other(&st, "npm", "left-pad", "1.3.0");
	/* 1.2.0 and 1.10.0 were approved at the same time: the higher version wins. */
	CHECK(prev && strcmp(prev->version, "1.10.0") == 0, "tie: %s", prev ? prev->version : "none");
	CHECK(prev && pv_approvals_added_perms(prev, now) == (now & ~BIT(PV_PERM_FS_READ)), "upgrade adds");
	CHECK(pv_approval_latest_other(&st, "npm", "right-pad", "1.0.0") == NULL, "unrelated found");
	pv_approvals_free(&st);

	/* Replacing a record of the same ecosystem/name/version updates it. */
	struct pv_approval a2 = rec("npm", "left-pad", "1.3.0", D2, granted | BIT(PV_PERM_PROCESS), NULL);
	a2.by = NULL; /* now, by the current user */
	CHECK(pv_approvals_record(path, &a2, err, sizeof err) == 0, "%s", err);
	CHECK(pv_approvals_load(&st, path, err, sizeof err) == 0 && st.n == 4, "replace load: %s (n=%zu)", err, st.n);
	CHECK(pv_approval_find(&st, "npm", "left-pad", "1.3.0", D1) == NULL, "old digest still approved");
	r = pv_approval_find(&st, "npm", "left-pad", "1.3.0", D2);
	CHECK(r && r->perms == (granted | BIT(PV_PERM_PROCESS)), "replaced perms");
	CHECK(r && r->approved && strlen(r->approved) == 20 && r->approved[19] == 'Z', "default time");
	CHECK(r && r->by && r->by[0], "default by");
	pv_approvals_free(&st);

	/* Invalid fields are refused before anything is written. */
	char *before = slurp(path);
	struct pv_approval bad[] = {
		rec("npm", "evil\nname", "1.0.0", D1, 0, NULL),
		rec("npm", "x", "1.0.0@2", D1, 0, NULL),
		rec("npm", "x", "", D1, 0, NULL),
		rec("NPM", "x", "1.0.0", D1, 0, NULL),
		rec("npm", "x", "1.0.0", "deadbeef", 0, NULL),
		rec("npm", "x", "1.0.0", D1, 0, "yesterday"),
		rec("npm", "has space", "1.0.0", D1, 0, NULL),
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = 0;
		CHECK(pv_approvals_record(path, &bad[i], err, sizeof err) < 0, "bad[%zu] recorded", i);
		CHECK(err[0] && !strchr(err, '\n'), "bad[%zu] message: %s", i, err);
	}
	char *after = slurp(path);
	CHECK(before && after && strcmp(before, after) == 0, "file changed by refused records");
	free(before);
	free(after);
}

/* Records in any order give the same, sorted file. */
static void test_sorted(const char *dir)
{
	static const char *const recs[][3] = {
		{"pypi", "requests", "2.31.0"},
		{"npm", "@scope/pkg", "1.0.0"},
		{"npm", "left-pad", "1.10.0"},
		{"npm", "left-pad", "1.9.0"},
		{"npm", "left-pad", "1.2.0"},
		{"npm", "weird:name@x", "0.1.0"},
		{"npm", "a", "10.0.0-rc.1"},
		{"npm", "a", "2.0.0"},
		{"pypi", "Django", "4.2"},
		{"pypi", "django-extensions", "3.2.3"},
	};
	const char *want =
		"[npm:@scope/pkg@1.0.0]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[npm:a@2.0.0]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[npm:a@10.0.0-rc.1]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[npm:left-pad@1.2.0]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[npm:left-pad@1.9.0]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[npm:left-pad@1.10.0]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[npm:weird:name@x@0.1.0]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[pypi:Django@4.2]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[pypi:django-extensions@3.2.3]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n\n"
		"[pypi:requests@2.31.0]\ndigest = " D1 "\npermissions = network\n"
		"approved = 2026-11-27T03:00:00Z\nby = alice\n";
	enum { N = sizeof recs / sizeof *recs };
	srand((unsigned)getpid());
	for (int round = 0; round < 5; round++) {
		char path[4096], err[512];
		snprintf(path, sizeof path, "%s/sorted%d.ini", dir, round);
		size_t order[N];
		for (size_t i = 0; i < N; i++)
			order[i] = round == 1 ? N - 1 - i : i;
		if (round >= 2)
			for (size_t i = N - 1; i > 0; i--) {
				size_t j = (size_t)rand() % (i + 1), t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
		for (size_t k = 0; k < N; k++) {
			const char *const *r = recs[order[k]];
			struct pv_approval a = rec(r[0], r[1], r[2], D1, BIT(PV_PERM_NETWORK), "2026-11-27T03:00:00Z");
			CHECK(pv_approvals_record(path, &a, err, sizeof err) == 0, "%s", err);
		}
		char *text = slurp(path);
		CHECK(text && strcmp(text, want) == 0, "round %d text:\n%s", round, text ? text : "(null)");
		/* Round trip: parse and format give the same text. */
		struct pv_approvals st;
		CHECK(pv_approvals_load(&st, path, err, sizeof err) == 0 && st.n == N, "%s", err);
		char *again = pv_approvals_format(&st);
		CHECK(again && text && strcmp(again, text) == 0, "round trip");
		CHECK(pv_approval_find(&st, "npm", "weird:name@x", "0.1.0", D1) != NULL, "name with : and @");
		CHECK(pv_approval_find(&st, "npm", "@scope/pkg", "1.0.0", D1) != NULL, "scoped name");
		free(again);
		free(text);
		pv_approvals_free(&st);
	}
}

static void test_malformed(const char *dir)
{
	static const struct {
		const char *text;
		int line;
	} bad[] = {
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = network\ncolour = red\n", 4},
		{"; comment\n\ndigest = sha256:ab\n", 3},
		{"[npm:a]\ndigest = sha256:ab\npermissions = none\n", 1},
		{"[npm:a@1\ndigest = sha256:ab\npermissions = none\n", 1},
		{"[npm:@1]\ndigest = sha256:ab\npermissions = none\n", 1},
		{"[npm:a@]\ndigest = sha256:ab\npermissions = none\n", 1},
		{"[NPM:a@1]\ndigest = sha256:ab\npermissions = none\n", 1},
		{"[npm:a b@1]\ndigest = sha256:ab\npermissions = none\n", 1},
		{"[npm:a@1]\ndigest = sha256:ab\n\n[npm:b@1]\ndigest = sha256:ab\npermissions = none\n", 1},
		{"[npm:a@1]\npermissions = none\n", 1},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = none\n[npm:b@1]\ndigest = nothex\n", 5},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = network, teleport\n", 3},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = network,\n", 3},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = none\npermissions = network\n", 4},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = none\napproved = 2026-13-01T00:00:00Z\n", 4},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = none\nby =\n", 4},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = none\njust words\n", 4},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = none\n= value\n", 4},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = none\n\n[npm:b@1]\ndigest = sha256:ab\n"
		 "permissions = none\n\n[npm:a@1]\ndigest = sha256:cd\npermissions = none\n", 9},
		{"[npm:a@1]\ndigest = sha256:ab\npermissions = none\nby = x\x01y\n", 4},
	};
	char err[512];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pv_approvals st = {0};
		size_t len = strlen(bad[i].text);
		char want[32];
		snprintf(want, sizeof want, "t.ini:%d: ", bad[i].line);
		err[0] = 0;
		CHECK(pv_approvals_parse(&st, bad[i].text, len, "t.ini", err, sizeof err) < 0, "bad[%zu] accepted", i);
		CHECK(strncmp(err, want, strlen(want)) == 0, "bad[%zu]: want %s, got %s", i, want, err);
		CHECK(st.n == 0, "bad[%zu] left records", i);
		pv_approvals_free(&st);
	}
	static const char nul[] = "[npm:a@1]\ndigest = sha256:ab\n\0permissions = none\n";
	struct pv_approvals z = {0};
	CHECK(pv_approvals_parse(&z, nul, sizeof nul - 1, "t.ini", err, sizeof err) < 0, "NUL accepted");
	CHECK(strncmp(err, "t.ini:3: ", 9) == 0, "NUL: %s", err);
	pv_approvals_free(&z);

	/* Accepted: comments, blank lines, CRLF, no final newline, "none", spaces. */
	const char *good = "; approvals\r\n# more\r\n\r\n[pypi:x@1.0]\r\n  digest=sha256:ab  \r\n"
	                   "permissions =network ,fs-read\r\n[pypi:y@2]\ndigest = sha512:AB+/==\npermissions = none";
	struct pv_approvals st = {0};
	CHECK(pv_approvals_parse(&st, good, strlen(good), "g.ini", err, sizeof err) == 0, "%s", err);
	CHECK(st.n == 2, "n=%zu", st.n);
	const struct pv_approval *x = pv_approval_find(&st, "pypi", "x", "1.0", "sha256:ab");
	CHECK(x && x->perms == (BIT(PV_PERM_NETWORK) | BIT(PV_PERM_FS_READ)) && x->line == 4 && !x->by, "good x");
	x = pv_approval_find(&st, "pypi", "y", "2", "sha512:AB+/==");
	CHECK(x && x->perms == 0 && x->line == 7, "good y");
	pv_approvals_free(&st);

	/* Through a file: the message names the path and line; recording
	 * does not overwrite a file the person broke. */
	char path[4096];
	snprintf(path, sizeof path, "%s/broken.ini", dir);
	const char *broken = "[npm:a@1]\ndigest = sha256:ab\npermissions = none\n\n[npm:b@1]\ncolour = red\n";
	put(path, broken, strlen(broken));
	CHECK(pv_approvals_load(&st, path, err, sizeof err) < 0, "broken file loaded");
	char want[4200];
	snprintf(want, sizeof want, "%s:6: ", path);
	CHECK(strncmp(err, want, strlen(want)) == 0, "file error: %s", err);
	CHECK(st.n == 0 && st.file == NULL, "store not empty after error");
	struct pv_approval a = rec("npm", "c", "1", D1, 0, NULL);
	CHECK(pv_approvals_record(path, &a, err, sizeof err) < 0, "recorded into a broken file");
	CHECK(strncmp(err, want, strlen(want)) == 0, "record error: %s", err);
	char *text = slurp(path);
	CHECK(text && strcmp(text, broken) == 0, "broken file rewritten");
	free(text);

	/* Unreadable: a directory in place of the file. */
	snprintf(path, sizeof path, "%s/adir.ini", dir);
	mkdir(path, 0755);
	CHECK(pv_approvals_load(&st, path, err, sizeof err) < 0, "directory loaded");
	CHECK(strncmp(err, path, strlen(path)) == 0 && strstr(err, "directory"), "dir error: %s", err);
	if (geteuid() != 0) {
		snprintf(path, sizeof path, "%s/noperm.ini", dir);
		put(path, "", 0);
		chmod(path, 0);
		CHECK(pv_approvals_load(&st, path, err, sizeof err) < 0, "unreadable loaded");
		CHECK(strncmp(err, path, strlen(path)) == 0, "unreadable error: %s", err);
	}
}

enum { PROCS = 8, PER_PROC = 20 };

static void test_concurrent(const char *dir)
{
	char path[4096], err[512];
	snprintf(path, sizeof path, "%s/conc/approvals.ini", dir);
	pid_t pids[PROCS];
	for (int c = 0; c < PROCS; c++) {
		pids[c] = fork();
		if (pids[c] == 0) {
			int bad = 0;
			for (int i = 0; i < PER_PROC; i++) {
				char name[64], ver[32];
				snprintf(name, sizeof name, "pkg-%d-%d", c, i);
				snprintf(ver, sizeof ver, "1.0.%d", i);
				struct pv_approval a = rec(i % 2 ? "npm" : "pypi", name, ver, D1,
				                           BIT(i % PV_PERM__COUNT), "2026-11-27T03:00:00Z");
				if (pv_approvals_record(path, &a, err, sizeof err) != 0) {
					fprintf(stderr, "child %d: %s\n", c, err);
					bad = 1;
				}
			}
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
	struct pv_approvals st;
	CHECK(pv_approvals_load(&st, path, err, sizeof err) == 0, "%s", err);
	CHECK(st.n == PROCS * PER_PROC, "%zu approvals, want %d", st.n, PROCS * PER_PROC);
	for (int c = 0; c < PROCS; c++)
		for (int i = 0; i < PER_PROC; i++) {
			char name[64], ver[32];
			snprintf(name, sizeof name, "pkg-%d-%d", c, i);
			snprintf(ver, sizeof ver, "1.0.%d", i);
			CHECK(pv_approval_covers(&st, i % 2 ? "npm" : "pypi", name, ver, D1, BIT(i % PV_PERM__COUNT)),
			      "lost %s@%s", name, ver);
		}
	pv_approvals_free(&st);
	/* No temporary file left behind: only the file and its lock. */
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/conc", dir);
	DIR *d = opendir(sub);
	CHECK(d != NULL, "opendir");
	struct dirent *e;
	while (d && (e = readdir(d)))
		CHECK(!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "approvals.ini") ||
		      !strcmp(e->d_name, "approvals.ini.lock"), "stray file %s", e->d_name);
	if (d)
		closedir(d);
}

int main(void)
{
	umask(022);
	const char *tmp = getenv("TMPDIR");
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/pv-approvals-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_paths();
	test_record_find(dir);
	test_sorted(dir);
	test_malformed(dir);
	test_concurrent(dir);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return CHECK_DONE();
}
