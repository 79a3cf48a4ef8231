/* OSV: record matching tables, severity and malware extraction, the online
 * querybatch client against tests/fixtures/osv_server.py, the offline index
 * from a zip this test writes with libarchive, and "unknown" on failure. */
#include "check.h"
#include "osv.h"

#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- records */

static const char REC_LODASH[] =
	"{\"id\":\"GHSA-35jh-r3h4-6jhm\",\"modified\":\"2024-01-01T00:00:00Z\","
	"\"aliases\":[\"CVE-2021-23337\"],\"summary\":\"Command Injection in lodash\","
	"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H\"}],"
	"\"database_specific\":{\"severity\":\"HIGH\"},"
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},"
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"4.17.21\"}]}]}]}";

/* An older lodash advisory: fixed long ago. */
static const char REC_LODASH_OLD[] =
	"{\"id\":\"GHSA-old-lodash\",\"summary\":\"old\",\"database_specific\":{\"severity\":\"LOW\"},"
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"4.17.5\"}]}]}]}";

/* Two introduced/fixed pairs, written out of order. */
static const char REC_PAIRS[] =
	"{\"id\":\"GHSA-pairs\",\"database_specific\":{\"severity\":\"MODERATE\"},"
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"pairs\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"2.0.0\"},{\"fixed\":\"2.1.3\"},"
	"{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.2.0\"}]}]}]}";

/* Two ranges: last_affected (inclusive), and an open one. */
static const char REC_MULTI[] =
	"{\"id\":\"OSV-multi\",\"severity\":[{\"type\":\"CVSS_V3\","
	"\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"multi\"},\"ranges\":["
	"{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"last_affected\":\"1.4.0\"}]},"
	"{\"type\":\"GIT\",\"repo\":\"https://x\",\"events\":[{\"introduced\":\"abc\"}]},"
	"{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"3.0.0\"}]}]}]}";

static const char REC_VERSIONS[] =
	"{\"id\":\"GHSA-versions\",\"summary\":\"listed\","
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"listed\"},"
	"\"versions\":[\"1.0.0\",\"1.0.1\"]}]}";

static const char REC_GIT[] =
	"{\"id\":\"OSV-git\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"gitonly\"},"
	"\"ranges\":[{\"type\":\"GIT\",\"repo\":\"https://x\",\"events\":[{\"introduced\":\"0\"},"
	"{\"fixed\":\"deadbeef\"}]}]}]}";

static const char REC_LIMIT[] =
	"{\"id\":\"OSV-limit\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"limited\"},"
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"limit\":\"2.0.0\"}]}]}]}";

static const char REC_MAL[] =
	"{\"id\":\"MAL-2024-1234\",\"summary\":\"Malicious code in evil-pkg (npm)\","
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"evil-pkg\"},"
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]}]}";

static const char REC_DRF[] =
	"{\"id\":\"GHSA-drf\",\"aliases\":[\"CVE-2024-21520\",\"PYSEC-2024-1\"],\"summary\":\"XSS in DRF\","
	"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N\"}],"
	"\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Django_REST.framework\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"3.15.2\"}]}],"
	"\"versions\":[\"2.0\"]}]}";

static const char REC_PYLAST[] =
	"{\"id\":\"PYSEC-last\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"pylast\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0\"},{\"last_affected\":\"1.5\"}]},"
	"{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"7.0.0\"},{\"fixed\":\"7.1.0\"}]}]}]}";

/* Two packages in one record, both ecosystems. */
static const char REC_BOTH[] =
	"{\"id\":\"GHSA-both\",\"affected\":["
	"{\"package\":{\"ecosystem\":\"npm\",\"name\":\"twin\"},\"ranges\":[{\"type\":\"SEMVER\","
	"\"events\":[{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.0.5\"}]}]},"
	"{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"twin\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
	"\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"0.9\"}]}]}]}";

static int aff(const char *rec, const char *eco, const char *name, const char *ver)
{
	return pv_osv_match_record(rec, strlen(rec), eco, name, ver, NULL);
}

struct mcase {
	const char *rec, *eco, *name, *ver;
	int want;
};

static void test_matching(void)
{
	static const struct mcase cases[] = {
		/* SEMVER, introduced "0" */
		{REC_LODASH, "npm", "lodash", "4.17.20", 1},
		{REC_LODASH, "npm", "lodash", "0.0.1", 1},
		{REC_LODASH, "npm", "lodash", "0.0.0", 1},
		{REC_LODASH, "npm", "lodash", "4.17.21", 0},
		{REC_LODASH, "npm", "lodash", "4.17.22", 0},
		{REC_LODASH, "npm", "lodash", "5.0.0", 0},
		{REC_LODASH, "npm", "lodash", "4.17.21-beta.1", 1}, /* prerelease below the fix */
		{REC_LODASH, "npm", "lodash", "4.17.21+build.5", 0},
		{REC_LODASH, "npm", "lodash", "v4.17.20", 1},
		{REC_LODASH, "npm", "Lodash", "4.17.20", 0},        /* npm names are exact */
		{REC_LODASH, "PyPI", "lodash", "4.17.20", 0},       /* other ecosystem */
		{REC_LODASH, "npm", "lodash-es", "4.17.20", 0},
		{REC_LODASH, "npm", "lodash", "not-a-version", 0},
		{REC_LODASH, "NPM", "lodash", "1.0.0", 1},          /* ecosystem case-insensitive */
		/* ECOSYSTEM npm, pairs out of order */
		{REC_PAIRS, "npm", "pairs", "0.9.0", 0},
		{REC_PAIRS, "npm", "pairs", "1.0.0", 1},
		{REC_PAIRS, "npm", "pairs", "1.0.0-rc.1", 0},
		{REC_PAIRS, "npm", "pairs", "1.1.9", 1},
		{REC_PAIRS, "npm", "pairs", "1.2.0-alpha", 1},
		{REC_PAIRS, "npm", "pairs", "1.2.0", 0},
		{REC_PAIRS, "npm", "pairs", "1.9.9", 0},
		{REC_PAIRS, "npm", "pairs", "2.0.0", 1},
		{REC_PAIRS, "npm", "pairs", "2.1.2", 1},
		{REC_PAIRS, "npm", "pairs", "2.1.3", 0},
		{REC_PAIRS, "npm", "pairs", "3.0.0", 0},
		/* multiple ranges, last_affected inclusive, GIT ignored */
		{REC_MULTI, "npm", "multi", "1.4.0", 1},
		{REC_MULTI, "npm", "multi", "1.4.1-0", 0},
		{REC_MULTI, "npm", "multi", "1.4.1", 0},
		{REC_MULTI, "npm", "multi", "2.9.9", 0},
		{REC_MULTI, "npm", "multi", "3.0.0", 1},
		{REC_MULTI, "npm", "multi", "9.0.0", 1},
		{REC_MULTI, "npm", "multi", "3.0.0-beta", 0},
		/* explicit versions */
		{REC_VERSIONS, "npm", "listed", "1.0.1", 1},
		{REC_VERSIONS, "npm", "listed", "1.0.0", 1},
		{REC_VERSIONS, "npm", "listed", "1.0.2", 0},
		{REC_VERSIONS, "npm", "listed", "1.0.1-rc", 0},
		{REC_GIT, "npm", "gitonly", "1.0.0", 0},
		/* limit */
		{REC_LIMIT, "npm", "limited", "1.5.0", 1},
		{REC_LIMIT, "npm", "limited", "2.0.0", 0},
		{REC_LIMIT, "npm", "limited", "2.5.0", 0},
		/* PyPI: PEP 503 names, PEP 440 ordering */
		{REC_DRF, "PyPI", "django-rest-framework", "3.15.1", 1},
		{REC_DRF, "PyPI", "DJANGO.rest_framework", "3.15.1", 1},
		{REC_DRF, "pypi", "django--rest__framework", "3.15", 1},
		{REC_DRF, "PyPI", "djangorestframework", "3.15.1", 0},
		{REC_DRF, "PyPI", "django-rest-framework", "3.15.2rc1", 1},
		{REC_DRF, "PyPI", "django-rest-framework", "3.15.2.dev0", 1},
		{REC_DRF, "PyPI", "django-rest-framework", "3.15.2", 0},
		{REC_DRF, "PyPI", "django-rest-framework", "3.15.2.0", 0},
		{REC_DRF, "PyPI", "django-rest-framework", "3.15.2.post1", 0},
		{REC_DRF, "PyPI", "django-rest-framework", "1!0.1", 0},  /* epoch 1 > fixed */
		{REC_DRF, "PyPI", "django-rest-framework", "2.0.0", 1},  /* versions list, PEP 440 equal */
		{REC_DRF, "npm", "django-rest-framework", "2.0.0", 0},
		{REC_PYLAST, "PyPI", "pylast", "0.9", 0},
		{REC_PYLAST, "PyPI", "pylast", "1.0", 1},
		{REC_PYLAST, "PyPI", "pylast", "1.5", 1},
		{REC_PYLAST, "PyPI", "pylast", "1.5.0", 1},
		{REC_PYLAST, "PyPI", "pylast", "1.5.post1", 0},
		{REC_PYLAST, "PyPI", "pylast", "1.6a1", 0},
		{REC_PYLAST, "PyPI", "pylast", "7.0.5", 1},  /* SEMVER range in a PyPI record */
		{REC_PYLAST, "PyPI", "pylast", "7.1.0", 0},
		/* one record, two ecosystems */
		{REC_BOTH, "npm", "twin", "1.0.4", 1},
		{REC_BOTH, "npm", "twin", "0.8.0", 0},
		{REC_BOTH, "PyPI", "twin", "0.8", 1},
		{REC_BOTH, "PyPI", "twin", "1.0.4", 0},
		{REC_BOTH, "Go", "twin", "1.0.4", 0},
		/* malformed input */
		{"{\"affected\":[]}", "npm", "x", "1.0.0", -1},
		{"[1,2]", "npm", "x", "1.0.0", -1},
		{"{\"id\":\"X\", ", "npm", "x", "1.0.0", -1},
		{"{\"id\":\"X\",\"affected\":{\"a\":1}}", "npm", "x", "1.0.0", 0},
		{"{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
		 "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"bogus\"},{\"fixed\":7}]}]}]}",
		 "npm", "x", "1.0.0", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct mcase *c = &cases[i];
		int got = aff(c->rec, c->eco, c->name, c->ver);
		CHECK(got == c->want, "case %zu: %s %s@%s: got %d want %d", i, c->eco, c->name, c->ver, got,
		      c->want);
	}
}

static void test_details(void)
{
	struct pv_osv_matches m = {0};
	CHECK(pv_osv_match_record(REC_LODASH, strlen(REC_LODASH), "npm", "lodash", "4.17.0", &m) == 1, "lodash");
	CHECK(pv_osv_match_record(REC_DRF, strlen(REC_DRF), "PyPI", "Django-REST-framework", "3.0", &m) == 1,
	      "drf");
	CHECK(pv_osv_match_record(REC_MAL, strlen(REC_MAL), "npm", "evil-pkg", "0.0.1", &m) == 1, "mal");
	CHECK(pv_osv_match_record(REC_MULTI, strlen(REC_MULTI), "npm", "multi", "1.0.0", &m) == 1, "multi");
	CHECK(pv_osv_match_record(REC_VERSIONS, strlen(REC_VERSIONS), "npm", "listed", "1.0.0", &m) == 1, "v");
	CHECK(pv_osv_match_record(REC_LODASH, strlen(REC_LODASH), "npm", "lodash", "4.17.21", &m) == 0, "no");
	CHECK(m.n == 5, "n=%zu", m.n);
	if (m.n != 5)
		goto done;
	const struct pv_osv_match *a = &m.v[0];
	CHECK(strcmp(a->id, "GHSA-35jh-r3h4-6jhm") == 0, "%s", a->id);
	CHECK(a->naliases == 1 && strcmp(a->aliases[0], "CVE-2021-23337") == 0, "aliases");
	CHECK(strcmp(a->summary, "Command Injection in lodash") == 0, "%s", a->summary);
	CHECK(a->severity == PV_OSV_SEV_HIGH, "%s", pv_osv_severity_name(a->severity));
	CHECK(fabs(a->cvss_score - 7.2) < 1e-9, "%.1f", a->cvss_score);
	CHECK(a->nfixed == 1 && strcmp(a->fixed[0], "4.17.21") == 0, "fixed");
	CHECK(!a->malware, "not malware");

	const struct pv_osv_match *d = &m.v[1];
	CHECK(d->naliases == 2 && strcmp(d->aliases[1], "PYSEC-2024-1") == 0, "drf aliases");
	CHECK(d->severity == PV_OSV_SEV_MEDIUM && fabs(d->cvss_score - 6.1) < 1e-9, "drf %s %.1f",
	      pv_osv_severity_name(d->severity), d->cvss_score);
	CHECK(d->nfixed == 1 && strcmp(d->fixed[0], "3.15.2") == 0, "drf fixed");

	const struct pv_osv_match *x = &m.v[2];
	CHECK(x->malware && strcmp(x->id, "MAL-2024-1234") == 0, "malware");
	CHECK(x->severity == PV_OSV_SEV_UNKNOWN && x->cvss_score < 0 && x->nfixed == 0, "mal sev");

	CHECK(m.v[3].severity == PV_OSV_SEV_CRITICAL && fabs(m.v[3].cvss_score - 9.8) < 1e-9, "multi sev");
	CHECK(m.v[3].nfixed == 0 && strcmp(m.v[3].summary, "") == 0, "multi fixed/summary");
	CHECK(m.v[4].severity == PV_OSV_SEV_UNKNOWN && m.v[4].naliases == 0, "versions sev");
done:
	pv_osv_matches_free(&m);
	CHECK(m.n == 0 && m.v == NULL, "freed");

	/* GHSA severities, and an alias marking malware. */
	static const struct {
		const char *ds;
		enum pv_osv_severity want;
	} sev[] = {{"LOW", PV_OSV_SEV_LOW}, {"MODERATE", PV_OSV_SEV_MEDIUM}, {"HIGH", PV_OSV_SEV_HIGH},
	           {"CRITICAL", PV_OSV_SEV_CRITICAL}, {"whatever", PV_OSV_SEV_UNKNOWN}};
	for (size_t i = 0; i < sizeof sev / sizeof sev[0]; i++) {
		char rec[512];
		snprintf(rec, sizeof rec,
		         "{\"id\":\"GHSA-s\",\"aliases\":[\"MAL-2023-9\"],\"database_specific\":{\"severity\":\"%s\"},"
		         "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"s\"},\"versions\":[\"1.0.0\"]}]}",
		         sev[i].ds);
		struct pv_osv_matches mm = {0};
		CHECK(pv_osv_match_record(rec, strlen(rec), "npm", "s", "1.0.0", &mm) == 1, "sev %s", sev[i].ds);
		if (mm.n == 1) {
			CHECK(mm.v[0].severity == sev[i].want, "sev %s -> %s", sev[i].ds,
			      pv_osv_severity_name(mm.v[0].severity));
			CHECK(mm.v[0].malware, "MAL- alias is malware");
		}
		pv_osv_matches_free(&mm);
	}
	CHECK(strcmp(pv_osv_severity_name(PV_OSV_SEV_UNKNOWN), "unknown") == 0, "name");
}

static void test_cvss(void)
{
	static const struct {
		const char *v;
		double want;
	} t[] = {
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
		{"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
		{"CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.8},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O", 9.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", -1},
		{"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", -1},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", -1},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", -1},
		{"", -1},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		double s = pv_osv_cvss3_score(t[i].v);
		CHECK(fabs(s - t[i].want) < 1e-9, "%s: %.2f want %.1f", t[i].v, s, t[i].want);
	}
	CHECK(pv_osv_cvss3_score(NULL) < 0, "NULL");
}

/* ------------------------------------------------------- query fixtures */

static const char *const ALL_RECS[] = {REC_LODASH, REC_LODASH_OLD, REC_PAIRS, REC_MULTI, REC_VERSIONS,
                                       REC_MAL, REC_DRF, REC_PYLAST, REC_BOTH};
#define NRECS (sizeof ALL_RECS / sizeof ALL_RECS[0])

/* The query set used by both modes, and its expected answer. */
#define NQ 6
static void set_queries(struct pv_osv_query *q)
{
	static const char *const spec[NQ][3] = {
		{"npm", "lodash", "4.17.4"},        /* both lodash records */
		{"PyPI", "Django.REST_Framework", "3.15.1"},
		{"npm", "evil-pkg", "1.0.0"},
		{"npm", "clean-pkg", "1.0.0"},      /* nothing known */
		{"PyPI", "twin", "0.5"},
		{"npm", "pairs", "1.5.0"},          /* candidate, but not affected */
	};
	memset(q, 0, NQ * sizeof *q);
	for (size_t i = 0; i < NQ; i++) {
		q[i].ecosystem = spec[i][0];
		q[i].name = spec[i][1];
		q[i].version = spec[i][2];
	}
}

static bool has_id(const struct pv_osv_query *q, const char *id)
{
	for (size_t i = 0; i < q->matches.n; i++)
		if (strcmp(q->matches.v[i].id, id) == 0)
			return true;
	return false;
}

static void check_answers(const struct pv_osv_query *q, const char *mode)
{
	for (size_t i = 0; i < NQ; i++)
		CHECK(q[i].status == PV_OSV_OK, "%s q%zu: status %d err %s", mode, i, q[i].status, q[i].err);
	CHECK(q[0].matches.n == 2 && has_id(&q[0], "GHSA-35jh-r3h4-6jhm") && has_id(&q[0], "GHSA-old-lodash"),
	      "%s lodash: %zu", mode, q[0].matches.n);
	CHECK(q[1].matches.n == 1 && has_id(&q[1], "GHSA-drf"), "%s drf: %zu", mode, q[1].matches.n);
	CHECK(q[2].matches.n == 1 && q[2].matches.v[0].malware, "%s mal: %zu", mode, q[2].matches.n);
	CHECK(q[3].matches.n == 0, "%s clean: %zu", mode, q[3].matches.n);
	CHECK(q[4].matches.n == 1 && has_id(&q[4], "GHSA-both"), "%s twin: %zu", mode, q[4].matches.n);
	CHECK(q[5].matches.n == 0, "%s pairs: %zu", mode, q[5].matches.n);
}

static void free_queries(struct pv_osv_query *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pv_osv_query_free(&q[i]);
}

/* -------------------------------------------------------------- server */

struct server {
	pid_t pid;
	int in_fd;
	int port;
};

static int server_start(struct server *s, const char *dir, const char *page)
{
	char script[4200];
	const char *src = getenv("PKGVET_SRC");
	snprintf(script, sizeof script, "%s/tests/fixtures/osv_server.py", src && *src ? src : ".");
	int in[2], out[2];
	memset(s, 0, sizeof *s);
	if (pipe(in) != 0)
		return -1;
	if (pipe(out) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		if (page)
			execlp("python3", "python3", script, dir, "--page", page, (char *)NULL);
		else
			execlp("python3", "python3", script, dir, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->in_fd = in[1];
	char line[64];
	size_t len = 0;
	struct pollfd pfd = {.fd = out[0], .events = POLLIN};
	double t0 = now_s();
	while (len < sizeof line - 1 && (len == 0 || line[len - 1] != '\n') && now_s() - t0 < 15) {
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		ssize_t r = read(out[0], line + len, sizeof line - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(out[0]);
	line[len] = '\0';
	s->port = atoi(line);
	if (s->port <= 0) {
		fprintf(stderr, "osv_server.py did not start (got '%s')\n", line);
		return -1;
	}
	return 0;
}

static void server_stop(struct server *s)
{
	if (s->pid > 0) {
		close(s->in_fd);
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, len, f);
	return (fclose(f) == 0 && w == len) ? 0 : -1;
}

static int closed_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	socklen_t al = sizeof a;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &al) != 0)
		return 1;
	close(s);
	return ntohs(a.sin_port);
}

static void test_online(const char *dir)
{
	struct server srv;
	/* --page 1: every query with two candidates needs a next_page_token round. */
	if (server_start(&srv, dir, "1") != 0) {
		CHECK(0, "fixture server did not start");
		return;
	}
	char qurl[128], vurl[128];
	snprintf(qurl, sizeof qurl, "http://127.0.0.1:%d/v1/querybatch", srv.port);
	struct pv_http_opts o = pv_http_opts_default();
	o.connect_timeout_ms = 2000;
	o.total_timeout_ms = 5000;

	struct pv_osv_query q[NQ];
	set_queries(q);
	CHECK(pv_osv_querybatch(qurl, NULL, q, NQ, &o) == 0, "online batch");
	check_answers(q, "online");
	if (q[0].matches.n == 2) {
		const struct pv_osv_match *m = has_id(&q[0], "GHSA-old-lodash") ? &q[0].matches.v[0] : NULL;
		for (size_t i = 0; i < q[0].matches.n; i++)
			if (strcmp(q[0].matches.v[i].id, "GHSA-35jh-r3h4-6jhm") == 0)
				m = &q[0].matches.v[i];
		CHECK(m && m->severity == PV_OSV_SEV_HIGH && m->nfixed == 1 && m->naliases == 1, "online details");
	}
	/* --page 1 and two lodash candidates: exactly two POSTs (one next_page_token round). */
	char curl_[128];
	snprintf(curl_, sizeof curl_, "http://127.0.0.1:%d/count", srv.port);
	struct pv_http_req cr = {.url = curl_};
	CHECK(pv_http_fetch(&cr, &o) == PV_HTTP_OK && cr.body && strstr(cr.body, "\"querybatch\": 2,") != NULL,
	      "pages: %s", cr.body ? cr.body : cr.err);
	pv_http_req_free(&cr);
	/* Running the same queries again resets their outputs first. */
	CHECK(pv_osv_querybatch(qurl, NULL, q, NQ, &o) == 0, "online again");
	check_answers(q, "online again");
	free_queries(q, NQ);

	/* An explicit vulns URL (with a trailing slash), and a wrong one: unknown. */
	snprintf(vurl, sizeof vurl, "http://127.0.0.1:%d/v1/vulns/", srv.port);
	set_queries(q);
	CHECK(pv_osv_querybatch(qurl, vurl, q, NQ, &o) == 0, "explicit vulns url");
	check_answers(q, "explicit vulns");
	free_queries(q, NQ);
	snprintf(vurl, sizeof vurl, "http://127.0.0.1:%d/nowhere", srv.port);
	set_queries(q);
	CHECK(pv_osv_querybatch(qurl, vurl, q, NQ, &o) == 1, "bad vulns url");
	CHECK(q[0].status == PV_OSV_UNKNOWN && strstr(q[0].err, "record") != NULL, "404 record: %s", q[0].err);
	CHECK(q[3].status == PV_OSV_OK && q[3].matches.n == 0, "no candidates needs no record");
	free_queries(q, NQ);

	/* A wrong querybatch path (404), and unsupported input. */
	snprintf(vurl, sizeof vurl, "http://127.0.0.1:%d/v1/nothing", srv.port);
	set_queries(q);
	CHECK(pv_osv_querybatch(vurl, NULL, q, NQ, &o) == 1, "404 querybatch");
	for (size_t i = 0; i < NQ; i++)
		CHECK(q[i].status == PV_OSV_UNKNOWN && q[i].matches.n == 0, "q%zu unknown on 404", i);
	CHECK(strstr(q[0].err, "404") != NULL, "err %s", q[0].err);
	free_queries(q, NQ);

	/* Malformed answers: HTML, and the wrong number of results. */
	static const char *const badpaths[] = {"garbage", "short"};
	for (size_t b = 0; b < 2; b++) {
		snprintf(vurl, sizeof vurl, "http://127.0.0.1:%d/%s", srv.port, badpaths[b]);
		set_queries(q);
		CHECK(pv_osv_querybatch(vurl, NULL, q, NQ, &o) == 1, "%s", badpaths[b]);
		for (size_t i = 0; i < NQ; i++)
			CHECK(q[i].status == PV_OSV_UNKNOWN && strstr(q[i].err, "malformed") != NULL, "%s q%zu: %s",
			      badpaths[b], i, q[i].err);
		free_queries(q, NQ);
	}

	struct pv_osv_query odd[2] = {{.ecosystem = "Go", .name = "x", .version = "1.0.0"},
	                              {.ecosystem = "npm", .name = "lodash", .version = "4.17.20"}};
	CHECK(pv_osv_querybatch(qurl, NULL, odd, 2, &o) == 1, "odd");
	CHECK(odd[0].status == PV_OSV_UNKNOWN && odd[1].status == PV_OSV_OK && odd[1].matches.n == 1,
	      "odd results %d %d %zu", odd[0].status, odd[1].status, odd[1].matches.n);
	free_queries(odd, 2);
	CHECK(pv_osv_querybatch(qurl, NULL, NULL, 0, &o) == 0, "empty batch");
	server_stop(&srv);

	/* Unreachable: refused at once. */
	snprintf(qurl, sizeof qurl, "http://127.0.0.1:%d/v1/querybatch", closed_port());
	set_queries(q);
	double t0 = now_s();
	CHECK(pv_osv_querybatch(qurl, NULL, q, NQ, &o) == 1, "unreachable");
	double el = now_s() - t0;
	CHECK(el < 3.0, "unreachable took %.1fs", el);
	for (size_t i = 0; i < NQ; i++)
		CHECK(q[i].status == PV_OSV_UNKNOWN && q[i].err[0], "q%zu unknown", i);
	free_queries(q, NQ);

	/* A server that accepts connections and never answers: the timeout ends it. */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	socklen_t al = sizeof a;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ls >= 0 && bind(ls, (struct sockaddr *)&a, sizeof a) == 0 && listen(ls, 16) == 0 &&
	    getsockname(ls, (struct sockaddr *)&a, &al) == 0) {
		snprintf(qurl, sizeof qurl, "http://127.0.0.1:%d/v1/querybatch", ntohs(a.sin_port));
		o.total_timeout_ms = 400;
		o.retries = 1;
		o.backoff_ms = 50;
		set_queries(q);
		t0 = now_s();
		CHECK(pv_osv_querybatch(qurl, NULL, q, NQ, &o) == 1, "silent server");
		el = now_s() - t0;
		CHECK(el < 3.0, "silent server took %.1fs", el);
		CHECK(q[0].status == PV_OSV_UNKNOWN && strstr(q[0].err, "imeout") != NULL, "err %s", q[0].err);
		free_queries(q, NQ);
	} else {
		CHECK(0, "listen socket");
	}
	if (ls >= 0)
		close(ls);
}

/* ------------------------------------------------------------- offline */

static int add_entry(struct archive *w, const char *name, const char *data)
{
	struct archive_entry *e = archive_entry_new();
	size_t len = strlen(data);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	int rc = archive_write_header(w, e) == ARCHIVE_OK &&
	                 archive_write_data(w, data, len) == (la_ssize_t)len ? 0 : -1;
	archive_entry_free(e);
	return rc;
}

static int build_zip(const char *path)
{
	struct archive *w = archive_write_new();
	int rc = 0;
	if (archive_write_set_format_zip(w) != ARCHIVE_OK || archive_write_open_filename(w, path) != ARCHIVE_OK)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < NRECS; i++) {
		char name[64];
		snprintf(name, sizeof name, "REC-%zu.json", i);
		rc = add_entry(w, name, ALL_RECS[i]);
	}
	if (rc == 0)
		rc = add_entry(w, "README.txt", "not a record");
	if (rc == 0)
		rc = add_entry(w, "broken.json", "{\"id\": ");
	if (rc == 0)
		rc = add_entry(w, "go.json", "{\"id\":\"GO-1\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\","
		                             "\"name\":\"x\"},\"versions\":[\"1\"]}]}");
	if (rc == 0) {
		/* Larger than PV_OSV_RECORD_MAX: skipped, not loaded. */
		size_t n = PV_OSV_RECORD_MAX + 16;
		char *huge = malloc(n + 1);
		if (!huge) {
			rc = -1;
		} else {
			memset(huge, ' ', n);
			static const char big[] = "{\"id\":\"BIG\",\"affected\":[{\"package\":{\"ecosystem\":"
			                          "\"npm\",\"name\":\"huge-pkg\"},\"versions\":[\"1.0.0\"]}]}";
			memcpy(huge, big, sizeof big - 1); /* the rest is JSON whitespace */
			huge[n] = '\0';
			rc = add_entry(w, "huge.json", huge);
			free(huge);
		}
	}
	if (archive_write_close(w) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(w);
	return rc;
}

static void test_offline(const char *dir)
{
	char zip[4200], err[256];
	snprintf(zip, sizeof zip, "%s/all.zip", dir);
	CHECK(build_zip(zip) == 0, "build zip");
	struct pv_osv_db *npm = NULL, *pypi = NULL;
	CHECK(pv_osv_offline_load(zip, "npm", &npm, err, sizeof err) == 0, "load npm: %s", err);
	CHECK(pv_osv_offline_load(zip, "PyPI", &pypi, err, sizeof err) == 0, "load pypi: %s", err);
	if (!npm || !pypi) {
		pv_osv_db_free(npm);
		pv_osv_db_free(pypi);
		return;
	}
	struct pv_osv_db_stats st;
	pv_osv_db_stats(npm, &st);
	/* npm: lodash x2, pairs, multi, listed, evil-pkg, twin -> 7 records, 6 names. */
	CHECK(st.entries == NRECS + 4 && st.records == 7 && st.names == 6 && st.skipped == 6,
	      "npm stats %zu %zu %zu %zu", st.entries, st.records, st.names, st.skipped);
	pv_osv_db_stats(pypi, &st);
	CHECK(st.records == 3 && st.names == 3, "pypi stats %zu %zu", st.records, st.names);

	/* The same queries as online; each ecosystem's half from its index. */
	struct pv_osv_query q[NQ];
	set_queries(q);
	CHECK(pv_osv_offline_query(npm, q, NQ) == 1, "npm index rejects PyPI queries");
	CHECK(q[1].status == PV_OSV_UNKNOWN && q[0].status == PV_OSV_OK, "mixed");
	struct pv_osv_query merged[NQ];
	set_queries(merged);
	for (size_t i = 0; i < NQ; i++) {
		const struct pv_osv_db *db = strcmp(merged[i].ecosystem, "npm") == 0 ? npm : pypi;
		CHECK(pv_osv_offline_query(db, &merged[i], 1) == 0, "offline q%zu", i);
	}
	check_answers(merged, "offline");
	free_queries(q, NQ);
	free_queries(merged, NQ);

	struct pv_osv_query one = {.ecosystem = "pypi", .name = "PyLast", .version = "1.5"};
	CHECK(pv_osv_offline_query(pypi, &one, 1) == 0 && one.matches.n == 1, "pylast");
	pv_osv_query_free(&one);
	pv_osv_db_free(npm);
	pv_osv_db_free(pypi);

	/* A zip written by Python's zipfile (deflated, with a directory entry), as OSV's exports are. */
	char pyzip[4200], cmd[9000];
	snprintf(pyzip, sizeof pyzip, "%s/py.zip", dir);
	snprintf(cmd, sizeof cmd,
	         "python3 -c 'import sys,zipfile,glob\n"
	         "z=zipfile.ZipFile(sys.argv[1],\"w\",zipfile.ZIP_DEFLATED)\n"
	         "z.writestr(\"sub/\",\"\")\n"
	         "[z.write(f,\"sub/\"+f.rsplit(\"/\",1)[1]) for f in sorted(glob.glob(sys.argv[2]+\"/rec*.json\"))]\n"
	         "z.close()' '%s' '%s'",
	         pyzip, dir);
	CHECK(system(cmd) == 0, "python zip");
	struct pv_osv_db *pz = NULL;
	CHECK(pv_osv_offline_load(pyzip, "npm", &pz, err, sizeof err) == 0, "load py zip: %s", err);
	if (pz) {
		pv_osv_db_stats(pz, &st);
		CHECK(st.entries == NRECS + 1 && st.records == 7 && st.names == 6, "py zip stats %zu %zu %zu",
		      st.entries, st.records, st.names);
		struct pv_osv_query lq = {.ecosystem = "npm", .name = "lodash", .version = "4.17.20"};
		CHECK(pv_osv_offline_query(pz, &lq, 1) == 0 && lq.matches.n == 1, "py zip lodash");
		pv_osv_query_free(&lq);
		pv_osv_db_free(pz);
	}

	/* A corrupt zip, a missing file, an unsupported ecosystem: one clear error each. */
	char bad[4200];
	snprintf(bad, sizeof bad, "%s/corrupt.zip", dir);
	static const char junk[] = "PK\003\004 this is not really a zip archive at all ........";
	CHECK(write_file(bad, junk, sizeof junk - 1) == 0, "write junk");
	struct pv_osv_db *db = NULL;
	err[0] = '\0';
	CHECK(pv_osv_offline_load(bad, "npm", &db, err, sizeof err) == -1 && !db && err[0], "corrupt: %s", err);
	snprintf(bad, sizeof bad, "%s/missing.zip", dir);
	err[0] = '\0';
	CHECK(pv_osv_offline_load(bad, "npm", &db, err, sizeof err) == -1 && !db && err[0], "missing: %s", err);
	CHECK(pv_osv_offline_load(zip, "Go", &db, NULL, 0) == -1 && !db, "Go");
}

int main(void)
{
	test_matching();
	test_details();
	test_cvss();

	char dir[] = "/tmp/pv-osv-test-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return CHECK_DONE();
	}
	for (size_t i = 0; i < NRECS; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/rec%zu.json", dir, i);
		CHECK(write_file(path, ALL_RECS[i], strlen(ALL_RECS[i])) == 0, "write %s", path);
	}
	test_online(dir);
	test_offline(dir);

	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return CHECK_DONE();
}
