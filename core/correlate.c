/* correlate.c - package-level attributes that combine findings.
 *
 * exfiltration: a sensitive source and a network sink. Credential-using
 * SDKs (AWS, SSH, pip) legitimately read ~/.aws or ~/.ssh and talk to the
 * network, so the pairing must say more than that:
 *   - both in install-time code (an install hook has no business with
 *     secrets or with the machine's identity), or
 *   - in one file, with a source no SDK reads — browser profiles, wallets,
 *     token stores, /etc/passwd, the whole environment — or
 *   - in one file, with a sink that is a known exfiltration channel
 *     (a shady-url: webhook, paste site, request bin, raw IP).
 *
 * exec-binary: a shipped executable plus code that starts processes. */
#include "correlate.h"

#include <stdio.h>
#include <string.h>

static bool same_file(const struct pv_finding *a, const struct pv_finding *b)
{
	return a->file && b->file && strcmp(a->file, b->file) == 0;
}

static bool is_source(const struct pv_finding *f)
{
	if (strcmp(f->attr, "sensitive-read") == 0)
		return true;
	return strcmp(f->attr, "host-fingerprint") == 0 && f->install_time;
}

/* Sources that only stealers read (matched on the scanners' details). */
static bool is_stealer_source(const struct pv_finding *f)
{
	static const char *const words[] = {
		"passwd", "shadow", "browser", "Firefox", "Chromium", "wallet", "keypair", "Discord",
		"keychain", "Telegram", "/proc/self/environ", "whole environment", "environment dump", "history",
	};
	if (strcmp(f->attr, "sensitive-read") != 0 || !f->detail)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strstr(f->detail, words[i]))
			return true;
	return false;
}

static bool is_sink(const struct pv_finding *f)
{
	return strcmp(f->attr, "perm-network") == 0 || strcmp(f->attr, "shady-url") == 0;
}

/* A shady URL that receives data: webhooks, paste sites, request bins,
 * tunnels, raw IPs — not a shortener or a download link in a message. */
static bool is_exfil_channel(const struct pv_finding *f)
{
	return strcmp(f->attr, "shady-url") == 0 && f->detail && !strstr(f->detail, "shortener") &&
	       !strstr(f->detail, "direct link");
}

static bool exfil_pair(const struct pv_finding *src, const struct pv_finding *sink)
{
	if (src->install_time && sink->install_time)
		return true;
	if (!same_file(src, sink))
		return false;
	return is_stealer_source(src) || is_exfil_channel(sink);
}

static int exfiltration(struct pv_findings *fs)
{
	size_t n = fs->n;
	for (size_t i = 0; i < n; i++) {
		if (!is_source(&fs->v[i]))
			continue;
		for (size_t j = 0; j < n; j++) {
			const struct pv_finding *src = &fs->v[i], *sink = &fs->v[j];
			if (!is_sink(sink) || !exfil_pair(src, sink))
				continue;
			char detail[400];
			snprintf(detail, sizeof detail, "%.150s, and sends over the network at %.120s:%u",
			         src->detail ? src->detail : src->attr, sink->file ? sink->file : "?",
			         (unsigned)sink->line);
			/* fs->v may move in pv_findings_add: copy what we read first. */
			char file[512], excerpt[PV_EXCERPT_MAX + 1];
			snprintf(file, sizeof file, "%s", src->file ? src->file : "");
			snprintf(excerpt, sizeof excerpt, "%s", src->excerpt ? src->excerpt : "");
			uint32_t line = src->line;
			bool inst = src->install_time || sink->install_time;
			if (pv_findings_add(fs, "exfiltration", file[0] ? file : NULL, line,
			                    excerpt[0] ? excerpt : NULL, strlen(excerpt), detail, inst) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* A shipped executable (not a native addon, which require() loads) in a
 * package whose code starts processes: it is very likely run. */
static bool is_executable_binary(const struct pv_finding *f)
{
	if (strcmp(f->attr, "binary") != 0 || !f->file || !f->detail)
		return false;
	static const char *const addon[] = {".node", ".so", ".dll", ".dylib", ".pyd", ".wasm"};
	const char *b = strrchr(f->file, '/');
	b = b ? b + 1 : f->file;
	for (size_t i = 0; i < sizeof addon / sizeof *addon; i++)
		if (strstr(b, addon[i]))
			return false;
	return strstr(f->detail, "ELF") || strstr(f->detail, "PE") || strstr(f->detail, "Mach-O");
}

static int exec_binary(struct pv_findings *fs)
{
	const struct pv_finding *bin = NULL, *proc = NULL;
	for (size_t i = 0; i < fs->n; i++) {
		if (!bin && is_executable_binary(&fs->v[i]))
			bin = &fs->v[i];
		if (!proc && strcmp(fs->v[i].attr, "perm-process") == 0)
			proc = &fs->v[i];
	}
	if (!bin || !proc)
		return 0;
	char detail[400], file[512];
	snprintf(detail, sizeof detail, "ships the executable %.150s and starts processes (%.100s:%u)",
	         bin->file, proc->file ? proc->file : "?", (unsigned)proc->line);
	snprintf(file, sizeof file, "%s", bin->file);
	bool inst = proc->install_time;
	return pv_findings_add(fs, "exec-binary", file, 0, NULL, 0, detail, inst);
}

int pv_correlate(struct pv_findings *fs)
{
	if (exec_binary(fs) < 0 || exfiltration(fs) < 0)
		return -1;
	return 0;
}
