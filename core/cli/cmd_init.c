/* cmd_init.c - `pkgvet init bash|zsh|fish`: print the shell hooks.
 *
 * The hook code lives in hooks/pkgvet.sh (bash and zsh) and
 * hooks/pkgvet.fish, embedded at build time (pv_embed). Printing fills in
 * three placeholders: @SHELL@ (the shell's name), @SHIMS@ (the shims
 * directory) and @PKGVET@ (this program), the paths quoted for the shell so
 * that any directory name (spaces, quotes, $) survives the eval. */
#include "cli.h"
#include "shims_dir.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char pv_hook_sh[];
extern const char pv_hook_fish[];

static const char usage[] =
	"usage: pkgvet init bash|zsh|fish\n"
	"\n"
	"Print shell code that makes npm, npx, pip, pip3 and `python -m pip` go\n"
	"through pkgvet in an interactive shell, even after a virtualenv is activated:\n"
	"  bash:  eval \"$(pkgvet init bash)\"      (in ~/.bashrc)\n"
	"  zsh:   eval \"$(pkgvet init zsh)\"       (in ~/.zshrc)\n"
	"  fish:  pkgvet init fish | source        (in ~/.config/fish/config.fish)\n"
	"\n"
	"The shims directory is $PKGVET_SHIMS_DIR when set, else the install's\n"
	"lib/pkgvet/shims beside the installed pkgvet, else shims/ next to it (a build tree).\n";

/* The shim links the hooks call; each must be there. */
static const char *const shim_links[] = {"npm", "npx", "pip", "pip3"};

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A path that goes into shell code and onto the terminal: control
 * characters could neither be quoted for every shell nor shown safely. */
static bool printable_path(const char *p)
{
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return false;
	return true;
}

/* The shims directory (shims_dir.c's rule), as an absolute path without
 * links, into out (PATH_MAX), with every link the hooks call in it. 0, or
 * -1 after printing one line. */
static int find_shims_dir(char *out)
{
	char cand[PATH_MAX + 64], where[PATH_MAX];
	if (pv_shims_dir(where, sizeof where) < 0) {
		pv_err("init: cannot find this program's own path");
		return -1;
	}
	if (!realpath(where, out) || !is_dir(out)) {
		char msg[PATH_MAX + 128];
		snprintf(msg, sizeof msg, "init: the shims directory %.*s is missing (set PKGVET_SHIMS_DIR)",
		         PATH_MAX, where);
		pv_err_text(msg);
		return -1;
	}
	for (size_t i = 0; i < sizeof shim_links / sizeof *shim_links; i++) {
		snprintf(cand, sizeof cand, "%s/%s", out, shim_links[i]);
		if (access(cand, X_OK) != 0) {
			char msg[PATH_MAX + 128];
			snprintf(msg, sizeof msg, "init: the shims directory has no %s: %s", shim_links[i], cand);
			pv_err_text(msg);
			return -1;
		}
	}
	return 0;
}

/* s quoted as one word for the shell: single quotes, with bash/zsh's
 * '\'' or fish's \' and \\ inside. */
static void put_quoted(FILE *out, const char *s, bool fish)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputs(fish ? "\\'" : "'\\''", out);
		else if (*s == '\\' && fish)
			fputs("\\\\", out);
		else
			fputc(*s, out);
	}
	fputc('\'', out);
}

/* The template with its placeholders filled in. */
static void put_hooks(FILE *out, const char *tmpl, const char *shell, const char *shims,
                      const char *self, bool fish)
{
	for (const char *p = tmpl; *p;) {
		if (strncmp(p, "@SHELL@", 7) == 0) {
			fputs(shell, out);
			p += 7;
		} else if (strncmp(p, "@SHIMS@", 7) == 0) {
			put_quoted(out, shims, fish);
			p += 7;
		} else if (strncmp(p, "@PKGVET@", 8) == 0) {
			put_quoted(out, self, fish);
			p += 8;
		} else {
			fputc(*p++, out);
		}
	}
}

int cmd_init(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return PV_EXIT_OK;
	}
	if (argc != 2) {
		pv_err("init: %s (usage: pkgvet init bash|zsh|fish)",
		       argc < 2 ? "which shell?" : "one shell name only");
		return PV_EXIT_USAGE;
	}
	const char *shell = argv[1];
	bool fish = strcmp(shell, "fish") == 0;
	if (!fish && strcmp(shell, "bash") != 0 && strcmp(shell, "zsh") != 0) {
		char msg[160];
		snprintf(msg, sizeof msg, "init: unknown shell '%.64s' (bash, zsh or fish)", shell);
		pv_err_text(msg);
		return PV_EXIT_USAGE;
	}
	char self[PATH_MAX], shims[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0) {
		pv_err("init: cannot find this program's own path: %s", strerror(errno));
		return PV_EXIT_UNVETTED;
	}
	self[n] = 0;
	if (find_shims_dir(shims) < 0)
		return PV_EXIT_UNVETTED;
	if (!printable_path(self) || !printable_path(shims)) {
		pv_err("init: pkgvet's path or the shims directory contains a control character; "
		       "the hooks cannot name it safely");
		return PV_EXIT_UNVETTED;
	}
	put_hooks(stdout, fish ? pv_hook_fish : pv_hook_sh, shell, shims, self, fish);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		pv_err("init: cannot write the hooks: %s", strerror(errno));
		return PV_EXIT_UNVETTED;
	}
	return PV_EXIT_OK;
}
