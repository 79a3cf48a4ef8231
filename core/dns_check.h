/* dns_check.h - does an email domain accept mail? The DNS half of the
 * bad-email attribute (design.md §3): a small DNS client of its own over UDP
 * (no libresolv), asking MX, then A, then AAAA, with memoised answers.
 *
 * Answers of pv_dns_has_mail_host:
 *   1  the domain has a (non-null) MX record, or an A or AAAA record.
 *   0  NXDOMAIN; or NOERROR with none of the three; or the domain publishes
 *      an RFC 7505 "null MX" (MX 0 "."): it says it accepts no mail, so it is
 *      0 even when it also has an address record. A mix of a null MX and a
 *      real MX counts as a real MX (1).
 *  -1  unknown: every server timed out, SERVFAIL/REFUSED/other rcodes,
 *      malformed replies, resolver "off" or no nameserver configured, and
 *      any domain that is not a plain ASCII host name (IDN/UTF-8 included:
 *      it is never sent). When one record type is unknown and no other says
 *      yes, the answer is -1; NXDOMAIN (the name does not exist at all) and a
 *      null MX are final and give 0 at once.
 *
 * Domain syntax accepted: labels of 1..63 characters [A-Za-z0-9-], not
 * starting or ending with '-', at least two labels, at most 253 characters,
 * an optional trailing dot. Names are compared case-insensitively.
 *
 * Anti-spoofing: each query uses a fresh socket on an ephemeral port,
 * connected to the server, with a random ID from getrandom(); a reply is
 * accepted only from the server's address and port, with the same ID, QR
 * set, and the same question (name, type, class). Other datagrams are
 * ignored (we keep waiting for the real reply until the time is up).
 * A truncated reply (TC) counts as "present" when ANCOUNT > 0 (the answer
 * section is not read; for MX it is taken as a real MX), else unknown.
 *
 * Timing: timeout_ms bounds the whole lookup of one domain (all three types,
 * every server, one retry round). The budget is split evenly over the record
 * types still to ask, and within a type over the attempts still to make.
 *
 * The system resolver ("system", pv_dns_open_resolv_conf) is checked before
 * its "no" is believed: on its first 0 answer, well-known mail domains
 * (gmail.com, outlook.com, yahoo.com) are looked up; when none resolves,
 * the resolver is judged unusable (it answers NXDOMAIN for everything, as
 * captive portals and some sandboxes do) and its 0 answers become -1. An
 * explicit server (tests' fixture resolver) is believed as it answers.
 *
 * Memoisation: every answer, -1 included (so that one dead domain costs one
 * timeout per run, not one per package), is kept per pv_dns for up to 1024
 * domains; when the table is full it is emptied and starts again. Two
 * threads asking the same new domain at the same moment may both query.
 *
 * Thread-safety: pv_dns_has_mail_host and pv_dns_resolve_cb may be called by
 * several threads at once on one pv_dns; open/close are not concurrent with
 * them. */
#ifndef PV_DNS_CHECK_H
#define PV_DNS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct pv_dns; /* opaque */

#define PV_DNS_DEFAULT_TIMEOUT_MS 2000L

/* server: "system" (nameservers of /etc/resolv.conf, at most 3; with none,
 * every lookup is -1), "off" (every lookup is -1), or an IPv4/IPv6 address
 * with an optional port 1..65535: "127.0.0.1", "127.0.0.1:5353", "::1",
 * "[::1]", "[::1]:5353" (the setting `dns_server` / PKGVET_DNS_SERVER).
 * timeout_ms <= 0 means PV_DNS_DEFAULT_TIMEOUT_MS; values above 60000 are
 * capped at 60000. Returns 0, or -1 with a one-line message in err. */
int pv_dns_open(struct pv_dns **out, const char *server, long timeout_ms, char *err, size_t errlen);

/* As pv_dns_open(.., "system", ..) but reads the resolv.conf at `path`
 * (tests; also for systems that keep it elsewhere). A missing or unreadable
 * file is not an error: the handle has no server and answers -1. */
int pv_dns_open_resolv_conf(struct pv_dns **out, const char *path, long timeout_ms, char *err,
                            size_t errlen);

/* How many nameservers the handle will ask (0 for "off" or none found). */
/* Check this resolver before believing its "no" (see above); on by default
 * for the system resolver only. */
void pv_dns_verify_resolver(struct pv_dns *d, bool on);

int pv_dns_server_count(const struct pv_dns *d);

void pv_dns_close(struct pv_dns *d);

/* 1, 0 or -1 as described at the top of this file. d NULL: -1. */
int pv_dns_has_mail_host(struct pv_dns *d, const char *domain);

/* Adapter with the pv_meta_resolve_fn signature (metadata.h); ud is a
 * struct pv_dns *. */
int pv_dns_resolve_cb(const char *domain, void *ud);

/* The domain syntax check above (1 valid, 0 not), for callers and tests. */
int pv_dns_domain_valid(const char *domain);

#endif
