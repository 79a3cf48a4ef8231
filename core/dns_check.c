/* dns_check.c - a minimal DNS client for the bad-email attribute. See
 * dns_check.h for the behaviour; RFC 1035 §4 for the wire format. */
#include "dns_check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DNS_MAX_SERVERS 3
#define DNS_MAX_TIMEOUT_MS 60000L
#define DNS_ROUNDS 2             /* each server is tried at most twice per type */
#define DNS_CACHE_MAX 1024       /* memoised domains */
#define DNS_CACHE_SLOTS 2048     /* open addressing: kept at most half full */
#define DNS_MAX_NAME 253         /* text form, without the trailing dot */
#define DNS_MAX_WIRE_NAME 255    /* wire form, RFC 1035 §2.3.4 */
#define DNS_QUERY_MAX (12 + DNS_MAX_WIRE_NAME + 4)
#define DNS_REPLY_MAX 4096       /* we send no EDNS, so 512 is the norm */
#define DNS_MAX_JUMPS 16         /* compression pointers followed per name */

enum { T_A = 1, T_MX = 15, T_AAAA = 28, C_IN = 1 };
enum { RC_NOERROR = 0, RC_NXDOMAIN = 3 };

/* The outcome of asking one record type. */
enum qres { Q_UNKNOWN, Q_NO, Q_YES, Q_NXDOMAIN, Q_NULLMX };

struct cache_slot {
	char *name; /* lower-case, no trailing dot; NULL: empty */
	int result;
};

struct pv_dns {
	struct sockaddr_storage srv[DNS_MAX_SERVERS];
	socklen_t srvlen[DNS_MAX_SERVERS];
	int nsrv; /* 0: every lookup is unknown ("off", or no nameserver) */
	long timeout_ms;
	pthread_mutex_t mu; /* guards the cache only: no I/O under it */
	struct cache_slot cache[DNS_CACHE_SLOTS];
	int ncached;
	/* The system resolver is checked before its "no" is believed: some
	 * networks answer NXDOMAIN for every name (captive portals, sandboxes,
	 * filtering resolvers), which would make every email look bad. */
	bool verify;               /* "system": check the resolver on its first "no" */
	pthread_mutex_t verify_mu; /* held while checking: the others wait for the verdict */
	bool verified, trustworthy;
};

/* Domains that accept mail wherever DNS works. */
static const char *const canaries[] = {"gmail.com", "outlook.com", "yahoo.com"};

static void set_err(char *err, size_t errlen, const char *msg, const char *arg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s%s%s", msg, arg ? ": " : "", arg ? arg : "");
}

static long long now_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ syntax */

static int is_ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

int pv_dns_domain_valid(const char *domain)
{
	if (!domain)
		return 0;
	size_t n = strnlen(domain, DNS_MAX_NAME + 2);
	if (n > 0 && domain[n - 1] == '.')
		n--; /* one trailing dot: the absolute form */
	if (n == 0 || n > DNS_MAX_NAME)
		return 0;
	size_t labels = 0, len = 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)domain[i] : '.';
		if (c == '.') {
			/* label ends: 1..63, no '-' at either end */
			if (len == 0 || len > 63 || domain[i - len] == '-' || domain[i - 1] == '-')
				return 0;
			labels++;
			len = 0;
		} else if (is_ldh(c)) {
			len++;
		} else {
			return 0; /* includes non-ASCII (IDN not in punycode form) */
		}
	}
	return labels >= 2;
}

/* Lower-case copy without the trailing dot; the caller validated it. */
static void normalise(const char *domain, char out[DNS_MAX_NAME + 1])
{
	size_t n = strlen(domain);
	if (n > 0 && domain[n - 1] == '.')
		n--;
	for (size_t i = 0; i < n; i++) {
		char c = domain[i];
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
}

/* ------------------------------------------------------- server parse */

static int parse_port(const char *s, in_port_t *port)
{
	if (!*s || strlen(s) > 5)
		return -1;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*port = htons((in_port_t)v);
	return 0;
}

static int fill_v4(const char *host, in_port_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -1;
	sin->sin_family = AF_INET;
	sin->sin_port = port;
	*len = sizeof *sin;
	return 0;
}

/* host may carry a "%scope" (resolv.conf link-local servers). */
static int fill_v6(const char *host, in_port_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	if (strlen(host) >= sizeof buf)
		return -1;
	strcpy(buf, host);
	unsigned scope = 0;
	char *pct = strchr(buf, '%');
	if (pct) {
		*pct = '\0';
		scope = if_nametoindex(pct + 1);
		if (scope == 0)
			return -1; /* an interface we cannot name is a server we cannot reach */
	}
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) != 1)
		return -1;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = port;
	sin6->sin6_scope_id = scope;
	*len = sizeof *sin6;
	return 0;
}

/* "1.2.3.4", "1.2.3.4:53", "::1", "[::1]", "[::1]:53". */
static int parse_server(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	char buf[128];
	in_port_t port = htons(53);
	if (strlen(spec) >= sizeof buf)
		return -1;
	strcpy(buf, spec);
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (!close)
			return -1;
		*close = '\0';
		if (close[1] != '\0' && (close[1] != ':' || parse_port(close + 2, &port) != 0))
			return -1;
		return fill_v6(buf + 1, port, ss, len);
	}
	if (fill_v4(buf, port, ss, len) == 0)
		return 0;
	char *colon = strchr(buf, ':');
	if (colon && !strchr(colon + 1, ':')) { /* exactly one ':': IPv4 with a port */
		*colon = '\0';
		if (parse_port(colon + 1, &port) != 0)
			return -1;
		return fill_v4(buf, port, ss, len);
	}
	return fill_v6(buf, port, ss, len);
}

static struct pv_dns *dns_new(long timeout_ms, char *err, size_t errlen)
{
	struct pv_dns *d = calloc(1, sizeof *d);
	if (!d) {
		set_err(err, errlen, "dns: out of memory", NULL);
		return NULL;
	}
	if (pthread_mutex_init(&d->mu, NULL) != 0) {
		free(d);
		set_err(err, errlen, "dns: cannot create a mutex", NULL);
		return NULL;
	}
	if (pthread_mutex_init(&d->verify_mu, NULL) != 0) {
		pthread_mutex_destroy(&d->mu);
		free(d);
		set_err(err, errlen, "dns: cannot create a mutex", NULL);
		return NULL;
	}
	if (timeout_ms <= 0)
		timeout_ms = PV_DNS_DEFAULT_TIMEOUT_MS;
	d->timeout_ms = timeout_ms > DNS_MAX_TIMEOUT_MS ? DNS_MAX_TIMEOUT_MS : timeout_ms;
	return d;
}

/* Add the nameserver lines of a resolv.conf; bad addresses are skipped. */
static void read_resolv_conf(struct pv_dns *d, const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char line[512];
	while (d->nsrv < DNS_MAX_SERVERS && fgets(line, sizeof line, f)) {
		if (!strchr(line, '\n') && !feof(f)) {
			/* an over-long line: drop the rest of it, so that its tail is
			 * not read as a line of its own */
			int c;
			while ((c = getc(f)) != EOF && c != '\n')
				;
			continue;
		}
		char *save = NULL;
		char *kw = strtok_r(line, " \t\r\n", &save);
		if (!kw || strcmp(kw, "nameserver") != 0)
			continue;
		char *addr = strtok_r(NULL, " \t\r\n#;", &save);
		if (!addr)
			continue;
		/* resolv.conf has no port syntax: plain addresses only, port 53 */
		int i = d->nsrv;
		if (fill_v4(addr, htons(53), &d->srv[i], &d->srvlen[i]) == 0 ||
		    fill_v6(addr, htons(53), &d->srv[i], &d->srvlen[i]) == 0)
			d->nsrv++;
	}
	fclose(f);
}

int pv_dns_open_resolv_conf(struct pv_dns **out, const char *path, long timeout_ms, char *err,
                            size_t errlen)
{
	if (!out || !path) {
		set_err(err, errlen, "dns: bad arguments", NULL);
		return -1;
	}
	*out = dns_new(timeout_ms, err, errlen);
	if (!*out)
		return -1;
	read_resolv_conf(*out, path);
	(*out)->verify = true;
	return 0;
}

int pv_dns_open(struct pv_dns **out, const char *server, long timeout_ms, char *err, size_t errlen)
{
	if (!out || !server) {
		set_err(err, errlen, "dns: bad arguments", NULL);
		return -1;
	}
	*out = NULL;
	if (strcmp(server, "system") == 0)
		return pv_dns_open_resolv_conf(out, "/etc/resolv.conf", timeout_ms, err, errlen);
	struct sockaddr_storage ss;
	socklen_t len = 0;
	bool off = strcmp(server, "off") == 0;
	if (!off && parse_server(server, &ss, &len) != 0) {
		set_err(err, errlen, "dns_server: expected system, off, or an IP address with optional port",
		        server);
		return -1;
	}
	struct pv_dns *d = dns_new(timeout_ms, err, errlen);
	if (!d)
		return -1;
	if (!off) {
		d->srv[0] = ss;
		d->srvlen[0] = len;
		d->nsrv = 1;
	}
	*out = d;
	return 0;
}

void pv_dns_verify_resolver(struct pv_dns *d, bool on)
{
	if (d)
		d->verify = on;
}

int pv_dns_server_count(const struct pv_dns *d)
{
	return d ? d->nsrv : 0;
}

static void cache_clear(struct pv_dns *d)
{
	for (int i = 0; i < DNS_CACHE_SLOTS; i++) {
		free(d->cache[i].name);
		d->cache[i].name = NULL;
	}
	d->ncached = 0;
}

void pv_dns_close(struct pv_dns *d)
{
	if (!d)
		return;
	cache_clear(d);
	pthread_mutex_destroy(&d->mu);
	pthread_mutex_destroy(&d->verify_mu);
	free(d);
}

/* ---------------------------------------------------------------- cache */

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Slot holding name, or the empty slot where it would go. Never full:
 * the table holds at most DNS_CACHE_MAX < DNS_CACHE_SLOTS names. */
static struct cache_slot *cache_find(struct pv_dns *d, const char *name)
{
	uint32_t i = hash_name(name) % DNS_CACHE_SLOTS;
	while (d->cache[i].name && strcmp(d->cache[i].name, name) != 0)
		i = (i + 1) % DNS_CACHE_SLOTS;
	return &d->cache[i];
}

/* 1 and *result set when memoised. */
static int cache_get(struct pv_dns *d, const char *name, int *result)
{
	int found = 0;
	pthread_mutex_lock(&d->mu);
	struct cache_slot *s = cache_find(d, name);
	if (s->name) {
		*result = s->result;
		found = 1;
	}
	pthread_mutex_unlock(&d->mu);
	return found;
}

/* Best effort: out of memory only means the next lookup asks again. */
static void cache_put(struct pv_dns *d, const char *name, int result)
{
	pthread_mutex_lock(&d->mu);
	struct cache_slot *s = cache_find(d, name);
	if (!s->name) {
		if (d->ncached >= DNS_CACHE_MAX) {
			cache_clear(d);
			s = cache_find(d, name);
		}
		s->name = strdup(name);
		if (s->name)
			d->ncached++;
	}
	if (s->name)
		s->result = result;
	pthread_mutex_unlock(&d->mu);
}

/* ----------------------------------------------------------- wire format */

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)(v & 0xff);
}

/* Build a recursive query for name (validated, normalised); returns its
 * length, or 0 if it does not fit (cannot happen for a valid name). */
static size_t build_query(unsigned char *q, size_t cap, uint16_t id, const char *name, uint16_t qtype)
{
	size_t need = 12 + strlen(name) + 2 + 4;
	if (need > cap)
		return 0;
	memset(q, 0, 12);
	put16(q, id);
	q[2] = 0x01; /* RD: ask the resolver to recurse */
	put16(q + 4, 1); /* QDCOUNT */
	size_t o = 12;
	const char *p = name;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		q[o++] = (unsigned char)len;
		memcpy(q + o, p, len);
		o += len;
		p += len;
		if (*p == '.')
			p++;
	}
	q[o++] = 0;
	put16(q + o, qtype);
	put16(q + o + 2, C_IN);
	return o + 4;
}

/* Offset just past the name at off (labels, ending in a root label or a
 * compression pointer), or 0 if it runs past len or is malformed. Pointers
 * are not followed: skipping needs only the in-place bytes. */
static size_t skip_name(const unsigned char *m, size_t len, size_t off)
{
	size_t total = 0;
	while (off < len) {
		unsigned char c = m[off];
		if (c == 0)
			return off + 1;
		if ((c & 0xC0) == 0xC0)
			return off + 2 <= len ? off + 2 : 0;
		if (c & 0xC0)
			return 0; /* 0x40/0x80: extended label types, not used */
		total += (size_t)c + 1;
		if (total > DNS_MAX_WIRE_NAME)
			return 0;
		off += (size_t)c + 1;
	}
	return 0;
}

/* 1 if the name at off is the root ("."), following at most DNS_MAX_JUMPS
 * pointers; 0 if it is another name; -1 if malformed. */
static int name_is_root(const unsigned char *m, size_t len, size_t off)
{
	for (int jumps = 0; jumps <= DNS_MAX_JUMPS; jumps++) {
		if (off >= len)
			return -1;
		unsigned char c = m[off];
		if (c == 0)
			return 1;
		if ((c & 0xC0) != 0xC0)
			return (c & 0xC0) ? -1 : 0;
		if (off + 2 > len)
			return -1;
		size_t target = get16(m + off) & 0x3FFF;
		if (target >= off)
			return -1; /* pointers point backwards: this stops loops */
		off = target;
	}
	return -1;
}

static int ascii_eq_nocase(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

/* Is r a reply to q (same ID, QR set, standard query, one question equal to
 * ours)? The reply's question must be uncompressed, as it always is (the
 * first name in a message has nothing earlier to point to). */
static int reply_matches(const unsigned char *q, size_t qlen, const unsigned char *r, size_t rlen)
{
	if (rlen < qlen || get16(r) != get16(q))
		return 0;
	if (!(r[2] & 0x80) || (r[2] & 0x78) != 0) /* QR, OPCODE 0 */
		return 0;
	if (get16(r + 4) != 1)
		return 0;
	return ascii_eq_nocase(q + 12, r + 12, qlen - 12);
}

/* MX RDATA at rd: 1 a real mail host, 2 a null MX, 0 malformed. */
static int mx_kind(const unsigned char *m, size_t len, size_t rd, size_t rdlen)
{
	if (rdlen < 3)
		return 0;
	int root = name_is_root(m, rd + rdlen, rd + 2);
	if (root < 0 || rd + rdlen > len)
		return 0;
	return root ? 2 : 1;
}

/* Walk the answer section of a matching NOERROR reply for RRs of qtype. */
static enum qres parse_answers(const unsigned char *m, size_t len, size_t qlen, uint16_t qtype)
{
	unsigned an = get16(m + 6);
	size_t off = qlen; /* the reply's question has our length: checked */
	bool yes = false, nullmx = false;
	for (unsigned i = 0; i < an; i++) {
		off = skip_name(m, len, off);
		if (off == 0 || off + 10 > len)
			return Q_UNKNOWN;
		uint16_t type = get16(m + off), cls = get16(m + off + 2);
		size_t rdlen = get16(m + off + 8);
		size_t rd = off + 10;
		if (rd + rdlen > len)
			return Q_UNKNOWN;
		if (type == qtype && cls == C_IN) {
			if (qtype != T_MX) {
				yes = true;
			} else {
				int k = mx_kind(m, len, rd, rdlen);
				if (k == 0)
					return Q_UNKNOWN;
				yes |= k == 1;
				nullmx |= k == 2;
			}
		}
		off = rd + rdlen;
	}
	if (yes)
		return Q_YES;
	return nullmx ? Q_NULLMX : Q_NO;
}

/* Classify a reply already known to match our query. */
static enum qres classify(const unsigned char *m, size_t len, size_t qlen, uint16_t qtype)
{
	unsigned rcode = m[3] & 0x0F;
	if (rcode == RC_NXDOMAIN)
		return Q_NXDOMAIN;
	if (rcode != RC_NOERROR)
		return Q_UNKNOWN; /* SERVFAIL, REFUSED, NOTIMP, ...: no answer */
	if (m[2] & 0x02) /* TC: the answer section may be cut short */
		return get16(m + 6) > 0 ? Q_YES : Q_UNKNOWN;
	return parse_answers(m, len, qlen, qtype);
}

/* ----------------------------------------------------------------- I/O */

static int same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
	return x->sin6_port == y->sin6_port && memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
}

/* A fresh UDP socket on an ephemeral port, connected to the server so the
 * kernel drops datagrams from anyone else; -1 on failure. */
static int open_socket(const struct sockaddr_storage *srv, socklen_t srvlen)
{
	int fd = socket(srv->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_storage any;
	memset(&any, 0, sizeof any);
	any.ss_family = srv->ss_family; /* wildcard address, port 0: ephemeral */
	socklen_t anylen = srv->ss_family == AF_INET ? (socklen_t)sizeof(struct sockaddr_in)
	                                             : (socklen_t)sizeof(struct sockaddr_in6);
	if (bind(fd, (struct sockaddr *)&any, anylen) != 0 ||
	    connect(fd, (const struct sockaddr *)srv, srvlen) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Wait until deadline for the reply to q; Q_UNKNOWN on timeout or error. */
static enum qres await_reply(int fd, const struct sockaddr_storage *srv, const unsigned char *q,
                             size_t qlen, uint16_t qtype, long long deadline)
{
	unsigned char r[DNS_REPLY_MAX];
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return Q_UNKNOWN;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return Q_UNKNOWN;
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof from;
		ssize_t n = recvfrom(fd, r, sizeof r, 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return Q_UNKNOWN; /* e.g. ECONNREFUSED: nobody listens there */
		}
		/* Anything else is ignored, not fatal: a forged datagram must not
		 * be able to cut the wait for the real reply short. */
		if (!same_addr(&from, srv) || !reply_matches(q, qlen, r, (size_t)n))
			continue;
		return classify(r, (size_t)n, qlen, qtype);
	}
}

/* A random query ID. GRND_NONBLOCK: before the kernel pool is ready (early
 * boot) getrandom would block, and a lookup must not outlive its timeout. */
static int random_id(uint16_t *id)
{
	for (;;) {
		ssize_t n = getrandom(id, sizeof *id, GRND_NONBLOCK);
		if (n == (ssize_t)sizeof *id)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

/* One query to one server, waiting until deadline. */
static enum qres ask_once(const struct sockaddr_storage *srv, socklen_t srvlen, const char *name,
                          uint16_t qtype, long long deadline)
{
	uint16_t id;
	if (random_id(&id) != 0)
		return Q_UNKNOWN; /* no predictable IDs: better unknown than spoofable */
	unsigned char q[DNS_QUERY_MAX];
	size_t qlen = build_query(q, sizeof q, id, name, qtype);
	if (qlen == 0)
		return Q_UNKNOWN;
	int fd = open_socket(srv, srvlen);
	if (fd < 0)
		return Q_UNKNOWN;
	enum qres res = Q_UNKNOWN;
	if (send(fd, q, qlen, 0) == (ssize_t)qlen)
		res = await_reply(fd, srv, q, qlen, qtype, deadline);
	close(fd);
	return res;
}

/* Ask one record type, every server, DNS_ROUNDS rounds, until deadline;
 * the time left is shared evenly by the attempts left. SERVFAIL and the
 * like move on to the next server, as a stub resolver does. */
static enum qres ask_type(const struct pv_dns *d, const char *name, uint16_t qtype, long long deadline)
{
	int attempts = d->nsrv * DNS_ROUNDS;
	for (int a = 0; a < attempts; a++) {
		long long now = now_ms();
		if (now >= deadline)
			break;
		long long until = now + (deadline - now) / (attempts - a);
		if (until <= now)
			until = deadline;
		int s = a % d->nsrv;
		enum qres r = ask_once(&d->srv[s], d->srvlen[s], name, qtype, until);
		if (r != Q_UNKNOWN)
			return r;
		/* a quick failure leaves its time to the next attempt; do not spin
		 * on a server that fails at once in every round */
	}
	return Q_UNKNOWN;
}

static int lookup(const struct pv_dns *d, const char *name)
{
	static const uint16_t types[] = {T_MX, T_A, T_AAAA};
	const int ntypes = (int)(sizeof types / sizeof types[0]);
	long long deadline = now_ms() + d->timeout_ms;
	bool unknown = false;
	for (int i = 0; i < ntypes; i++) {
		long long now = now_ms();
		long long until = now + (deadline - now) / (ntypes - i);
		switch (ask_type(d, name, types[i], until)) {
		case Q_YES:
			return 1;
		case Q_NXDOMAIN: /* the name does not exist: no other type will */
		case Q_NULLMX:   /* RFC 7505: the domain accepts no mail */
			return 0;
		case Q_NO:
			break;
		case Q_UNKNOWN:
			unknown = true;
			break;
		}
	}
	return unknown ? -1 : 0;
}

/* May a "does not resolve" from this resolver be believed? Asked once per
 * pv_dns: yes when one of the canaries resolves. */
static bool resolver_trusted(struct pv_dns *d)
{
	if (!d->verify)
		return true;
	pthread_mutex_lock(&d->verify_mu);
	if (!d->verified) {
		d->trustworthy = false;
		for (size_t i = 0; i < sizeof canaries / sizeof *canaries && !d->trustworthy; i++)
			d->trustworthy = lookup(d, canaries[i]) == 1;
		d->verified = true;
	}
	bool t = d->trustworthy;
	pthread_mutex_unlock(&d->verify_mu);
	return t;
}

int pv_dns_has_mail_host(struct pv_dns *d, const char *domain)
{
	if (!d || !pv_dns_domain_valid(domain) || d->nsrv == 0)
		return -1;
	char name[DNS_MAX_NAME + 1];
	normalise(domain, name);
	int result;
	if (cache_get(d, name, &result))
		return result;
	result = lookup(d, name);
	if (result == 0 && !resolver_trusted(d))
		result = -1;
	cache_put(d, name, result);
	return result;
}

int pv_dns_resolve_cb(const char *domain, void *ud)
{
	return pv_dns_has_mail_host(ud, domain);
}
