/* pv-ts-parse - raw tree-sitter speed, the baseline for bench/analyze.
 *
 * Usage: pv-ts-parse [--lang js|py] [--repeat N] [--files-from LIST] FILE...
 *
 * Each file is read into memory (not timed), parsed once with tree-sitter
 * (timed: parse_s), its whole tree walked once with a TSTreeCursor visiting
 * every node (timed: walk_s) and the tree freed (timed: free_s). That is the
 * least work any tree-sitter analyser that parses and walks once must do, so
 * pkgvet's throughput can be set against it. The language comes from the
 * extension (.js .cjs .mjs: JavaScript, .py: Python; other files are
 * skipped) unless --lang forces one for every file. --files-from reads more
 * file names, one per line ("-" for standard input), for sets too large for
 * a command line. With --repeat N the whole set is processed N times and
 * the fastest round (least parse+walk+free time) is reported.
 *
 * Output: one line on standard output,
 *   files=N bytes=B parse_s=X walk_s=Y free_s=F parse_MBps=Z
 *   parse_walk_MBps=W nodes=K skipped=S errors=E parse_cpu_s=P
 *   parse_walk_cpu_s=Q
 * where MB is 10^6 bytes and parse_walk_MBps = bytes / (parse+walk+free).
 * The *_s figures are wall-clock; the *_cpu_s ones are the process's CPU
 * time for the same steps, which a busy machine disturbs far less.
 * Exit status: 0 ok, 1 some file could not be read or parsed, 2 usage. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tree_sitter/api.h>

/* Provided by the pvgrammars library (generated grammar code). */
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_python(void);

enum lang { LANG_NONE, LANG_JS, LANG_PY };

struct file_list {
    char **names;
    size_t n, cap;
};

struct totals {
    size_t files, skipped, errors;
    uint64_t bytes, nodes;
    double parse_s, walk_s, free_s;
    double parse_cpu_s, all_cpu_s; /* CPU time: robust on a busy machine */
};

static void usage(FILE *f)
{
    fputs("usage: pv-ts-parse [--lang js|py] [--repeat N] [--files-from LIST] FILE...\n"
          "  Parses each .js/.cjs/.mjs/.py file once with tree-sitter, walks every\n"
          "  node once, and prints: files= bytes= parse_s= walk_s= free_s=\n"
          "  parse_MBps= parse_walk_MBps= nodes= skipped= errors=\n",
          f);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static enum lang lang_of(const char *path, enum lang forced)
{
    if (forced != LANG_NONE)
        return forced;
    if (has_suffix(path, ".js") || has_suffix(path, ".cjs") || has_suffix(path, ".mjs"))
        return LANG_JS;
    if (has_suffix(path, ".py"))
        return LANG_PY;
    return LANG_NONE;
}

static int list_add(struct file_list *l, const char *name)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->names, cap * sizeof *p);
        if (!p)
            return -1;
        l->names = p;
        l->cap = cap;
    }
    l->names[l->n] = strdup(name);
    if (!l->names[l->n])
        return -1;
    l->n++;
    return 0;
}

static int list_read(struct file_list *l, const char *from)
{
    FILE *f = strcmp(from, "-") == 0 ? stdin : fopen(from, "r");
    if (!f) {
        fprintf(stderr, "pv-ts-parse: %s: %s\n", from, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (list_add(l, line) != 0) {
            rc = -1;
            break;
        }
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* Reads the whole file; returns a malloc'd buffer or NULL (errno set). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *p = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                errno = ENOMEM;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
                errno = EIO;
            }
            break;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Visits every node of the tree once, depth first, with one cursor. The
 * sum of symbols keeps the walk from being optimised away. */
static uint64_t walk(TSTree *tree, uint64_t *symsum)
{
    TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
    uint64_t nodes = 0;
    for (;;) {
        TSNode node = ts_tree_cursor_current_node(&c);
        nodes++;
        *symsum += ts_node_symbol(node);
        if (ts_tree_cursor_goto_first_child(&c))
            continue;
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
            if (!ts_tree_cursor_goto_parent(&c)) {
                ts_tree_cursor_delete(&c);
                return nodes;
            }
        }
    }
}

static void run_round(const struct file_list *files, enum lang forced,
                      TSParser *js, TSParser *py, struct totals *t, uint64_t *symsum)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < files->n; i++) {
        const char *path = files->names[i];
        enum lang lg = lang_of(path, forced);
        if (lg == LANG_NONE) {
            t->skipped++;
            continue;
        }
        size_t len = 0;
        char *buf = read_file(path, &len);
        if (!buf) {
            fprintf(stderr, "pv-ts-parse: %s: %s\n", path, strerror(errno));
            t->errors++;
            continue;
        }
        if (len > UINT32_MAX) {
            fprintf(stderr, "pv-ts-parse: %s: too large\n", path);
            free(buf);
            t->errors++;
            continue;
        }
        TSParser *p = lg == LANG_JS ? js : py;
        double c0 = cpu_s();
        double t0 = now_s();
        TSTree *tree = ts_parser_parse_string(p, NULL, buf, (uint32_t)len);
        double t1 = now_s();
        double c1 = cpu_s();
        t->parse_s += t1 - t0;
        t->parse_cpu_s += c1 - c0;
        if (!tree) {
            fprintf(stderr, "pv-ts-parse: %s: parse failed\n", path);
            ts_parser_reset(p);
            free(buf);
            t->errors++;
            continue;
        }
        uint64_t n = walk(tree, symsum);
        double t2 = now_s();
        ts_tree_delete(tree);
        double t3 = now_s();
        t->all_cpu_s += cpu_s() - c0;
        t->walk_s += t2 - t1;
        t->free_s += t3 - t2;
        t->nodes += n;
        t->bytes += len;
        t->files++;
        free(buf);
    }
}

int main(int argc, char **argv)
{
    enum lang forced = LANG_NONE;
    long repeat = 1;
    struct file_list files = {0};
    bool opts_done = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && strcmp(a, "--") == 0) {
            opts_done = true;
        } else if (!opts_done && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            usage(stdout);
            return 0;
        } else if (!opts_done && strcmp(a, "--lang") == 0) {
            if (++i >= argc) {
                usage(stderr);
                return 2;
            }
            if (strcmp(argv[i], "js") == 0)
                forced = LANG_JS;
            else if (strcmp(argv[i], "py") == 0)
                forced = LANG_PY;
            else {
                fprintf(stderr, "pv-ts-parse: --lang must be js or py\n");
                return 2;
            }
        } else if (!opts_done && strcmp(a, "--repeat") == 0) {
            char *end = NULL;
            if (++i >= argc || (repeat = strtol(argv[i], &end, 10)) < 1 || *end) {
                fprintf(stderr, "pv-ts-parse: --repeat needs a positive integer\n");
                return 2;
            }
        } else if (!opts_done && strcmp(a, "--files-from") == 0) {
            if (++i >= argc) {
                usage(stderr);
                return 2;
            }
            if (list_read(&files, argv[i]) != 0)
                return 2;
        } else if (!opts_done && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "pv-ts-parse: unknown option %s\n", a);
            usage(stderr);
            return 2;
        } else if (list_add(&files, a) != 0) {
            fprintf(stderr, "pv-ts-parse: out of memory\n");
            return 2;
        }
    }
    if (files.n == 0) {
        usage(stderr);
        return 2;
    }

    TSParser *js = ts_parser_new(), *py = ts_parser_new();
    if (!js || !py || !ts_parser_set_language(js, tree_sitter_javascript()) ||
        !ts_parser_set_language(py, tree_sitter_python())) {
        fprintf(stderr, "pv-ts-parse: grammar ABI not supported by this tree-sitter "
                        "(library ABI %d)\n", TREE_SITTER_LANGUAGE_VERSION);
        return 2;
    }

    struct totals best = {0}, t;
    double best_s = -1.0;
    uint64_t symsum = 0;
    for (long r = 0; r < repeat; r++) {
        run_round(&files, forced, js, py, &t, &symsum);
        double s = t.parse_s + t.walk_s + t.free_s;
        if (best_s < 0 || s < best_s) {
            best = t;
            best_s = s;
        }
    }

    double mb = (double)best.bytes / 1e6;
    double parse_mbps = best.parse_s > 0 ? mb / best.parse_s : 0.0;
    double all_mbps = best_s > 0 ? mb / best_s : 0.0;
    printf("files=%zu bytes=%llu parse_s=%.6f walk_s=%.6f free_s=%.6f "
           "parse_MBps=%.2f parse_walk_MBps=%.2f nodes=%llu skipped=%zu errors=%zu "
           "parse_cpu_s=%.6f parse_walk_cpu_s=%.6f\n",
           best.files, (unsigned long long)best.bytes, best.parse_s, best.walk_s,
           best.free_s, parse_mbps, all_mbps, (unsigned long long)best.nodes,
           best.skipped, best.errors, best.parse_cpu_s, best.all_cpu_s);
    /* symsum only exists so the walk has an observable effect. */
    if (symsum == UINT64_MAX)
        fputs("\n", stderr);

    ts_parser_delete(js);
    ts_parser_delete(py);
    for (size_t i = 0; i < files.n; i++)
        free(files.names[i]);
    free(files.names);
    return best.errors ? 1 : 0;
}
