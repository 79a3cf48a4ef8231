/* The permission prompt, driven through a real pseudo-terminal: answers
 * y / a / n / details, unrecognised answers, EOF, hang-up and Ctrl-C, the
 * several-packages list and review, the NEW-permission block with
 * evidence, cutting to the terminal width, and escaping of hostile names.
 *
 * A driver thread plays the person: it reads everything the prompt writes
 * to the pty and, each time a question mark-up "›" appears, types the next
 * scripted answer into the master side. */
#include "check.h"
#include "prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define PROMPT_END "\xe2\x80\xba" /* "›", the end of every question */
#define BIT(p) (1u << (p))

/* ---- packages built by hand ---- */

static void pkg_init(struct pv_package *p, const char *name, const char *version)
{
	memset(p, 0, sizeof *p);
	p->input = strdup(name);
	p->name = strdup(name);
	p->version = strdup(version);
	p->ecosystem = strdup("npm");
	p->status = PV_PKG_OK;
	p->verdict = PV_PROMPT;
	CHECK(p->input && p->name && p->version && p->ecosystem, "out of memory");
}

static void add(struct pv_package *p, const char *attr, const char *file, uint32_t line,
                const char *excerpt, const char *detail, enum pv_action a)
{
	int rc = pv_findings_add(&p->findings, attr, file, line, excerpt, excerpt ? strlen(excerpt) : 0,
	                         detail, false);
	CHECK(rc == 0, "pv_findings_add %s", attr);
	if (rc == 0)
		p->findings.v[p->findings.n - 1].action = a;
}

/* The example: an upgrade that adds an install hook, network and
 * env-read to a package that already read files. */
static void some_lib(struct pv_package *p, struct pv_judgement *jd)
{
	pkg_init(p, "some-lib", "2.4.0");
	add(p, "install-hook", "package.json", 5, "\"postinstall\": \"node scripts/setup.js\"",
	    "postinstall: node scripts/setup.js", PV_PROMPT);
	add(p, "perm-network", "scripts/setup.js", 14, "https.get(\"https://collect.example/x\")", NULL,
	    PV_WARN);
	add(p, "perm-env-read", "scripts/setup.js", 9, "process.env.NPM_TOKEN", NULL, PV_WARN);
	add(p, "perm-fs-read", "lib/index.js", 3, "fs.readFileSync(cfg)", NULL, PV_WARN);
	add(p, "publisher-change", NULL, 0, NULL, "published by a new account 3 hours ago", PV_PROMPT);
	add(p, "release-fresh", NULL, 0, NULL, NULL, PV_PROMPT);
	add(p, "no-readme", NULL, 0, NULL, "readme missing", PV_WARN);
	add(p, "shady-url", "scripts/setup.js", 14, "https://collect.example/x", "webhook", PV_PROMPT);
	memset(jd, 0, sizeof *jd);
	jd->verdict = PV_PROMPT;
	jd->decided_by = PV_DECIDED_POLICY;
	jd->added_perms = BIT(PV_PERM_INSTALL_HOOK) | BIT(PV_PERM_NETWORK) | BIT(PV_PERM_ENV_READ);
}

/* A first install: no old version, nothing added. */
static void plain_pkg(struct pv_package *p, struct pv_judgement *jd, const char *name)
{
	pkg_init(p, name, "1.0.0");
	add(p, "perm-process", "index.js", 2, "child_process.exec(cmd)", NULL, PV_WARN);
	add(p, "typosquat", NULL, 0, NULL, "one edit from a popular name", PV_PROMPT);
	memset(jd, 0, sizeof *jd);
	jd->verdict = PV_PROMPT;
}

/* ---- the pseudo-terminal and the person at it ---- */

struct driver {
	int master;
	const char *const *script; /* "^D": EOF char, "^C": SIGINT, "HUP": close the master */
	size_t nscript, sent;
	char *out;
	size_t len, cap;
	atomic_bool stop;
	pthread_t th;
};

static void append(struct driver *d, const char *p, size_t n)
{
	if (d->len + n + 1 > d->cap) {
		size_t cap = (d->len + n + 1) * 2;
		char *np = realloc(d->out, cap);
		CHECK(np != NULL, "out of memory");
		if (!np)
			return;
		d->out = np;
		d->cap = cap;
	}
	memcpy(d->out + d->len, p, n);
	d->len += n;
	d->out[d->len] = 0;
}

static size_t count(const char *hay, const char *needle)
{
	size_t k = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
		k++;
	return k;
}

/* Type the next answer. Returns false when the master was closed. */
static bool answer(struct driver *d, const char *a)
{
	if (strcmp(a, "^C") == 0) {
		/* SIGINT is blocked in this thread, so the prompt's thread takes it. */
		kill(getpid(), SIGINT);
	} else if (strcmp(a, "^D") == 0) {
		CHECK(write(d->master, "\004", 1) == 1, "write ^D");
	} else if (strcmp(a, "HUP") == 0) {
		close(d->master);
		d->master = -1;
		return false;
	} else {
		char line[256];
		int n = snprintf(line, sizeof line, "%s\n", a);
		CHECK(write(d->master, line, (size_t)n) == n, "write answer");
	}
	return true;
}

static void *drive(void *arg)
{
	struct driver *d = arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		struct pollfd p = {.fd = d->master, .events = POLLIN};
		int r = poll(&p, 1, 50);
		if (r == 0 && atomic_load(&d->stop))
			break;
		if (r <= 0)
			continue;
		char buf[4096];
		ssize_t k = read(d->master, buf, sizeof buf);
		if (k <= 0)
			break; /* EIO: the slave side is gone */
		append(d, buf, (size_t)k);
		while (d->sent < d->nscript && d->out && count(d->out, PROMPT_END) > d->sent)
			if (!answer(d, d->script[d->sent++]))
				return NULL;
	}
	return NULL;
}

static int open_pty(int *master, int *slave, unsigned short cols)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0)
		return -1;
	const char *name;
	if (grantpt(m) != 0 || unlockpt(m) != 0 || !(name = ptsname(m))) {
		close(m);
		return -1;
	}
	int s = open(name, O_RDWR | O_NOCTTY);
	if (s < 0) {
		close(m);
		return -1;
	}
	/* Canonical mode as a shell leaves it, minus echo and \r\n output
	 * translation, so the captured text is exactly what was written. */
	struct termios t;
	if (tcgetattr(s, &t) == 0) {
		t.c_lflag |= ICANON;
		t.c_lflag &= ~(tcflag_t)ECHO;
		t.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(s, TCSANOW, &t);
	}
	struct winsize ws = {.ws_row = 24, .ws_col = cols};
	ioctl(s, TIOCSWINSZ, &ws);
	*master = m;
	*slave = s;
	return 0;
}

/* Run the prompt on a fresh pty with the scripted answers; *out gets all
 * that was printed (malloc'd, NUL-terminated). */
static int run(struct pv_prompt_item *items, size_t n, const char *const *script, size_t ns,
               bool color, unsigned short cols, char **out)
{
	struct driver d = {.script = script, .nscript = ns};
	int slave;
	*out = NULL;
	if (open_pty(&d.master, &slave, cols) != 0) {
		CHECK(0, "no pseudo-terminal: %s", strerror(errno));
		return -2;
	}
	atomic_init(&d.stop, false);
	if (pthread_create(&d.th, NULL, drive, &d) != 0) {
		CHECK(0, "pthread_create");
		close(slave);
		close(d.master);
		return -2;
	}
	struct pv_prompt_io io = {.in = slave, .out = slave, .color = color, .owned = false};
	int rc = pv_prompt_ask(&io, items, n, "npm");
	atomic_store(&d.stop, true);
	pthread_join(d.th, NULL);
	close(slave);
	if (d.master >= 0)
		close(d.master);
	*out = d.out ? d.out : strdup("");
	return rc;
}

static struct pv_prompt_item item_of(struct pv_package *p, struct pv_judgement *jd,
                                     const char *old)
{
	struct pv_prompt_item it = {.pkg = p, .jd = jd, .old_version = old,
	                            .answer = PV_ANSWER_ALWAYS /* overwritten */};
	return it;
}

/* ---- tests ---- */

static void one_answer(const char *typed, enum pv_answer want)
{
	struct pv_package p;
	struct pv_judgement jd;
	some_lib(&p, &jd);
	struct pv_prompt_item it = item_of(&p, &jd, "2.3.1");
	const char *script[] = {typed};
	char *out;
	int rc = run(&it, 1, script, 1, false, 0, &out);
	CHECK(rc == 0, "'%s': rc %d", typed, rc);
	CHECK(it.answer == want, "'%s': answer %d, want %d", typed, it.answer, want);
	CHECK(count(out, PROMPT_END) == 1, "'%s': asked %zu times", typed, count(out, PROMPT_END));
	free(out);
	pv_package_free(&p);
}

static void block_looks_like_the_example(void)
{
	struct pv_package p;
	struct pv_judgement jd;
	some_lib(&p, &jd);
	struct pv_prompt_item it = item_of(&p, &jd, "2.3.1");
	const char *script[] = {"n"};
	char *out;
	run(&it, 1, script, 1, false, 0, &out);
	static const char *const want[] = {
	    "some-lib 2.4.0  (replaces 2.3.1)  wants NEW permissions:\n",
	    "  + install-hook  postinstall: node scripts/setup.js\n",
	    "  + network       scripts/setup.js:14  https.get(\"https://collect.example/x\")\n",
	    "  + env-read      scripts/setup.js:9   process.env.NPM_TOKEN\n",
	    "    fs-read       lib/index.js:3       fs.readFileSync(cfg)\n",
	    "  findings: publisher-change (published by a new account 3 hours ago), release-fresh, "
	    "shady-url (webhook), no-readme\n",
	    "    shady-url  scripts/setup.js:14  https://collect.example/x\n",
	    /* an install hook: it may also go in without its scripts */
	    "Allow? [y]es once \xc2\xb7 [a]lways for this version \xc2\xb7 [s]kip its install scripts "
	    "\xc2\xb7 [n]o \xc2\xb7 [d]etails \xe2\x80\xba",
	};
	const char *prev = out;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const char *at = strstr(out, want[i]);
		CHECK(at != NULL, "missing line %zu: [%s]\n--- output ---\n%s", i, want[i], out);
		CHECK(!at || at >= prev, "line %zu out of order", i);
		if (at)
			prev = at;
	}
	CHECK(strstr(out, "verdict:") == NULL, "a prompt shows its question, not a verdict line");
	free(out);
	pv_package_free(&p);
}

/* A package with an install hook may go in without running it; one
 * without a hook is not offered that (s is then an unknown answer). */
static void skip_scripts_answer(void)
{
	struct pv_package p;
	struct pv_judgement jd;
	some_lib(&p, &jd);
	struct pv_prompt_item it = item_of(&p, &jd, "2.3.1");
	const char *script[] = {"s"};
	char *out;
	int rc = run(&it, 1, script, 1, false, 0, &out);
	CHECK(rc == 0 && it.answer == PV_ANSWER_NO_SCRIPTS, "hook package, s: rc %d answer %d", rc, it.answer);
	free(out);
	pv_package_free(&p);
	plain_pkg(&p, &jd, "fresh-pkg");
	it = item_of(&p, &jd, NULL);
	const char *script2[] = {"s", "n"};
	rc = run(&it, 1, script2, 2, false, 0, &out);
	CHECK(rc == 0 && it.answer == PV_ANSWER_DENY && strstr(out, "please answer y, a, n or d"),
	      "no hook: s is not an answer: rc %d answer %d", rc, it.answer);
	CHECK(strstr(out, "[s]kip") == NULL, "no skip offered without a hook");
	free(out);
	pv_package_free(&p);
}

static void first_install_has_no_plus(void)
{
	struct pv_package p;
	struct pv_judgement jd;
	plain_pkg(&p, &jd, "fresh-pkg");
	struct pv_prompt_item it = item_of(&p, &jd, NULL);
	const char *script[] = {"y"};
	char *out;
	int rc = run(&it, 1, script, 1, false, 0, &out);
	CHECK(rc == 0 && it.answer == PV_ANSWER_ONCE, "rc %d answer %d", rc, it.answer);
	CHECK(strstr(out, "fresh-pkg 1.0.0  wants permissions:\n") != NULL, "header: %s", out);
	CHECK(strstr(out, "NEW") == NULL && strstr(out, "  + ") == NULL, "no NEW marks: %s", out);
	CHECK(strstr(out, "    process       index.js:2  child_process.exec(cmd)\n") != NULL,
	      "perm line: %s", out);
	free(out);
	pv_package_free(&p);
}

static void details_then_yes(void)
{
	struct pv_package p;
	struct pv_judgement jd;
	some_lib(&p, &jd);
	struct pv_prompt_item it = item_of(&p, &jd, "2.3.1");
	const char *script[] = {"d", "y"};
	char *out;
	int rc = run(&it, 1, script, 2, false, 0, &out);
	CHECK(rc == 0 && it.answer == PV_ANSWER_ONCE, "rc %d answer %d", rc, it.answer);
	CHECK(count(out, PROMPT_END) == 2, "asked %zu times", count(out, PROMPT_END));
	/* The full report (core/report_text.c) comes between the two questions. */
	const char *q1 = strstr(out, PROMPT_END);
	const char *rep = q1 ? strstr(q1, "  permissions:\n") : NULL;
	const char *q2 = q1 ? strstr(q1 + 1, PROMPT_END) : NULL;
	CHECK(rep && q2 && rep < q2, "details not between the questions: %s", out);
	CHECK(rep && strstr(rep, "  verdict: prompt") != NULL, "report verdict: %s", out);
	free(out);
	pv_package_free(&p);
}

static void garbage_denies(void)
{
	struct pv_package p;
	struct pv_judgement jd;
	some_lib(&p, &jd);
	struct pv_prompt_item it = item_of(&p, &jd, "2.3.1");
	static char longline[200];
	memset(longline, 'y', sizeof longline - 1);
	const char *script[] = {"", "maybe", "yess", longline, "  "};
	char *out;
	int rc = run(&it, 1, script, 5, false, 0, &out);
	CHECK(rc == 0, "rc %d", rc);
	CHECK(it.answer == PV_ANSWER_DENY, "answer %d", it.answer);
	CHECK(count(out, PROMPT_END) == 5, "asked %zu times", count(out, PROMPT_END));
	CHECK(strstr(out, "no answer recognised: denied") != NULL, "%s", out);
	free(out);
	pv_package_free(&p);
}

static void eof_interrupts(const char *how)
{
	struct pv_package p[2];
	struct pv_judgement jd[2];
	some_lib(&p[0], &jd[0]);
	plain_pkg(&p[1], &jd[1], "other");
	struct pv_prompt_item it[2] = {item_of(&p[0], &jd[0], "2.3.1"), item_of(&p[1], &jd[1], NULL)};
	/* Review, allow the first, then stop at the second: nothing is allowed. */
	const char *script[] = {"r", "y", how};
	char *out;
	int rc = run(it, 2, script, 3, false, 0, &out);
	CHECK(rc == -1, "%s: rc %d", how, rc);
	CHECK(it[0].answer == PV_ANSWER_DENY && it[1].answer == PV_ANSWER_DENY, "%s: answers %d %d",
	      how, it[0].answer, it[1].answer);
	if (strcmp(how, "HUP") != 0)
		CHECK(strstr(out, "interrupted: nothing was installed\n") != NULL, "%s: %s", how, out);
	free(out);
	pv_package_free(&p[0]);
	pv_package_free(&p[1]);
}

static int marker_signal;
static void marker_handler(int sig)
{
	marker_signal = sig;
}

/* The caller's SIGINT handler is back after the prompt, and a later
 * SIGINT reaches it (the mask is restored too). */
static void sigint_handler_restored(void)
{
	struct sigaction sa, now;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = marker_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	struct pv_package p;
	struct pv_judgement jd;
	some_lib(&p, &jd);
	struct pv_prompt_item it = item_of(&p, &jd, NULL);
	const char *script[] = {"^C"};
	char *out;
	int rc = run(&it, 1, script, 1, false, 0, &out);
	CHECK(rc == -1 && it.answer == PV_ANSWER_DENY, "rc %d answer %d", rc, it.answer);
	CHECK(marker_signal == 0, "the prompt's Ctrl-C reached the caller's handler");
	sigaction(SIGINT, NULL, &now);
	CHECK(now.sa_handler == marker_handler, "handler not restored");
	raise(SIGINT);
	CHECK(marker_signal == SIGINT, "SIGINT blocked after the prompt");
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	free(out);
	pv_package_free(&p);
}

static void several(const char *const *script, size_t ns, const enum pv_answer want[3])
{
	struct pv_package p[3];
	struct pv_judgement jd[3];
	some_lib(&p[0], &jd[0]);
	plain_pkg(&p[1], &jd[1], "second");
	plain_pkg(&p[2], &jd[2], "third");
	struct pv_prompt_item it[3] = {item_of(&p[0], &jd[0], "2.3.1"), item_of(&p[1], &jd[1], NULL),
	                               item_of(&p[2], &jd[2], NULL)};
	char *out;
	int rc = run(it, 3, script, ns, false, 200, &out);
	CHECK(rc == 0, "%s: rc %d", script[0], rc);
	for (int i = 0; i < 3; i++)
		CHECK(it[i].answer == want[i], "%s: item %d answer %d, want %d", script[0], i,
		      it[i].answer, want[i]);
	CHECK(strstr(out, "3 packages need your decision before npm installs anything:\n") != NULL,
	      "list header: %s", out);
	CHECK(strstr(out, "  some-lib 2.4.0  (replaces 2.3.1)  NEW: env-read, install-hook, network"
	                  "  findings: publisher-change, release-fresh, shady-url, no-readme\n") != NULL,
	      "list line: %s", out);
	CHECK(strstr(out, "  second 1.0.0  permissions: process  findings: typosquat\n") != NULL,
	      "list line 2: %s", out);
	CHECK(strstr(out, "Review each [r] \xc2\xb7 allow all once [y] \xc2\xb7 deny all [n] "
	                  "\xe2\x80\xba") != NULL,
	      "question: %s", out);
	free(out);
	for (int i = 0; i < 3; i++)
		pv_package_free(&p[i]);
}

static void several_cases(void)
{
	const char *no[] = {"n"};
	const char *yes[] = {"Y"};
	const char *review[] = {"r", "y", "n", "a"};
	const char *review_bad[] = {"a", "d", "r", "yes", "details", "no", "always"};
	enum pv_answer all_deny[3] = {PV_ANSWER_DENY, PV_ANSWER_DENY, PV_ANSWER_DENY};
	enum pv_answer all_once[3] = {PV_ANSWER_ONCE, PV_ANSWER_ONCE, PV_ANSWER_ONCE};
	enum pv_answer each[3] = {PV_ANSWER_ONCE, PV_ANSWER_DENY, PV_ANSWER_ALWAYS};
	several(no, 1, all_deny);
	several(yes, 1, all_once);
	several(review, 4, each);
	/* "a" and "d" mean nothing at the list question; "d" does in review. */
	several(review_bad, 7, each);
}

static void hostile_strings_are_escaped(bool color)
{
	struct pv_package p;
	struct pv_judgement jd;
	pkg_init(&p, "evil\033]0;owned\007pkg", "1.0.0\033[2J");
	add(&p, "perm-network", "a\xe2\x80\xae.js", 1, "fetch(x)\033[31m // \xe2\x80\xae" "evil", NULL,
	    PV_WARN);
	add(&p, "typosquat", NULL, 0, NULL, "looks like \033[1mreact\xe2\x81\xa6", PV_PROMPT);
	memset(&jd, 0, sizeof jd);
	jd.verdict = PV_PROMPT;
	struct pv_prompt_item it = item_of(&p, &jd, "0.9\033[K");
	const char *script[] = {"d", "n"};
	char *out;
	int rc = run(&it, 1, script, 2, color, 0, &out);
	CHECK(rc == 0 && it.answer == PV_ANSWER_DENY, "rc %d answer %d", rc, it.answer);
	if (!color)
		CHECK(strchr(out, '\033') == NULL, "raw ESC reached the terminal");
	CHECK(strstr(out, "\033]") == NULL && strstr(out, "\033[2J") == NULL &&
	          strstr(out, "\033[K") == NULL && strstr(out, "\033[31m") == NULL,
	      "a package's escape sequence reached the terminal");
	CHECK(strchr(out, '\007') == NULL, "raw BEL reached the terminal");
	CHECK(strstr(out, "\xe2\x80\xae") == NULL && strstr(out, "\xe2\x81\xa6") == NULL,
	      "raw bidi control reached the terminal");
	CHECK(strstr(out, "evil\\x1B]0;owned\\x07pkg") != NULL, "escaped name: %s", out);
	free(out);
	pv_package_free(&p);
}

/* Evidence lines are cut to the terminal width, with "…". */
static void cut_to_width(void)
{
	struct pv_package p;
	struct pv_judgement jd;
	plain_pkg(&p, &jd, "wide");
	char longex[PV_EXCERPT_MAX + 1];
	memset(longex, 'x', PV_EXCERPT_MAX);
	longex[PV_EXCERPT_MAX] = 0;
	add(&p, "perm-network", "lib/a-rather-long-file-name.js", 1234, longex, NULL, PV_WARN);
	struct pv_prompt_item it = item_of(&p, &jd, NULL);
	const char *script[] = {"n"};
	char *out;
	run(&it, 1, script, 1, false, 60, &out);
	const char *l = strstr(out, "    network");
	CHECK(l != NULL, "no network line: %s", out);
	if (l) {
		const char *e = strchr(l, '\n');
		size_t cols = 0;
		for (const char *c = l; c < e; c++)
			cols += ((unsigned char)*c & 0xC0) != 0x80;
		CHECK(cols == 60, "line is %zu columns: %.*s", cols, (int)(e - l), l);
		CHECK(e - l >= 3 && memcmp(e - 3, "\xe2\x80\xa6", 3) == 0, "no ellipsis");
	}
	free(out);
	pv_package_free(&p);
}

/* The block as the shims print a blocked package. */
static void render_blocked(void)
{
	struct pv_package p;
	struct pv_judgement jd;
	plain_pkg(&p, &jd, "bad-pkg");
	add(&p, "known-malware", NULL, 0, NULL, "MAL-2026-1", PV_BLOCK);
	/* The strongest of several findings of one attribute is the one named. */
	add(&p, "known-vuln", NULL, 0, NULL, "GHSA-low (low)", PV_WARN);
	add(&p, "known-vuln", NULL, 0, NULL, "GHSA-crit (critical)", PV_PROMPT);
	add(&p, "known-vuln", NULL, 0, NULL, "GHSA-high (high)", PV_PROMPT);
	jd.verdict = PV_BLOCK;
	jd.decided_by = PV_DECIDED_DENY_LIST;
	struct pv_prompt_item it = item_of(&p, &jd, NULL);
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	CHECK(m != NULL, "open_memstream");
	if (!m)
		return;
	pv_prompt_render(m, &it, false);
	fclose(m);
	CHECK(strstr(buf, "  findings: known-malware (MAL-2026-1), typosquat (one edit from a popular "
	                  "name), known-vuln (GHSA-crit (critical)) +2 more\n") != NULL,
	      "%s", buf);
	CHECK(strstr(buf, "  verdict: block (deny-list)\n") != NULL, "%s", buf);
	free(buf);
	pv_package_free(&p);
}

static void open_tty(void)
{
	struct pv_package p;
	struct pv_judgement jd;
	plain_pkg(&p, &jd, "nowhere");
	struct pv_prompt_item it = item_of(&p, &jd, NULL);
	struct pv_prompt_io none = {.in = -1, .out = -1};
	CHECK(pv_prompt_ask(&none, &it, 1, "npm") == -1 && it.answer == PV_ANSWER_DENY,
	      "no terminal must deny");
	pv_package_free(&p);

	struct pv_prompt_io io;
	int fd = pv_prompt_open_tty(&io, false);
	if (fd >= 0) {
		CHECK(io.owned && io.in == fd && io.out == fd, "io not filled");
		pv_prompt_close(&io);
		CHECK(!io.owned && io.in == -1, "not closed");
	} else {
		CHECK(!io.owned && io.in == -1 && io.out == -1, "io after failure");
	}
}

int main(void)
{
	one_answer("y", PV_ANSWER_ONCE);
	one_answer("a", PV_ANSWER_ALWAYS);
	one_answer("n", PV_ANSWER_DENY);
	one_answer("  YES \t", PV_ANSWER_ONCE);
	one_answer("Always", PV_ANSWER_ALWAYS);
	one_answer("NO", PV_ANSWER_DENY);
	block_looks_like_the_example();
	first_install_has_no_plus();
	skip_scripts_answer();
	details_then_yes();
	garbage_denies();
	eof_interrupts("^D");
	eof_interrupts("^C");
	eof_interrupts("HUP");
	sigint_handler_restored();
	several_cases();
	hostile_strings_are_escaped(false);
	hostile_strings_are_escaped(true);
	cut_to_width();
	render_blocked();
	open_tty();
	return CHECK_DONE();
}
