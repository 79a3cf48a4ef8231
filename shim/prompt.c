/* prompt.c - the permission prompt: show what a package wants to do and
 * ask the person to allow or deny it, on the controlling terminal.
 *
 * Everything shown is first rendered into a memory stream and then written
 * to the terminal fd, so that one code path (pv_prompt_render) serves both
 * the prompt and the shims' listing of blocked packages. */
#include "prompt.h"

#include "approvals.h"
#include "decision_log.h"
#include "escape.h"
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define RESET "\033[0m"

#define DEFAULT_WIDTH 80
#define LOC_MAX 40          /* widest location column before alignment gives up */
#define EVIDENCE_LINES 5    /* finding evidence lines in a block; the rest is in "details" */
#define MAX_BAD_ANSWERS 5   /* unrecognised answers in a row before the answer is deny */

static const char Q_ONE[] = "Allow? [y]es once \xc2\xb7 [a]lways for this version \xc2\xb7 [n]o "
                            "\xc2\xb7 [d]etails \xe2\x80\xba ";
static const char Q_HOOK[] = "Allow? [y]es once \xc2\xb7 [a]lways for this version \xc2\xb7 [s]kip its "
                             "install scripts \xc2\xb7 [n]o \xc2\xb7 [d]etails \xe2\x80\xba ";
static const char Q_MANY[] = "Review each [r] \xc2\xb7 allow all once [y] \xc2\xb7 deny all [n] "
                             "\xe2\x80\xba ";

/* ---- what an item says about itself ---- */

static enum pv_action item_verdict(const struct pv_prompt_item *it)
{
	return it->jd ? it->jd->verdict : it->pkg->verdict;
}

static unsigned item_added(const struct pv_prompt_item *it)
{
	return it->jd ? it->jd->added_perms : it->pkg->added_perms;
}

/* Lead with added permissions only when there is something they were added
 * to: an older version, or an earlier approval of this package. Without a
 * judgement, added bits on the package can only come from an approval. */
/* "NEW permissions" needs something they are new against: the version
 * this replaces, or an approval (of this artifact or of another version of
 * the package: judge.c sets added_perms only when it has such a baseline). */
static bool item_is_upgrade(const struct pv_prompt_item *it)
{
	return item_added(it) != 0;
}

static const char *item_decider(const struct pv_prompt_item *it)
{
	if (it->jd)
		return pv_decider_name(it->jd->decided_by);
	return it->pkg->decided_by;
}

/* ---- lines cut to the terminal width ---- */

static size_t fd_width(int fd)
{
	struct winsize ws;
	if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
		return DEFAULT_WIDTH;
	/* Below this nothing useful fits; cut anyway rather than fail. */
	return ws.ws_col < 20 ? 20 : ws.ws_col;
}

/* Display columns of escaped text: one per code point, our own colour
 * sequences (ESC [ ... final byte) count for nothing. Package strings went
 * through pv_fputs_term, so they hold no ESC and are valid UTF-8. */
static size_t skip_csi(const char *s, size_t n, size_t i)
{
	if (i + 1 < n && s[i] == '\033' && s[i + 1] == '[') {
		i += 2;
		while (i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e))
			i++;
		return i < n ? i + 1 : n;
	}
	return i;
}

static size_t text_cols(const char *s, size_t n)
{
	size_t cols = 0;
	for (size_t i = 0; i < n;) {
		size_t j = skip_csi(s, n, i);
		if (j != i) {
			i = j;
			continue;
		}
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			cols++;
		i++;
	}
	return cols;
}

/* Write s to f, cut to width columns with "…" when it is wider. */
static void put_cut(FILE *f, const char *s, size_t n, size_t width, bool color)
{
	if (text_cols(s, n) <= width) {
		fwrite(s, 1, n, f);
		return;
	}
	size_t cols = 0, i = 0;
	while (i < n) {
		size_t j = skip_csi(s, n, i);
		if (j != i) {
			fwrite(s + i, 1, j - i, f);
			i = j;
			continue;
		}
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (cols + 1 >= width)
				break; /* room for the ellipsis only */
			cols++;
		}
		fputc(s[i], f);
		i++;
	}
	fputs("\xe2\x80\xa6", f);
	if (color)
		fputs(RESET, f); /* the cut may have dropped a colour's end */
}

/* One output line, built in memory so it can be cut before it is written. */
struct line {
	FILE *dst;
	FILE *mem;
	char *buf;
	size_t len;
	size_t width;
	bool color;
};

static FILE *line_open(struct line *l, FILE *dst, size_t width, bool color)
{
	l->dst = dst;
	l->buf = NULL;
	l->len = 0;
	l->width = width;
	l->color = color;
	l->mem = open_memstream(&l->buf, &l->len);
	/* Out of memory: write straight through, uncut but still escaped. */
	return l->mem ? l->mem : dst;
}

static void line_close(struct line *l)
{
	if (l->mem) {
		if (fclose(l->mem) == 0 && l->buf)
			put_cut(l->dst, l->buf, l->len, l->width, l->color);
		free(l->buf);
	}
	fputc('\n', l->dst);
}

static void colour(FILE *f, bool color, const char *seq)
{
	if (color)
		fputs(seq, f);
}

/* ---- the per-package block ---- */

/* "file:line" of a finding, escaped, malloc'd; NULL when it has no file or
 * memory ran out (the caller then shows no location). */
static char *location(const struct pv_finding *x)
{
	if (!x || !x->file)
		return NULL;
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);
	if (!m)
		return NULL;
	pv_fputs_term0(m, x->file);
	if (x->line)
		fprintf(m, ":%u", (unsigned)x->line);
	if (fclose(m) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

struct perm_use {
	const struct pv_finding *first; /* evidence shown; NULL when none */
	size_t places;                  /* occurrences over all its findings */
	char *loc;                      /* location(first), owned */
};

static void perm_uses(const struct pv_package *pkg, struct perm_use use[PV_PERM__COUNT])
{
	memset(use, 0, sizeof(struct perm_use) * PV_PERM__COUNT);
	for (size_t i = 0; i < pkg->findings.n; i++) {
		const struct pv_finding *x = &pkg->findings.v[i];
		int p = pv_perm_of_attr(x->attr);
		if (p < 0)
			continue;
		if (!use[p].first)
			use[p].first = x;
		use[p].places += x->count ? x->count : 1;
	}
	for (int p = 0; p < PV_PERM__COUNT; p++)
		use[p].loc = location(use[p].first);
}

/* An install hook is best told by its command ("postinstall: node x.js"),
 * which the analyser puts in the detail; code is told by where it is. */
static bool evidence_by_detail(const struct pv_finding *x)
{
	return x->detail && (!x->file || strcmp(x->attr, "install-hook") == 0);
}

static size_t loc_column(const struct perm_use use[PV_PERM__COUNT])
{
	size_t w = 0;
	for (int p = 0; p < PV_PERM__COUNT; p++) {
		if (!use[p].loc || evidence_by_detail(use[p].first))
			continue;
		size_t c = text_cols(use[p].loc, strlen(use[p].loc));
		if (c > w && c <= LOC_MAX)
			w = c;
	}
	return w;
}

/* "  + network       scripts/setup.js:14  https.get(…)" */
static void perm_line(FILE *f, const struct perm_use *u, int p, bool added, size_t loccol,
                      size_t width, bool color)
{
	struct line l;
	FILE *o = line_open(&l, f, width, color);
	fputs("  ", o);
	colour(o, color && added, YELLOW);
	fprintf(o, "%s %-12s", added ? "+" : " ", pv_perm_name((enum pv_perm)p));
	colour(o, color && added, RESET);
	const struct pv_finding *x = u->first;
	if (x) {
		fputs("  ", o);
		colour(o, color, DIM);
		if (evidence_by_detail(x)) {
			pv_fputs_term0(o, x->detail);
		} else {
			const char *loc = u->loc ? u->loc : "";
			fputs(loc, o);
			const char *text = x->excerpt && *x->excerpt ? x->excerpt : x->detail;
			if (text) {
				size_t c = text_cols(loc, strlen(loc));
				fprintf(o, "%*s", (int)(c < loccol ? loccol - c + 2 : 2), "");
				pv_fputs_term0(o, text);
			}
		}
		if (u->places > 1)
			fprintf(o, "  (+%zu more)", u->places - 1);
		colour(o, color, RESET);
	}
	line_close(&l);
}

static void perm_lines(FILE *f, const struct pv_prompt_item *it, bool upgrade, size_t width,
                       bool color)
{
	struct perm_use use[PV_PERM__COUNT];
	perm_uses(it->pkg, use);
	size_t loccol = loc_column(use);
	unsigned added = upgrade ? item_added(it) : 0;
	/* The added permissions lead: that is where a takeover shows. Within
	 * each group the install hook comes first: it runs before anything
	 * else, during the install itself. */
	int order[PV_PERM__COUNT];
	size_t k = 0;
	order[k++] = PV_PERM_INSTALL_HOOK;
	for (int p = 0; p < PV_PERM__COUNT; p++)
		if (p != PV_PERM_INSTALL_HOOK)
			order[k++] = p;
	for (size_t i = 0; i < k; i++)
		if (added & (1u << order[i]))
			perm_line(f, &use[order[i]], order[i], true, loccol, width, color);
	for (size_t i = 0; i < k; i++)
		if (use[order[i]].first && !(added & (1u << order[i])))
			perm_line(f, &use[order[i]], order[i], false, loccol, width, color);
	for (int p = 0; p < PV_PERM__COUNT; p++)
		free(use[p].loc);
}

/* Non-permission findings worth showing (warn and above), each attribute
 * once: true for the strongest finding of its attribute (the first of
 * those), so a critical advisory is not hidden behind a warn-level one. */
static bool shown_finding(const struct pv_findings *fs, size_t i)
{
	const struct pv_finding *x = &fs->v[i];
	if (pv_perm_of_attr(x->attr) >= 0 || x->action < PV_WARN)
		return false;
	for (size_t j = 0; j < fs->n; j++) {
		const struct pv_finding *y = &fs->v[j];
		if (j == i || strcmp(y->attr, x->attr) != 0)
			continue;
		if (y->action > x->action || (y->action == x->action && j < i))
			return false;
	}
	return true;
}

/* How many other findings of x's attribute are at warn or above. */
static size_t same_attr_others(const struct pv_findings *fs, size_t i)
{
	size_t k = 0;
	for (size_t j = 0; j < fs->n; j++)
		if (j != i && fs->v[j].action >= PV_WARN && strcmp(fs->v[j].attr, fs->v[i].attr) == 0)
			k++;
	return k;
}

/* "  findings: publisher-change (published by …), release-fresh" —
 * block and prompt level first, with their detail; warnings by name.
 * Not cut to the width: it is what the decision rests on, so a long one
 * wraps rather than losing its tail. */
static void findings_line(FILE *f, const struct pv_package *pkg, bool color)
{
	fputs("  findings: ", f);
	const char *sep = "";
	for (int a = PV_BLOCK; a >= PV_WARN; a--) {
		for (size_t i = 0; i < pkg->findings.n; i++) {
			const struct pv_finding *x = &pkg->findings.v[i];
			if (x->action != (enum pv_action)a || !shown_finding(&pkg->findings, i))
				continue;
			fputs(sep, f);
			colour(f, color && a == PV_BLOCK, RED);
			pv_fputs_term0(f, x->attr);
			colour(f, color && a == PV_BLOCK, RESET);
			if (a >= PV_PROMPT && x->detail && *x->detail) {
				fputs(" (", f);
				pv_fputs_term0(f, x->detail);
				fputc(')', f);
			}
			size_t others = same_attr_others(&pkg->findings, i);
			if (others)
				fprintf(f, " +%zu more", others);
			sep = ", ";
		}
	}
	if (!*sep)
		fputs("none", f);
	fputc('\n', f);
}

/* Evidence of the prompt- and block-level code findings (shady-url,
 * obfuscation, …): "    shady-url  lib/a.js:3  fetch(…)". */
static void finding_evidence(FILE *f, const struct pv_package *pkg, size_t width, bool color)
{
	size_t shown = 0, rest = 0;
	for (size_t i = 0; i < pkg->findings.n; i++) {
		const struct pv_finding *x = &pkg->findings.v[i];
		if (pv_perm_of_attr(x->attr) >= 0 || x->action < PV_PROMPT || !x->file)
			continue;
		if (shown == EVIDENCE_LINES) {
			rest++;
			continue;
		}
		shown++;
		struct line l;
		FILE *o = line_open(&l, f, width, color);
		fputs("    ", o);
		pv_fputs_term0(o, x->attr);
		fputs("  ", o);
		colour(o, color, DIM);
		char *loc = location(x);
		if (loc)
			fputs(loc, o);
		free(loc);
		const char *text = x->excerpt && *x->excerpt ? x->excerpt : x->detail;
		if (text) {
			fputs("  ", o);
			pv_fputs_term0(o, text);
		}
		colour(o, color, RESET);
		line_close(&l);
	}
	if (rest)
		fprintf(f, "    \xe2\x80\xa6 %zu more (see details)\n", rest);
}

static void header_line(FILE *f, const struct pv_prompt_item *it, bool upgrade, bool any_perm,
                        size_t width, bool color)
{
	const struct pv_package *pkg = it->pkg;
	struct line l;
	FILE *o = line_open(&l, f, width, color);
	colour(o, color, BOLD);
	pv_fputs_term0(o, pkg->name ? pkg->name : pkg->input);
	if (pkg->version) {
		fputc(' ', o);
		pv_fputs_term0(o, pkg->version);
	}
	colour(o, color, RESET);
	if (it->old_version) {
		fputs("  (replaces ", o);
		pv_fputs_term0(o, it->old_version);
		fputc(')', o);
	}
	if (pkg->status == PV_PKG_OK && any_perm)
		fputs(upgrade ? "  wants NEW permissions:" : "  wants permissions:", o);
	line_close(&l);
}

static void render(FILE *f, const struct pv_prompt_item *it, bool color, size_t width)
{
	const struct pv_package *pkg = it->pkg;
	bool upgrade = item_is_upgrade(it);
	bool any_perm = pv_package_perms(pkg) != 0 || (upgrade && item_added(it));
	header_line(f, it, upgrade, any_perm, width, color);
	if (pkg->status != PV_PKG_OK) {
		struct line l;
		FILE *o = line_open(&l, f, width, color);
		fputs("  could not vet: ", o);
		pv_fputs_term0(o, pkg->error);
		line_close(&l);
	} else {
		if (any_perm)
			perm_lines(f, it, upgrade, width, color);
		else
			fputs("  permissions: none\n", f);
		findings_line(f, pkg, color);
		finding_evidence(f, pkg, width, color);
	}
	for (size_t i = 0; i < pkg->nunknowns; i++) {
		struct line l;
		FILE *o = line_open(&l, f, width, color);
		fputs("  unknown: ", o);
		pv_fputs_term0(o, pkg->unknowns[i]);
		line_close(&l);
	}
	/* A prompt is followed by its question; anything else says its verdict. */
	enum pv_action v = item_verdict(it);
	if (v != PV_PROMPT) {
		fprintf(f, "  verdict: %s", pv_action_name(v));
		const char *by = item_decider(it);
		if (by && strcmp(by, "policy") != 0)
			fprintf(f, " (%s)", by);
		fputc('\n', f);
	}
}

void pv_prompt_render(FILE *f, const struct pv_prompt_item *it, bool color)
{
	if (!f || !it || !it->pkg)
		return;
	render(f, it, color, fd_width(fileno(f)));
}

/* "  some-lib 2.4.0  (replaces 2.3.1)  NEW: install-hook, network  findings: …" */
static void list_line(FILE *f, const struct pv_prompt_item *it, size_t width, bool color)
{
	const struct pv_package *pkg = it->pkg;
	struct line l;
	FILE *o = line_open(&l, f, width, color);
	fputs("  ", o);
	colour(o, color, BOLD);
	pv_fputs_term0(o, pkg->name ? pkg->name : pkg->input);
	if (pkg->version) {
		fputc(' ', o);
		pv_fputs_term0(o, pkg->version);
	}
	colour(o, color, RESET);
	if (it->old_version) {
		fputs("  (replaces ", o);
		pv_fputs_term0(o, it->old_version);
		fputc(')', o);
	}
	char perms[256];
	bool upgrade = item_is_upgrade(it);
	unsigned bits = upgrade ? item_added(it) : pv_package_perms(pkg);
	if (bits && pv_perms_format(bits, perms, sizeof perms) == 0) {
		colour(o, color && upgrade, YELLOW);
		fprintf(o, "  %s %s", upgrade ? "NEW:" : "permissions:", perms);
		colour(o, color && upgrade, RESET);
	}
	const char *sep = "  findings: ";
	for (int a = PV_BLOCK; a >= PV_WARN; a--)
		for (size_t i = 0; i < pkg->findings.n; i++) {
			const struct pv_finding *x = &pkg->findings.v[i];
			if (x->action != (enum pv_action)a || !shown_finding(&pkg->findings, i))
				continue;
			fputs(sep, o);
			pv_fputs_term0(o, x->attr);
			sep = ", ";
		}
	line_close(&l);
}

/* ---- the terminal ---- */

int pv_prompt_open_tty(struct pv_prompt_io *io, bool color)
{
	io->in = io->out = -1;
	io->color = color;
	io->owned = false;
	/* O_NOCTTY changes nothing for /dev/tty itself (it is already the
	 * controlling terminal); it guards against acquiring a new one. */
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (!isatty(fd)) {
		close(fd);
		return -1;
	}
	io->in = io->out = fd;
	io->owned = true;
	return fd;
}

int pv_prompt_note(struct pv_prompt_io *io, const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return -1;
	pv_fputs_term0(m, text);
	fputc('\n', m);
	if (fclose(m) != 0) {
		free(buf);
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(io->out, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	free(buf);
	return off == len ? 0 : -1;
}

void pv_prompt_close(struct pv_prompt_io *io)
{
	if (!io || !io->owned)
		return;
	if (io->in >= 0)
		close(io->in);
	if (io->out >= 0 && io->out != io->in)
		close(io->out);
	io->in = io->out = -1;
	io->owned = false;
}

static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

struct session {
	int in, out;
	bool color;
	size_t width;
	const char *tool;
	sigset_t wait_mask; /* the caller's mask without SIGINT: used only while waiting */
	char buf[256];      /* answer bytes read but not yet taken */
	size_t len;
	bool discard;       /* the current line overflowed buf: drop it */
};

struct sig_saved {
	struct sigaction action;
	sigset_t mask;
};

/* SIGINT is caught by a handler installed without SA_RESTART and kept
 * blocked except while waiting in ppoll(), which unblocks it atomically:
 * a Ctrl-C between showing the question and waiting for the answer then
 * cannot be lost (it stays pending until the wait). */
static int signals_on(struct session *s, struct sig_saved *sv)
{
	got_sigint = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, &sv->action) != 0)
		return -1;
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &block, &sv->mask) != 0) {
		sigaction(SIGINT, &sv->action, NULL);
		return -1;
	}
	s->wait_mask = sv->mask;
	sigdelset(&s->wait_mask, SIGINT);
	return 0;
}

/* Restore the caller's mask while our handler is still in place, so that a
 * Ctrl-C that came after the last wait is seen here, then the handler.
 * Returns whether SIGINT arrived at all. */
static bool signals_off(const struct sig_saved *sv)
{
	pthread_sigmask(SIG_SETMASK, &sv->mask, NULL);
	sigaction(SIGINT, &sv->action, NULL);
	return got_sigint != 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int say(struct session *s, const char *text)
{
	return write_all(s->out, text, strlen(text));
}

/* Render something into memory and write it to the terminal in one go.
 * A failure (no memory, the terminal went away) ends the prompt. */
typedef void painter(FILE *f, const struct session *s, const void *arg);

static int paint(struct session *s, painter *fn, const void *arg)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	if (!m)
		return -1;
	fn(m, s, arg);
	if (fclose(m) != 0) {
		free(buf);
		return -1;
	}
	int rc = write_all(s->out, buf, n);
	free(buf);
	return rc;
}

static void paint_block(FILE *f, const struct session *s, const void *arg)
{
	render(f, arg, s->color, s->width);
}

static void paint_details(FILE *f, const struct session *s, const void *arg)
{
	const struct pv_prompt_item *it = arg;
	struct pv_text_opts o = {.color = s->color, .verbose = false};
	fputc('\n', f);
	pv_report_text_package(f, it->pkg, &o);
}

struct list_arg {
	const struct pv_prompt_item *items;
	size_t n;
};

static void paint_list(FILE *f, const struct session *s, const void *arg)
{
	const struct list_arg *la = arg;
	fprintf(f, "%zu packages need your decision before %s installs anything:\n", la->n,
	        s->tool);
	for (size_t i = 0; i < la->n; i++)
		list_line(f, &la->items[i], s->width, s->color);
}

static int ask(struct session *s, const char *question)
{
	if (s->color)
		return say(s, BOLD) < 0 || say(s, question) < 0 || say(s, RESET) < 0 ? -1 : 0;
	return say(s, question);
}

/* Wait for terminal input and append it to s->buf. -1 on Ctrl-C, EOF,
 * hang-up or error: all of them end the prompt. The short ppoll timeout
 * notices a SIGINT that was delivered to another thread of the process. */
static int fill(struct session *s)
{
	for (;;) {
		if (got_sigint)
			return -1;
		struct pollfd p = {.fd = s->in, .events = POLLIN};
		struct timespec ts = {0, 200 * 1000 * 1000};
		int r = ppoll(&p, 1, &ts, &s->wait_mask);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r <= 0 || got_sigint)
			continue;
		ssize_t k = read(s->in, s->buf + s->len, sizeof s->buf - s->len);
		if (k > 0) {
			s->len += (size_t)k;
			return 0;
		}
		if (k == 0)
			return -1; /* EOF (^D at the start of a line) */
		if (errno != EINTR && errno != EAGAIN)
			return -1; /* EIO: the terminal hung up */
	}
}

/* The next answer line into out (an over-long line becomes "?", which
 * matches nothing). 0, or -1 when the person interrupted. */
static int next_line(struct session *s, char *out, size_t outlen)
{
	for (;;) {
		char *nl = memchr(s->buf, '\n', s->len);
		if (nl) {
			size_t k = (size_t)(nl - s->buf);
			if (s->discard || k >= outlen) {
				snprintf(out, outlen, "?");
			} else {
				memcpy(out, s->buf, k);
				out[k] = 0;
			}
			memmove(s->buf, nl + 1, s->len - k - 1);
			s->len -= k + 1;
			s->discard = false;
			return 0;
		}
		if (s->len == sizeof s->buf) {
			s->discard = true;
			s->len = 0;
		}
		if (fill(s) < 0)
			return -1;
	}
}

enum reply { R_NONE, R_YES, R_ALWAYS, R_NO, R_DETAILS, R_REVIEW, R_SKIP };

static enum reply parse_reply(char *line)
{
	char *p = line;
	while (isspace((unsigned char)*p))
		p++;
	size_t n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	p[n] = 0;
	for (size_t i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)p[i]);
	static const struct {
		const char *word;
		enum reply r;
	} words[] = {{"y", R_YES},     {"yes", R_YES},       {"a", R_ALWAYS},
	             {"always", R_ALWAYS}, {"n", R_NO},      {"no", R_NO},
	             {"d", R_DETAILS}, {"details", R_DETAILS}, {"r", R_REVIEW},
	             {"review", R_REVIEW}, {"s", R_SKIP}, {"skip", R_SKIP}};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(p, words[i].word) == 0)
			return words[i].r;
	return R_NONE;
}

/* Ask until an answer in `allowed` (a bit per enum reply) comes, at most
 * MAX_BAD_ANSWERS unrecognised ones in a row (then R_NO). -1: interrupted. */
static int get_reply(struct session *s, const char *question, unsigned allowed,
                     const char *hint, enum reply *out)
{
	for (int bad = 0; bad < MAX_BAD_ANSWERS; bad++) {
		char line[64];
		if (ask(s, question) < 0 || next_line(s, line, sizeof line) < 0)
			return -1;
		enum reply r = parse_reply(line);
		if (r != R_NONE && (allowed & (1u << r))) {
			*out = r;
			return 0;
		}
		if (say(s, hint) < 0)
			return -1;
	}
	*out = R_NO;
	return say(s, "no answer recognised: denied\n");
}

/* One package: its block, then the question until it is answered. */
static int ask_item(struct session *s, struct pv_prompt_item *it)
{
	if (paint(s, paint_block, it) < 0)
		return -1;
	unsigned allowed = 1u << R_YES | 1u << R_ALWAYS | 1u << R_NO | 1u << R_DETAILS;
	/* A package with an install hook may go in without running it. */
	bool hook = !it->no_skip && pv_findings_has(&it->pkg->findings, "install-hook");
	if (hook)
		allowed |= 1u << R_SKIP;
	for (;;) {
		enum reply r;
		if (get_reply(s, hook ? Q_HOOK : Q_ONE, allowed,
		              hook ? "please answer y, a, s, n or d\n" : "please answer y, a, n or d\n", &r) < 0)
			return -1;
		if (r == R_DETAILS) {
			/* Details do not count against the answer limit: they are an answer. */
			if (paint(s, paint_details, it) < 0)
				return -1;
			continue;
		}
		it->answer = r == R_YES      ? PV_ANSWER_ONCE
		             : r == R_ALWAYS ? PV_ANSWER_ALWAYS
		             : r == R_SKIP   ? PV_ANSWER_NO_SCRIPTS
		                             : PV_ANSWER_DENY;
		return 0;
	}
}

static int ask_many(struct session *s, struct pv_prompt_item *items, size_t n)
{
	struct list_arg la = {items, n};
	if (paint(s, paint_list, &la) < 0)
		return -1;
	enum reply r;
	unsigned allowed = 1u << R_YES | 1u << R_NO | 1u << R_REVIEW;
	if (get_reply(s, Q_MANY, allowed, "please answer r, y or n\n", &r) < 0)
		return -1;
	if (r != R_REVIEW) {
		for (size_t i = 0; i < n; i++)
			items[i].answer = r == R_YES ? PV_ANSWER_ONCE : PV_ANSWER_DENY;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		char head[64];
		snprintf(head, sizeof head, "\npackage %zu of %zu:\n", i + 1, n);
		if (say(s, head) < 0 || ask_item(s, &items[i]) < 0)
			return -1;
	}
	return 0;
}

int pv_prompt_ask(struct pv_prompt_io *io, struct pv_prompt_item *items, size_t n,
                  const char *tool)
{
	for (size_t i = 0; i < n; i++)
		items[i].answer = PV_ANSWER_DENY;
	if (n == 0)
		return 0;
	/* No terminal to ask on: nobody answered, so nothing is allowed. */
	if (!io || io->in < 0 || io->out < 0)
		return -1;
	struct session *s = calloc(1, sizeof *s);
	if (!s)
		return -1;
	s->in = io->in;
	s->out = io->out;
	s->color = io->color;
	s->width = fd_width(io->out);
	s->tool = tool && *tool ? tool : "the package manager";
	struct sig_saved sv;
	int rc = signals_on(s, &sv);
	if (rc == 0) {
		/* Keys typed while vetting ran must not answer a question the
		 * person has not seen yet. */
		if (isatty(s->in))
			tcflush(s->in, TCIFLUSH);
		rc = n == 1 ? ask_item(s, &items[0]) : ask_many(s, items, n);
		/* A Ctrl-C after the last answer still means stop. */
		if (signals_off(&sv))
			rc = -1;
	}
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			items[i].answer = PV_ANSWER_DENY;
		say(s, "\ninterrupted: nothing was installed\n");
	}
	free(s);
	return rc < 0 ? -1 : 0;
}
