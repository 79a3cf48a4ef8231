/* dns_check: server-spec parsing, domain syntax, resolv.conf reading, and
 * every lookup outcome against tests/fixtures/dns_server.py (a real UDP DNS
 * server on 127.0.0.1), including timing, memoisation and threads. */
#include "check.h"
#include "dns_check.h"
#include "fixture.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char g_dir[256];
static char g_zone[300];
static char g_counts[320];

/* Queries the fixture saw for name ("__total__": all), from its counts file. */
static long queries(const char *name)
{
	FILE *f = fopen(g_counts, "rb");
	if (!f)
		return 0;
	char buf[16384];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char key[300];
	snprintf(key, sizeof key, "\"%s\":", name);
	const char *p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

static void test_open(void)
{
	static const char *bad[] = {"nonsense", "1.2.3.4:0", "1.2.3.4:99999", "[::1", "", "1.2.3.4:",
	                            "[::1]:", "[::1]x", "1.2.3.4:53x", "1.2.3", "[1.2.3.4]", "::1%nosuchif0"};
	static const char *good[] = {"127.0.0.1", "127.0.0.1:5353", "::1", "[::1]", "[::1]:5353", "off",
	                             "system", "1.2.3.4:65535"};
	char err[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct pv_dns *d = (struct pv_dns *)1;
		err[0] = '\0';
		CHECK(pv_dns_open(&d, bad[i], 1000, err, sizeof err) == -1, "accepted %s", bad[i]);
		CHECK(err[0] != '\0' && !strchr(err, '\n'), "no one-line error for %s", bad[i]);
		CHECK(d == NULL, "out not cleared for %s", bad[i]);
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct pv_dns *d = NULL;
		CHECK(pv_dns_open(&d, good[i], 0, err, sizeof err) == 0, "rejected %s: %s", good[i], err);
		pv_dns_close(d);
	}
	struct pv_dns *d = NULL;
	CHECK(pv_dns_open(&d, "off", 1000, err, sizeof err) == 0, "off: %s", err);
	CHECK(pv_dns_server_count(d) == 0, "off has servers");
	CHECK(pv_dns_has_mail_host(d, "example.com") == -1, "off must be unknown");
	CHECK(pv_dns_resolve_cb("example.com", d) == -1, "off via cb must be unknown");
	pv_dns_close(d);
	CHECK(pv_dns_has_mail_host(NULL, "example.com") == -1, "NULL handle");
}

static void test_syntax(void)
{
	static const char *valid[] = {"example.com", "example.com.", "a.b", "x-y.example.org",
	                              "EXAMPLE.COM", "xn--bcher-kva.example", "1.2.3.4"};
	static const char *invalid[] = {"", ".", "com", "com.", "a..b", ".a.b", "a.b..", "-a.b", "a-.b",
	                                "a_b.com", "a b.com", "b\xc3\xbc" "cher.de", "a.b/c", "a.b:25",
	                                "a@b.com"};
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
		CHECK(pv_dns_domain_valid(valid[i]) == 1, "%s should be valid", valid[i]);
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		CHECK(pv_dns_domain_valid(invalid[i]) == 0, "%s should be invalid", invalid[i]);
	CHECK(pv_dns_domain_valid(NULL) == 0, "NULL");

	char label[80], name[400];
	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(name, sizeof name, "%s.com", label);
	CHECK(pv_dns_domain_valid(name) == 1, "63-char label");
	memset(label, 'a', 64);
	label[64] = '\0';
	snprintf(name, sizeof name, "%s.com", label);
	CHECK(pv_dns_domain_valid(name) == 0, "64-char label");
	/* 253 characters: 4 labels of 61 + "a" (with dots: 4*62 + 5 = 253) */
	memset(label, 'b', 61);
	label[61] = '\0';
	snprintf(name, sizeof name, "%s.%s.%s.%s.abcde", label, label, label, label);
	CHECK(strlen(name) == 253 && pv_dns_domain_valid(name) == 1, "253 chars (%zu)", strlen(name));
	strcat(name, ".");
	CHECK(pv_dns_domain_valid(name) == 1, "253 chars plus trailing dot");
	name[strlen(name) - 1] = 'f';
	CHECK(pv_dns_domain_valid(name) == 0, "254 chars");
}

static void test_resolv_conf(void)
{
	char path[300], err[256];
	snprintf(path, sizeof path, "%s/resolv.conf", g_dir);
	fixture_write_file(path, "# comment\nsearch example.com\nnameserver   10.0.0.1\n"
	                         "nameserver not-an-ip\nnameserver\nnameserver fe80::1%nosuchif0\n"
	                         "nameserver ::1 # trailing\n\tnameserver\t192.168.1.1\nnameserver 10.0.0.9\n");
	struct pv_dns *d = NULL;
	CHECK(pv_dns_open_resolv_conf(&d, path, 1000, err, sizeof err) == 0, "%s", err);
	CHECK(pv_dns_server_count(d) == 3, "expected 3 servers, got %d", pv_dns_server_count(d));
	pv_dns_close(d);

	/* a long comment line whose tail, past the 511 bytes one read takes,
	 * looks like a nameserver line: it must not count */
	char text[1200];
	memset(text, 'x', 1000);
	text[0] = '#';
	memcpy(text + 511, "nameserver 10.9.9.9 ", 20);
	snprintf(text + 1000, sizeof text - 1000, "\nnameserver 10.0.0.1\n");
	fixture_write_file(path, text);
	d = NULL;
	CHECK(pv_dns_open_resolv_conf(&d, path, 1000, err, sizeof err) == 0, "%s", err);
	CHECK(pv_dns_server_count(d) == 1, "long line: expected 1 server, got %d", pv_dns_server_count(d));
	pv_dns_close(d);

	snprintf(path, sizeof path, "%s/no-such-resolv.conf", g_dir);
	d = NULL;
	CHECK(pv_dns_open_resolv_conf(&d, path, 1000, err, sizeof err) == 0, "%s", err);
	CHECK(pv_dns_server_count(d) == 0, "missing file gives servers");
	CHECK(pv_dns_has_mail_host(d, "example.com") == -1, "no server must be unknown");
	pv_dns_close(d);
}

static const char ZONE[] =
	"{\"mx.test\":{\"MX\":[\"mail.mx.test\"]},"
	"\"a.test\":{\"A\":[\"1.2.3.4\"]},"
	"\"aaaa.test\":{\"AAAA\":[\"::1\"]},"
	"\"all.test\":{\"MX\":[\"m.all.test\"],\"A\":[\"1.2.3.4\"],\"AAAA\":[\"::1\"]},"
	"\"empty.test\":{},"
	"\"nullmx.test\":\"nullmx\","
	"\"timeout.test\":\"timeout\","
	"\"servfail.test\":\"servfail\","
	"\"refused.test\":\"refused\","
	"\"garbage.test\":\"garbage\","
	"\"wrongid.test\":\"wrong-id\","
	"\"malformed.test\":\"malformed\","
	"\"truncated.test\":\"truncated\","
	"\"truncempty.test\":\"truncated-empty\","
	"\"t0.test\":{\"MX\":[\"m.t0.test\"]},\"t1.test\":{\"A\":[\"1.1.1.1\"]},"
	"\"t2.test\":{\"AAAA\":[\"::2\"]},\"t3.test\":{},\"t4.test\":\"nullmx\","
	"\"t5.test\":\"servfail\",\"t6.test\":{\"MX\":[\"a\",\"b\"],\"A\":[\"1.1.1.1\"]},"
	"\"t7.test\":{\"A\":[\"2.2.2.2\"]}}";

#define N_FUZZ 300

/* ZONE plus f0.test .. f299.test answered with random answer sections. */
static void write_zone(void)
{
	size_t cap = sizeof ZONE + N_FUZZ * 32;
	char *z = malloc(cap);
	if (!z) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	size_t len = sizeof ZONE - 2; /* drop the closing brace */
	memcpy(z, ZONE, len);
	for (int i = 0; i < N_FUZZ; i++)
		len += (size_t)snprintf(z + len, cap - len, ",\"f%d.test\":\"fuzz\"", i);
	snprintf(z + len, cap - len, "}");
	fixture_write_file(g_zone, z);
	free(z);
}

/* A resolver that says NXDOMAIN even for gmail.com is not believed; one
 * that knows gmail.com is. */
static void test_verify(int port)
{
	char spec[64], err[256];
	snprintf(spec, sizeof spec, "127.0.0.1:%d", port);
	struct pv_dns *d = NULL;
	CHECK(pv_dns_open(&d, spec, 1000, err, sizeof err) == 0, "%s", err);
	pv_dns_verify_resolver(d, true);
	CHECK(pv_dns_has_mail_host(d, "nowhere-at-all.test") == -1, "a blackholing resolver is not believed");
	pv_dns_close(d);
	fixture_write_file(g_zone, "{\"gmail.com\": {\"MX\": [\"mx.gmail.com\"]}}");
	CHECK(pv_dns_open(&d, spec, 1000, err, sizeof err) == 0, "%s", err);
	pv_dns_verify_resolver(d, true);
	CHECK(pv_dns_has_mail_host(d, "nowhere-at-all.test") == 0, "a working resolver's NXDOMAIN is believed");
	pv_dns_verify_resolver(d, false);
	pv_dns_close(d);
	write_zone();
}

/* Random replies: any of 1, 0, -1, quickly, and no memory error (ASan). */
static void test_fuzz(int port)
{
	char spec[64], err[256];
	snprintf(spec, sizeof spec, "127.0.0.1:%d", port);
	struct pv_dns *d = NULL;
	CHECK(pv_dns_open(&d, spec, 2000, err, sizeof err) == 0, "%s", err);
	if (!d)
		return;
	int seen[3] = {0, 0, 0};
	double t0 = fixture_mono();
	for (int i = 0; i < N_FUZZ; i++) {
		char name[32];
		snprintf(name, sizeof name, "f%d.test", i);
		int r = pv_dns_has_mail_host(d, name);
		CHECK(r >= -1 && r <= 1, "%s: %d", name, r);
		if (r >= -1 && r <= 1)
			seen[r + 1]++;
	}
	CHECK(fixture_mono() - t0 < 30, "fuzz replies took %.1f s", fixture_mono() - t0);
	CHECK(seen[0] > 0 && seen[2] > 0, "fuzz outcomes -1:%d 0:%d 1:%d", seen[0], seen[1], seen[2]);
	pv_dns_close(d);
}

static void expect(struct pv_dns *d, const char *domain, int want, long want_queries)
{
	long before = queries("__total__");
	int got = pv_dns_has_mail_host(d, domain);
	long sent = queries("__total__") - before;
	CHECK(got == want, "%s: got %d, want %d", domain, got, want);
	if (want_queries >= 0)
		CHECK(sent == want_queries, "%s: %ld queries, want %ld", domain, sent, want_queries);
}

static void test_outcomes(int port)
{
	char spec[64], err[256];
	snprintf(spec, sizeof spec, "127.0.0.1:%d", port);
	struct pv_dns *d = NULL;
	const long tmo = 600;
	CHECK(pv_dns_open(&d, spec, tmo, err, sizeof err) == 0, "%s", err);
	if (!d)
		return;
	expect(d, "mx.test", 1, 1);        /* MX answers: A/AAAA not asked */
	expect(d, "a.test", 1, 2);         /* MX (none), then A */
	expect(d, "aaaa.test", 1, 3);      /* MX, A, AAAA */
	expect(d, "all.test", 1, 1);
	expect(d, "empty.test", 0, 3);     /* NOERROR/NODATA on all three */
	expect(d, "nx.test", 0, 1);        /* NXDOMAIN ends the lookup */
	expect(d, "nullmx.test", 0, 1);    /* RFC 7505: no mail */
	expect(d, "servfail.test", -1, -1);
	expect(d, "refused.test", -1, -1);
	expect(d, "malformed.test", -1, -1);
	expect(d, "truncated.test", 1, 1);     /* TC, ANCOUNT 1: taken as present */
	expect(d, "truncempty.test", -1, -1);  /* TC, ANCOUNT 0: cannot tell */

	/* memoised: same answer, no query, whatever the case or trailing dot */
	expect(d, "mx.test", 1, 0);
	expect(d, "MX.Test.", 1, 0);
	expect(d, "empty.test", 0, 0);
	expect(d, "nx.test", 0, 0);
	expect(d, "servfail.test", -1, 0);
	CHECK(queries("mx.test") == 1, "mx.test asked %ld times", queries("mx.test"));
	CHECK(pv_dns_resolve_cb("a.test", d) == 1, "callback adapter");

	/* invalid names are never sent */
	static const char *junk[] = {"bad_name.test", "-x.test", "test", "a..test", "b\xc3\xbc" "cher.test",
	                             "x.test\n", "x .test", ""};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		expect(d, junk[i], -1, 0);
	CHECK(pv_dns_has_mail_host(d, NULL) == -1, "NULL domain");

	/* no answer / unusable answers: -1 once the whole budget is spent */
	static const char *slow[] = {"timeout.test", "garbage.test", "wrongid.test"};
	for (size_t i = 0; i < sizeof slow / sizeof slow[0]; i++) {
		double t0 = fixture_mono();
		int got = pv_dns_has_mail_host(d, slow[i]);
		double ms = (fixture_mono() - t0) * 1000;
		CHECK(got == -1, "%s: got %d", slow[i], got);
		CHECK(ms >= tmo - 50 && ms <= tmo + 250, "%s took %.0f ms (timeout %ld)", slow[i], ms, tmo);
		/* retries happened within the budget: more than one query per type is fine */
		CHECK(queries(slow[i]) >= 3, "%s: %ld queries", slow[i], queries(slow[i]));
		t0 = fixture_mono();
		CHECK(pv_dns_has_mail_host(d, slow[i]) == -1, "%s memoised", slow[i]);
		CHECK((fixture_mono() - t0) * 1000 < 50, "%s memoised lookup was slow", slow[i]);
	}
	pv_dns_close(d);
}

struct thread_arg {
	struct pv_dns *d;
	int idx;
	int failures;
};

static const int T_WANT[8] = {1, 1, 1, 0, 0, -1, 1, 1};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;
	char name[32];
	for (int round = 0; round < 3; round++)
		for (int k = 0; k < 8; k++) {
			int i = (a->idx + k) % 8;
			snprintf(name, sizeof name, "t%d.test", i);
			if (pv_dns_has_mail_host(a->d, name) != T_WANT[i])
				a->failures++;
			if (pv_dns_has_mail_host(a->d, "nx.test") != 0)
				a->failures++;
		}
	return NULL;
}

static void test_threads(int port)
{
	char spec[64], err[256];
	snprintf(spec, sizeof spec, "127.0.0.1:%d", port);
	struct pv_dns *d = NULL;
	CHECK(pv_dns_open(&d, spec, 3000, err, sizeof err) == 0, "%s", err);
	if (!d)
		return;
	pthread_t th[8];
	struct thread_arg args[8];
	int started = 0;
	for (int i = 0; i < 8; i++) {
		args[i] = (struct thread_arg){.d = d, .idx = i};
		if (pthread_create(&th[i], NULL, thread_main, &args[i]) != 0)
			break;
		started++;
	}
	CHECK(started == 8, "started %d threads", started);
	for (int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		CHECK(args[i].failures == 0, "thread %d: %d wrong answers", i, args[i].failures);
	}
	/* after the threads, every name is memoised: no more queries */
	long before = queries("__total__");
	for (int i = 0; i < 8; i++) {
		char name[32];
		snprintf(name, sizeof name, "t%d.test", i);
		CHECK(pv_dns_has_mail_host(d, name) == T_WANT[i], "%s after threads", name);
	}
	CHECK(queries("__total__") == before, "memoised names were asked again");
	pv_dns_close(d);
}

/* Nobody listens on the port: ICMP port unreachable gives a fast -1. */
static void test_closed_port(void)
{
	char err[256];
	struct pv_dns *d = NULL;
	CHECK(pv_dns_open(&d, "127.0.0.1:9", 500, err, sizeof err) == 0, "%s", err);
	if (!d)
		return;
	double t0 = fixture_mono();
	CHECK(pv_dns_has_mail_host(d, "example.com") == -1, "closed port must be unknown");
	CHECK((fixture_mono() - t0) * 1000 <= 750, "closed port took too long");
	pv_dns_close(d);
}

int main(void)
{
	snprintf(g_dir, sizeof g_dir, "/tmp/pv-dns-test-XXXXXX");
	if (!mkdtemp(g_dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(g_zone, sizeof g_zone, "%s/zone.json", g_dir);
	snprintf(g_counts, sizeof g_counts, "%s.counts.json", g_zone);
	write_zone();

	test_open();
	test_syntax();
	test_resolv_conf();
	test_closed_port();

	struct fixture f;
	if (fixture_start(&f, "dns_server.py", g_zone) != 0) {
		fprintf(stderr, "cannot start dns_server.py\n");
		fixture_stop(&f);
		return 1;
	}
	test_outcomes(f.port);
	test_threads(f.port);
	test_fuzz(f.port);
	test_verify(f.port);
	fixture_stop(&f);

	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", g_dir);
	return CHECK_DONE();
}
