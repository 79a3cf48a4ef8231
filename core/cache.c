/* cache.c - the SQLite cache of cache.h.
 *
 * Findings are stored as rows of a child table rather than as one JSON
 * blob: excerpts are raw source bytes (possibly invalid UTF-8, which JSON
 * cannot carry without an escaping layer of our own), NULL and "" must stay
 * apart, and rows with BLOB columns keep both exactly, with no encoder or
 * parser in the way of a warm read. The entry's row count is stored with it
 * and checked on every read, so a damaged entry is reported, not trusted. */
#include "cache.h"

#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Entries read less than this long after their last recorded use are not
 * re-stamped: a warm read stays a pure read. */
#define USED_AT_SLACK 3600

enum stmt_id {
	S_BEGIN_READ, S_BEGIN_WRITE, S_COMMIT, S_ROLLBACK,
	S_AN_GET, S_FI_GET, S_AN_TOUCH, S_FI_DEL_KEY, S_AN_DEL_KEY, S_AN_INS, S_FI_INS,
	S_ME_GET, S_ME_PUT, S_ME_TOUCH,
	S_OZ_GET, S_OZ_PUT, S_OR_DEL, S_ON_DEL, S_OR_INS, S_ON_INS, S_ON_GET,
	S__COUNT
};

static const char *const stmt_sql[S__COUNT] = {
	[S_BEGIN_READ] = "BEGIN DEFERRED",
	[S_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_AN_GET] = "SELECT id, ecosystem, name, version, format, files, bytes, analysed,"
	             " nfindings, created_at, used_at FROM analysis WHERE digest = ?1 AND analyser = ?2",
	[S_FI_GET] = "SELECT attr, file, line, excerpt, detail, install_time, count"
	             " FROM finding WHERE analysis_id = ?1 ORDER BY seq",
	[S_AN_TOUCH] = "UPDATE analysis SET used_at = ?2 WHERE id = ?1 AND used_at < ?2",
	[S_FI_DEL_KEY] = "DELETE FROM finding WHERE analysis_id IN"
	                 " (SELECT id FROM analysis WHERE digest = ?1 AND analyser = ?2)",
	[S_AN_DEL_KEY] = "DELETE FROM analysis WHERE digest = ?1 AND analyser = ?2",
	[S_AN_INS] = "INSERT INTO analysis(digest, analyser, ecosystem, name, version, format,"
	             " files, bytes, analysed, nfindings, created_at, used_at)"
	             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
	[S_FI_INS] = "INSERT INTO finding(analysis_id, seq, attr, file, line, excerpt, detail,"
	             " install_time, count) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_ME_GET] = "SELECT body, etag, fetched_at FROM meta WHERE key = ?1",
	[S_ME_PUT] = "INSERT INTO meta(key, body, etag, fetched_at, size) VALUES(?1, ?2, ?3, ?4, ?5)"
	             " ON CONFLICT(key) DO UPDATE SET body = excluded.body, etag = excluded.etag,"
	             " fetched_at = excluded.fetched_at, size = excluded.size",
	[S_ME_TOUCH] = "UPDATE meta SET fetched_at = ?2 WHERE key = ?1",
	[S_OZ_GET] = "SELECT ident FROM osv_zip WHERE ecosystem = ?1",
	[S_OZ_PUT] = "INSERT INTO osv_zip(ecosystem, ident, records, indexed_at) VALUES(?1, ?2, ?3, ?4)"
	             " ON CONFLICT(ecosystem) DO UPDATE SET ident = excluded.ident,"
	             " records = excluded.records, indexed_at = excluded.indexed_at",
	[S_OR_DEL] = "DELETE FROM osv_rec WHERE ecosystem = ?1",
	[S_ON_DEL] = "DELETE FROM osv_name WHERE ecosystem = ?1",
	[S_OR_INS] = "INSERT INTO osv_rec(ecosystem, seq, body) VALUES(?1, ?2, ?3)",
	[S_ON_INS] = "INSERT OR IGNORE INTO osv_name(ecosystem, name, seq) VALUES(?1, ?2, ?3)",
	[S_ON_GET] = "SELECT r.body FROM osv_name n JOIN osv_rec r ON r.ecosystem = n.ecosystem"
	             " AND r.seq = n.seq WHERE n.ecosystem = ?1 AND n.name = ?2 ORDER BY n.seq",
};

/* Schema migrations: migrations[i] takes user_version i to i + 1. */
static const char *const migrations[PV_CACHE_SCHEMA] = {
	"CREATE TABLE analysis("
	" id INTEGER PRIMARY KEY,"
	" digest TEXT NOT NULL,"
	" analyser TEXT NOT NULL,"
	" ecosystem BLOB, name BLOB, version BLOB, format BLOB,"
	" files INTEGER NOT NULL, bytes INTEGER NOT NULL, analysed INTEGER NOT NULL,"
	" nfindings INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL, used_at INTEGER NOT NULL,"
	" UNIQUE(digest, analyser));"
	"CREATE INDEX analysis_used ON analysis(used_at);"
	"CREATE TABLE finding("
	" analysis_id INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" attr BLOB NOT NULL, file BLOB, line INTEGER NOT NULL, excerpt BLOB, detail BLOB,"
	" install_time INTEGER NOT NULL, count INTEGER NOT NULL,"
	" PRIMARY KEY(analysis_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE meta("
	" key TEXT PRIMARY KEY,"
	" body BLOB NOT NULL,"
	" etag TEXT,"
	" fetched_at INTEGER NOT NULL,"
	" size INTEGER NOT NULL);"
	"CREATE INDEX meta_fetched ON meta(fetched_at);",
	/* 2: the offline OSV index (core/vulns.c). Each record is stored once per
	 * ecosystem and found through its name keys; osv_zip says which export
	 * zip the rows of an ecosystem came from, so a changed zip is noticed. */
	"CREATE TABLE osv_zip("
	" ecosystem TEXT PRIMARY KEY,"
	" ident TEXT NOT NULL,"
	" records INTEGER NOT NULL,"
	" indexed_at INTEGER NOT NULL);"
	"CREATE TABLE osv_rec("
	" ecosystem TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" body BLOB NOT NULL,"
	" PRIMARY KEY(ecosystem, seq));"
	"CREATE TABLE osv_name("
	" ecosystem TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" PRIMARY KEY(ecosystem, name, seq)) WITHOUT ROWID;",
};

struct pv_cache {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[S__COUNT];
	int64_t now_override;
	char err[768];
	pthread_mutex_t mu; /* recursive: one call at a time on this connection */
};

static void lock(struct pv_cache *c)
{
	pthread_mutex_lock(&c->mu);
}

static void unlock(struct pv_cache *c)
{
	pthread_mutex_unlock(&c->mu);
}

/* ---- errors ---- */

static void seterr(struct pv_cache *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void seterr(struct pv_cache *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	/* One line, whatever SQLite or the OS said. */
	for (char *p = c->err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

/* Map a SQLite result to our code and leave a message about it. */
static int sqlerr(struct pv_cache *c, int rc, const char *doing)
{
	const char *msg = c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		seterr(c, "cache %s is corrupt (%s); run `pkgvet cache clear` to start a new one",
		       c->path, msg);
		return PV_CACHE_ECORRUPT;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		seterr(c, "cache %s: cannot %s (%s); check the permissions of the file and its directory",
		       c->path, doing, msg);
		return PV_CACHE_EACCESS;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		seterr(c, "cache %s: still locked by another process after %d ms while trying to %s",
		       c->path, PV_CACHE_BUSY_MS, doing);
		return PV_CACHE_EBUSY;
	case SQLITE_NOMEM:
		seterr(c, "cache %s: out of memory", c->path);
		return PV_CACHE_ENOMEM;
	case SQLITE_TOOBIG:
		seterr(c, "cache %s: entry too large to %s", c->path, doing);
		return PV_CACHE_ETOOBIG;
	case SQLITE_FULL:
		seterr(c, "cache %s: disk full while trying to %s", c->path, doing);
		return PV_CACHE_ERROR;
	default:
		seterr(c, "cache %s: cannot %s (%s)", c->path, doing, msg);
		return PV_CACHE_ERROR;
	}
}

static int64_t now_of(const struct pv_cache *c)
{
	return c->now_override ? c->now_override : (int64_t)time(NULL);
}

/* ---- paths ---- */

char *pv_cache_default_path(void)
{
	static const char tail[] = "/pkgvet/cache.sqlite3";
	const char *x = getenv("XDG_CACHE_HOME");
	char *out = NULL;
	if (x && x[0] == '/') {
		size_t n = strlen(x) + sizeof tail;
		out = malloc(n);
		if (out)
			snprintf(out, n, "%s%s", x, tail);
		return out;
	}
	const char *h = getenv("HOME");
	if (!h || h[0] != '/') {
		struct passwd *pw = getpwuid(getuid());
		h = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
	}
	if (!h)
		return NULL;
	size_t n = strlen(h) + strlen("/.cache") + sizeof tail;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s/.cache%s", h, tail);
	return out;
}

/* mkdir -p of the directory part of path, new directories 0700. */
static int make_parents(struct pv_cache *c)
{
	char *d = strdup(c->path);
	if (!d) {
		seterr(c, "cache %s: out of memory", c->path);
		return PV_CACHE_ENOMEM;
	}
	char *slash = strrchr(d, '/');
	if (!slash || slash == d) {
		free(d);
		return PV_CACHE_OK;
	}
	*slash = '\0';
	int rc = PV_CACHE_OK;
	for (char *p = d + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char save = *p;
		*p = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST) {
			int e = errno;
			seterr(c, "cache %s: cannot create directory %s: %s", c->path, d, strerror(e));
			rc = e == EACCES || e == EPERM || e == EROFS ? PV_CACHE_EACCESS : PV_CACHE_ERROR;
			break;
		}
		*p = save;
		if (save == '\0')
			break;
	}
	if (rc == PV_CACHE_OK) {
		struct stat sb;
		if (stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			seterr(c, "cache %s: %s is not a directory", c->path, d);
			rc = PV_CACHE_ERROR;
		}
	}
	free(d);
	return rc;
}

/* ---- open ---- */

static int exec_simple(struct pv_cache *c, const char *sql, const char *doing)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? PV_CACHE_OK : sqlerr(c, rc, doing);
}

static int read_user_version(struct pv_cache *c, int *v)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*v = sqlite3_column_int(s, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_OK ? PV_CACHE_OK : sqlerr(c, rc, "read the schema version");
}

static int migrate(struct pv_cache *c)
{
	int v = 0;
	int rc = read_user_version(c, &v);
	if (rc != PV_CACHE_OK)
		return rc;
	if (v == PV_CACHE_SCHEMA)
		return PV_CACHE_OK;
	if (v > PV_CACHE_SCHEMA || v < 0)
		goto newer;
	/* Take the write lock, then look again: another process may have
	 * migrated in between. */
	rc = exec_simple(c, "BEGIN IMMEDIATE", "lock the database to set up its tables");
	if (rc != PV_CACHE_OK)
		return rc;
	rc = read_user_version(c, &v);
	if (rc == PV_CACHE_OK && (v > PV_CACHE_SCHEMA || v < 0)) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		goto newer;
	}
	for (; rc == PV_CACHE_OK && v < PV_CACHE_SCHEMA; v++)
		rc = exec_simple(c, migrations[v], "set up its tables");
	if (rc == PV_CACHE_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", PV_CACHE_SCHEMA);
		rc = exec_simple(c, sql, "record the schema version");
	}
	if (rc == PV_CACHE_OK)
		rc = exec_simple(c, "COMMIT", "set up its tables");
	if (rc != PV_CACHE_OK)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
newer:
	seterr(c, "cache %s was written by a newer pkgvet (schema %d, this one knows %d);"
	          " upgrade pkgvet or run `pkgvet cache clear`", c->path, v, PV_CACHE_SCHEMA);
	return PV_CACHE_ENEWER;
}

static int setup(struct pv_cache *c)
{
	int rc = sqlite3_open_v2(c->path, &c->db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return sqlerr(c, rc, "open it");
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, PV_CACHE_BUSY_MS);
	/* A damaged or hostile file cannot make us allocate without bound. */
	sqlite3_limit(c->db, SQLITE_LIMIT_LENGTH, (int)PV_CACHE_BLOB_MAX + 4096);
	sqlite3_limit(c->db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
	/* auto_vacuum only takes on a new database; it lets clear and prune
	 * give space back without an exclusive VACUUM. */
	rc = exec_simple(c, "PRAGMA auto_vacuum = INCREMENTAL", "configure it");
	if (rc != PV_CACHE_OK)
		return rc;
	sqlite3_stmt *s = NULL;
	int src = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);
	if (src == SQLITE_OK) {
		src = sqlite3_step(s);
		if (src == SQLITE_ROW) {
			const char *m = (const char *)sqlite3_column_text(s, 0);
			src = m && strcmp(m, "wal") == 0 ? SQLITE_OK : SQLITE_READONLY;
		}
	}
	sqlite3_finalize(s);
	if (src != SQLITE_OK)
		return sqlerr(c, src, "switch it to WAL mode");
	rc = exec_simple(c, "PRAGMA synchronous = NORMAL", "configure it");
	if (rc == PV_CACHE_OK)
		rc = migrate(c);
	if (rc != PV_CACHE_OK)
		return rc;
	for (int i = 0; i < S__COUNT; i++) {
		src = sqlite3_prepare_v3(c->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->st[i], NULL);
		if (src != SQLITE_OK)
			return sqlerr(c, src, "prepare its statements");
	}
	return PV_CACHE_OK;
}

static void teardown(struct pv_cache *c)
{
	for (int i = 0; i < S__COUNT; i++) {
		sqlite3_finalize(c->st[i]);
		c->st[i] = NULL;
	}
	if (c->db)
		sqlite3_close(c->db);
	c->db = NULL;
}

int pv_cache_open(const char *path, struct pv_cache **out, char **err)
{
	*out = NULL;
	if (err)
		*err = NULL;
	struct pv_cache *c = calloc(1, sizeof *c);
	if (!c) {
		if (err)
			*err = strdup("cache: out of memory");
		return PV_CACHE_ENOMEM;
	}
	pthread_mutexattr_t ma;
	if (pthread_mutexattr_init(&ma) != 0 || pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE) != 0 ||
	    pthread_mutex_init(&c->mu, &ma) != 0) {
		free(c);
		if (err)
			*err = strdup("cache: cannot create a lock");
		return PV_CACHE_ERROR;
	}
	pthread_mutexattr_destroy(&ma);
	int rc = PV_CACHE_OK;
	c->path = path ? strdup(path) : pv_cache_default_path();
	if (!c->path) {
		snprintf(c->err, sizeof c->err, "%s",
		         path ? "cache: out of memory"
		              : "cache: no cache directory (set XDG_CACHE_HOME or HOME)");
		rc = path ? PV_CACHE_ENOMEM : PV_CACHE_EINVAL;
		goto fail;
	}
	if (!c->path[0] || strlen(c->path) > PATH_MAX) {
		seterr(c, "cache: bad database path '%s'", c->path);
		rc = PV_CACHE_EINVAL;
		goto fail;
	}
	rc = make_parents(c);
	if (rc != PV_CACHE_OK)
		goto fail;
	/* Create the file ourselves so that it is private from the start. */
	int fd = open(c->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		int e = errno;
		seterr(c, "cache %s: cannot open or create: %s", c->path, strerror(e));
		rc = e == EACCES || e == EPERM || e == EROFS ? PV_CACHE_EACCESS : PV_CACHE_ERROR;
		goto fail;
	}
	struct stat sb;
	bool regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	close(fd);
	if (!regular) {
		seterr(c, "cache %s: not a regular file", c->path);
		rc = PV_CACHE_ERROR;
		goto fail;
	}
	/* Opening while another process is creating the database, switching it
	 * to WAL or recovering its WAL can report BUSY without waiting on the
	 * busy handler: retry the whole setup for up to the busy timeout. */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = setup(c);
		if (rc != PV_CACHE_EBUSY)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= PV_CACHE_BUSY_MS)
			break;
		teardown(c);
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (rc != PV_CACHE_OK)
		goto fail;
	c->err[0] = '\0';
	*out = c;
	return PV_CACHE_OK;
fail:
	if (err)
		*err = strdup(c->err[0] ? c->err : "cache: cannot open");
	teardown(c);
	pthread_mutex_destroy(&c->mu);
	free(c->path);
	free(c);
	return rc;
}

void pv_cache_close(struct pv_cache *c)
{
	if (!c)
		return;
	teardown(c);
	pthread_mutex_destroy(&c->mu);
	free(c->path);
	free(c);
}

const char *pv_cache_path(const struct pv_cache *c)
{
	return c->path;
}

const char *pv_cache_error(const struct pv_cache *c)
{
	return c->err;
}

void pv_cache_set_now(struct pv_cache *c, int64_t now)
{
	c->now_override = now;
}

int pv_cache_remove(const char *path, char **err)
{
	if (err)
		*err = NULL;
	char *p = path ? strdup(path) : pv_cache_default_path();
	if (!p) {
		if (err)
			*err = strdup(path ? "cache: out of memory"
			                   : "cache: no cache directory (set XDG_CACHE_HOME or HOME)");
		return path ? PV_CACHE_ENOMEM : PV_CACHE_EINVAL;
	}
	static const char *const sfx[] = { "-wal", "-shm", "-journal", "" };
	size_t n = strlen(p) + 16;
	char *f = malloc(n);
	int rc = f ? PV_CACHE_OK : PV_CACHE_ENOMEM;
	for (size_t i = 0; f && i < sizeof sfx / sizeof *sfx; i++) {
		snprintf(f, n, "%s%s", p, sfx[i]);
		if (unlink(f) != 0 && errno != ENOENT) {
			int e = errno;
			if (err) {
				size_t m = strlen(f) + 128;
				*err = malloc(m);
				if (*err)
					snprintf(*err, m, "cache: cannot remove %s: %s", f, strerror(e));
			}
			rc = e == EACCES || e == EPERM || e == EROFS ? PV_CACHE_EACCESS : PV_CACHE_ERROR;
			break;
		}
	}
	if (rc == PV_CACHE_ENOMEM && err)
		*err = strdup("cache: out of memory");
	free(f);
	free(p);
	return rc;
}

/* ---- statement helpers ---- */

static sqlite3_stmt *stmt(struct pv_cache *c, enum stmt_id id)
{
	sqlite3_stmt *s = c->st[id];
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static void done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Run a statement that returns no rows. */
static int run(struct pv_cache *c, sqlite3_stmt *s, const char *doing)
{
	int rc = sqlite3_step(s);
	done(s);
	return rc == SQLITE_DONE ? PV_CACHE_OK : sqlerr(c, rc, doing);
}

static int begin(struct pv_cache *c, bool write)
{
	return run(c, stmt(c, write ? S_BEGIN_WRITE : S_BEGIN_READ),
	           write ? "lock it for writing" : "start reading");
}

static int commit(struct pv_cache *c)
{
	return run(c, stmt(c, S_COMMIT), "commit");
}

static void rollback(struct pv_cache *c)
{
	if (!sqlite3_get_autocommit(c->db)) {
		sqlite3_step(stmt(c, S_ROLLBACK));
		done(c->st[S_ROLLBACK]);
	}
}

/* Bind a C string (or NULL) as exact bytes. */
static int bind_str(sqlite3_stmt *s, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_blob(s, i, v, (int)strlen(v), SQLITE_STATIC);
}

static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static int64_t clamp64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* A column as a malloc'd NUL-terminated string; NULL stays NULL.
 * Returns 0, or -1 on allocation failure. */
static int col_str(sqlite3_stmt *s, int i, char **out)
{
	*out = NULL;
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return 0;
	const void *b = sqlite3_column_blob(s, i);
	int n = sqlite3_column_bytes(s, i);
	if (n < 0)
		n = 0;
	char *p = malloc((size_t)n + 1);
	if (!p)
		return -1;
	if (n && b)
		memcpy(p, b, (size_t)n);
	else
		n = 0;
	p[n] = '\0';
	*out = p;
	return 0;
}

static uint64_t col_u64(sqlite3_stmt *s, int i)
{
	sqlite3_int64 v = sqlite3_column_int64(s, i);
	return v < 0 ? 0 : (uint64_t)v;
}

static bool key_ok(const char *k)
{
	return k && k[0] && strlen(k) <= PV_CACHE_KEY_MAX;
}

/* ---- analysis ---- */

void pv_cache_analysis_free(struct pv_cache_analysis *a)
{
	free(a->ecosystem);
	free(a->name);
	free(a->version);
	free(a->format);
	pv_findings_free(&a->findings);
	memset(a, 0, sizeof *a);
}

static size_t slen(const char *s)
{
	return s ? strlen(s) : 0;
}

static int cache_put_analysis(struct pv_cache *c, const char *digest, const char *analyser_version,
                          const struct pv_cache_analysis *in)
{
	c->err[0] = '\0';
	if (!key_ok(digest) || !key_ok(analyser_version) || !in) {
		seterr(c, "cache %s: analysis needs a digest and an analyser version", c->path);
		return PV_CACHE_EINVAL;
	}
	const struct pv_findings *fs = &in->findings;
	if (fs->oom) {
		seterr(c, "cache %s: not storing an incomplete findings list", c->path);
		return PV_CACHE_EINVAL;
	}
	if (fs->n > PV_CACHE_FINDINGS_MAX) {
		seterr(c, "cache %s: %zu findings is more than the %d an entry may hold", c->path, fs->n,
		       PV_CACHE_FINDINGS_MAX);
		return PV_CACHE_ETOOBIG;
	}
	uint64_t total = slen(in->ecosystem) + slen(in->name) + slen(in->version) + slen(in->format);
	for (size_t i = 0; i < fs->n; i++) {
		const struct pv_finding *f = &fs->v[i];
		if (!f->attr) {
			seterr(c, "cache %s: finding %zu has no attribute", c->path, i);
			return PV_CACHE_EINVAL;
		}
		total += slen(f->attr) + slen(f->file) + slen(f->excerpt) + slen(f->detail) + 32;
	}
	if (total > PV_CACHE_BLOB_MAX) {
		seterr(c, "cache %s: analysis entry of %llu bytes is over the %u-byte bound", c->path,
		       (unsigned long long)total, PV_CACHE_BLOB_MAX);
		return PV_CACHE_ETOOBIG;
	}
	int64_t now = now_of(c);
	int rc = begin(c, true);
	if (rc != PV_CACHE_OK)
		return rc;
	sqlite3_stmt *s = stmt(c, S_FI_DEL_KEY);
	bind_text(s, 1, digest);
	bind_text(s, 2, analyser_version);
	rc = run(c, s, "replace an analysis entry");
	if (rc == PV_CACHE_OK) {
		s = stmt(c, S_AN_DEL_KEY);
		bind_text(s, 1, digest);
		bind_text(s, 2, analyser_version);
		rc = run(c, s, "replace an analysis entry");
	}
	if (rc == PV_CACHE_OK) {
		s = stmt(c, S_AN_INS);
		bind_text(s, 1, digest);
		bind_text(s, 2, analyser_version);
		bind_str(s, 3, in->ecosystem);
		bind_str(s, 4, in->name);
		bind_str(s, 5, in->version);
		bind_str(s, 6, in->format);
		sqlite3_bind_int64(s, 7, clamp64(in->files));
		sqlite3_bind_int64(s, 8, clamp64(in->bytes));
		sqlite3_bind_int64(s, 9, clamp64(in->analysed));
		sqlite3_bind_int64(s, 10, (sqlite3_int64)fs->n);
		sqlite3_bind_int64(s, 11, now);
		rc = run(c, s, "store an analysis entry");
	}
	sqlite3_int64 id = sqlite3_last_insert_rowid(c->db);
	for (size_t i = 0; rc == PV_CACHE_OK && i < fs->n; i++) {
		const struct pv_finding *f = &fs->v[i];
		s = stmt(c, S_FI_INS);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, f->attr);
		bind_str(s, 4, f->file);
		sqlite3_bind_int64(s, 5, f->line);
		bind_str(s, 6, f->excerpt);
		bind_str(s, 7, f->detail);
		sqlite3_bind_int(s, 8, f->install_time ? 1 : 0);
		sqlite3_bind_int64(s, 9, f->count);
		rc = run(c, s, "store a finding");
	}
	if (rc == PV_CACHE_OK)
		rc = commit(c);
	if (rc != PV_CACHE_OK)
		rollback(c);
	return rc;
}

/* Read the findings of entry id into fs; exactly `want` rows expected. */
static int read_findings(struct pv_cache *c, sqlite3_int64 id, uint64_t want, struct pv_findings *fs)
{
	if (want > PV_CACHE_FINDINGS_MAX) {
		seterr(c, "cache %s is corrupt (an entry claims %llu findings); run `pkgvet cache clear`"
		          " to start a new one", c->path, (unsigned long long)want);
		return PV_CACHE_ECORRUPT;
	}
	if (want) {
		fs->v = calloc((size_t)want, sizeof *fs->v);
		if (!fs->v) {
			seterr(c, "cache %s: out of memory", c->path);
			return PV_CACHE_ENOMEM;
		}
		fs->cap = (size_t)want;
	}
	sqlite3_stmt *s = stmt(c, S_FI_GET);
	sqlite3_bind_int64(s, 1, id);
	int src, rc = PV_CACHE_OK;
	bool extra = false;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		if (fs->n >= want) {
			extra = true; /* reported below */
			break;
		}
		struct pv_finding *f = &fs->v[fs->n];
		memset(f, 0, sizeof *f);
		if (col_str(s, 0, &f->attr) || col_str(s, 1, &f->file) || col_str(s, 3, &f->excerpt) ||
		    col_str(s, 4, &f->detail)) {
			fs->n++; /* so that pv_findings_free releases what was set */
			rc = PV_CACHE_ENOMEM;
			seterr(c, "cache %s: out of memory", c->path);
			break;
		}
		sqlite3_int64 line = sqlite3_column_int64(s, 2);
		sqlite3_int64 count = sqlite3_column_int64(s, 6);
		f->line = line < 0 || line > UINT32_MAX ? 0 : (uint32_t)line;
		f->count = count < 1 ? 1 : count > UINT32_MAX ? UINT32_MAX : (uint32_t)count;
		f->install_time = sqlite3_column_int(s, 5) != 0;
		f->action = PV_ALLOW;
		f->kind = NULL;
		fs->n++;
		if (!f->attr) {
			rc = PV_CACHE_ECORRUPT;
			seterr(c, "cache %s is corrupt (a finding without attribute); run `pkgvet cache clear`"
			          " to start a new one", c->path);
			break;
		}
	}
	done(s);
	if (rc == PV_CACHE_OK && !extra && src != SQLITE_DONE)
		return sqlerr(c, src, "read findings");
	if (rc == PV_CACHE_OK && (extra || fs->n != want)) {
		rc = PV_CACHE_ECORRUPT;
		seterr(c, "cache %s is corrupt (an analysis entry has %s%zu findings, expected %llu);"
		          " run `pkgvet cache clear` to start a new one",
		       c->path, extra ? "more than " : "", fs->n, (unsigned long long)want);
	}
	return rc;
}

static int cache_get_analysis(struct pv_cache *c, const char *digest, const char *analyser_version,
                          struct pv_cache_analysis *out)
{
	c->err[0] = '\0';
	memset(out, 0, sizeof *out);
	if (!key_ok(digest) || !key_ok(analyser_version)) {
		seterr(c, "cache %s: analysis needs a digest and an analyser version", c->path);
		return PV_CACHE_EINVAL;
	}
	/* One read transaction: the entry and its findings from one snapshot. */
	int rc = begin(c, false);
	if (rc != PV_CACHE_OK)
		return rc;
	sqlite3_stmt *s = stmt(c, S_AN_GET);
	bind_text(s, 1, digest);
	bind_text(s, 2, analyser_version);
	int src = sqlite3_step(s);
	sqlite3_int64 id = 0;
	uint64_t nf = 0;
	int64_t used = 0;
	if (src == SQLITE_DONE) {
		rc = PV_CACHE_MISS;
	} else if (src != SQLITE_ROW) {
		rc = sqlerr(c, src, "read an analysis entry");
	} else {
		id = sqlite3_column_int64(s, 0);
		if (col_str(s, 1, &out->ecosystem) || col_str(s, 2, &out->name) ||
		    col_str(s, 3, &out->version) || col_str(s, 4, &out->format)) {
			seterr(c, "cache %s: out of memory", c->path);
			rc = PV_CACHE_ENOMEM;
		}
		out->files = col_u64(s, 5);
		out->bytes = col_u64(s, 6);
		out->analysed = col_u64(s, 7);
		nf = col_u64(s, 8);
		out->created_at = sqlite3_column_int64(s, 9);
		used = sqlite3_column_int64(s, 10);
	}
	done(s);
	if (rc == PV_CACHE_OK)
		rc = read_findings(c, id, nf, &out->findings);
	if (rc == PV_CACHE_OK || rc == PV_CACHE_MISS) {
		int crc = commit(c);
		if (crc != PV_CACHE_OK)
			rc = crc;
	}
	if (rc != PV_CACHE_OK) {
		rollback(c);
		pv_cache_analysis_free(out);
		return rc;
	}
	/* Record the use for prune, at most once per USED_AT_SLACK; failing to
	 * (a busy or read-only cache) does not fail the read. */
	int64_t now = now_of(c);
	if (now - used > USED_AT_SLACK) {
		s = stmt(c, S_AN_TOUCH);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, now);
		sqlite3_step(s);
		done(s);
	}
	return PV_CACHE_OK;
}

static int cache_put_package(struct pv_cache *c, const char *analyser_version,
                         const struct pv_package *pkg)
{
	if (pkg->status != PV_PKG_OK || !pkg->digest[0]) {
		seterr(c, "cache %s: only a vetted artifact with a digest can be stored", c->path);
		return PV_CACHE_EINVAL;
	}
	struct pv_cache_analysis a = {
		.ecosystem = pkg->ecosystem, .name = pkg->name, .version = pkg->version,
		.format = pkg->format, .files = pkg->files, .bytes = pkg->bytes,
		.analysed = pkg->analysed, .findings = pkg->findings,
	};
	return pv_cache_put_analysis(c, pkg->digest, analyser_version, &a);
}

static int cache_get_package(struct pv_cache *c, const char *digest, const char *analyser_version,
                         struct pv_package *pkg)
{
	if (!digest || strlen(digest) >= sizeof pkg->digest) {
		seterr(c, "cache %s: bad digest", c->path);
		return PV_CACHE_EINVAL;
	}
	struct pv_cache_analysis a;
	int rc = pv_cache_get_analysis(c, digest, analyser_version, &a);
	if (rc != PV_CACHE_OK)
		return rc;
	free(pkg->ecosystem);
	free(pkg->name);
	free(pkg->version);
	free(pkg->format);
	pv_findings_free(&pkg->findings);
	pkg->ecosystem = a.ecosystem;
	pkg->name = a.name;
	pkg->version = a.version;
	pkg->format = a.format;
	pkg->findings = a.findings;
	pkg->files = a.files > SIZE_MAX ? SIZE_MAX : (size_t)a.files;
	pkg->bytes = a.bytes;
	pkg->analysed = a.analysed > SIZE_MAX ? SIZE_MAX : (size_t)a.analysed;
	snprintf(pkg->digest, sizeof pkg->digest, "%s", digest);
	pkg->status = PV_PKG_OK;
	return PV_CACHE_OK;
}

/* ---- metadata ---- */

static int cache_get_meta(struct pv_cache *c, const char *key, int64_t max_age_s,
                      char **body, size_t *len, char **etag, bool *fresh)
{
	c->err[0] = '\0';
	*body = NULL;
	*len = 0;
	if (etag)
		*etag = NULL;
	if (fresh)
		*fresh = false;
	if (!key_ok(key)) {
		seterr(c, "cache %s: bad metadata key", c->path);
		return PV_CACHE_EINVAL;
	}
	sqlite3_stmt *s = stmt(c, S_ME_GET);
	bind_text(s, 1, key);
	int src = sqlite3_step(s);
	int rc = PV_CACHE_OK;
	if (src == SQLITE_DONE) {
		rc = PV_CACHE_MISS;
	} else if (src != SQLITE_ROW) {
		rc = sqlerr(c, src, "read a metadata entry");
	} else {
		int n = sqlite3_column_bytes(s, 0);
		if (n < 0 || (size_t)n > PV_CACHE_BLOB_MAX) {
			seterr(c, "cache %s: metadata entry over the %u-byte bound", c->path, PV_CACHE_BLOB_MAX);
			rc = PV_CACHE_ETOOBIG;
		} else if (col_str(s, 0, body) || (etag && col_str(s, 1, etag))) {
			seterr(c, "cache %s: out of memory", c->path);
			rc = PV_CACHE_ENOMEM;
		} else if (!*body) {
			rc = PV_CACHE_ECORRUPT;
			seterr(c, "cache %s is corrupt (a metadata entry has no body); run `pkgvet cache clear`"
			          " to start a new one", c->path);
		} else {
			*len = (size_t)n;
			/* Fetched in the future means a clock went back: not fresh. */
			int64_t age = now_of(c) - sqlite3_column_int64(s, 2);
			if (fresh)
				*fresh = age >= 0 && age < max_age_s;
		}
	}
	done(s);
	if (rc != PV_CACHE_OK) {
		free(*body);
		*body = NULL;
		*len = 0;
		if (etag) {
			free(*etag);
			*etag = NULL;
		}
	}
	return rc;
}

static int cache_put_meta(struct pv_cache *c, const char *key, const void *body, size_t len,
                      const char *etag)
{
	c->err[0] = '\0';
	if (!key_ok(key) || (!body && len)) {
		seterr(c, "cache %s: bad metadata key or body", c->path);
		return PV_CACHE_EINVAL;
	}
	if (len > PV_CACHE_BLOB_MAX) {
		seterr(c, "cache %s: not storing %zu bytes for %s: over the %u-byte bound", c->path, len,
		       key, PV_CACHE_BLOB_MAX);
		return PV_CACHE_ETOOBIG;
	}
	if (etag && strlen(etag) > PV_CACHE_ETAG_MAX) {
		seterr(c, "cache %s: ETag over %d bytes", c->path, PV_CACHE_ETAG_MAX);
		return PV_CACHE_ETOOBIG;
	}
	sqlite3_stmt *s = stmt(c, S_ME_PUT);
	bind_text(s, 1, key);
	sqlite3_bind_blob(s, 2, len ? body : "", (int)len, SQLITE_STATIC);
	if (etag)
		sqlite3_bind_blob(s, 3, etag, (int)strlen(etag), SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_int64(s, 4, now_of(c));
	sqlite3_bind_int64(s, 5, (sqlite3_int64)len);
	return run(c, s, "store a metadata entry");
}

static int cache_touch_meta(struct pv_cache *c, const char *key)
{
	c->err[0] = '\0';
	if (!key_ok(key)) {
		seterr(c, "cache %s: bad metadata key", c->path);
		return PV_CACHE_EINVAL;
	}
	sqlite3_stmt *s = stmt(c, S_ME_TOUCH);
	bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, now_of(c));
	int rc = run(c, s, "refresh a metadata entry");
	if (rc == PV_CACHE_OK && sqlite3_changes(c->db) == 0)
		rc = PV_CACHE_MISS;
	return rc;
}

/* ---- offline OSV index ---- */

static bool eco_ok(const char *e)
{
	return e && e[0] && strlen(e) <= 64;
}

/* The ident stored for ecosystem, read inside whatever transaction the
 * caller holds. OK with *ident malloc'd, MISS, or an error. */
static int read_ident(struct pv_cache *c, const char *ecosystem, char **ident)
{
	*ident = NULL;
	sqlite3_stmt *s = stmt(c, S_OZ_GET);
	bind_text(s, 1, ecosystem);
	int src = sqlite3_step(s);
	int rc = PV_CACHE_OK;
	if (src == SQLITE_DONE) {
		rc = PV_CACHE_MISS;
	} else if (src != SQLITE_ROW) {
		rc = sqlerr(c, src, "read the offline OSV index");
	} else if (col_str(s, 0, ident) || !*ident) {
		free(*ident);
		*ident = NULL;
		seterr(c, "cache %s: out of memory", c->path);
		rc = PV_CACHE_ENOMEM;
	}
	done(s);
	return rc;
}

static int cache_osv_ident(struct pv_cache *c, const char *ecosystem, char **ident)
{
	c->err[0] = '\0';
	*ident = NULL;
	if (!eco_ok(ecosystem)) {
		seterr(c, "cache %s: bad ecosystem", c->path);
		return PV_CACHE_EINVAL;
	}
	return read_ident(c, ecosystem, ident);
}

struct rec_sink {
	struct pv_cache *c;
	const char *ecosystem;
	sqlite3_int64 seq;
	int rc;  /* the first cache error, PV_CACHE_OK while none */
};

/* Store one streamed record and its name rows. */
static int insert_rec(void *ctx, const char *rec, size_t len, char *const *keys, size_t nkeys)
{
	struct rec_sink *k = ctx;
	struct pv_cache *c = k->c;
	if (!rec || len > PV_CACHE_BLOB_MAX) {
		seterr(c, "cache %s: offline OSV record missing or too large", c->path);
		k->rc = PV_CACHE_ETOOBIG;
		return -1;
	}
	sqlite3_stmt *s = stmt(c, S_OR_INS);
	bind_text(s, 1, k->ecosystem);
	sqlite3_bind_int64(s, 2, k->seq);
	sqlite3_bind_blob(s, 3, len ? rec : "", (int)len, SQLITE_STATIC);
	k->rc = run(c, s, "store the offline OSV index");
	for (size_t i = 0; k->rc == PV_CACHE_OK && i < nkeys; i++) {
		if (!key_ok(keys[i])) {
			seterr(c, "cache %s: bad name key in the offline OSV index", c->path);
			k->rc = PV_CACHE_EINVAL;
			break;
		}
		s = stmt(c, S_ON_INS);
		bind_text(s, 1, k->ecosystem);
		bind_text(s, 2, keys[i]);
		sqlite3_bind_int64(s, 3, k->seq);
		k->rc = run(c, s, "store the offline OSV index");
	}
	k->seq++;
	return k->rc == PV_CACHE_OK ? 0 : -1;
}

static int cache_osv_index(struct pv_cache *c, const char *ecosystem, const char *ident,
                           const struct pv_cache_osv_source *src, bool *already)
{
	c->err[0] = '\0';
	if (already)
		*already = false;
	if (!eco_ok(ecosystem) || !key_ok(ident) || !src || !src->scan) {
		seterr(c, "cache %s: bad offline OSV index arguments", c->path);
		return PV_CACHE_EINVAL;
	}
	/* Everything in one IMMEDIATE transaction: another process sees the old
	 * index or the whole new one, and two indexing at once are serialised;
	 * the second finds the first's index below and writes nothing. */
	int rc = begin(c, true);
	if (rc != PV_CACHE_OK)
		return rc;
	char *cur = NULL;
	rc = read_ident(c, ecosystem, &cur);
	bool same = rc == PV_CACHE_OK && strcmp(cur, ident) == 0;
	free(cur);
	if (rc == PV_CACHE_MISS)
		rc = PV_CACHE_OK;
	if (rc == PV_CACHE_OK && same) {
		if (already)
			*already = true;
		rc = commit(c);
		if (rc != PV_CACHE_OK)
			rollback(c);
		return rc;
	}
	sqlite3_stmt *s;
	if (rc == PV_CACHE_OK) {
		s = stmt(c, S_ON_DEL);
		bind_text(s, 1, ecosystem);
		rc = run(c, s, "replace the offline OSV index");
	}
	if (rc == PV_CACHE_OK) {
		s = stmt(c, S_OR_DEL);
		bind_text(s, 1, ecosystem);
		rc = run(c, s, "replace the offline OSV index");
	}
	sqlite3_int64 nrec = 0;
	if (rc == PV_CACHE_OK) {
		struct rec_sink k = {.c = c, .ecosystem = ecosystem, .rc = PV_CACHE_OK};
		if (src->scan(src->ud, insert_rec, &k) != 0) {
			rc = k.rc;
			if (rc == PV_CACHE_OK) {
				seterr(c, "cache %s: the source of the offline OSV index failed", c->path);
				rc = PV_CACHE_ERROR;
			}
		}
		nrec = k.seq;
	}
	if (rc == PV_CACHE_OK) {
		s = stmt(c, S_OZ_PUT);
		bind_text(s, 1, ecosystem);
		bind_text(s, 2, ident);
		sqlite3_bind_int64(s, 3, nrec);
		sqlite3_bind_int64(s, 4, now_of(c));
		rc = run(c, s, "store the offline OSV index");
	}
	if (rc == PV_CACHE_OK)
		rc = commit(c);
	if (rc != PV_CACHE_OK)
		rollback(c);
	return rc;
}

static int cache_osv_lookup(struct pv_cache *c, const char *ecosystem, const char *ident,
                            const char *key, int (*fn)(void *ud, const char *rec, size_t len),
                            void *ud)
{
	c->err[0] = '\0';
	if (!eco_ok(ecosystem) || !key_ok(ident) || !key_ok(key) || !fn) {
		seterr(c, "cache %s: bad offline OSV lookup arguments", c->path);
		return PV_CACHE_EINVAL;
	}
	/* One read transaction: the ident check and the rows from one snapshot,
	 * so a re-index by another process cannot mix two zips' records. */
	int rc = begin(c, false);
	if (rc != PV_CACHE_OK)
		return rc;
	char *cur = NULL;
	rc = read_ident(c, ecosystem, &cur);
	if (rc == PV_CACHE_OK && strcmp(cur, ident) != 0)
		rc = PV_CACHE_MISS;
	free(cur);
	if (rc == PV_CACHE_OK) {
		sqlite3_stmt *s = stmt(c, S_ON_GET);
		bind_text(s, 1, ecosystem);
		bind_text(s, 2, key);
		int src;
		while ((src = sqlite3_step(s)) == SQLITE_ROW) {
			const void *b = sqlite3_column_blob(s, 0);
			int n = sqlite3_column_bytes(s, 0);
			if (n < 0 || (size_t)n > PV_CACHE_BLOB_MAX) {
				seterr(c, "cache %s: offline OSV record over the %u-byte bound", c->path,
				       PV_CACHE_BLOB_MAX);
				rc = PV_CACHE_ETOOBIG;
				break;
			}
			if (fn(ud, b ? (const char *)b : "", (size_t)n) != 0) {
				seterr(c, "cache %s: out of memory while reading the offline OSV index", c->path);
				rc = PV_CACHE_ENOMEM;
				break;
			}
		}
		if (rc == PV_CACHE_OK && src != SQLITE_DONE)
			rc = sqlerr(c, src, "read the offline OSV index");
		done(s);
	}
	if (rc == PV_CACHE_OK || rc == PV_CACHE_MISS) {
		int crc = commit(c);
		if (crc != PV_CACHE_OK)
			rc = crc;
	}
	if (rc != PV_CACHE_OK && rc != PV_CACHE_MISS)
		rollback(c);
	return rc;
}

/* ---- maintenance ---- */

static int query_u64(struct pv_cache *c, const char *sql, uint64_t *v)
{
	sqlite3_stmt *s = NULL;
	int src = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL);
	if (src == SQLITE_OK) {
		src = sqlite3_step(s);
		if (src == SQLITE_ROW) {
			*v = col_u64(s, 0);
			src = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return src == SQLITE_OK ? PV_CACHE_OK : sqlerr(c, src, "count its entries");
}

static int cache_stats(struct pv_cache *c, struct pv_cache_stats *st)
{
	c->err[0] = '\0';
	memset(st, 0, sizeof *st);
	int rc = begin(c, false);
	if (rc == PV_CACHE_OK)
		rc = query_u64(c, "SELECT count(*) FROM analysis", &st->analyses);
	if (rc == PV_CACHE_OK)
		rc = query_u64(c, "SELECT count(*) FROM finding", &st->findings);
	if (rc == PV_CACHE_OK)
		rc = query_u64(c, "SELECT count(*) FROM meta", &st->meta);
	if (rc == PV_CACHE_OK)
		rc = query_u64(c, "SELECT coalesce(sum(size), 0) FROM meta", &st->meta_bytes);
	if (rc == PV_CACHE_OK)
		rc = commit(c);
	if (rc != PV_CACHE_OK) {
		rollback(c);
		return rc;
	}
	struct stat sb;
	if (stat(c->path, &sb) == 0)
		st->file_bytes += (uint64_t)sb.st_size;
	size_t n = strlen(c->path) + 8;
	char *w = malloc(n);
	if (w) {
		snprintf(w, n, "%s-wal", c->path);
		if (stat(w, &sb) == 0)
			st->file_bytes += (uint64_t)sb.st_size;
		free(w);
	}
	return PV_CACHE_OK;
}

/* Give freed pages back to the file system; best effort. */
static void shrink(struct pv_cache *c)
{
	sqlite3_exec(c->db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
	sqlite3_exec(c->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

static int cache_clear(struct pv_cache *c, enum pv_cache_clear_what what)
{
	c->err[0] = '\0';
	int rc = begin(c, true);
	if (rc == PV_CACHE_OK)
		rc = exec_simple(c, "DELETE FROM meta", "clear it");
	if (rc == PV_CACHE_OK && what == PV_CACHE_CLEAR_ALL)
		rc = exec_simple(c, "DELETE FROM finding; DELETE FROM analysis", "clear it");
	/* The offline OSV index is rebuilt from its zip on the next use. */
	if (rc == PV_CACHE_OK && what == PV_CACHE_CLEAR_ALL)
		rc = exec_simple(c, "DELETE FROM osv_name; DELETE FROM osv_rec; DELETE FROM osv_zip", "clear it");
	if (rc == PV_CACHE_OK)
		rc = commit(c);
	if (rc != PV_CACHE_OK) {
		rollback(c);
		return rc;
	}
	shrink(c);
	return PV_CACHE_OK;
}

static int delete_older(struct pv_cache *c, const char *sql, int64_t cutoff, uint64_t *removed)
{
	sqlite3_stmt *s = NULL;
	int src = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL);
	if (src == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, cutoff);
		src = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (src != SQLITE_DONE && src != SQLITE_OK)
		return sqlerr(c, src, "prune it");
	if (removed)
		*removed += (uint64_t)sqlite3_changes(c->db);
	return PV_CACHE_OK;
}

static int cache_prune(struct pv_cache *c, int64_t older_than_s, uint64_t *removed)
{
	c->err[0] = '\0';
	if (removed)
		*removed = 0;
	if (older_than_s < 0) {
		seterr(c, "cache %s: negative age", c->path);
		return PV_CACHE_EINVAL;
	}
	int64_t cutoff = now_of(c) - older_than_s;
	int rc = begin(c, true);
	if (rc == PV_CACHE_OK)
		rc = delete_older(c, "DELETE FROM finding WHERE analysis_id IN"
		                     " (SELECT id FROM analysis WHERE used_at < ?1)", cutoff, NULL);
	if (rc == PV_CACHE_OK)
		rc = delete_older(c, "DELETE FROM analysis WHERE used_at < ?1", cutoff, removed);
	if (rc == PV_CACHE_OK)
		rc = delete_older(c, "DELETE FROM meta WHERE fetched_at < ?1", cutoff, removed);
	if (rc == PV_CACHE_OK)
		rc = commit(c);
	if (rc != PV_CACHE_OK) {
		if (removed)
			*removed = 0;
		rollback(c);
		return rc;
	}
	shrink(c);
	return PV_CACHE_OK;
}

/* ---- The public calls: each holds the connection's lock (see cache.h) ---- */

int pv_cache_get_analysis(struct pv_cache *c, const char *digest, const char *analyser_version, struct pv_cache_analysis *out)
{
	lock(c);
	int rc = cache_get_analysis(c, digest, analyser_version, out);
	unlock(c);
	return rc;
}

int pv_cache_put_analysis(struct pv_cache *c, const char *digest, const char *analyser_version, const struct pv_cache_analysis *in)
{
	lock(c);
	int rc = cache_put_analysis(c, digest, analyser_version, in);
	unlock(c);
	return rc;
}

int pv_cache_put_package(struct pv_cache *c, const char *analyser_version, const struct pv_package *pkg)
{
	lock(c);
	int rc = cache_put_package(c, analyser_version, pkg);
	unlock(c);
	return rc;
}

int pv_cache_get_package(struct pv_cache *c, const char *digest, const char *analyser_version, struct pv_package *pkg)
{
	lock(c);
	int rc = cache_get_package(c, digest, analyser_version, pkg);
	unlock(c);
	return rc;
}

int pv_cache_get_meta(struct pv_cache *c, const char *key, int64_t max_age_s, char **body, size_t *len, char **etag, bool *fresh)
{
	lock(c);
	int rc = cache_get_meta(c, key, max_age_s, body, len, etag, fresh);
	unlock(c);
	return rc;
}

int pv_cache_put_meta(struct pv_cache *c, const char *key, const void *body, size_t len, const char *etag)
{
	lock(c);
	int rc = cache_put_meta(c, key, body, len, etag);
	unlock(c);
	return rc;
}

int pv_cache_touch_meta(struct pv_cache *c, const char *key)
{
	lock(c);
	int rc = cache_touch_meta(c, key);
	unlock(c);
	return rc;
}

int pv_cache_stats(struct pv_cache *c, struct pv_cache_stats *st)
{
	lock(c);
	int rc = cache_stats(c, st);
	unlock(c);
	return rc;
}

int pv_cache_clear(struct pv_cache *c, enum pv_cache_clear_what what)
{
	lock(c);
	int rc = cache_clear(c, what);
	unlock(c);
	return rc;
}

int pv_cache_prune(struct pv_cache *c, int64_t older_than_s, uint64_t *removed)
{
	lock(c);
	int rc = cache_prune(c, older_than_s, removed);
	unlock(c);
	return rc;
}

int pv_cache_osv_ident(struct pv_cache *c, const char *ecosystem, char **ident)
{
	lock(c);
	int rc = cache_osv_ident(c, ecosystem, ident);
	unlock(c);
	return rc;
}

int pv_cache_osv_index(struct pv_cache *c, const char *ecosystem, const char *ident, const struct pv_cache_osv_source *src, bool *already)
{
	lock(c);
	int rc = cache_osv_index(c, ecosystem, ident, src, already);
	unlock(c);
	return rc;
}

int pv_cache_osv_lookup(struct pv_cache *c, const char *ecosystem, const char *ident, const char *key, int (*fn)(void *ud, const char *rec, size_t len), void *ud)
{
	lock(c);
	int rc = cache_osv_lookup(c, ecosystem, ident, key, fn, ud);
	unlock(c);
	return rc;
}
