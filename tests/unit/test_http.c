/* The HTTP layer against a local fixture server (tests/fixtures/http_fixture.py):
 * results, retries, limits, redirects, ETags, timeouts, parallelism, TLS. */
#include "check.h"
#include "http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct fixture {
	pid_t pid;
	int in_fd;     /* its stdin: closing it ends the server */
	int port, tls_port;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fixture_script(char *out, size_t outlen)
{
	const char *src = getenv("PKGVET_SRC");
	if (src && *src) {
		snprintf(out, outlen, "%s/tests/fixtures/http_fixture.py", src);
		return;
	}
	/* __FILE__ is tests/unit/test_http.c (absolute in CMake builds). */
	char here[4096];
	snprintf(here, sizeof here, "%s", __FILE__);
	char *slash = strrchr(here, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(here, sizeof here, ".");
	snprintf(out, outlen, "%s/../fixtures/http_fixture.py", here);
}

static int fixture_start(struct fixture *f, const char *cert, const char *key)
{
	char script[4200];
	int in[2], out[2];
	fixture_script(script, sizeof script);
	memset(f, 0, sizeof *f);
	if (pipe(in) != 0 || pipe(out) != 0)
		return -1;
	f->pid = fork();
	if (f->pid < 0)
		return -1;
	if (f->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		if (cert)
			execlp("python3", "python3", script, "--tls", cert, key, (char *)NULL);
		else
			execlp("python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f->in_fd = in[1];
	char line[128];
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
	if (sscanf(line, "%d %d", &f->port, &f->tls_port) < 1 || f->port <= 0) {
		fprintf(stderr, "fixture %s did not start (got '%s')\n", script, line);
		return -1;
	}
	return 0;
}

static void fixture_stop(struct fixture *f)
{
	if (f->pid > 0) {
		close(f->in_fd);
		kill(f->pid, SIGTERM);
		waitpid(f->pid, NULL, 0);
		f->pid = 0;
	}
}

static int run_quiet(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st = -1;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A 127.0.0.1 port that nobody listens on (bound, then released). */
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

static int g_port;
static char g_url[8][512];
static int g_urln;

static const char *U(const char *path)
{
	char *b = g_url[g_urln++ % 8];
	snprintf(b, sizeof g_url[0], "http://127.0.0.1:%d%s", g_port, path);
	return b;
}

static struct pv_http_opts test_opts(void)
{
	struct pv_http_opts o = pv_http_opts_default();
	o.connect_timeout_ms = 2000;
	o.total_timeout_ms = 5000;
	o.retries = 2;
	o.backoff_ms = 50;
	o.max_backoff_ms = 200;
	return o;
}

/* One request; the caller frees *r. Returns the elapsed seconds. */
static double fetch(struct pv_http_req *r, const char *url, const struct pv_http_opts *o)
{
	memset(r, 0, sizeof *r);
	r->url = url;
	double t0 = now_s();
	pv_http_fetch(r, o);
	return now_s() - t0;
}

static long counter(const char *key)
{
	char path[128];
	struct pv_http_req r;
	struct pv_http_opts o = test_opts();
	snprintf(path, sizeof path, "/count/%s", key);
	fetch(&r, U(path), &o);
	long n = r.result == PV_HTTP_OK ? strtol(r.body, NULL, 10) : -1;
	pv_http_req_free(&r);
	return n;
}

static long maxconc(const char *key)
{
	char path[128];
	struct pv_http_req r;
	struct pv_http_opts o = test_opts();
	snprintf(path, sizeof path, "/maxconc/%s", key);
	fetch(&r, U(path), &o);
	long n = r.result == PV_HTTP_OK ? strtol(r.body, NULL, 10) : -1;
	pv_http_req_free(&r);
	return n;
}

#define NAME(r) pv_http_result_name((r).result)

static void test_basic(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req r;

	fetch(&r, U("/ok"), &o);
	CHECK(r.result == PV_HTTP_OK && r.status == 200, "ok: %s %ld %s", NAME(r), r.status, r.err);
	CHECK(r.body && strstr(r.body, "\"ok\": true") && r.len == strlen(r.body), "ok body");
	CHECK(r.attempts == 1 && r.err[0] == '\0', "ok: attempts %d err '%s'", r.attempts, r.err);
	/* Running the same request again frees the old outputs first. */
	pv_http_fetch(&r, &o);
	CHECK(r.result == PV_HTTP_OK && r.attempts == 1, "rerun: %s", NAME(r));
	pv_http_req_free(&r);

	o.retries = 3;
	fetch(&r, U("/404"), &o);
	CHECK(r.result == PV_HTTP_HTTP_ERROR && r.status == 404 && r.attempts == 1,
	      "404: %s %ld attempts %d", NAME(r), r.status, r.attempts);
	CHECK(r.body && strcmp(r.body, "not found") == 0, "404 body kept");
	CHECK(strstr(r.err, "404") != NULL, "404 err '%s'", r.err);
	pv_http_req_free(&r);

	fetch(&r, U("/status/500"), &o);
	CHECK(r.result == PV_HTTP_HTTP_ERROR && r.status == 500 && r.attempts == 1,
	      "500 is not retried: %s attempts %d", NAME(r), r.attempts);
	pv_http_req_free(&r);

	fetch(&r, U("/status/401"), &o);
	CHECK(r.result == PV_HTTP_HTTP_ERROR && r.status == 401 && r.attempts == 1, "401 not retried");
	pv_http_req_free(&r);

	o.retries = 2;
	fetch(&r, U("/status/502"), &o);
	CHECK(r.result == PV_HTTP_HTTP_ERROR && r.status == 502 && r.attempts == 3,
	      "502 retried: %s attempts %d", NAME(r), r.attempts);
	CHECK(strstr(r.err, "after 3 attempts") != NULL, "502 err '%s'", r.err);
	pv_http_req_free(&r);

	fetch(&r, U("/status/504"), &o);
	CHECK(r.status == 504 && r.attempts == 3, "504 retried: attempts %d", r.attempts);
	pv_http_req_free(&r);

	CHECK(strcmp(pv_http_result_name(PV_HTTP_NOT_MODIFIED), "not-modified") == 0, "names");
	CHECK(strcmp(pv_http_result_name(PV_HTTP_TOO_LARGE), "too-large") == 0, "names");
	CHECK(pv_http_fetch_all(NULL, 0, &o) == 0, "empty batch");
}

static void test_retries(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req r;

	o.retries = 3;
	fetch(&r, U("/flaky/2/fa"), &o);
	CHECK(r.result == PV_HTTP_OK && r.attempts == 3, "flaky 2: %s attempts %d", NAME(r), r.attempts);
	pv_http_req_free(&r);
	CHECK(counter("fa") == 3, "server saw %ld", counter("fa"));

	o.retries = 2;
	fetch(&r, U("/flaky/5/fb"), &o);
	CHECK(r.result == PV_HTTP_HTTP_ERROR && r.status == 503 && r.attempts == 3,
	      "flaky 5: %s %ld attempts %d", NAME(r), r.status, r.attempts);
	pv_http_req_free(&r);
	CHECK(counter("fb") == 3, "bounded: server saw %ld", counter("fb"));

	/* Retry-After: 1 is honoured (longer than our 50 ms backoff). */
	double t = fetch(&r, U("/429/ra"), &o);
	CHECK(r.result == PV_HTTP_OK && r.attempts == 2, "429: %s attempts %d", NAME(r), r.attempts);
	CHECK(t >= 0.9 && t < 3.0, "429 waited %.2f s", t);
	pv_http_req_free(&r);

	/* A Retry-After beyond the cap ends the request at once. */
	t = fetch(&r, U("/429/rb?ra=3600"), &o);
	CHECK(r.result == PV_HTTP_HTTP_ERROR && r.status == 429 && r.attempts == 1,
	      "429 long: %s attempts %d", NAME(r), r.attempts);
	CHECK(t < 1.0 && strstr(r.err, "Retry-After"), "429 long: %.2f s, '%s'", t, r.err);
	pv_http_req_free(&r);

	/* Connection reset: retried, then a connection error. */
	fetch(&r, U("/reset"), &o);
	CHECK(r.result == PV_HTTP_CONN_ERROR && r.attempts == 3, "reset: %s attempts %d (%s)", NAME(r),
	      r.attempts, r.err);
	CHECK(r.body == NULL, "reset: no body");
	pv_http_req_free(&r);

	fetch(&r, U("/reset-once/rc"), &o);
	CHECK(r.result == PV_HTTP_OK && r.attempts == 2, "reset once: %s attempts %d", NAME(r), r.attempts);
	pv_http_req_free(&r);

	/* Backoff grows: 3 retries with 200 ms base take at least 100+200+400 (halved by jitter). */
	o.retries = 3;
	o.backoff_ms = 200;
	o.max_backoff_ms = 10000;
	t = fetch(&r, U("/status/503"), &o);
	CHECK(r.attempts == 4 && t >= 0.65 && t < 3.0, "backoff: attempts %d, %.2f s", r.attempts, t);
	pv_http_req_free(&r);
}

static void test_etag(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req r;

	fetch(&r, U("/etag"), &o);
	CHECK(r.result == PV_HTTP_OK && r.etag_out && strcmp(r.etag_out, "\"v1\"") == 0,
	      "etag: %s '%s'", NAME(r), r.etag_out ? r.etag_out : "(null)");
	pv_http_req_free(&r);

	memset(&r, 0, sizeof r);
	r.url = U("/etag");
	r.etag = "\"v1\"";
	pv_http_fetch(&r, &o);
	CHECK(r.result == PV_HTTP_NOT_MODIFIED && r.status == 304 && r.body == NULL,
	      "304: %s %ld", NAME(r), r.status);
	CHECK(r.etag_out && strcmp(r.etag_out, "\"v1\"") == 0, "304 etag");
	pv_http_req_free(&r);

	memset(&r, 0, sizeof r);
	r.url = U("/etag");
	r.etag = "\"v0\"";
	pv_http_fetch(&r, &o);
	CHECK(r.result == PV_HTTP_OK && r.status == 200 && r.body, "stale etag: %s", NAME(r));
	pv_http_req_free(&r);
}

static void test_redirects(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req r;

	fetch(&r, U("/redirect"), &o);
	CHECK(r.result == PV_HTTP_OK && r.body && strstr(r.body, "fixture"), "redirect: %s", NAME(r));
	pv_http_req_free(&r);

	fetch(&r, U("/redirect/5"), &o);
	CHECK(r.result == PV_HTTP_OK, "5 redirects: %s %s", NAME(r), r.err);
	pv_http_req_free(&r);

	fetch(&r, U("/redirect/6"), &o);
	CHECK(r.result == PV_HTTP_OTHER && r.attempts == 1, "6 redirects: %s %s", NAME(r), r.err);
	pv_http_req_free(&r);

	double t = fetch(&r, U("/redirect-loop"), &o);
	CHECK(r.result == PV_HTTP_OTHER && t < 2.0, "loop: %s %s", NAME(r), r.err);
	pv_http_req_free(&r);

	fetch(&r, U("/redirect-to?u=file:///etc/passwd"), &o);
	CHECK(r.result == PV_HTTP_OTHER && r.body == NULL, "redirect to file: %s %s", NAME(r), r.err);
	pv_http_req_free(&r);

	fetch(&r, "file:///etc/passwd", &o);
	CHECK(r.result == PV_HTTP_OTHER && r.body == NULL, "file URL: %s", NAME(r));
	pv_http_req_free(&r);

	fetch(&r, "ftp://127.0.0.1/", &o);
	CHECK(r.result == PV_HTTP_OTHER, "ftp URL: %s", NAME(r));
	pv_http_req_free(&r);

	fetch(&r, "", &o);
	CHECK(r.result == PV_HTTP_OTHER && r.attempts == 0, "empty URL: %s", NAME(r));
	pv_http_req_free(&r);

	memset(&r, 0, sizeof r);
	r.url = U("/ok");
	r.auth_header = "Authorization: x\r\nX-Evil: 1";
	pv_http_fetch(&r, &o);
	CHECK(r.result == PV_HTTP_OTHER && r.attempts == 0, "CRLF in header refused: %s", NAME(r));
	pv_http_req_free(&r);
}

static void test_limits(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req r;
	o.max_body = 1 << 20;

	fetch(&r, U("/big?n=2097152"), &o);
	CHECK(r.result == PV_HTTP_TOO_LARGE && r.body == NULL && r.attempts == 1,
	      "Content-Length over: %s attempts %d", NAME(r), r.attempts);
	pv_http_req_free(&r);

	double t = fetch(&r, U("/big?n=209715200&nolen=1"), &o);
	CHECK(r.result == PV_HTTP_TOO_LARGE && t < 3.0, "chunked 200 MB: %s in %.2f s", NAME(r), t);
	pv_http_req_free(&r);

	fetch(&r, U("/big?n=1048576"), &o);
	CHECK(r.result == PV_HTTP_OK && r.len == 1048576, "exactly the limit: %s %zu", NAME(r), r.len);
	pv_http_req_free(&r);

	fetch(&r, U("/big?n=1048577&nolen=1"), &o);
	CHECK(r.result == PV_HTTP_TOO_LARGE, "limit + 1 chunked: %s", NAME(r));
	pv_http_req_free(&r);

	memset(&r, 0, sizeof r);
	r.url = U("/big?n=2097152&nolen=1");
	r.max_body = 4 << 20;
	pv_http_fetch(&r, &o);
	CHECK(r.result == PV_HTTP_OK && r.len == 2097152, "per-request limit: %s", NAME(r));
	pv_http_req_free(&r);

	fetch(&r, U("/gzip"), &o);
	CHECK(r.result == PV_HTTP_OK && r.body && strncmp(r.body, "{\"gzip\": true", 13) == 0 &&
	          r.len == strlen(r.body),
	      "gzip decoded: %s", NAME(r));
	pv_http_req_free(&r);

	/* A gzip bomb: small on the wire, over the limit once decoded. */
	fetch(&r, U("/gzip?n=20971520"), &o);
	CHECK(r.result == PV_HTTP_TOO_LARGE, "gzip bomb: %s %s", NAME(r), r.err);
	pv_http_req_free(&r);
}

static void test_timeouts(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req r;
	char url[256];

	o.total_timeout_ms = 500;
	o.retries = 0;
	double t = fetch(&r, U("/slow?s=5"), &o);
	CHECK(r.result == PV_HTTP_TIMEOUT && t < 1.5 && r.attempts == 1, "slow: %s in %.2f s", NAME(r), t);
	pv_http_req_free(&r);

	o.retries = 1;
	t = fetch(&r, U("/slow?s=5"), &o);
	CHECK(r.result == PV_HTTP_TIMEOUT && r.attempts == 2 && t < 2.5, "slow retried: %s %d in %.2f s",
	      NAME(r), r.attempts, t);
	pv_http_req_free(&r);

	/* The batch deadline bounds everything, retries included. */
	struct pv_http_req rs[3];
	memset(rs, 0, sizeof rs);
	for (int i = 0; i < 3; i++)
		rs[i].url = U("/slow?s=5");
	o.total_timeout_ms = 10000;
	o.retries = 3;
	o.deadline_ms = 700;
	double t0 = now_s();
	CHECK(pv_http_fetch_all(rs, 3, &o) == 0, "deadline batch ran");
	t = now_s() - t0;
	for (int i = 0; i < 3; i++) {
		CHECK(rs[i].result == PV_HTTP_TIMEOUT && rs[i].attempts == 1, "deadline %d: %s", i, NAME(rs[i]));
		pv_http_req_free(&rs[i]);
	}
	CHECK(t < 1.5, "deadline: %.2f s", t);

	/* Unreachable: a closed port, promptly, no retries. */
	o = test_opts();
	snprintf(url, sizeof url, "http://127.0.0.1:%d/ok", closed_port());
	t = fetch(&r, url, &o);
	CHECK(r.result == PV_HTTP_UNREACHABLE && r.attempts == 1 && t < 1.0, "closed port: %s %d %.2f s",
	      NAME(r), r.attempts, t);
	CHECK(r.err[0] != '\0', "closed port has a reason");
	pv_http_req_free(&r);

	/* An unresolvable name (.invalid never resolves): unreachable, or a timeout
	 * when the resolver itself does not answer. */
	o.connect_timeout_ms = 1000;
	o.total_timeout_ms = 1500;
	o.retries = 0;
	t = fetch(&r, "http://pkgvet-test.invalid/ok", &o);
	CHECK((r.result == PV_HTTP_UNREACHABLE || r.result == PV_HTTP_TIMEOUT) && t < 2.5,
	      "unresolvable: %s in %.2f s (%s)", NAME(r), t, r.err);
	pv_http_req_free(&r);

	/* A host that never answers the SYN: a listener whose accept queue is full
	 * (outbound addresses like 10.255.255.1 are not reliably black holes: a
	 * sandbox may intercept them). The connect timeout ends it. */
	int bh = socket(AF_INET, SOCK_STREAM, 0), fill[3] = {-1, -1, -1};
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	socklen_t al = sizeof a;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bh >= 0 && bind(bh, (struct sockaddr *)&a, sizeof a) == 0 && listen(bh, 0) == 0 &&
	    getsockname(bh, (struct sockaddr *)&a, &al) == 0) {
		for (int i = 0; i < 3; i++) {
			fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (fill[i] >= 0)
				(void)connect(fill[i], (struct sockaddr *)&a, sizeof a);
		}
		usleep(100000);
		snprintf(url, sizeof url, "http://127.0.0.1:%d/ok", ntohs(a.sin_port));
		o.connect_timeout_ms = 500;
		o.total_timeout_ms = 2000;
		o.retries = 1;
		t = fetch(&r, url, &o);
		CHECK(r.result == PV_HTTP_TIMEOUT && r.attempts == 2 && t < 2.0, "black hole: %s %d in %.2f s (%s)",
		      NAME(r), r.attempts, t, r.err);
		pv_http_req_free(&r);
		for (int i = 0; i < 3; i++)
			if (fill[i] >= 0)
				close(fill[i]);
	} else {
		CHECK(0, "black-hole listener");
	}
	if (bh >= 0)
		close(bh);
}

static void test_parallel(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req rs[20];

	memset(rs, 0, sizeof rs);
	for (int i = 0; i < 20; i++)
		rs[i].url = U("/slow?s=1&key=par");
	o.max_parallel = 20;
	double t0 = now_s();
	CHECK(pv_http_fetch_all(rs, 20, &o) == 0, "parallel batch ran");
	double t = now_s() - t0;
	int ok = 0;
	for (int i = 0; i < 20; i++) {
		ok += rs[i].result == PV_HTTP_OK;
		pv_http_req_free(&rs[i]);
	}
	CHECK(ok == 20 && t < 1.9, "20 x 1 s in parallel: %d ok in %.2f s", ok, t);
	long mc = maxconc("par");
	CHECK(mc >= 15, "server saw %ld at once", mc);
	fprintf(stderr, "parallel: 20 x /slow?s=1 in %.2f s, %ld at once\n", t, mc);

	/* The bound holds: 8 x 0.5 s, 4 at a time, is two rounds. */
	memset(rs, 0, sizeof rs);
	for (int i = 0; i < 8; i++)
		rs[i].url = U("/slow?s=0.5&key=bnd");
	o.max_parallel = 4;
	t0 = now_s();
	pv_http_fetch_all(rs, 8, &o);
	t = now_s() - t0;
	ok = 0;
	for (int i = 0; i < 8; i++) {
		ok += rs[i].result == PV_HTTP_OK;
		pv_http_req_free(&rs[i]);
	}
	CHECK(ok == 8 && t >= 0.95 && t < 2.0, "bounded: %d ok in %.2f s", ok, t);
	CHECK(maxconc("bnd") == 4, "bounded: server saw %ld at once", maxconc("bnd"));

	/* Mixed batch: each request gets its own result. */
	memset(rs, 0, sizeof rs);
	rs[0].url = U("/ok");
	rs[1].url = U("/404");
	rs[2].url = U("/flaky/1/mx");
	rs[3].url = "file:///etc/passwd";
	rs[4].url = U("/gzip");
	o = test_opts();
	pv_http_fetch_all(rs, 5, &o);
	CHECK(rs[0].result == PV_HTTP_OK && rs[1].result == PV_HTTP_HTTP_ERROR && rs[2].result == PV_HTTP_OK &&
	          rs[3].result == PV_HTTP_OTHER && rs[4].result == PV_HTTP_OK,
	      "mixed: %s %s %s %s %s", NAME(rs[0]), NAME(rs[1]), NAME(rs[2]), NAME(rs[3]), NAME(rs[4]));
	for (int i = 0; i < 5; i++)
		pv_http_req_free(&rs[i]);
}

static void test_headers_proxy(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req r;
	char proxy[128];

	memset(&r, 0, sizeof r);
	r.url = U("/headers");
	r.auth_header = "Authorization: Bearer t0ken";
	r.accept = "application/vnd.npm.install-v1+json";
	o.user_agent = "pkgvet-test/1";
	pv_http_fetch(&r, &o);
	CHECK(r.result == PV_HTTP_OK && r.body, "headers: %s", NAME(r));
	if (r.body) {
		CHECK(strstr(r.body, "\"authorization\": \"Bearer t0ken\""), "auth sent: %s", r.body);
		CHECK(strstr(r.body, "\"accept\": \"application/vnd.npm.install-v1+json\""), "accept: %s", r.body);
		CHECK(strstr(r.body, "\"user-agent\": \"pkgvet-test/1\""), "ua: %s", r.body);
		CHECK(strstr(r.body, "gzip"), "accept-encoding: %s", r.body);
	}
	pv_http_req_free(&r);

	/* The proxy comes from the environment, and NO_PROXY is honoured. */
	snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", g_port);
	setenv("http_proxy", proxy, 1);
	o = test_opts();
	fetch(&r, "http://pkgvet-proxy.invalid/ok", &o);
	CHECK(r.result == PV_HTTP_OK && r.body && strcmp(r.body, "proxied http://pkgvet-proxy.invalid/ok") == 0,
	      "via http_proxy: %s '%s'", NAME(r), r.body ? r.body : "");
	pv_http_req_free(&r);
	setenv("NO_PROXY", "pkgvet-proxy.invalid", 1);
	o.connect_timeout_ms = 1000;
	o.total_timeout_ms = 1500;
	o.retries = 0;
	fetch(&r, "http://pkgvet-proxy.invalid/ok", &o);
	CHECK(r.result != PV_HTTP_OK, "NO_PROXY bypasses the proxy: %s", NAME(r));
	pv_http_req_free(&r);
	unsetenv("http_proxy");
	unsetenv("NO_PROXY");
}

static void test_tls(void)
{
	struct pv_http_opts o = test_opts();
	struct pv_http_req r;
	char url[512];

	/* https to a plain-HTTP port: a TLS failure, not retried. */
	snprintf(url, sizeof url, "https://127.0.0.1:%d/ok", g_port);
	double t = fetch(&r, url, &o);
	CHECK(r.result == PV_HTTP_TLS_ERROR && r.attempts == 1 && t < 2.0, "https to http port: %s %s",
	      NAME(r), r.err);
	pv_http_req_free(&r);

	char dir[] = "/tmp/pv-http-tls-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	char cert[64], key[64];
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	char *argv[] = {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
	                "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
	                "-addext", "subjectAltName=IP:127.0.0.1", NULL};
	struct fixture tf;
	if (run_quiet(argv) != 0) {
		fprintf(stderr, "SKIP TLS server tests: openssl could not make a certificate\n");
	} else if (fixture_start(&tf, cert, key) != 0 || tf.tls_port <= 0) {
		CHECK(0, "TLS fixture did not start");
		fixture_stop(&tf);
	} else {
		snprintf(url, sizeof url, "https://127.0.0.1:%d/ok", tf.tls_port);
		fetch(&r, url, &o);
		CHECK(r.result == PV_HTTP_TLS_ERROR && r.attempts == 1, "unknown CA: %s %s", NAME(r), r.err);
		pv_http_req_free(&r);

		o.ca_file = cert;
		fetch(&r, url, &o);
		CHECK(r.result == PV_HTTP_OK && r.body && strstr(r.body, "fixture"), "ca_file: %s %s", NAME(r),
		      r.err);
		pv_http_req_free(&r);

		o.ca_file = NULL;
		setenv("PKGVET_CA_BUNDLE", cert, 1);
		fetch(&r, url, &o);
		CHECK(r.result == PV_HTTP_OK, "PKGVET_CA_BUNDLE: %s %s", NAME(r), r.err);
		pv_http_req_free(&r);

		/* https must not be redirected down to http. */
		snprintf(url, sizeof url, "https://127.0.0.1:%d/redirect-to?u=http://127.0.0.1:%d/ok",
		         tf.tls_port, tf.port);
		fetch(&r, url, &o);
		CHECK(r.result == PV_HTTP_OTHER && strstr(r.err, "https never goes to http"),
		      "https->http: %s '%s'", NAME(r), r.err);
		pv_http_req_free(&r);

		/* http up to https is fine. */
		snprintf(url, sizeof url, "http://127.0.0.1:%d/redirect-to?u=https://127.0.0.1:%d/ok", tf.port,
		         tf.tls_port);
		fetch(&r, url, &o);
		CHECK(r.result == PV_HTTP_OK, "http->https: %s '%s'", NAME(r), r.err);
		pv_http_req_free(&r);
		unsetenv("PKGVET_CA_BUNDLE");
		fixture_stop(&tf);
	}
	unlink(cert);
	unlink(key);
	rmdir(dir);
}

int main(void)
{
	static const char *const proxy_env[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
	                                        "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
	                                        "PKGVET_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", NULL};
	for (int i = 0; proxy_env[i]; i++)
		unsetenv(proxy_env[i]);
	signal(SIGPIPE, SIG_IGN);

	struct fixture f;
	if (fixture_start(&f, NULL, NULL) != 0) {
		fixture_stop(&f);
		CHECK(0, "fixture server did not start");
		return CHECK_DONE();
	}
	g_port = f.port;

	test_basic();
	test_retries();
	test_etag();
	test_redirects();
	test_limits();
	test_timeouts();
	test_parallel();
	test_headers_proxy();
	test_tls();

	fixture_stop(&f);
	return CHECK_DONE();
}
