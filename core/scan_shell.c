/* scan_shell.c - judge a shell command line (an npm lifecycle script value,
 * or a string handed to exec/system/subprocess) without running it.
 *
 * The command is tokenised roughly like a POSIX shell: quotes, backslash
 * escapes, the operators ; && || | & and newlines, redirections, command
 * substitution $(...) / `...` / <(...), which is parsed recursively as
 * a child of the segment it appears in, and `sh -c STRING`, whose string is
 * parsed the same way. Each simple command is a "segment"; segments know
 * the segment they pipe into and the segment they are substituted into.
 * The rules then look at program names and arguments. */
#include "analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SH_MAX_LEN (256u * 1024u) /* longer command lines are judged on this prefix */
#define SH_MAX_TOK 2048
#define SH_MAX_SEG 512
#define SH_MAX_DEPTH 8
#define SH_MAX_FILES 16
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
};

struct sh {
	const char *cmd;
	char *arena;
	size_t an, acap;
	struct sh_tok tok[SH_MAX_TOK];
	int ntok;
	struct sh_seg seg[SH_MAX_SEG];
	int nseg;
	bool oom;
};

static inline unsigned char lc(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static bool ieq(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	if (n != m)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lc((unsigned char)s[i]) != (unsigned char)lit[i])
			return false;
	return true;
}

static bool istarts(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	if (n < m)
		return false;
	for (size_t i = 0; i < m; i++)
		if (lc((unsigned char)s[i]) != (unsigned char)lit[i])
			return false;
	return true;
}

static bool icontains(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	for (size_t i = 0; i + m <= n; i++)
		if (istarts(s + i, n - i, lit))
			return true;
	return false;
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
	return k;
}

/* The arena never moves; bytes beyond its end are dropped, keeping one
 * byte for the terminating NUL of the word being built. */
static void put(struct sh *p, char c)
{
	if (p->an + 1 < p->acap)
		p->arena[p->an++] = c;
}

static void add_tok(struct sh *p, size_t at, int seg, enum tok_kind kind)
{
	if (p->ntok >= SH_MAX_TOK || p->an == at || kind == T_DISCARD) {
		p->an = at;
		return;
	}
	struct sh_tok *t = &p->tok[p->ntok++];
	t->at = at;
	t->n = p->an - at;
	t->seg = seg;
	t->kind = kind;
	p->arena[p->an] = '\0'; /* an < acap always */
	if (p->an + 1 < p->acap)
		p->an++;
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

static void parse_subst(struct sh *p, size_t b, size_t e, int seg, int depth)
{
	p->seg[seg].subst = true;
	if (depth < SH_MAX_DEPTH && e > b)
		parse_range(p, b, e, seg, depth + 1);
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
	add_tok(p, at, seg, kind);
	for (int k = 0; k < pd.n; k++)
		parse_subst(p, pd.b[k], pd.e[k], seg, depth);
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
			add_tok(p, at, cur, T_WORD);
			parse_subst(p, b, e, cur, depth);
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
		buf[i] = (char)lc((unsigned char)s[b + i]);
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
	bool after_wrapper = false;
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
			char nm[64];
			prog_name(s, n, nm, sizeof nm);
			if (IN(nm, wrappers)) {
				after_wrapper = true;
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
			if (ieq(a, an, "-decode") || ieq(a, an, "/decode") || ieq(a, an, "-decodehex"))
				si->cls |= P_DECODE;
			if (ieq(a, an, "-urlcache") || ieq(a, an, "/urlcache") ||
			    ieq(a, an, "-verifyctl") || ieq(a, an, "-split"))
				si->cls |= P_DOWNLOAD | P_NET;
		} else if (strcmp(nm, "chmod") == 0) {
			if (chmod_mode_x(a))
				si->cls |= P_CHMODX;
		} else if (si->cls & P_POWERSHELL) {
			if (icontains(a, an, "downloadstring") || icontains(a, an, "downloadfile") ||
			    icontains(a, an, "downloaddata") || icontains(a, an, "invoke-webrequest") ||
			    icontains(a, an, "invoke-restmethod") || icontains(a, an, "net.webclient") ||
			    icontains(a, an, "iwr ") || icontains(a, an, "irm "))
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
		if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
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
			if ((ieq(a, strlen(a), "-outfile") || ieq(a, strlen(a), "-o")) && next)
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
			bool fetch = icontains(a, an, "urlopen") || icontains(a, an, "urllib") ||
			             icontains(a, an, "requests.get") || icontains(a, an, "http.get") ||
			             icontains(a, an, "https.get") || icontains(a, an, "fetch(") ||
			             icontains(a, an, "require('http") || icontains(a, an, "require(\"http") ||
			             icontains(a, an, "require('axios") || icontains(a, an, "require(\"axios") ||
			             icontains(a, an, "httpx.get") || icontains(a, an, "net::http") ||
			             icontains(a, an, "lwp::simple") || icontains(a, an, "file_get_contents('http");
			bool run = icontains(a, an, "exec(") || icontains(a, an, "eval(") ||
			           icontains(a, an, "eval ") || icontains(a, an, "new function") ||
			           icontains(a, an, "runinthiscontext") || icontains(a, an, "system(") ||
			           icontains(a, an, "spawn(") || icontains(a, an, "execsync(");
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
};

static void judge(struct sh *p, struct ctx *x)
{
	struct seginfo *si = calloc((size_t)p->nseg, sizeof *si);
	if (!si) {
		x->out->oom = true;
		return;
	}
	for (int k = 0; k < p->nseg; k++)
		classify(p, k, &si[k]);

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
					if (icontains(a, an, "iex") || icontains(a, an, "invoke-expression") ||
					    icontains(a, an, "start-process")) {
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
				              ieq(a, an, "/c") || ieq(a, an, "/k") || ieq(a, an, "-command") ||
				              ((cls & P_POWERSHELL) && ieq(a, an, "-c"));
				bool enc = (cls & P_POWERSHELL) &&
				           (ieq(a, an, "-encodedcommand") || ieq(a, an, "-enc") || ieq(a, an, "-e") ||
				            ieq(a, an, "-ec"));
				if (dash_c) {
					snprintf(detail, sizeof detail, "%s %s runs a command string", si[k].name, a);
					report(x, B_PROC, "perm-process", detail);
					break;
				}
				if (enc) {
					report(x, B_PSENC, "obfuscation", "PowerShell -EncodedCommand");
					report(x, B_DECODE, "perm-decode", "PowerShell -EncodedCommand");
					report(x, B_PROC, "perm-process", "PowerShell runs an encoded command");
					break;
				}
			}
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
			if (feeds(p, si, k, P_SINK)) {
				snprintf(detail, sizeof detail, "%s-decoded payload is executed", si[k].name);
				report(x, B_OBF, "obfuscation", detail);
			}
		}
		if ((cls & P_ENVDUMP) && feeds(p, si, k, P_NET))
			report(x, B_ENVSENS, "sensitive-read", "environment dump sent to the network");
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
	p->oom = false;
	if (!p->arena) {
		free(p);
		out->oom = true;
		return;
	}
	parse_range(p, 0, n, -1, 0);
	/* sh -c 'STRING' / cmd /c STRING: parse STRING as a child command. The
	 * arena is stable (no realloc), so STRING stays valid while parsed. */
	struct ctx x = {src, off, row, out, 0};
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
				char *copy = malloc(an + 1);
				if (!copy) {
					out->oom = true;
					break;
				}
				memcpy(copy, a, an + 1);
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
			    ieq(a, an, "/c") || ieq(a, an, "/k") || ieq(a, an, "-command") || ieq(a, an, "-c"))
				take = true;
			else if (a[0] != '-' && a[0] != '/')
				break;
		}
	}
	judge(p, &x);
	free(p->arena);
	free(p);
}
