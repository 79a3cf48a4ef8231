/* decision_log.c - append verdicts to the JSONL decision log. */
#include "decision_log.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"

static const char *const decider_names[PV_DECIDED__COUNT] = {
	"policy", "user", "approval", "allow-list", "deny-list",
};

const char *pv_decider_name(enum pv_decider d)
{
	return (unsigned)d < PV_DECIDED__COUNT ? decider_names[d] : "?";
}

void pv_utc_time(time_t t, char buf[PV_TIME_LEN])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, PV_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, PV_TIME_LEN, "%s", "1970-01-01T00:00:00Z");
}

int pv_user_name(char *buf, size_t n)
{
	uid_t uid = geteuid();
	struct passwd pw, *res = NULL;
	char tmp[4096];
	int len;
	if (getpwuid_r(uid, &pw, tmp, sizeof tmp, &res) == 0 && res && res->pw_name && res->pw_name[0])
		len = snprintf(buf, n, "%s", res->pw_name);
	else
		len = snprintf(buf, n, "uid-%lu", (unsigned long)uid);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

int pv_mkdir_parents(const char *path, unsigned mode, char *err, size_t errlen)
{
	char *dir = strdup(path);
	if (!dir) {
		snprintf(err, errlen, "%s", "out of memory");
		return -1;
	}
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) { /* relative file in the cwd, or in / */
		free(dir);
		return 0;
	}
	*slash = 0;
	struct stat st;
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		free(dir);
		return 0;
	}
	/* Create each prefix in turn; existing ones fail with EEXIST. */
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != 0)
			continue;
		char c = *p;
		*p = 0;
		if (mkdir(dir, (mode_t)mode) != 0) {
			struct stat sb;
			int e = errno;
			if (e != EEXIST || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
				snprintf(err, errlen, "cannot create directory %s: %s", dir,
				         strerror(e == EEXIST ? ENOTDIR : e));
				free(dir);
				return -1;
			}
		}
		*p = c;
		if (!c)
			break;
		while (p[1] == '/')
			p++;
	}
	free(dir);
	return 0;
}

int pv_home_dir(char *buf, size_t n)
{
	const char *home = getenv("HOME");
	if (home && home[0] == '/') {
		int len = snprintf(buf, n, "%s", home);
		return len < 0 || (size_t)len >= n ? -1 : 0;
	}
	struct passwd pw, *res = NULL;
	char tmp[4096];
	if (getpwuid_r(geteuid(), &pw, tmp, sizeof tmp, &res) == 0 && res && res->pw_dir &&
	    res->pw_dir[0] == '/') {
		int len = snprintf(buf, n, "%s", res->pw_dir);
		return len < 0 || (size_t)len >= n ? -1 : 0;
	}
	return -1;
}

int pv_decision_log_default_path(char *buf, size_t n, char *err, size_t errlen)
{
	const char *state = getenv("XDG_STATE_HOME");
	int len;
	if (state && state[0] == '/') {
		len = snprintf(buf, n, "%s/pkgvet/decisions.jsonl", state);
	} else {
		char home[PATH_MAX];
		if (pv_home_dir(home, sizeof home) != 0) {
			snprintf(err, errlen, "%s", "cannot place the decision log: no home directory (set HOME or XDG_STATE_HOME)");
			return -1;
		}
		len = snprintf(buf, n, "%s/.local/state/pkgvet/decisions.jsonl", home);
	}
	if (len < 0 || (size_t)len >= n) {
		snprintf(err, errlen, "%s", "cannot place the decision log: path too long");
		return -1;
	}
	return 0;
}

/* Add key = s (made valid UTF-8), or null when s is NULL. Returns 0 or -1. */
static int add_str(json_object *obj, const char *key, const char *s)
{
	json_object *v = NULL;
	if (s) {
		char *clean = pv_utf8_clean(s);
		if (!clean)
			return -1;
		v = json_object_new_string(clean);
		free(clean);
		if (!v)
			return -1;
	}
	if (json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int add_findings(json_object *obj, const struct pv_findings *fs)
{
	json_object *arr = json_object_new_array();
	if (!arr)
		return -1;
	if (json_object_object_add(obj, "findings", arr) != 0) {
		json_object_put(arr);
		return -1;
	}
	if (!fs)
		return 0;
	for (size_t i = 0; i < fs->n; i++) {
		const struct pv_finding *f = &fs->v[i];
		if (!f->attr)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = fs->v[j].attr && fs->v[j].action == f->action && strcmp(fs->v[j].attr, f->attr) == 0;
		if (seen)
			continue;
		json_object *o = json_object_new_object();
		if (!o)
			return -1;
		if (json_object_array_add(arr, o) != 0) {
			json_object_put(o);
			return -1;
		}
		if (add_str(o, "attribute", f->attr) != 0 || add_str(o, "action", pv_action_name(f->action)) != 0)
			return -1;
	}
	return 0;
}

char *pv_decision_to_json(const struct pv_decision *d)
{
	char now[PV_TIME_LEN], user[256];
	const char *t = d->time, *u = d->user;
	if (!t) {
		pv_utc_time(time(NULL), now);
		t = now;
	}
	if (!u) {
		if (pv_user_name(user, sizeof user) != 0)
			snprintf(user, sizeof user, "uid-%lu", (unsigned long)geteuid());
		u = user;
	}
	json_object *obj = json_object_new_object();
	if (!obj)
		return NULL;
	char *out = NULL;
	if (add_str(obj, "time", t) == 0 && add_str(obj, "user", u) == 0 &&
	    add_str(obj, "command", d->command) == 0 && add_str(obj, "ecosystem", d->ecosystem) == 0 &&
	    add_str(obj, "name", d->name) == 0 && add_str(obj, "version", d->version) == 0 &&
	    add_str(obj, "digest", d->digest && d->digest[0] ? d->digest : NULL) == 0 &&
	    add_findings(obj, d->findings) == 0 && add_str(obj, "action", pv_action_name(d->action)) == 0 &&
	    add_str(obj, "decided_by", pv_decider_name(d->decided_by)) == 0) {
		/* PLAIN: no newline anywhere (json-c escapes control characters). */
		const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		if (s)
			out = strdup(s);
	}
	json_object_put(obj);
	return out;
}

int pv_decision_log_append(const char *path, const struct pv_decision *d,
                           char *err, size_t errlen)
{
	char defpath[PATH_MAX];
	if ((unsigned)d->action > PV_BLOCK || (unsigned)d->decided_by >= PV_DECIDED__COUNT) {
		snprintf(err, errlen, "%s", "decision log: invalid action or decided_by");
		return -1;
	}
	if (!path) {
		if (pv_decision_log_default_path(defpath, sizeof defpath, err, errlen) != 0)
			return -1;
		path = defpath;
	}
	char *json = pv_decision_to_json(d);
	if (!json) {
		snprintf(err, errlen, "%s", "decision log: out of memory");
		return -1;
	}
	/* buf = "\n" json "\n": the leading newline is written only to end a
	 * line an interrupted writer left open. */
	size_t jlen = strlen(json);
	char *buf = malloc(jlen + 2);
	if (!buf) {
		free(json);
		snprintf(err, errlen, "%s", "decision log: out of memory");
		return -1;
	}
	buf[0] = '\n';
	memcpy(buf + 1, json, jlen);
	buf[jlen + 1] = '\n';
	free(json);

	char derr[512];
	if (pv_mkdir_parents(path, 0700, derr, sizeof derr) != 0) {
		snprintf(err, errlen, "decision log: %s", derr);
		free(buf);
		return -1;
	}
	/* Read access lets us look at the last byte; fall back to write-only. */
	bool readable = true;
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0 && errno == EACCES) {
		readable = false;
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open decision log %s: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "cannot lock decision log %s: %s", path, strerror(errno));
			close(fd);
			free(buf);
			return -1;
		}
	}
	struct stat sb;
	bool regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	off_t size0 = regular ? sb.st_size : 0;
	const char *p = buf + 1;
	size_t n = jlen + 1;
	if (regular && readable && size0 > 0) {
		char last;
		if (pread(fd, &last, 1, size0 - 1) == 1 && last != '\n') {
			p = buf;
			n++;
		}
	}
	size_t off = 0;
	int rc = 0;
	while (off < n) {
		ssize_t w = write(fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, "cannot write decision log %s: %s", path,
			         w < 0 ? strerror(errno) : "no progress");
			/* Still under the lock: nobody appended after us. */
			if (regular && off > 0 && ftruncate(fd, size0) != 0) {
				/* Nothing more can be done; the message already says it failed. */
			}
			rc = -1;
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0 && rc == 0) { /* also releases the lock */
		snprintf(err, errlen, "cannot write decision log %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(buf);
	return rc;
}
