/* real_tool.c - PATH search for the real package manager, skipping shims. */
#include "real_tool.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const shim_names[] = {"pkgvet-npm", "pkgvet-pip", "pkgvet"};

const char *pv_base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

bool pv_is_shim(const char *path)
{
	char real[PATH_MAX], self[PATH_MAX];
	if (!realpath(path, real))
		return false;
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = 0;
		if (strcmp(real, self) == 0)
			return true;
	}
	const char *b = pv_base_name(real);
	for (size_t i = 0; i < sizeof shim_names / sizeof *shim_names; i++)
		if (strcmp(b, shim_names[i]) == 0)
			return true;
	return false;
}

static bool executable_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

int pv_real_tool(const char *tool, const char *env_var, char *out, size_t outlen, char *err,
                 size_t errlen)
{
	const char *ov = env_var ? getenv(env_var) : NULL;
	if (ov && *ov) {
		char real[PATH_MAX];
		if (!realpath(ov, real) || !executable_file(real)) {
			snprintf(err, errlen, "%s=%.300s is not an executable file", env_var, ov);
			return -1;
		}
		if (pv_is_shim(real)) {
			snprintf(err, errlen, "%s=%.300s points back at a pkgvet shim; it must name the real %s",
			         env_var, ov, tool);
			return -1;
		}
		snprintf(out, outlen, "%s", ov);
		return 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	bool saw_shim = false;
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		char cand[PATH_MAX];
		/* An empty PATH entry means the current directory. */
		int w = n ? snprintf(cand, sizeof cand, "%.*s/%s", (int)n, path, tool)
		          : snprintf(cand, sizeof cand, "./%s", tool);
		if (w > 0 && (size_t)w < sizeof cand && executable_file(cand)) {
			if (pv_is_shim(cand)) {
				saw_shim = true;
			} else {
				snprintf(out, outlen, "%s", cand);
				return 0;
			}
		}
		path += n + (colon ? 1 : 0);
	}
	snprintf(err, errlen, "cannot find the real %s on PATH%s (set %s to its path)", tool,
	         saw_shim ? " (only pkgvet's own shims are there)" : "", env_var ? env_var : "PATH");
	return -1;
}

int pv_real_pip(const char *tool, char *out, size_t outlen, char *err, size_t errlen)
{
	const char *ov = getenv("PKGVET_REAL_PIP");
	const char *venv = getenv("VIRTUAL_ENV");
	/* An active venv's own pip is the one `pip` meant, even when a shims
	 * directory comes before the venv's bin on PATH; an explicit override
	 * still wins (a bad one is an error, never a silent fallback). */
	if (!(ov && *ov) && venv && venv[0] == '/') {
		const char *names[2] = {tool, strcmp(tool, "pip") == 0 ? "pip3" : "pip"};
		for (int i = 0; i < 2; i++) {
			char cand[PATH_MAX];
			int w = snprintf(cand, sizeof cand, "%s/bin/%s", venv, names[i]);
			if (w > 0 && (size_t)w < sizeof cand && executable_file(cand) && !pv_is_shim(cand)) {
				snprintf(out, outlen, "%s", cand);
				return 0;
			}
		}
	}
	return pv_real_tool(tool, "PKGVET_REAL_PIP", out, outlen, err, errlen);
}

void pv_exec_real(const char *path, char *const argv[], char *err, size_t errlen)
{
	execv(path, argv);
	snprintf(err, errlen, "cannot run %.300s: %s", path, strerror(errno));
}

/* $PKGVET_ENGINE, else `pkgvet` next to this shim's real file (the install
 * puts them side by side; the shims directory holds only links). */
static int engine_path(char *out, size_t n)
{
	const char *e = getenv("PKGVET_ENGINE");
	if (e && *e) {
		snprintf(out, n, "%s", e);
		return 0;
	}
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return -1;
	self[len] = 0;
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = 0;
	int w = snprintf(out, n, "%s/pkgvet", self);
	return w > 0 && (size_t)w < n && access(out, X_OK) == 0 ? 0 : -1;
}

void pv_exec_engine(const char *sub, int argc, char **argv, char *err, size_t errlen)
{
	char engine[PATH_MAX];
	if (engine_path(engine, sizeof engine) < 0) {
		snprintf(err, errlen, "cannot find the pkgvet program next to this shim (set PKGVET_ENGINE "
		                      "to its path)");
		return;
	}
	char **v = calloc((size_t)argc + 2, sizeof *v);
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return;
	}
	v[0] = engine;
	v[1] = (char *)sub;
	for (int i = 1; i < argc; i++)
		v[i + 1] = argv[i];
	execv(engine, v);
	snprintf(err, errlen, "cannot run %.300s: %s", engine, strerror(errno));
	free(v);
}

int pv_pip_python(char *out, size_t outlen, char *err, size_t errlen)
{
	const char *py = getenv("PKGVET_PIP_PYTHON");
	if (!py || !*py)
		return 0;
	char real[PATH_MAX];
	if (py[0] != '/' || !realpath(py, real) || !executable_file(real)) {
		snprintf(err, errlen, "PKGVET_PIP_PYTHON=%.300s is not an executable file (an absolute path)",
		         py);
		return -1;
	}
	if (pv_is_shim(real)) {
		snprintf(err, errlen, "PKGVET_PIP_PYTHON=%.300s points at a pkgvet shim; it must name a python",
		         py);
		return -1;
	}
	/* The path as given, not its realpath: a venv's python is a link to the
	 * base interpreter, and only the link's location makes it the venv's. */
	if ((size_t)snprintf(out, outlen, "%s", py) >= outlen) {
		snprintf(err, errlen, "PKGVET_PIP_PYTHON is too long");
		return -1;
	}
	return 1;
}
