/* prompt.h - ask the person about packages whose verdict is `prompt`, like
 * the permission screen of a phone app (design.md §2, §3, §8; issue 5).
 *
 * The prompt talks to the controlling terminal only, never to stdout, so it
 * works when stdout is piped. Every string that came from a registry or a
 * package is escaped (core/escape.h) before it is written; lines that carry
 * evidence are cut to the terminal width. */
#ifndef PV_PROMPT_H
#define PV_PROMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "judge.h"
#include "package.h"

/* NO_SCRIPTS: install it, but do not run its install scripts (offered
 * for packages with an install hook). */
enum pv_answer { PV_ANSWER_DENY = 0, PV_ANSWER_ONCE, PV_ANSWER_ALWAYS, PV_ANSWER_NO_SCRIPTS };

struct pv_prompt_item {
	const struct pv_package *pkg;  /* vetted and judged (each finding's action set) */
	const struct pv_judgement *jd; /* verdict (PV_PROMPT for the items asked), added_perms;
	                                  NULL: pkg->verdict / pkg->added_perms are used */
	const char *old_version;       /* the version this replaces, or NULL */
	bool no_skip;                  /* never offer [s]kip: its scripts cannot be left out (pip
	                                  builds an sdist by running it) */
	enum pv_answer answer;         /* out */
};

struct pv_prompt_io {
	int in;     /* terminal fd read from */
	int out;    /* terminal fd written to (never stdout's job) */
	bool color; /* ANSI colour (never when NO_COLOR is set; the caller decides) */
	bool owned; /* opened by pv_prompt_open_tty: closed by pv_prompt_close */
};

/* Open the controlling terminal (/dev/tty) for reading and writing. Returns
 * the fd, or -1 when there is none (CI, no TTY): the caller then applies the
 * policy's noninteractive action. */
int pv_prompt_open_tty(struct pv_prompt_io *io, bool color);

/* Close what pv_prompt_open_tty opened (nothing when io is not owned). */
void pv_prompt_close(struct pv_prompt_io *io);

/* One line of text (escaped) on the terminal, e.g. why the person is
 * asked now. 0 or -1. */
int pv_prompt_note(struct pv_prompt_io *io, const char *text);

/* Ask about items[0..n) (their verdict is prompt). tool ("npm", "pip")
 * is used in the wording. One item: its block, then
 *   Allow? [y]es once · [a]lways for this version · [n]o · [d]etails ›
 * Several: one line per package, then
 *   Review each [r] · allow all once [y] · deny all [n] ›
 * where r asks package by package as for one item. [d]etails prints the
 * full report of the package and asks again. Answers are read a line at a
 * time (canonical mode), case-insensitive, surrounding blanks ignored; an
 * empty or unknown answer asks again, and after 5 of them in a row the
 * answer is deny. Keys typed before the prompt appeared are discarded.
 *
 * Returns 0 when every item got an answer. Returns -1 when the person
 * interrupted (Ctrl-C, EOF or hang-up on the terminal, a read error): every
 * item is then DENY and "interrupted: nothing was installed" is written.
 * While it runs, SIGINT is caught (without SA_RESTART) and the previous
 * handler and signal mask are restored before it returns. Not reentrant. */
int pv_prompt_ask(struct pv_prompt_io *io, struct pv_prompt_item *items, size_t n,
                  const char *tool);

/* The per-package block: header (name version, replaced version), NEW
 * permissions first ('+') with their evidence, then the other permissions,
 * findings with evidence, and the verdict when it is not prompt (a prompt
 * is followed by its question). Used by pv_prompt_ask, and by the shims to
 * show blocked packages. Lines are cut to the width of f when f is a
 * terminal, else to 80 columns. */
void pv_prompt_render(FILE *f, const struct pv_prompt_item *it, bool color);

#endif
