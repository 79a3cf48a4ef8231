/* decision_log.h - the append-only JSONL decision log (design.md §8):
 * every verdict the shims and audit reach, one JSON object per line:
 *
 *   {"time":"2026-11-27T03:00:00Z","user":"alice","command":"pkgvet audit x.tgz",
 *    "ecosystem":"npm","name":"x","version":"1.0.0","digest":"sha256:…",
 *    "findings":[{"attribute":"perm-network","action":"warn"}],
 *    "action":"warn","decided_by":"policy"}
 *
 * Keys always appear in that order. Absent strings are null. Strings are
 * made valid UTF-8 (invalid bytes become U+FFFD), so a package name cannot
 * break a log reader. Concurrent writers (several pkgvet processes) append
 * whole lines only: each line is written under an exclusive flock. */
#ifndef PV_DECISION_LOG_H
#define PV_DECISION_LOG_H

#include <stddef.h>
#include <time.h>
#include "finding.h"

/* Who reached the verdict. */
enum pv_decider {
	PV_DECIDED_POLICY = 0,   /* the policy's action for the findings */
	PV_DECIDED_USER,         /* the person answered a prompt */
	PV_DECIDED_APPROVAL,     /* a stored approval covered the artifact */
	PV_DECIDED_ALLOW_LIST,   /* a policy [allow] entry */
	PV_DECIDED_DENY_LIST,    /* a policy [deny] entry */
	PV_DECIDED__COUNT
};

/* "policy", "user", "approval", "allow-list", "deny-list". */
const char *pv_decider_name(enum pv_decider d);

struct pv_decision {
	const char *time;        /* "YYYY-MM-DDTHH:MM:SSZ"; NULL = now */
	const char *user;        /* NULL = the effective user's login name */
	const char *command;     /* the command line that led here; may be NULL */
	const char *ecosystem;   /* "npm", "pypi"; may be NULL */
	const char *name;
	const char *version;
	const char *digest;      /* "sha256:<hex>"; NULL or "" (directory) is written as null */
	/* Each distinct (attribute, action) pair is written once, in order of
	 * first appearance, so repeated evidence does not bloat the log.
	 * May be NULL (written as []). */
	const struct pv_findings *findings;
	enum pv_action action;   /* the verdict */
	enum pv_decider decided_by;
};

/* Length of a timestamp "YYYY-MM-DDTHH:MM:SSZ" plus its NUL. */
#define PV_TIME_LEN 21

/* Format t as UTC "YYYY-MM-DDTHH:MM:SSZ" into buf (>= PV_TIME_LEN bytes). */
void pv_utc_time(time_t t, char buf[PV_TIME_LEN]);

/* The effective user's login name (from the password database, else
 * "uid-<n>") into buf. Returns 0, or -1 when it does not fit. */
int pv_user_name(char *buf, size_t n);

/* The home directory: $HOME when absolute, else the password database's.
 * Returns 0, or -1 when there is none or it does not fit. */
int pv_home_dir(char *buf, size_t n);

/* Create the missing parent directories of the file `path` with mode
 * (subject to the umask); existing ones are left as they are. Returns 0, or
 * -1 with "cannot create directory DIR: reason" in err. */
int pv_mkdir_parents(const char *path, unsigned mode, char *err, size_t errlen);

/* The default log: $XDG_STATE_HOME/pkgvet/decisions.jsonl, or
 * ~/.local/state/pkgvet/decisions.jsonl when XDG_STATE_HOME is unset,
 * empty or relative (XDG base directory rules). Returns 0, or -1 with a
 * message in err (no home directory, path too long). */
int pv_decision_log_default_path(char *buf, size_t n, char *err, size_t errlen);

/* The record as one line of JSON, without the trailing newline (malloc'd;
 * NULL on allocation failure). */
char *pv_decision_to_json(const struct pv_decision *d);

/* Append d to the log at path (NULL = the default path). Missing parent
 * directories are created 0700 and the file 0600 (the log may name internal
 * packages). The line is written under an exclusive flock with one write()
 * per attempt, looping on short writes while the lock is held; a failed
 * write is rolled back so no partial line stays behind, and a log left
 * without a final newline (a crash of an older writer) gets one first.
 * Returns 0, or -1 with a one-line message in err; the caller decides
 * whether a log failure is fatal. */
int pv_decision_log_append(const char *path, const struct pv_decision *d,
                           char *err, size_t errlen);

#endif
