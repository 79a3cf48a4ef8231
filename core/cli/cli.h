/* cli.h - the pkgvet command's front end: one file per subcommand
 * (cmd_*.c), shared helpers here. */
#ifndef PV_CLI_H
#define PV_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define PV_EXIT_OK 0
#define PV_EXIT_BLOCKED 1
#define PV_EXIT_USAGE 2
#define PV_EXIT_UNVETTED 3

int cmd_audit(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_approve(int argc, char **argv);
int cmd_cache(int argc, char **argv);
int cmd_npm(int argc, char **argv);
int cmd_pip(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_init(int argc, char **argv);

/* The command line, shell-quoted where needed, for the decision log. */
void cli_command_line(char *buf, size_t n, int argc, char **argv);

/* Colour on f? Only on a TTY, never with NO_COLOR; `when` is
 * "auto", "always" or "never" (NULL = auto). */
bool pv_use_color(FILE *f, const char *when);

/* "pkgvet: " + text on stderr, one line; text may come from a package or a
 * file, so it is escaped for the terminal. */
void pv_err_text(const char *text);

/* Each of the policy's warnings as "pkgvet: warning: …" on stderr. */
struct pv_policy;
void pv_print_policy_warnings(const struct pv_policy *pol);

/* At most 64 characters of user input s, non-printable ones as '?', for
 * a message. out must hold 65 bytes. */
const char *cli_shown(const char *s, char *out);

/* One line on stderr for an option getopt_long refused, and nothing else
 * (the usage is `pkgvet SUB --help`). c is what getopt_long returned: ':'
 * (missing argument; optstring starts with ':' or "+:") or '?'. */
void cli_bad_option(const char *sub, int c, char **argv);

/* "pkgvet: " + message on stderr, one line. */
void pv_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
