/* analyze_js.c - the JavaScript analyser.
 *
 * One tree-sitter parse per file and one iterative walk of that tree with a
 * TSTreeCursor (no recursion over the tree, so deep nesting cannot exhaust
 * the stack). Node types are compared through a table indexed by symbol id,
 * built once per process. The walk keeps its own stack of ancestors, which
 * gives every node its context (is it the callee of a call, an argument, the
 * left side of an assignment...) without asking tree-sitter for parents.
 *
 * What a name means is tracked per file: a binding table maps local names to
 * what require()/import bound them to (a module, or one member of a module),
 * and a fixed set of globals (process, Buffer, eval, fetch, ...) is known by
 * name. A reference (identifier, member or subscript expression, or a call
 * that yields a module) is resolved through that table and then acted upon.
 *
 * Every string literal and template fragment goes to pv_scan_literal(),
 * constant command lines given to child_process go to pv_scan_shell().
 * Findings that need the whole file (download-exec, _0x identifiers,
 * modules imported but never used through a visible member) are emitted
 * after the walk. */
#include "analyze.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tree_sitter/api.h>

/* Provided by the pvgrammars library (generated grammar code). */
const TSLanguage *tree_sitter_javascript(void);

/* ---- limits --------------------------------------------------------------- */

#define STACK_MAX 2048        /* ancestors remembered; deeper nodes lose context */
#define BIND_MAX 512          /* bindings per file */
#define BIND_SLOTS 1024       /* hash slots (power of two, > 2 * BIND_MAX) */
#define NAME_CAP 64           /* member / env names kept in a ref */
#define LIT_CAP (1u << 20)    /* bytes of one literal handed to the literal scanner */
#define CURSORS 8             /* helper cursors alive at once */
#define RESOLVE_DEPTH 8       /* nesting followed when resolving an expression */
#define CONST_DEPTH 48        /* nesting followed when folding constant strings */
#define SHELL_CAP 4096        /* constant command line length */
#define HEX_ID_MIN 3          /* _0x identifiers before obfuscation is reported */
#define CHARCODES_MIN 20      /* numeric char codes fed to String.fromCharCode */
#define CHAIN_ESC_MIN 100     /* hex escapes in one concatenation expression */
#define CHAIN_STR_MIN 5       /* string operands in that expression */
#define LIT_HEX_MIN 40        /* \xHH escapes making up a single literal */

/* A 256-bit filter over names (first and last byte, length): most
 * identifiers are rejected with it before any hashing. */
struct bloom {
	uint64_t w[4];
};

static inline unsigned name_slot(const char *s, size_t n)
{
	return ((unsigned char)s[0] * 7u + (unsigned char)s[n - 1] * 13u + (unsigned)n * 31u) & 255u;
}

static inline void bloom_add(struct bloom *b, const char *s, size_t n)
{
	unsigned v = name_slot(s, n);
	b->w[v >> 6] |= 1ull << (v & 63);
}

static inline bool bloom_has(const struct bloom *b, const char *s, size_t n)
{
	unsigned v = name_slot(s, n);
	return (b->w[v >> 6] >> (v & 63)) & 1u;
}

/* ---- node kinds ----------------------------------------------------------- */

enum kind {
	K_OTHER = 0,
	K_CALL, K_NEW, K_MEMBER, K_SUBSCRIPT, K_IDENT, K_PROP_IDENT,
	K_STRING, K_TEMPLATE, K_FRAGMENT, K_ESCAPE, K_TSUBST,
	K_DECL, K_ASSIGN, K_AUG_ASSIGN, K_UNARY,
	K_IMPORT_STMT, K_EXPORT_STMT, K_IMPORT_CLAUSE, K_NS_IMPORT, K_NAMED_IMPORTS,
	K_IMPORT_SPEC, K_IMPORT,
	K_BINARY, K_PAREN, K_SEQ, K_AWAIT, K_ARGS, K_OBJECT, K_PAIR, K_ARRAY, K_SPREAD,
	K_OBJ_PATTERN, K_SHORTHAND_PAT, K_PAIR_PAT, K_OBJ_ASSIGN_PAT, K_ASSIGN_PAT,
	K_REST_PAT, K_ARRAY_PAT, K_FORMAL, K_SHORTHAND_PROP, K_NUMBER, K_TRUE, K_TERNARY,
	K_COMMENT, K_REGEX,
	K_FALSE, K_NULL, K_UNDEFINED, K_EXPR_STMT, K_EMPTY_STMT, K_HASHBANG, K_ARROW,
	K_FUNC_DECL,
	K__COUNT
};

static const char *const kind_names[K__COUNT] = {
	[K_OTHER] = NULL,
	[K_CALL] = "call_expression",
	[K_NEW] = "new_expression",
	[K_MEMBER] = "member_expression",
	[K_SUBSCRIPT] = "subscript_expression",
	[K_IDENT] = "identifier",
	[K_PROP_IDENT] = "property_identifier",
	[K_STRING] = "string",
	[K_TEMPLATE] = "template_string",
	[K_FRAGMENT] = "string_fragment",
	[K_ESCAPE] = "escape_sequence",
	[K_TSUBST] = "template_substitution",
	[K_DECL] = "variable_declarator",
	[K_ASSIGN] = "assignment_expression",
	[K_AUG_ASSIGN] = "augmented_assignment_expression",
	[K_UNARY] = "unary_expression",
	[K_IMPORT_STMT] = "import_statement",
	[K_EXPORT_STMT] = "export_statement",
	[K_IMPORT_CLAUSE] = "import_clause",
	[K_NS_IMPORT] = "namespace_import",
	[K_NAMED_IMPORTS] = "named_imports",
	[K_IMPORT_SPEC] = "import_specifier",
	[K_IMPORT] = "import",
	[K_BINARY] = "binary_expression",
	[K_PAREN] = "parenthesized_expression",
	[K_SEQ] = "sequence_expression",
	[K_AWAIT] = "await_expression",
	[K_ARGS] = "arguments",
	[K_OBJECT] = "object",
	[K_PAIR] = "pair",
	[K_ARRAY] = "array",
	[K_SPREAD] = "spread_element",
	[K_OBJ_PATTERN] = "object_pattern",
	[K_SHORTHAND_PAT] = "shorthand_property_identifier_pattern",
	[K_PAIR_PAT] = "pair_pattern",
	[K_OBJ_ASSIGN_PAT] = "object_assignment_pattern",
	[K_ASSIGN_PAT] = "assignment_pattern",
	[K_REST_PAT] = "rest_pattern",
	[K_ARRAY_PAT] = "array_pattern",
	[K_FORMAL] = "formal_parameters",
	[K_SHORTHAND_PROP] = "shorthand_property_identifier",
	[K_NUMBER] = "number",
	[K_TRUE] = "true",
	[K_TERNARY] = "ternary_expression",
	[K_COMMENT] = "comment",
	[K_REGEX] = "regex",
	[K_FALSE] = "false",
	[K_NULL] = "null",
	[K_UNDEFINED] = "undefined",
	[K_EXPR_STMT] = "expression_statement",
	[K_EMPTY_STMT] = "empty_statement",
	[K_HASHBANG] = "hash_bang_line",
	[K_ARROW] = "arrow_function",
	[K_FUNC_DECL] = "function_declaration",
};

#define KIND_TAB 4096

/* Per-process grammar facts, computed once. */
static struct {
	const TSLanguage *lang;
	bool ok;
	uint8_t kind[KIND_TAB];
	uint64_t global_lens;   /* bit i set: some global name has length i */
	int8_t glob_by_len[32][8]; /* indices into globals by name length, -1 ends */
	struct bloom glob_bloom;   /* every global name */
	TSFieldId f_function, f_arguments, f_property, f_object, f_index, f_name, f_value,
	          f_left, f_right, f_constructor, f_source, f_alias, f_key, f_operator,
	          f_consequence, f_alternative, f_declaration;
} G;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* ---- modules, globals, what they do --------------------------------------- */

enum mod {
	M_NONE = 0,
	M_GLOBAL,      /* members are global functions: eval, fetch, require, ... */
	M_GLOBALOBJ,   /* global, globalThis, window, self */
	M_PROCESS, M_ENV, M_BUFFER, M_BUFFERMOD, M_STRING, M_JSON, M_OBJECT, M_MODULE,
	M_NAVIGATOR,
	M_CP, M_PROCLIB, M_FS, M_HTTP, M_NET, M_TLS, M_DGRAM, M_DNS, M_NETLIB, M_VM, M_OS,
	M_UTIL, M_QS, M_WORKER, M_CRYPTO, M_NATIVE_LOADER, M_NATIVE_ADDON, M_PATH,
	M_DECODED,     /* a variable holding decoded data (atob(...), ...) */
	M_URLREG,      /* a variable holding a URL of the npm registry */
	M_LOCAL,       /* the file's own function, shadowing a global of that name */
	M_CHARCODES,   /* a variable holding a long array of numbers */
	M__COUNT
};

static const struct modent {
	const char *name;
	uint8_t mod;
} modules[] = {
	{"child_process", M_CP},
	{"fs", M_FS}, {"fs/promises", M_FS}, {"fs-extra", M_FS}, {"graceful-fs", M_FS},
	{"original-fs", M_FS}, {"mz/fs", M_FS},
	{"http", M_HTTP}, {"https", M_HTTP}, {"http2", M_HTTP},
	{"net", M_NET}, {"tls", M_TLS}, {"dgram", M_DGRAM},
	{"dns", M_DNS}, {"dns/promises", M_DNS},
	{"vm", M_VM}, {"os", M_OS}, {"util", M_UTIL}, {"crypto", M_CRYPTO},
	{"querystring", M_QS}, {"process", M_PROCESS}, {"buffer", M_BUFFERMOD},
	{"path", M_PATH}, {"path/posix", M_PATH}, {"path/win32", M_PATH},
	{"module", M_MODULE}, {"worker_threads", M_WORKER},
	{"axios", M_NETLIB}, {"node-fetch", M_NETLIB}, {"request", M_NETLIB},
	{"request-promise", M_NETLIB}, {"request-promise-native", M_NETLIB},
	{"got", M_NETLIB}, {"undici", M_NETLIB}, {"superagent", M_NETLIB},
	{"needle", M_NETLIB}, {"cross-fetch", M_NETLIB}, {"isomorphic-fetch", M_NETLIB},
	{"isomorphic-unfetch", M_NETLIB}, {"phin", M_NETLIB}, {"ws", M_NETLIB},
	{"socket.io-client", M_NETLIB}, {"make-fetch-happen", M_NETLIB},
	{"minipass-fetch", M_NETLIB}, {"ky", M_NETLIB}, {"bent", M_NETLIB},
	{"simple-get", M_NETLIB}, {"urllib", M_NETLIB},
	{"execa", M_PROCLIB}, {"cross-spawn", M_PROCLIB}, {"shelljs", M_PROCLIB},
	{"bindings", M_NATIVE_LOADER}, {"node-gyp-build", M_NATIVE_LOADER},
	{"ffi-napi", M_NATIVE_LOADER}, {"ffi", M_NATIVE_LOADER}, {"koffi", M_NATIVE_LOADER},
	{"node-ffi", M_NATIVE_LOADER},
};

static const struct modent native_addon = {"native addon (.node)", M_NATIVE_ADDON};

/* s[0..n) equals the NUL-terminated lit; stops at the first difference. */
static inline bool mem_eq(const char *s, size_t n, const char *lit)
{
	for (size_t i = 0; i < n; i++)
		if (!lit[i] || lit[i] != s[i])
			return false;
	return lit[n] == 0;
}

/* require("./server.node") usually loads server.node.js, a build of the
 * package for Node (react-dom and others): these names are no addon. */
static bool is_js_variant(const char *s, size_t n)
{
	static const char *const variants[] = {
		"server", "static", "client", "index", "browser", "edge", "worker", "main", NULL,
	};
	size_t b = n;
	while (b > 0 && s[b - 1] != '/')
		b--;
	for (const char *const *v = variants; *v; v++)
		if (mem_eq(s + b, n - b, *v))
			return true;
	return false;
}

static const struct modent *module_lookup(const char *s, size_t n)
{
	if (n > 5 && memcmp(s, "node:", 5) == 0) {
		s += 5;
		n -= 5;
	}
	if (n > 5 && memcmp(s + n - 5, ".node", 5) == 0 && !is_js_variant(s, n - 5))
		return &native_addon;
	if (n == 0 || s[0] == '.' || s[0] == '/')
		return NULL;   /* a file of the package itself */
	for (size_t i = 0; i < sizeof modules / sizeof *modules; i++)
		if (mem_eq(s, n, modules[i].name))
			return &modules[i];
	return NULL;
}

/* Globals known by name. member=true: the name itself is a function of
 * M_GLOBAL (canon is its canonical name); otherwise a namespace. */
static const struct glob {
	const char *name;
	const char *canon;
	uint8_t mod;
	bool member;
} globals[] = {
	{"process", "process", M_PROCESS, false},
	{"Buffer", "Buffer", M_BUFFER, false},
	{"String", "String", M_STRING, false},
	{"JSON", "JSON", M_JSON, false},
	{"Object", "Object", M_OBJECT, false},
	{"module", "module", M_MODULE, false},
	{"navigator", "navigator", M_NAVIGATOR, false},
	{"global", "global", M_GLOBALOBJ, false},
	{"globalThis", "globalThis", M_GLOBALOBJ, false},
	{"window", "window", M_GLOBALOBJ, false},
	{"self", "self", M_GLOBALOBJ, false},
	{"eval", "eval", M_GLOBAL, true},
	{"Function", "Function", M_GLOBAL, true},
	{"fetch", "fetch", M_GLOBAL, true},
	{"atob", "atob", M_GLOBAL, true},
	{"XMLHttpRequest", "XMLHttpRequest", M_GLOBAL, true},
	{"WebSocket", "WebSocket", M_GLOBAL, true},
	{"EventSource", "EventSource", M_GLOBAL, true},
	{"require", "require", M_GLOBAL, true},
	{"__non_webpack_require__", "require", M_GLOBAL, true},
	{"__require", "require", M_GLOBAL, true},
	{"setTimeout", "setTimeout", M_GLOBAL, true},
	{"setInterval", "setInterval", M_GLOBAL, true},
	{"unescape", "unescape", M_GLOBAL, true},
	{"decodeURIComponent", "decodeURIComponent", M_GLOBAL, true},
	{"decodeURI", "decodeURI", M_GLOBAL, true},
	{"URLSearchParams", "URLSearchParams", M_GLOBAL, true},
};

enum act {
	A_NONE = 0, A_NET, A_FS_READ, A_FS_WRITE, A_FS_OPEN, A_CHMOD, A_EXEC, A_SPAWN, A_PROC,
	A_EVAL, A_FUNCTION, A_VM, A_TIMER, A_REQUIRE, A_DECODE, A_DECODE_WEAK, A_BUFFER_FROM,
	A_FROMCHARCODE, A_NATIVE, A_FP, A_FP_WEAK, A_SERIALIZE, A_OBJ_ASSIGN, A_ENV, A_WORKER,
};

static bool in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (mem_eq(s, n, *list))
			return true;
	return false;
}

static const char *const fs_read_names[] = {
	"readFile", "readFileSync", "readdir", "readdirSync", "createReadStream", "read",
	"readSync", "readv", "readvSync", "exists", "existsSync", "stat", "statSync", "lstat",
	"lstatSync", "fstat", "fstatSync", "access", "accessSync", "readlink", "readlinkSync",
	"realpath", "realpathSync", "opendir", "opendirSync", "watch", "watchFile", "statfs",
	"statfsSync", "readJson", "readJSON", "readJsonSync", "readJSONSync", "pathExists",
	"pathExistsSync", "glob", "globSync", NULL,
};
static const char *const fs_write_names[] = {
	"writeFile", "writeFileSync", "appendFile", "appendFileSync", "createWriteStream",
	"write", "writeSync", "writev", "writevSync", "mkdir", "mkdirSync", "mkdtemp",
	"mkdtempSync", "rm", "rmSync", "rmdir", "rmdirSync", "unlink", "unlinkSync", "rename",
	"renameSync", "copyFile", "copyFileSync", "cp", "cpSync", "symlink", "symlinkSync",
	"link", "linkSync", "chown", "chownSync", "lchown", "lchownSync", "fchown", "fchownSync",
	"truncate", "truncateSync", "ftruncate", "ftruncateSync", "utimes", "utimesSync",
	"lutimes", "lutimesSync", "futimes", "futimesSync", "outputFile", "outputFileSync",
	"outputJson", "outputJsonSync", "outputJSON", "outputJSONSync", "writeJson",
	"writeJsonSync", "writeJSON", "writeJSONSync", "copy", "copySync", "move", "moveSync",
	"remove", "removeSync", "ensureFile", "ensureFileSync", "ensureDir", "ensureDirSync",
	"emptyDir", "emptyDirSync", "mkdirp", "mkdirpSync", "mkdirs", "mkdirsSync",
	"ensureLink", "ensureLinkSync", "ensureSymlink", "ensureSymlinkSync", "createFile",
	"createFileSync", NULL,
};
/* Writes that put data into a file (what download-exec needs). */
static const char *const fs_content_writes[] = {
	"writeFile", "writeFileSync", "appendFile", "appendFileSync", "createWriteStream",
	"write", "writeSync", "writev", "writevSync", "outputFile", "outputFileSync", NULL,
};
static const char *const fs_chmod_names[] = {
	"chmod", "chmodSync", "fchmod", "fchmodSync", "lchmod", "lchmodSync", NULL,
};

/* ---- grammar facts ------------------------------------------------------- */

static TSFieldId field_id(const char *name)
{
	return ts_language_field_id_for_name(G.lang, name, (uint32_t)strlen(name));
}

static void g_init(void)
{
	G.lang = tree_sitter_javascript();
	if (!G.lang)
		return;
	uint32_t n = ts_language_symbol_count(G.lang);
	if (n > KIND_TAB)
		n = KIND_TAB;
	for (uint32_t s = 0; s < n; s++) {
		if (ts_language_symbol_type(G.lang, (TSSymbol)s) != TSSymbolTypeRegular)
			continue;
		const char *name = ts_language_symbol_name(G.lang, (TSSymbol)s);
		if (!name)
			continue;
		for (int k = 1; k < K__COUNT; k++)
			if (strcmp(name, kind_names[k]) == 0) {
				G.kind[s] = (uint8_t)k;
				break;
			}
	}
	memset(G.glob_by_len, -1, sizeof G.glob_by_len);
	for (size_t i = 0; i < sizeof globals / sizeof *globals; i++) {
		size_t len = strlen(globals[i].name);
		if (len >= 32)
			continue;
		int j = 0;
		while (j < 7 && G.glob_by_len[len][j] >= 0)
			j++;
		if (j < 7) {
			G.glob_by_len[len][j] = (int8_t)i;
			G.global_lens |= 1ull << len;
			bloom_add(&G.glob_bloom, globals[i].name, len);
		}
	}
	G.f_function = field_id("function");
	G.f_arguments = field_id("arguments");
	G.f_property = field_id("property");
	G.f_object = field_id("object");
	G.f_index = field_id("index");
	G.f_name = field_id("name");
	G.f_value = field_id("value");
	G.f_left = field_id("left");
	G.f_right = field_id("right");
	G.f_constructor = field_id("constructor");
	G.f_source = field_id("source");
	G.f_alias = field_id("alias");
	G.f_key = field_id("key");
	G.f_operator = field_id("operator");
	G.f_consequence = field_id("consequence");
	G.f_alternative = field_id("alternative");
	G.f_declaration = field_id("declaration");
	G.ok = G.f_function && G.f_arguments && G.f_property && G.f_object && G.f_index &&
	       G.f_name && G.f_value && G.f_left && G.f_right && G.f_constructor &&
	       G.f_source && G.f_alias && G.f_key && G.f_operator && G.f_consequence &&
	       G.f_alternative;
}

static inline uint8_t kind_of(TSNode n)
{
	if (ts_node_is_null(n))
		return K_OTHER;
	TSSymbol s = ts_node_symbol(n);
	return s < KIND_TAB ? G.kind[s] : K_OTHER;
}

/* ---- state of one file ---------------------------------------------------- */

struct ref {
	uint8_t mod;
	bool member;         /* a member of mod (name), else mod as a namespace */
	bool dyn;            /* subscript with a computed key (process.env[k]) */
	uint8_t nlen;
	const char *modname; /* for details: "child_process", "https"; static */
	char name[NAME_CAP];
};

struct binding {
	const char *key;     /* points into the source */
	uint32_t klen;
	struct ref ref;
};

/* Where something was first seen, for findings emitted after the walk. */
struct site {
	bool set;
	uint32_t off, row;
	char what[80];
};

struct sbuf {
	char *p;
	size_t n, cap;
	bool trunc;
};

enum attr {
	AT_NET, AT_FS_READ, AT_FS_WRITE, AT_PROC, AT_ENV_READ, AT_ENV_WRITE, AT_CODEGEN,
	AT_DECODE, AT_NATIVE, AT_FP, AT_SENS, AT_OBF, AT_DLEXEC, AT__COUNT
};
static const char *const attr_ids[AT__COUNT] = {
	"perm-network", "perm-fs-read", "perm-fs-write", "perm-process", "perm-env-read",
	"perm-env-write", "perm-codegen", "perm-decode", "perm-native", "host-fingerprint",
	"sensitive-read", "obfuscation", "download-exec",
};

struct ctx {
	const struct pv_source *src;
	struct pv_findings *out;
	const char *d;
	size_t len;
	TSNode *stk;                /* ancestors: stk[depth] is the node at depth */
	uint8_t *sk;                /* and its kind */
	struct binding *bind;
	uint32_t nbind;
	struct bloom bind_bloom;    /* every bound name */
	uint16_t *slot;             /* index + 1 into bind, 0 = empty */
	char *buf;                  /* literal decoding scratch */
	size_t bufcap;
	TSTreeCursor cur[CURSORS];
	int cur_made, cur_used;
	uint32_t emitted;           /* bit per enum attr */
	/* download-exec */
	struct site net, exec, chmod, evald;
	bool wrote;
	bool piped_stdin;           /* x.pipe(child.stdin) */
	struct site net_any;        /* any network use, sockets included */
	/* where the downloads come from (see url_class) */
	uint32_t dl_reg;            /* downloads from a registry URL */
	bool dl_other;              /* a download from some other URL */
	bool dl_unknown;            /* a download from a URL not known here */
	uint32_t url_reg, url_other; /* URL literals of the file, by host */
	bool env_registry;          /* process.env.npm_config_registry is read */
	size_t out0;                /* out->n when this file's analysis began */
	/* modules imported, for the "imports X" fallback */
	struct site modsite[M__COUNT];
	bool modused[M__COUNT];
	/* host fingerprint */
	bool fp_strong;
	struct site fp_weak;
	/* _0x identifiers */
	uint32_t hex_ids;
	struct site hex_first;
	/* one string concatenation expression being measured */
	bool chain;
	uint32_t chain_end, chain_off, chain_row, chain_esc, chain_str;
};

/* ---- small helpers -------------------------------------------------------- */

static inline uint32_t nstart(TSNode n)
{
	return ts_node_start_byte(n);
}

static inline uint32_t nrow(TSNode n)
{
	return ts_node_start_point(n).row;
}

static const char *ntext(const struct ctx *c, TSNode n, size_t *len)
{
	size_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	if (a > c->len)
		a = c->len;
	if (b > c->len)
		b = c->len;
	if (b < a)
		b = a;
	*len = b - a;
	return c->d + a;
}

static bool text_is(const struct ctx *c, TSNode n, const char *lit)
{
	size_t len;
	const char *s = ntext(c, n, &len);
	return mem_eq(s, len, lit);
}

static inline TSNode field(TSNode n, TSFieldId f)
{
	return ts_node_child_by_field_id(n, f);
}

/* Children by position where the grammar fixes them: cheaper than a field
 * lookup. Each falls back to the field when an extra (a comment) is in
 * the way. */
static TSNode member_property(TSNode n)
{
	uint32_t k = ts_node_child_count(n);
	TSNode p = k ? ts_node_child(n, k - 1) : (TSNode){0};
	uint8_t pk = kind_of(p);
	if (pk == K_PROP_IDENT || pk == K_OTHER)
		return p;   /* K_OTHER: private_property_identifier */
	return field(n, G.f_property);
}

static TSNode binary_operator(TSNode n)
{
	TSNode op = ts_node_child(n, 1);
	if (!ts_node_is_null(op) && !ts_node_is_named(op))
		return op;
	return field(n, G.f_operator);
}

static TSTreeCursor *cur_get(struct ctx *c, TSNode n)
{
	if (c->cur_used >= CURSORS)
		return NULL;
	TSTreeCursor *t = &c->cur[c->cur_used];
	if (c->cur_used < c->cur_made) {
		ts_tree_cursor_reset(t, n);
	} else {
		*t = ts_tree_cursor_new(n);
		c->cur_made++;
	}
	c->cur_used++;
	return t;
}

static void cur_put(struct ctx *c)
{
	c->cur_used--;
}

/* i-th argument of an `arguments` node (comments skipped); null if none. */
static TSNode nth_arg(struct ctx *c, TSNode args, int i)
{
	TSNode none = {0};
	if (kind_of(args) != K_ARGS)
		return none;
	TSTreeCursor *t = cur_get(c, args);
	if (!t)
		return none;
	TSNode found = none;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			if (!ts_node_is_named(ch) || kind_of(ch) == K_COMMENT)
				continue;
			if (i-- == 0) {
				found = ch;
				break;
			}
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
	return found;
}

static int arg_count(struct ctx *c, TSNode args)
{
	if (kind_of(args) != K_ARGS)
		return 0;
	TSTreeCursor *t = cur_get(c, args);
	if (!t)
		return 0;
	int n = 0;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			if (ts_node_is_named(ch) && kind_of(ch) != K_COMMENT)
				n++;
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
	return n;
}

/* First named, non-comment child (the content of (...), await x, ${x}). */
static TSNode inner(struct ctx *c, TSNode n, bool last)
{
	TSNode none = {0}, found = none;
	TSTreeCursor *t = cur_get(c, n);
	if (!t)
		return none;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			if (!ts_node_is_named(ch) || kind_of(ch) == K_COMMENT)
				continue;
			found = ch;
			if (!last)
				break;
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
	return found;
}

static void emit_at(struct ctx *c, enum attr a, uint32_t off, uint32_t row, const char *detail)
{
	c->emitted |= 1u << a;
	pv_emit(c->out, c->src, attr_ids[a], off, row, detail);
}

static void emit(struct ctx *c, enum attr a, TSNode n, const char *detail)
{
	emit_at(c, a, nstart(n), nrow(n), detail);
}

static void site_set(struct site *s, TSNode n, const char *what)
{
	if (s->set)
		return;
	s->set = true;
	s->off = nstart(n);
	s->row = nrow(n);
	/* Cut explicitly: callers' buffers may be longer than what[]. */
	size_t len = strnlen(what, sizeof s->what - 1);
	memcpy(s->what, what, len);
	s->what[len] = 0;
}

/* ---- string decoding ------------------------------------------------------ */

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->trunc)
		return;
	if (n > b->cap - b->n) {
		n = b->cap - b->n;
		b->trunc = true;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void sb_cp(struct sbuf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_put(b, u, n);
}

static int hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decoder state across the pieces of one literal (surrogate pairs are
 * split over two escape_sequence nodes). */
struct dec {
	struct sbuf *b;
	uint32_t hi;  /* pending high surrogate, 0 if none */
};

static void dec_flush(struct dec *d)
{
	if (d->hi) {
		sb_cp(d->b, 0xFFFD);
		d->hi = 0;
	}
}

static void dec_cp(struct dec *d, uint32_t cp)
{
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		dec_flush(d);
		d->hi = cp;
		return;
	}
	if (cp >= 0xDC00 && cp <= 0xDFFF) {
		if (d->hi) {
			uint32_t full = 0x10000 + ((d->hi - 0xD800) << 10) + (cp - 0xDC00);
			d->hi = 0;
			sb_cp(d->b, full);
		} else {
			sb_cp(d->b, 0xFFFD);
		}
		return;
	}
	dec_flush(d);
	sb_cp(d->b, cp > 0x10FFFF ? 0xFFFD : cp);
}

static void dec_raw(struct dec *d, const char *s, size_t n)
{
	dec_flush(d);
	sb_put(d->b, s, n);
}

/* One escape_sequence's text (starting with a backslash). */
static void dec_escape(struct dec *d, const char *e, size_t n)
{
	if (n < 2 || e[0] != '\\') {
		dec_raw(d, e, n);
		return;
	}
	unsigned char ch = (unsigned char)e[1];
	uint32_t cp = 0;
	switch (ch) {
	case 'n': dec_cp(d, '\n'); return;
	case 'r': dec_cp(d, '\r'); return;
	case 't': dec_cp(d, '\t'); return;
	case 'b': dec_cp(d, '\b'); return;
	case 'f': dec_cp(d, '\f'); return;
	case 'v': dec_cp(d, '\v'); return;
	case '\r': case '\n': dec_flush(d); return;   /* line continuation */
	case 'x':
		for (size_t i = 2; i < n && i < 4; i++) {
			int v = hexval((unsigned char)e[i]);
			if (v < 0)
				break;
			cp = cp * 16 + (uint32_t)v;
		}
		dec_cp(d, cp);
		return;
	case 'u':
		if (n > 2 && e[2] == '{') {
			for (size_t i = 3; i < n && e[i] != '}'; i++) {
				int v = hexval((unsigned char)e[i]);
				if (v < 0)
					break;
				cp = cp * 16 + (uint32_t)v;
				if (cp > 0x10FFFF) {
					cp = 0xFFFD;
					break;
				}
			}
		} else {
			for (size_t i = 2; i < n && i < 6; i++) {
				int v = hexval((unsigned char)e[i]);
				if (v < 0)
					break;
				cp = cp * 16 + (uint32_t)v;
			}
		}
		dec_cp(d, cp);
		return;
	default:
		break;
	}
	if (ch >= '0' && ch <= '7') {
		for (size_t i = 1; i < n && i < 4 && e[i] >= '0' && e[i] <= '7'; i++)
			cp = cp * 8 + (uint32_t)(e[i] - '0');
		dec_cp(d, cp & 0xFF);
		return;
	}
	/* U+2028 / U+2029 line continuations. */
	if (n == 4 && ch == 0xE2 && (unsigned char)e[2] == 0x80 &&
	    ((unsigned char)e[3] == 0xA8 || (unsigned char)e[3] == 0xA9)) {
		dec_flush(d);
		return;
	}
	dec_raw(d, e + 1, n - 1);
}

/* Appends the decoded content of a string, or of a template without
 * substitutions, to b. False when n is neither. */
static bool decode_literal(struct ctx *c, TSNode n, struct sbuf *b)
{
	uint8_t k = kind_of(n);
	if (k != K_STRING && k != K_TEMPLATE)
		return false;
	TSTreeCursor *t = cur_get(c, n);
	if (!t) {
		b->trunc = true;
		return false;
	}
	struct dec d = {b, 0};
	bool ok = true;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			uint8_t ck = kind_of(ch);
			size_t len;
			const char *s;
			if (ck == K_FRAGMENT) {
				s = ntext(c, ch, &len);
				dec_raw(&d, s, len);
			} else if (ck == K_ESCAPE) {
				s = ntext(c, ch, &len);
				dec_escape(&d, s, len);
			} else if (ck == K_TSUBST) {
				ok = false;
				break;
			}
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	dec_flush(&d);
	cur_put(c);
	return ok;
}

/* Folds a constant string expression ("a", `b`, "a" + 'b', ("c")) into b.
 * False when it is not one or does not fit. */
static bool const_str(struct ctx *c, TSNode n, struct sbuf *b, int depth)
{
	if (depth > CONST_DEPTH || b->trunc)
		return false;
	switch (kind_of(n)) {
	case K_STRING:
	case K_TEMPLATE:
		return decode_literal(c, n, b) && !b->trunc;
	case K_PAREN: {
		TSNode in = inner(c, n, true);
		return !ts_node_is_null(in) && const_str(c, in, b, depth + 1);
	}
	case K_BINARY: {
		TSNode op = binary_operator(n);
		if (ts_node_is_null(op) || !text_is(c, op, "+"))
			return false;
		return const_str(c, field(n, G.f_left), b, depth + 1) &&
		       const_str(c, field(n, G.f_right), b, depth + 1);
	}
	default:
		return false;
	}
}

/* Is n made of string literals and + only (whatever its length)? */
static bool is_const_expr(struct ctx *c, TSNode n, int depth)
{
	if (depth > CONST_DEPTH)
		return false;
	switch (kind_of(n)) {
	case K_STRING:
		return true;
	case K_TEMPLATE: {
		/* Constant unless it has a substitution. */
		TSTreeCursor *t = cur_get(c, n);
		if (!t)
			return false;
		bool ok = true;
		if (ts_tree_cursor_goto_first_child(t)) {
			do {
				if (kind_of(ts_tree_cursor_current_node(t)) == K_TSUBST) {
					ok = false;
					break;
				}
			} while (ts_tree_cursor_goto_next_sibling(t));
		}
		cur_put(c);
		return ok;
	}
	case K_PAREN: {
		TSNode in = inner(c, n, true);
		return !ts_node_is_null(in) && is_const_expr(c, in, depth + 1);
	}
	case K_BINARY: {
		TSNode op = binary_operator(n);
		return !ts_node_is_null(op) && text_is(c, op, "+") &&
		       is_const_expr(c, field(n, G.f_left), depth + 1) &&
		       is_const_expr(c, field(n, G.f_right), depth + 1);
	}
	default:
		return false;
	}
}

#define CONST_BUF(name, size) \
	char name##_mem[size]; \
	struct sbuf name = {name##_mem, 0, sizeof name##_mem, false}

/* ---- bindings ------------------------------------------------------------- */

static uint32_t name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct binding *bind_find(struct ctx *c, const char *s, size_t n)
{
	if (!c->nbind || n == 0 || !bloom_has(&c->bind_bloom, s, n))
		return NULL;
	uint32_t i = name_hash(s, n) & (BIND_SLOTS - 1);
	for (;;) {
		uint16_t v = c->slot[i];
		if (!v)
			return NULL;
		struct binding *b = &c->bind[v - 1];
		if (b->klen == n && memcmp(b->key, s, n) == 0)
			return b;
		i = (i + 1) & (BIND_SLOTS - 1);
	}
}

static void bind_set(struct ctx *c, const char *s, size_t n, const struct ref *r)
{
	if (n == 0 || n > 256)
		return;
	struct binding *b = bind_find(c, s, n);
	if (b) {
		b->ref = *r;
		return;
	}
	if (c->nbind >= BIND_MAX)
		return;
	uint32_t i = name_hash(s, n) & (BIND_SLOTS - 1);
	while (c->slot[i])
		i = (i + 1) & (BIND_SLOTS - 1);
	bloom_add(&c->bind_bloom, s, n);
	b = &c->bind[c->nbind];
	b->key = s;
	b->klen = (uint32_t)n;
	b->ref = *r;
	c->slot[i] = (uint16_t)(++c->nbind);
}

/* A later declaration of a bound name with a value that is no module:
 * the name no longer means the module from here on. */
static void bind_clear(struct ctx *c, const char *s, size_t n)
{
	struct binding *b = bind_find(c, s, n);
	if (b && b->ref.mod != M_LOCAL)
		b->ref.mod = M_NONE;
}

static void ref_ns(struct ref *r, uint8_t mod, const char *modname)
{
	r->mod = mod;
	r->member = false;
	r->dyn = false;
	r->nlen = 0;
	r->name[0] = 0;
	r->modname = modname;
}

static bool ref_fn(struct ref *r, uint8_t mod, const char *modname, const char *name, size_t n)
{
	if (n == 0 || n >= NAME_CAP)
		return false;
	r->mod = mod;
	r->member = true;
	r->dyn = false;
	r->modname = modname;
	memcpy(r->name, name, n);
	r->name[n] = 0;
	r->nlen = (uint8_t)n;
	return true;
}

static bool ref_is(const struct ref *r, uint8_t mod, const char *name)
{
	return r->mod == mod && r->member && mem_eq(r->name, r->nlen, name);
}

static bool global_ref(const char *s, size_t n, struct ref *r)
{
	if (n >= 32 || !(G.global_lens & (1ull << n)))
		return false;
	for (const int8_t *ix = G.glob_by_len[n]; *ix >= 0; ix++) {
		const struct glob *g = &globals[*ix];
		if (g->name[0] != s[0] || memcmp(s, g->name, n) != 0)
			continue;
		if (g->member)
			return ref_fn(r, M_GLOBAL, "", g->canon, strlen(g->canon));
		ref_ns(r, g->mod, g->canon);
		return true;
	}
	return false;
}

static bool lookup_ident(struct ctx *c, const char *s, size_t n, struct ref *r)
{
	struct binding *b = bind_find(c, s, n);
	if (b && b->ref.mod == M_LOCAL)
		return false;
	if (b && b->ref.mod != M_NONE) {
		*r = b->ref;
		return true;
	}
	return global_ref(s, n, r);
}

/* Member `name` of namespace ns, seeing through the usual wrappers:
 * x.default, fs.promises, process.env, global.X. */
static bool member_of(const struct ref *ns, const char *name, size_t n, struct ref *r)
{
	if (ns->member)
		return false;
	switch (ns->mod) {
	case M_NONE: case M_DECODED: case M_CHARCODES: case M_URLREG: case M_LOCAL:
		return false;
	case M_GLOBALOBJ:
		return global_ref(name, n, r);
	case M_ENV:
		return ref_fn(r, M_ENV, "process.env", name, n);
	default:
		break;
	}
	if (mem_eq(name, n, "default")) {
		*r = *ns;
		return true;
	}
	/* import("x").then(m => ...): the promise, not a member of x. */
	if (mem_eq(name, n, "then") || mem_eq(name, n, "catch") || mem_eq(name, n, "finally"))
		return false;
	if ((ns->mod == M_FS || ns->mod == M_DNS) && mem_eq(name, n, "promises")) {
		*r = *ns;
		return true;
	}
	if (ns->mod == M_PROCESS && mem_eq(name, n, "env")) {
		ref_ns(r, M_ENV, "process.env");
		return true;
	}
	if (ns->mod == M_PROCESS && mem_eq(name, n, "mainModule")) {
		ref_ns(r, M_MODULE, "module");
		return true;
	}
	if (ns->mod == M_BUFFERMOD && mem_eq(name, n, "Buffer")) {
		ref_ns(r, M_BUFFER, "Buffer");
		return true;
	}
	return ref_fn(r, ns->mod, ns->modname, name, n);
}

/* ---- resolution ----------------------------------------------------------- */

static bool resolve(struct ctx *c, TSNode n, int depth, struct ref *r);

static const char *const interop_names[] = {
	"_interopRequireDefault", "_interopRequireWildcard", "__importDefault", "__importStar",
	"__toESM", "_interop_require_default", "_interop_require_wildcard", "__importWildcard",
	"_interopNamespace", "_interopDefault", "_interopDefaultLegacy", "_interopNamespaceDefault",
	NULL,
};

/* The module named by the constant first argument of require()/import(). */
static bool module_arg(struct ctx *c, TSNode call, struct ref *r)
{
	TSNode a0 = nth_arg(c, field(call, G.f_arguments), 0);
	if (ts_node_is_null(a0))
		return false;
	CONST_BUF(b, 256);
	if (!const_str(c, a0, &b, 0))
		return false;
	const struct modent *m = module_lookup(b.p, b.n);
	if (!m)
		return false;
	ref_ns(r, m->mod, m->name);
	return true;
}

/* What a call expression yields, when that is a module or a function of one:
 * require("x"), import("x"), interop wrappers, promisify(f), f.bind(...),
 * createRequire(...), eval("require"). */
/* Names of the functions whose call can yield a module or a function. */
static const char *const yielding_names[] = {
	"require", "_load", "createRequire", "createRequireFromPath", "promisify", "eval",
	"__require", "__non_webpack_require__", NULL,
};

static bool resolve_call(struct ctx *c, TSNode n, int depth, struct ref *r)
{
	TSNode fn = ts_node_child(n, 0);
	uint8_t fk = kind_of(fn);
	if (fk == K_IMPORT)
		return module_arg(c, n, r);
	if (fk == K_IDENT) {
		size_t len;
		const char *s = ntext(c, fn, &len);
		bool bound = bind_find(c, s, len) != NULL;
		if (!bound && len > 6 && s[0] == '_' && in_list(s, len, interop_names)) {
			TSNode a0 = nth_arg(c, field(n, G.f_arguments), 0);
			return !ts_node_is_null(a0) && resolve(c, a0, depth + 1, r);
		}
		/* Cheap exit for the common case: an ordinary function call. */
		if (!bound && !in_list(s, len, yielding_names))
			return false;
	} else if (fk == K_MEMBER) {
		TSNode prop = member_property(fn);
		size_t len = 0;
		const char *s = ts_node_is_null(prop) ? "" : ntext(c, prop, &len);
		if (ts_node_is_null(prop) || (!mem_eq(s, len, "bind") && !in_list(s, len, yielding_names)))
			return false;
		if (mem_eq(s, len, "bind")) {
			struct ref f;
			if (resolve(c, ts_node_child(fn, 0), depth + 1, &f) && f.member) {
				*r = f;
				return true;
			}
			return false;
		}
	}
	struct ref f;
	if (!resolve(c, fn, depth + 1, &f) || !f.member)
		return false;
	if (ref_is(&f, M_GLOBAL, "require") || ref_is(&f, M_MODULE, "require") ||
	    ref_is(&f, M_MODULE, "_load"))
		return module_arg(c, n, r);
	if (ref_is(&f, M_MODULE, "createRequire") || ref_is(&f, M_MODULE, "createRequireFromPath"))
		return ref_fn(r, M_GLOBAL, "", "require", 7);
	if (ref_is(&f, M_UTIL, "promisify")) {
		TSNode a0 = nth_arg(c, field(n, G.f_arguments), 0);
		return !ts_node_is_null(a0) && resolve(c, a0, depth + 1, r);
	}
	if (ref_is(&f, M_GLOBAL, "eval")) {
		TSNode a0 = nth_arg(c, field(n, G.f_arguments), 0);
		CONST_BUF(b, 16);
		if (!ts_node_is_null(a0) && const_str(c, a0, &b, 0) && mem_eq(b.p, b.n, "require"))
			return ref_fn(r, M_GLOBAL, "", "require", 7);
	}
	return false;
}

static bool resolve(struct ctx *c, TSNode n, int depth, struct ref *r)
{
	if (depth > RESOLVE_DEPTH || ts_node_is_null(n))
		return false;
	switch (kind_of(n)) {
	case K_IDENT: {
		size_t len;
		const char *s = ntext(c, n, &len);
		return lookup_ident(c, s, len, r);
	}
	case K_MEMBER: {
		TSNode obj = ts_node_child(n, 0);
		struct ref ns;
		if (!resolve(c, obj, depth + 1, &ns) || ns.member)
			return false;
		TSNode prop = member_property(n);
		if (ts_node_is_null(prop))
			return false;
		size_t len;
		const char *s = ntext(c, prop, &len);
		return member_of(&ns, s, len, r);
	}
	case K_SUBSCRIPT: {
		struct ref ns;
		if (!resolve(c, field(n, G.f_object), depth + 1, &ns) || ns.member)
			return false;
		CONST_BUF(b, NAME_CAP);
		if (const_str(c, field(n, G.f_index), &b, 0))
			return member_of(&ns, b.p, b.n, r);
		if (ns.mod == M_ENV) {
			ref_fn(r, M_ENV, "process.env", "[...]", 5);
			r->dyn = true;
			return true;
		}
		return false;
	}
	case K_CALL:
		return resolve_call(c, n, depth, r);
	case K_PAREN:
	case K_SEQ:
		return resolve(c, inner(c, n, true), depth + 1, r);
	case K_AWAIT:
		return resolve(c, inner(c, n, false), depth + 1, r);
	case K_TERNARY: {
		/* secure ? require("https") : require("http") */
		TSNode a = ts_node_child_by_field_id(n, G.f_consequence);
		TSNode b = ts_node_child_by_field_id(n, G.f_alternative);
		return resolve(c, a, depth + 1, r) || resolve(c, b, depth + 1, r);
	}
	case K_BINARY: {
		/* x || require("fs"), x ?? require("fs") */
		TSNode op = binary_operator(n);
		if (ts_node_is_null(op) || !(text_is(c, op, "||") || text_is(c, op, "??")))
			return false;
		return resolve(c, field(n, G.f_right), depth + 1, r) ||
		       resolve(c, field(n, G.f_left), depth + 1, r);
	}
	default:
		return false;
	}
}

/* ---- context from the ancestor stack -------------------------------------- */

static inline bool has_parent(int depth)
{
	return depth > 0 && depth <= STACK_MAX - 1;
}

/* Is the node at depth the callee of a call / constructor of a new
 * (through parentheses and (0, x) sequences)? */
static bool find_call(struct ctx *c, int depth, TSNode *call, bool *is_new)
{
	if (depth <= 0 || depth >= STACK_MAX)
		return false;
	int k = depth;
	while (k > 0) {
		uint8_t pk = c->sk[k - 1];
		if (pk == K_PAREN) {
			k--;
			continue;
		}
		if (pk == K_SEQ && ts_node_end_byte(c->stk[k]) == ts_node_end_byte(c->stk[k - 1])) {
			k--;
			continue;
		}
		break;
	}
	if (k == 0)
		return false;
	TSNode p = c->stk[k - 1], n = c->stk[k];
	if (c->sk[k - 1] == K_CALL && nstart(n) == nstart(p)) {
		*call = p;
		*is_new = false;
		return true;
	}
	if (c->sk[k - 1] == K_NEW) {
		TSNode ctor = field(p, G.f_constructor);
		if (!ts_node_is_null(ctor) && nstart(ctor) == nstart(n)) {
			*call = p;
			*is_new = true;
			return true;
		}
	}
	return false;
}

/* Is the node at depth the object of the member/subscript expression above? */
static bool is_object_of_parent(struct ctx *c, int depth)
{
	if (!has_parent(depth))
		return false;
	uint8_t pk = c->sk[depth - 1];
	return (pk == K_MEMBER || pk == K_SUBSCRIPT) && nstart(c->stk[depth - 1]) == nstart(c->stk[depth]);
}

/* ---- decode chains -------------------------------------------------------- */

static bool parse_mode(const char *s, size_t n, bool from_string, unsigned long *mode);

/* An array literal of numbers that spell text ([100, 108, 45, 116, ...]):
 * their count, or 0 when some element is no printable char code. */
static uint32_t text_charcodes(struct ctx *c, TSNode arr)
{
	if (kind_of(arr) != K_ARRAY)
		return 0;
	TSTreeCursor *t = cur_get(c, arr);
	if (!t)
		return 0;
	uint32_t num = 0, letters = 0;
	bool ok = true;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			if (!ts_node_is_named(ch) || kind_of(ch) == K_COMMENT)
				continue;
			size_t len;
			const char *s = ntext(c, ch, &len);
			unsigned long v;
			if (kind_of(ch) != K_NUMBER || !parse_mode(s, len, false, &v) ||
			    !(v == 9 || v == 10 || v == 13 || (v >= 32 && v < 127))) {
				ok = false;
				break;
			}
			num++;
			if ((v | 0x20) >= 'a' && (v | 0x20) <= 'z')
				letters++;
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
	return ok && num >= 4 && letters >= 2 ? num : 0;
}

static bool is_b64_or_hex_encoding(struct ctx *c, TSNode enc)
{
	CONST_BUF(b, 16);
	if (ts_node_is_null(enc) || !const_str(c, enc, &b, 0))
		return false;
	return mem_eq(b.p, b.n, "base64") || mem_eq(b.p, b.n, "base64url") || mem_eq(b.p, b.n, "hex");
}

/* If n computes decoded data (atob(x), Buffer.from(x, "base64").toString(),
 * String.fromCharCode(...), unescape(x), a variable holding one), a short
 * label for it; else NULL. */
static const char *decode_label(struct ctx *c, TSNode n, int depth)
{
	if (depth > 6 || ts_node_is_null(n))
		return NULL;
	struct ref r;
	switch (kind_of(n)) {
	case K_PAREN:
	case K_AWAIT:
		return decode_label(c, inner(c, n, true), depth + 1);
	case K_IDENT:
		if (resolve(c, n, 0, &r) && r.mod == M_DECODED && !r.member)
			return "decoded data";
		return NULL;
	case K_BINARY: {
		TSNode op = binary_operator(n);
		if (ts_node_is_null(op) || !text_is(c, op, "+"))
			return NULL;
		const char *l = decode_label(c, field(n, G.f_left), depth + 1);
		return l ? l : decode_label(c, field(n, G.f_right), depth + 1);
	}
	case K_NEW: {
		TSNode ctor = field(n, G.f_constructor);
		if (resolve(c, ctor, 0, &r) && r.mod == M_BUFFER && !r.member &&
		    is_b64_or_hex_encoding(c, nth_arg(c, field(n, G.f_arguments), 1)))
			return "new Buffer(..., encoding)";
		return NULL;
	}
	case K_CALL:
		break;
	default:
		return NULL;
	}
	TSNode fn = ts_node_child(n, 0);
	if (kind_of(fn) == K_MEMBER) {
		TSNode prop = member_property(fn);
		TSNode obj = ts_node_child(fn, 0);
		if (!ts_node_is_null(prop) && (text_is(c, prop, "toString") || text_is(c, prop, "join") ||
		                               text_is(c, prop, "trim")))
			return decode_label(c, obj, depth + 1);
		if (!ts_node_is_null(prop) && (text_is(c, prop, "apply") || text_is(c, prop, "call")) &&
		    resolve(c, obj, 0, &r) && r.mod == M_STRING && r.member)
			return "String.fromCharCode";
	}
	if (!resolve(c, fn, 0, &r) || !r.member)
		return NULL;
	if (ref_is(&r, M_GLOBAL, "atob"))
		return "atob";
	if (ref_is(&r, M_GLOBAL, "unescape"))
		return "unescape";
	if (ref_is(&r, M_GLOBAL, "decodeURIComponent") || ref_is(&r, M_GLOBAL, "decodeURI"))
		return "decodeURIComponent";
	if (ref_is(&r, M_STRING, "fromCharCode") || ref_is(&r, M_STRING, "fromCodePoint"))
		return "String.fromCharCode";
	if (ref_is(&r, M_BUFFER, "from")) {
		TSNode args = field(n, G.f_arguments);
		if (is_b64_or_hex_encoding(c, nth_arg(c, args, 1)))
			return "Buffer.from(..., encoding)";
		if (text_charcodes(c, nth_arg(c, args, 0)))
			return "Buffer.from(char codes)";
	}
	return NULL;
}

/* Number of numeric literals among the children of n (array or
 * arguments); spread arrays and char-code variables count too. */
static uint32_t count_numbers(struct ctx *c, TSNode n, int depth)
{
	uint8_t k = kind_of(n);
	if (k == K_IDENT) {
		struct ref r;
		if (!resolve(c, n, 0, &r) || r.mod != M_CHARCODES || r.member)
			return 0;
		unsigned long v = strtoul(r.name, NULL, 10);
		return v > CHARCODES_MIN ? (uint32_t)v : CHARCODES_MIN;
	}
	if ((k != K_ARRAY && k != K_ARGS) || depth > 2)
		return 0;
	TSTreeCursor *t = cur_get(c, n);
	if (!t)
		return 0;
	uint32_t num = 0;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			uint8_t ck = kind_of(ch);
			if (ck == K_NUMBER)
				num++;
			else if (ck == K_SPREAD)
				num += count_numbers(c, inner(c, ch, false), depth + 1);
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
	return num;
}

/* ---- where a download comes from ------------------------------------------ */

/* A download from the package registry fetches a published package (as
 * immutable and as vetted as any other), not an unknown second stage: a
 * file whose downloads all come from there is no download-exec. */
enum ucls { U_UNKNOWN = 0, U_REG, U_OTHER };

#define URL_PREFIX_CAP 320   /* bytes of a constant prefix looked at */

static bool is_registry_host(const char *h, size_t n)
{
	static const char *const hosts[] = {"registry.npmjs.org", "registry.yarnpkg.com", NULL};
	for (const char *const *p = hosts; *p; p++)
		if (strlen(*p) == n && strncasecmp(h, *p, n) == 0)
			return true;
	return false;
}

static bool is_registry_env(const char *s, size_t n)
{
	return n == 19 && strncasecmp(s, "npm_config_registry", 19) == 0;
}

static bool starts_scheme(const char *s, size_t n, size_t *skip)
{
	if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
		*skip = 8;
	else if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
		*skip = 7;
	else
		return false;
	return true;
}

/* The constant text s[0..n) a URL begins with; whole: nothing follows it.
 * Registry only when the whole host is in the text and is a registry's
 * (no userinfo, no longer name such as registry.npmjs.org.example). */
static enum ucls url_text_class(const char *s, size_t n, bool whole)
{
	size_t i;
	if (!starts_scheme(s, n, &i))
		return U_OTHER;
	size_t h = i;
	while (i < n && s[i] != '/' && s[i] != ':' && s[i] != '?' && s[i] != '#') {
		if (s[i] == '@' || s[i] == '\\')
			return U_OTHER;
		i++;
	}
	if (!is_registry_host(s + h, i - h))
		return U_OTHER;
	if (i < n && s[i] == ':') {
		size_t d = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d && (i < n || !whole))
			return U_OTHER;
	}
	if (i == n)
		return whole ? U_REG : U_OTHER;
	return s[i] == '/' || s[i] == '?' || s[i] == '#' ? U_REG : U_OTHER;
}

/* The constant text a string or template begins with (decoded, up to the
 * first substitution). *whole: it is all of the literal. False when n is
 * no literal. */
static bool lit_prefix(struct ctx *c, TSNode n, struct sbuf *b, bool *whole, TSNode *first_subst)
{
	uint8_t k = kind_of(n);
	*whole = true;
	*first_subst = (TSNode){0};
	if (k != K_STRING && k != K_TEMPLATE)
		return false;
	TSTreeCursor *t = cur_get(c, n);
	if (!t)
		return false;
	struct dec d = {b, 0};
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			uint8_t ck = kind_of(ch);
			size_t len;
			const char *s;
			if (ck == K_FRAGMENT) {
				s = ntext(c, ch, &len);
				dec_raw(&d, s, len);
			} else if (ck == K_ESCAPE) {
				s = ntext(c, ch, &len);
				dec_escape(&d, s, len);
			} else if (ck == K_TSUBST) {
				*whole = false;
				if (b->n == 0)
					*first_subst = ch;
				break;
			}
			if (b->trunc) {
				*whole = false;
				break;
			}
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	dec_flush(&d);
	cur_put(c);
	return true;
}

static enum ucls url_class(struct ctx *c, TSNode n, int depth);

/* A registry URL held in a variable, followed by more text: the text
 * must not extend the host (`${registry}/${name}`, not `${registry}.x`). */
static enum ucls url_continue(struct ctx *c, enum ucls head, TSNode rest, bool rest_is_tail)
{
	if (head != U_REG || ts_node_is_null(rest))
		return head;
	CONST_BUF(b, 8);
	bool whole;
	TSNode sub;
	if (rest_is_tail) {
		/* rest: the template; look at what follows the first substitution */
		TSTreeCursor *t = cur_get(c, rest);
		if (!t)
			return U_UNKNOWN;
		bool seen = false, ok = true;
		if (ts_tree_cursor_goto_first_child(t)) {
			do {
				TSNode ch = ts_tree_cursor_current_node(t);
				uint8_t ck = kind_of(ch);
				if (ck == K_TSUBST) {
					if (seen)
						break;
					seen = true;
				} else if (seen && (ck == K_FRAGMENT || ck == K_ESCAPE)) {
					size_t len;
					const char *s = ntext(c, ch, &len);
					ok = len == 0 || s[0] == '/' || s[0] == '?' || s[0] == '#';
					break;
				}
			} while (ts_tree_cursor_goto_next_sibling(t));
		}
		cur_put(c);
		return ok ? U_REG : U_OTHER;
	}
	if (lit_prefix(c, rest, &b, &whole, &sub)) {
		if (b.n == 0)
			return U_REG;
		return b.p[0] == '/' || b.p[0] == '?' || b.p[0] == '#' ? U_REG : U_OTHER;
	}
	return U_REG;   /* a computed rest: a path, a name */
}

/* Where the URL computed by expression n points, as far as this file
 * says: the registry, elsewhere, or unknown. */
static enum ucls url_class(struct ctx *c, TSNode n, int depth)
{
	if (depth > 8 || ts_node_is_null(n))
		return U_UNKNOWN;
	struct ref r;
	switch (kind_of(n)) {
	case K_STRING:
	case K_TEMPLATE: {
		CONST_BUF(b, URL_PREFIX_CAP);
		bool whole;
		TSNode sub;
		if (!lit_prefix(c, n, &b, &whole, &sub))
			return U_UNKNOWN;
		if (b.n == 0 && !ts_node_is_null(sub)) {
			enum ucls h = url_class(c, inner(c, sub, false), depth + 1);
			return url_continue(c, h, n, true);
		}
		return url_text_class(b.p, b.n, whole);
	}
	case K_PAREN:
	case K_AWAIT:
		return url_class(c, inner(c, n, true), depth + 1);
	case K_IDENT:
		if (!resolve(c, n, 0, &r) || r.member)
			return U_UNKNOWN;
		return r.mod == M_URLREG ? U_REG : r.mod == M_DECODED ? U_OTHER : U_UNKNOWN;
	case K_MEMBER:
	case K_SUBSCRIPT:
		if (resolve(c, n, 0, &r) && r.member && r.mod == M_ENV && !r.dyn &&
		    is_registry_env(r.name, r.nlen)) {
			c->env_registry = true;
			return U_REG;
		}
		return U_UNKNOWN;
	case K_BINARY: {
		TSNode op = binary_operator(n);
		if (ts_node_is_null(op))
			return U_UNKNOWN;
		TSNode l = field(n, G.f_left), rt = field(n, G.f_right);
		if (text_is(c, op, "+")) {
			enum ucls h = url_class(c, l, depth + 1);
			uint8_t lk = kind_of(l);
			if (lk == K_STRING || lk == K_TEMPLATE) {
				/* "https://host" + x: the host must be complete */
				CONST_BUF(b, URL_PREFIX_CAP);
				bool whole;
				TSNode sub;
				if (lit_prefix(c, l, &b, &whole, &sub) && whole && b.n > 0)
					return url_text_class(b.p, b.n, false);
				return h;
			}
			return url_continue(c, h, rt, false);
		}
		if (text_is(c, op, "||") || text_is(c, op, "??")) {
			enum ucls a = url_class(c, l, depth + 1), b = url_class(c, rt, depth + 1);
			if (a == U_OTHER || b == U_OTHER)
				return U_OTHER;
			return a == U_REG && b == U_REG ? U_REG : U_UNKNOWN;
		}
		return U_UNKNOWN;
	}
	case K_TERNARY: {
		enum ucls a = url_class(c, field(n, G.f_consequence), depth + 1);
		enum ucls b = url_class(c, field(n, G.f_alternative), depth + 1);
		if (a == U_OTHER || b == U_OTHER)
			return U_OTHER;
		return a == U_REG && b == U_REG ? U_REG : U_UNKNOWN;
	}
	case K_NEW: {
		/* new URL(path, base): base decides unless path is absolute */
		TSNode ctor = field(n, G.f_constructor);
		if (kind_of(ctor) != K_IDENT || !text_is(c, ctor, "URL"))
			return U_UNKNOWN;
		TSNode args = field(n, G.f_arguments);
		TSNode a0 = nth_arg(c, args, 0), a1 = nth_arg(c, args, 1);
		if (ts_node_is_null(a1))
			return url_class(c, a0, depth + 1);
		CONST_BUF(b, 16);
		bool whole;
		TSNode sub;
		if (!lit_prefix(c, a0, &b, &whole, &sub) || b.n == 0)
			return U_UNKNOWN;
		size_t skip;
		if (starts_scheme(b.p, b.n, &skip) || (b.n >= 2 && b.p[0] == '/' && b.p[1] == '/') ||
		    memchr(b.p, ':', b.n) || memchr(b.p, '\\', b.n))
			return url_class(c, a0, depth + 1);
		return url_class(c, a1, depth + 1);
	}
	case K_CALL: {
		/* url.toString(), registry.trim() */
		TSNode fn = ts_node_child(n, 0);
		if (kind_of(fn) != K_MEMBER)
			return U_UNKNOWN;
		TSNode prop = member_property(fn);
		if (ts_node_is_null(prop) || !(text_is(c, prop, "toString") || text_is(c, prop, "trim") ||
		                               text_is(c, prop, "trimEnd") || text_is(c, prop, "trimStart")))
			return U_UNKNOWN;
		return url_class(c, ts_node_child(fn, 0), depth + 1);
	}
	case K_OBJECT: {
		/* request options: {url}, {uri}, {href}, {host}, {hostname} */
		bool other = false, reg = false, unknown = false;
		TSTreeCursor *t = cur_get(c, n);
		if (!t)
			return U_UNKNOWN;
		if (ts_tree_cursor_goto_first_child(t)) {
			do {
				TSNode ch = ts_tree_cursor_current_node(t);
				uint8_t ck = kind_of(ch);
				TSNode key = {0}, val = {0};
				if (ck == K_PAIR) {
					key = field(ch, G.f_key);
					val = field(ch, G.f_value);
				} else if (ck == K_SHORTHAND_PROP) {
					key = val = ch;
				} else {
					if (ck == K_SPREAD)
						unknown = true;   /* options from elsewhere */
					continue;
				}
				CONST_BUF(kb, 16);
				size_t kl;
				const char *ks;
				if (kind_of(key) == K_PROP_IDENT || kind_of(key) == K_SHORTHAND_PROP) {
					ks = ntext(c, key, &kl);
				} else if (const_str(c, key, &kb, 0)) {
					ks = kb.p;
					kl = kb.n;
				} else {
					continue;
				}
				enum ucls v = U_UNKNOWN;
				if (mem_eq(ks, kl, "url") || mem_eq(ks, kl, "uri") || mem_eq(ks, kl, "href")) {
					if (ck == K_PAIR)
						v = url_class(c, val, depth + 1);
					else if (lookup_ident(c, ks, kl, &r) && !r.member)
						v = r.mod == M_URLREG ? U_REG : r.mod == M_DECODED ? U_OTHER : U_UNKNOWN;
				} else if (mem_eq(ks, kl, "host") || mem_eq(ks, kl, "hostname")) {
					CONST_BUF(hb, 256);
					if (ck == K_PAIR && const_str(c, val, &hb, 0))
						v = is_registry_host(hb.p, hb.n) ? U_REG : U_OTHER;
				} else {
					continue;
				}
				other |= v == U_OTHER;
				reg |= v == U_REG;
				unknown |= v == U_UNKNOWN;
			} while (ts_tree_cursor_goto_next_sibling(t));
		}
		cur_put(c);
		return other ? U_OTHER : reg && !unknown ? U_REG : U_UNKNOWN;
	}
	default:
		return U_UNKNOWN;
	}
}

/* A client request at a call: where its first argument points. */
static void download_seen(struct ctx *c, bool has_call, TSNode call)
{
	enum ucls u = U_UNKNOWN;
	if (has_call && kind_of(call) != K_OTHER)
		u = url_class(c, nth_arg(c, field(call, G.f_arguments), 0), 0);
	if (u == U_REG)
		c->dl_reg++;
	else if (u == U_OTHER)
		c->dl_other = true;
	else
		c->dl_unknown = true;
}

/* A URL literal of the file (its whole content s[0..n)), or the constant
 * value of a host option. */
static void url_literal(struct ctx *c, const char *s, size_t n, bool whole)
{
	size_t skip;
	if (!starts_scheme(s, n, &skip))
		return;
	if (url_text_class(s, n, whole) == U_REG)
		c->url_reg++;
	else
		c->url_other++;
}

/* ---- acting on references ------------------------------------------------- */

static enum act classify(const struct ref *r)
{
	const char *s = r->name;
	size_t n = r->nlen;
	switch (r->mod) {
	case M_GLOBAL:
		if (mem_eq(s, n, "eval")) return A_EVAL;
		if (mem_eq(s, n, "Function")) return A_FUNCTION;
		if (mem_eq(s, n, "fetch") || mem_eq(s, n, "XMLHttpRequest") ||
		    mem_eq(s, n, "WebSocket") || mem_eq(s, n, "EventSource"))
			return A_NET;
		if (mem_eq(s, n, "atob")) return A_DECODE;
		if (mem_eq(s, n, "require")) return A_REQUIRE;
		if (mem_eq(s, n, "setTimeout") || mem_eq(s, n, "setInterval")) return A_TIMER;
		if (mem_eq(s, n, "URLSearchParams")) return A_SERIALIZE;
		return A_DECODE_WEAK;
	case M_PROCESS:
		if (mem_eq(s, n, "binding") || mem_eq(s, n, "_linkedBinding") || mem_eq(s, n, "dlopen"))
			return A_NATIVE;
		return A_NONE;
	case M_ENV:
		return A_ENV;
	case M_BUFFER:
		return mem_eq(s, n, "from") ? A_BUFFER_FROM : A_NONE;
	case M_STRING:
		return mem_eq(s, n, "fromCharCode") || mem_eq(s, n, "fromCodePoint") ? A_FROMCHARCODE : A_NONE;
	case M_JSON:
		return mem_eq(s, n, "stringify") ? A_SERIALIZE : A_NONE;
	case M_QS:
		return mem_eq(s, n, "stringify") || mem_eq(s, n, "encode") ? A_SERIALIZE : A_NONE;
	case M_OBJECT:
		return mem_eq(s, n, "assign") ? A_OBJ_ASSIGN : A_NONE;
	case M_MODULE:
		return mem_eq(s, n, "require") || mem_eq(s, n, "_load") ? A_REQUIRE : A_NONE;
	case M_NAVIGATOR:
		return mem_eq(s, n, "sendBeacon") ? A_NET : A_NONE;
	case M_CP:
		if (mem_eq(s, n, "exec") || mem_eq(s, n, "execSync")) return A_EXEC;
		if (mem_eq(s, n, "spawn") || mem_eq(s, n, "spawnSync") || mem_eq(s, n, "execFile") ||
		    mem_eq(s, n, "execFileSync"))
			return A_SPAWN;
		if (mem_eq(s, n, "fork")) return A_PROC;
		return A_NONE;
	case M_PROCLIB:
		if (mem_eq(s, n, "exec") || mem_eq(s, n, "execSync") || mem_eq(s, n, "command") ||
		    mem_eq(s, n, "commandSync") || mem_eq(s, n, "execaCommand") ||
		    mem_eq(s, n, "execaCommandSync"))
			return A_EXEC;
		if (mem_eq(s, n, "sync") || mem_eq(s, n, "spawn") || mem_eq(s, n, "execa") ||
		    mem_eq(s, n, "execaSync") || mem_eq(s, n, "$") || mem_eq(s, n, "execaNode") ||
		    mem_eq(s, n, "node"))
			return A_SPAWN;
		return A_NONE;
	case M_FS:
		if (in_list(s, n, fs_read_names)) return A_FS_READ;
		if (in_list(s, n, fs_write_names)) return A_FS_WRITE;
		if (in_list(s, n, fs_chmod_names)) return A_CHMOD;
		if (mem_eq(s, n, "open") || mem_eq(s, n, "openSync")) return A_FS_OPEN;
		return A_NONE;
	case M_HTTP:
		if (mem_eq(s, n, "request") || mem_eq(s, n, "get") || mem_eq(s, n, "createServer") ||
		    mem_eq(s, n, "createSecureServer") || mem_eq(s, n, "connect"))
			return A_NET;
		return A_NONE;
	case M_NET:
		if (mem_eq(s, n, "connect") || mem_eq(s, n, "createConnection") ||
		    mem_eq(s, n, "Socket") || mem_eq(s, n, "createServer") || mem_eq(s, n, "Server") ||
		    mem_eq(s, n, "Stream"))
			return A_NET;
		return A_NONE;
	case M_TLS:
		if (mem_eq(s, n, "connect") || mem_eq(s, n, "createServer") ||
		    mem_eq(s, n, "TLSSocket") || mem_eq(s, n, "Server"))
			return A_NET;
		return A_NONE;
	case M_DGRAM:
		return mem_eq(s, n, "createSocket") || mem_eq(s, n, "Socket") ? A_NET : A_NONE;
	case M_DNS:
		if (mem_eq(s, n, "getServers")) return A_FP;
		if (mem_eq(s, n, "lookup") || mem_eq(s, n, "lookupService") || mem_eq(s, n, "reverse") ||
		    mem_eq(s, n, "Resolver") || (n >= 7 && memcmp(s, "resolve", 7) == 0))
			return A_NET;
		return A_NONE;
	case M_NETLIB:
		if (n >= 2 && s[0] == 'i' && s[1] == 's')
			return A_NONE;   /* axios.isAxiosError, isCancel... */
		return A_NET;
	case M_VM:
		if (mem_eq(s, n, "runInNewContext") || mem_eq(s, n, "runInThisContext") ||
		    mem_eq(s, n, "runInContext") || mem_eq(s, n, "compileFunction") ||
		    mem_eq(s, n, "Script") || mem_eq(s, n, "createScript") ||
		    mem_eq(s, n, "SourceTextModule"))
			return A_VM;
		return A_NONE;
	case M_OS:
		if (mem_eq(s, n, "hostname") || mem_eq(s, n, "userInfo") ||
		    mem_eq(s, n, "networkInterfaces"))
			return A_FP;
		if (mem_eq(s, n, "homedir"))
			return A_FP_WEAK;
		return A_NONE;
	case M_WORKER:
		return mem_eq(s, n, "Worker") ? A_WORKER : A_NONE;
	case M_CRYPTO:
		/* Decrypting a payload (event-stream's flatmap-stream). */
		return mem_eq(s, n, "createDecipher") || mem_eq(s, n, "createDecipheriv") ||
		       mem_eq(s, n, "privateDecrypt") || mem_eq(s, n, "publicDecrypt") ? A_DECODE : A_NONE;
	case M_NATIVE_LOADER:
		return A_NATIVE;
	default:
		return A_NONE;
	}
}

static void fmt_ref(const struct ref *r, char *out, size_t cap)
{
	if (r->modname && r->modname[0])
		snprintf(out, cap, "%s.%s", r->modname, r->name);
	else
		snprintf(out, cap, "%s", r->name);
}

/* Does the options object have key set to true (or shorthand `{shell}`)? */
static bool obj_key_true(struct ctx *c, TSNode obj, const char *key)
{
	if (kind_of(obj) != K_OBJECT)
		return false;
	TSTreeCursor *t = cur_get(c, obj);
	if (!t)
		return false;
	bool yes = false;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			uint8_t ck = kind_of(ch);
			if (ck == K_SHORTHAND_PROP && text_is(c, ch, key)) {
				yes = true;
			} else if (ck == K_PAIR) {
				TSNode k = field(ch, G.f_key), v = field(ch, G.f_value);
				CONST_BUF(b, 32);
				bool key_ok = kind_of(k) == K_PROP_IDENT ? text_is(c, k, key)
				            : const_str(c, k, &b, 0) && mem_eq(b.p, b.n, key);
				uint8_t vk = kind_of(v);
				/* true, or a non-literal (a variable may hold true / a shell path) */
				if (key_ok && (vk == K_TRUE || vk == K_STRING || vk == K_IDENT))
					yes = true;
			}
		} while (!yes && ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
	return yes;
}

/* 0: not a shell; 1: a POSIX shell (sh -c CMD); 2: cmd or PowerShell,
 * which also take the command line as a plain argument. */
static int shell_kind(const char *s, size_t n)
{
	size_t b = n;
	while (b > 0 && s[b - 1] != '/' && s[b - 1] != '\\')
		b--;
	s += b;
	n -= b;
	static const char *const posix[] = {"sh", "bash", "zsh", "dash", "ksh", NULL};
	static const char *const win[] = {
		"cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "pwsh.exe", NULL,
	};
	return in_list(s, n, posix) ? 1 : in_list(s, n, win) ? 2 : 0;
}

/* spawn / execFile: find a command line a shell will run and scan it. */
static void scan_spawn(struct ctx *c, TSNode call)
{
	TSNode args = field(call, G.f_arguments);
	TSNode a0 = nth_arg(c, args, 0);
	if (ts_node_is_null(a0))
		return;
	char *mem = malloc(SHELL_CAP);
	if (!mem) {
		c->out->oom = true;
		return;
	}
	struct sbuf b = {mem, 0, SHELL_CAP, false};
	if (!const_str(c, a0, &b, 0))
		goto done;
	TSNode a1 = nth_arg(c, args, 1);
	int nargs = arg_count(c, args);
	TSNode opts = nth_arg(c, args, nargs - 1);
	bool shell = nargs >= 2 && obj_key_true(c, opts, "shell");
	int sk = shell_kind(b.p, b.n);
	if (!shell && !sk)
		goto done;
	if (kind_of(a1) != K_ARRAY) {
		if (shell)
			pv_scan_shell(c->src, nstart(a0), nrow(a0), b.p, b.n, c->out);
		goto done;
	}
	/* Walk the argument array: with {shell: true} everything joins into one
	 * command line; for sh -c CMD, CMD is the command line. */
	TSTreeCursor *t = cur_get(c, a1);
	if (!t)
		goto done;
	bool next_is_cmd = false;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode el = ts_tree_cursor_current_node(t);
			if (!ts_node_is_named(el) || kind_of(el) == K_COMMENT)
				continue;
			if (shell) {
				sb_put(&b, " ", 1);
				if (!const_str(c, el, &b, 0))
					sb_put(&b, "ARG", 3);
				continue;
			}
			CONST_BUF(e, SHELL_CAP);
			if (!const_str(c, el, &e, 0)) {
				next_is_cmd = false;
				continue;
			}
			if (next_is_cmd) {
				pv_scan_shell(c->src, nstart(el), nrow(el), e.p, e.n, c->out);
				break;
			}
			if (sk == 2 && memchr(e.p, ' ', e.n)) {
				/* "-WindowStyle hidden -Command CMD": the command follows
				 * -Command (or /c); other text is the command itself. */
				size_t from = 0;
				if (e.p[0] == '-' || e.p[0] == '/') {
					for (size_t i = 0; i + 3 <= e.n; i++) {
						size_t w = 0;
						if (i + 9 <= e.n && strncasecmp(e.p + i, "-command ", 9) == 0)
							w = 9;
						else if ((e.p[i] == '-' || e.p[i] == '/') &&
						         (e.p[i + 1] | 0x20) == 'c' && e.p[i + 2] == ' ')
							w = 3;
						if (w && (i == 0 || e.p[i - 1] == ' ')) {
							from = i + w;
							break;
						}
					}
				}
				pv_scan_shell(c->src, nstart(el), nrow(el), e.p + from, e.n - from, c->out);
				break;
			}
			next_is_cmd = e.n >= 2 && (e.p[0] == '-' || e.p[0] == '/') &&
			              (e.p[e.n - 1] == 'c' || e.p[e.n - 1] == 'C' ||
			               mem_eq(e.p, e.n, "-Command") || mem_eq(e.p, e.n, "-EncodedCommand"));
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
	if (shell && !b.trunc)
		pv_scan_shell(c->src, nstart(a0), nrow(a0), b.p, b.n, c->out);
done:
	free(mem);
}

static bool parse_mode(const char *s, size_t n, bool from_string, unsigned long *mode)
{
	unsigned long v = 0;
	size_t i = 0;
	int base = 10;
	if (from_string) {
		base = 8;
	} else if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
		base = 8;
		i = 2;
	} else if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		i = 2;
	} else if (n > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	if (i >= n)
		return false;
	for (; i < n; i++) {
		if (s[i] == '_')
			continue;
		int dv = hexval((unsigned char)s[i]);
		if (dv < 0 || dv >= base)
			return false;
		v = v * (unsigned long)base + (unsigned long)dv;
		if (v > 0xFFFFFF)
			return false;
	}
	*mode = v;
	return true;
}

static void codegen(struct ctx *c, TSNode node, const struct ref *r, enum act a,
                    bool has_call, TSNode call)
{
	char det[96];
	if (!has_call) {
		if (a == A_EVAL) {
			emit(c, AT_CODEGEN, node, "eval (indirect reference)");
			site_set(&c->evald, node, "eval");
		}
		return;
	}
	TSNode args = field(call, G.f_arguments);
	TSNode code = {0};
	int nargs = arg_count(c, args);
	if (a == A_FUNCTION)
		code = nargs > 0 ? nth_arg(c, args, nargs - 1) : code;
	else
		code = nth_arg(c, args, 0);
	uint8_t ck = kind_of(code);
	if (a == A_TIMER) {
		/* Only a string (or decoded data) is code; a function is not. */
		if (ck != K_STRING && ck != K_TEMPLATE && ck != K_BINARY &&
		    !(ck == K_IDENT && decode_label(c, code, 0)))
			return;
	}
	bool constant = ts_node_is_null(code) || is_const_expr(c, code, 0);
	if (constant && !ts_node_is_null(code)) {
		/* Function("return this")(): the global object, a bundler idiom. */
		CONST_BUF(b, 32);
		if (const_str(c, code, &b, 0)) {
			size_t s = 0, e = b.n;
			while (s < e && (b.p[s] == ' ' || b.p[s] == '\t' || b.p[s] == '\n'))
				s++;
			while (e > s && (b.p[e - 1] == ' ' || b.p[e - 1] == ';' || b.p[e - 1] == '\n'))
				e--;
			if (mem_eq(b.p + s, e - s, "return this") || mem_eq(b.p + s, e - s, "this"))
				return;
		}
	}
	if (ts_node_is_null(code) && a == A_FUNCTION)
		return;   /* new Function(): an empty function */
	switch (a) {
	case A_EVAL: snprintf(det, sizeof det, "eval"); break;
	case A_FUNCTION: snprintf(det, sizeof det, "Function constructor"); break;
	case A_TIMER: snprintf(det, sizeof det, "%s with a code string", r->name); break;
	default: fmt_ref(r, det, sizeof det); break;
	}
	emit(c, AT_CODEGEN, node, det);
	if (!constant)
		site_set(&c->evald, node, det);
	const char *dl = ts_node_is_null(code) ? NULL : decode_label(c, code, 0);
	if (dl) {
		char od[128];
		snprintf(od, sizeof od, "%s runs decoded data (%s)", det, dl);
		emit(c, AT_OBF, node, od);
		emit(c, AT_DECODE, node, dl);
	}
}

static void fromcharcode(struct ctx *c, TSNode node, int depth, bool has_call, TSNode call)
{
	emit(c, AT_DECODE, node, "String.fromCharCode");
	uint32_t num = 0;
	if (has_call) {
		num = count_numbers(c, field(call, G.f_arguments), 0);
	} else if (is_object_of_parent(c, depth) && c->sk[depth - 1] == K_MEMBER) {
		/* String.fromCharCode.apply(null, [...]) / .call(null, ...) */
		TSNode m = c->stk[depth - 1];
		TSNode prop = field(m, G.f_property);
		TSNode call2;
		bool is_new;
		if (!ts_node_is_null(prop) && find_call(c, depth - 1, &call2, &is_new) && !is_new) {
			TSNode args = field(call2, G.f_arguments);
			if (text_is(c, prop, "apply"))
				num = count_numbers(c, nth_arg(c, args, 1), 0);
			else if (text_is(c, prop, "call"))
				num = count_numbers(c, args, 0);
		}
	}
	if (num >= CHARCODES_MIN) {
		char det[96];
		snprintf(det, sizeof det, "String.fromCharCode over %u char codes", num);
		emit(c, AT_OBF, node, det);
	}
}

static void env_member(struct ctx *c, TSNode node, int depth, const struct ref *r)
{
	char det[96];
	if (r->dyn)
		snprintf(det, sizeof det, "process.env[...]");
	else
		snprintf(det, sizeof det, "process.env.%s", r->name);
	bool read = true, write = false;
	if (has_parent(depth)) {
		TSNode p = c->stk[depth - 1];
		uint8_t pk = c->sk[depth - 1];
		if (pk == K_ASSIGN && nstart(p) == nstart(node)) {
			write = true;
			read = false;
		} else if (pk == K_AUG_ASSIGN && nstart(p) == nstart(node)) {
			write = true;
		} else if (pk == K_UNARY && nstart(p) < nstart(node)) {
			size_t len;
			const char *s = ntext(c, p, &len);
			if (len >= 6 && memcmp(s, "delete", 6) == 0) {
				write = true;
				read = false;
			}
		}
	}
	if (read)
		emit(c, AT_ENV_READ, node, det);
	if (write)
		emit(c, AT_ENV_WRITE, node, det);
	if (read && !r->dyn && is_registry_env(r->name, r->nlen))
		c->env_registry = true;
	if (read && !r->dyn && pv_is_secret_env_name(r->name, r->nlen)) {
		char sd[128];
		snprintf(sd, sizeof sd, "reads %s from the environment", r->name);
		emit(c, AT_SENS, node, sd);
	}
}

/* process.env used as a whole (not process.env.X). */
static void env_whole(struct ctx *c, TSNode node, int depth)
{
	bool read = true, write = false, sens = false;
	if (has_parent(depth)) {
		uint8_t pk = c->sk[depth - 1];
		bool left = nstart(c->stk[depth - 1]) == nstart(node);
		/* const e = process.env / const {A} = process.env: the binding
		 * reports each use. */
		if (pk == K_DECL || (pk == K_ASSIGN && !left))
			return;
		if (pk == K_ASSIGN) {
			write = true;
			read = false;
		}
	}
	for (int k = depth - 1; k >= 1 && k >= depth - 8 && k < STACK_MAX; k--) {
		uint8_t pk = c->sk[k];
		if (pk == K_ARGS) {
			TSNode call = c->stk[k - 1];
			uint8_t ck = c->sk[k - 1];
			TSNode callee = ck == K_CALL ? ts_node_child(call, 0)
			              : ck == K_NEW ? field(call, G.f_constructor) : (TSNode){0};
			struct ref r;
			if (ts_node_is_null(callee) || !resolve(c, callee, 0, &r))
				break;
			enum act a = r.member ? classify(&r) : (r.mod == M_NETLIB ? A_NET : A_NONE);
			if (a == A_SERIALIZE || a == A_NET)
				sens = true;
			if (a == A_OBJ_ASSIGN && k == depth - 1 &&
			    nstart(nth_arg(c, c->stk[k], 0)) == nstart(node)) {
				write = true;
				read = false;
			}
			break;
		}
		if (pk != K_OBJECT && pk != K_PAIR && pk != K_ARRAY && pk != K_SPREAD &&
		    pk != K_PAREN && pk != K_TSUBST && pk != K_TEMPLATE && pk != K_BINARY)
			break;
	}
	if (read)
		emit(c, AT_ENV_READ, node, "process.env (whole environment)");
	if (write)
		emit(c, AT_ENV_WRITE, node, "process.env (whole environment)");
	if (sens)
		emit(c, AT_SENS, node, "serialises the whole environment");
}

static bool fallback_mod(uint8_t mod, enum attr *a)
{
	switch (mod) {
	case M_CP: case M_PROCLIB: *a = AT_PROC; return true;
	case M_VM: *a = AT_CODEGEN; return true;
	case M_HTTP: case M_NET: case M_TLS: case M_DGRAM: case M_DNS: case M_NETLIB:
		*a = AT_NET;
		return true;
	default:
		return false;
	}
}

/* A module was named by require/import at node. */
static void module_seen(struct ctx *c, const struct modent *m, TSNode node)
{
	enum attr a;
	if (m->mod == M_NATIVE_ADDON || m->mod == M_NATIVE_LOADER) {
		char det[96];
		snprintf(det, sizeof det, "loads %s", m->mod == M_NATIVE_ADDON ? "a native addon (.node)" : m->name);
		emit(c, AT_NATIVE, node, det);
		return;
	}
	if (fallback_mod(m->mod, &a) && !c->modsite[m->mod].set) {
		char det[80];
		snprintf(det, sizeof det, "imports %s", m->name);
		site_set(&c->modsite[m->mod], node, det);
	}
}

/* __dirname, or path.dirname(__filename): the package's own directory. */
static bool dir_anchor(struct ctx *c, TSNode n)
{
	uint8_t k = kind_of(n);
	if (k == K_IDENT)
		return text_is(c, n, "__dirname");
	if (k != K_CALL)
		return false;
	struct ref r;
	TSNode args = field(n, G.f_arguments);
	return resolve(c, ts_node_child(n, 0), 0, &r) && ref_is(&r, M_PATH, "dirname") &&
	       arg_count(c, args) == 1 && kind_of(nth_arg(c, args, 0)) == K_IDENT &&
	       text_is(c, nth_arg(c, args, 0), "__filename");
}

/* A constant path under the package's own directory:
 * path.join(__dirname, "package.json"), __dirname + "/x", `${__dirname}/x`.
 * Requiring it loads a fixed file, not a computed name. */
static bool package_path(struct ctx *c, TSNode n, int depth)
{
	if (depth > 4 || ts_node_is_null(n))
		return false;
	switch (kind_of(n)) {
	case K_PAREN:
		return package_path(c, inner(c, n, true), depth + 1);
	case K_CALL: {
		struct ref r;
		if (!resolve(c, ts_node_child(n, 0), 0, &r) ||
		    !(ref_is(&r, M_PATH, "join") || ref_is(&r, M_PATH, "resolve")))
			return false;
		TSNode args = field(n, G.f_arguments);
		int na = arg_count(c, args);
		if (na < 2 || !dir_anchor(c, nth_arg(c, args, 0)))
			return false;
		for (int i = 1; i < na; i++)
			if (!is_const_expr(c, nth_arg(c, args, i), 0))
				return false;
		return true;
	}
	case K_BINARY: {
		TSNode op = binary_operator(n);
		TSNode l = field(n, G.f_left);
		return !ts_node_is_null(op) && text_is(c, op, "+") &&
		       is_const_expr(c, field(n, G.f_right), 0) &&
		       (dir_anchor(c, l) || package_path(c, l, depth + 1));
	}
	case K_TEMPLATE: {
		/* `${__dirname}/x`: one substitution, first, the anchor */
		uint32_t nsub = 0;
		bool first = true, ok = true;
		TSTreeCursor *t = cur_get(c, n);
		if (!t)
			return false;
		if (ts_tree_cursor_goto_first_child(t)) {
			do {
				TSNode ch = ts_tree_cursor_current_node(t);
				uint8_t ck = kind_of(ch);
				if (!ts_node_is_named(ch) || ck == K_COMMENT)
					continue;
				if (ck == K_TSUBST)
					ok = ok && first && ++nsub == 1;
				first = false;
			} while (ok && ts_tree_cursor_goto_next_sibling(t));
		}
		cur_put(c);
		if (!ok || nsub != 1)
			return false;
		TSNode sub = ts_node_named_child(n, 0);
		return dir_anchor(c, inner(c, sub, false));
	}
	default:
		return false;
	}
}

/* require(...) / import(...) call at node (the callee). */
static void require_call(struct ctx *c, TSNode node, TSNode call, const char *what)
{
	TSNode a0 = nth_arg(c, field(call, G.f_arguments), 0);
	if (ts_node_is_null(a0))
		return;
	uint8_t k = kind_of(a0);
	if (k == K_NUMBER)
		return;   /* bundler module ids */
	CONST_BUF(b, 256);
	bool ok = const_str(c, a0, &b, 0);
	/* require(("x")), as in a JSDoc type cast: still a literal. */
	TSNode lit = a0;
	for (int i = 0; i < 4 && kind_of(lit) == K_PAREN; i++)
		lit = inner(c, lit, true);
	uint8_t lk0 = kind_of(lit);
	bool literal = lk0 == K_STRING || (lk0 == K_TEMPLATE && ok);
	char det[160];
	if (!literal && !package_path(c, a0, 0)) {
		if (ok)
			snprintf(det, sizeof det, "%s of a computed name (\"%.*s\")", what, (int)(b.n > 64 ? 64 : b.n), b.p);
		else
			snprintf(det, sizeof det, "%s of a non-constant name", what);
		emit(c, AT_CODEGEN, node, det);
	}
	if (ok) {
		const struct modent *m = module_lookup(b.p, b.n);
		if (m)
			module_seen(c, m, node);
		return;
	}
	/* require(path.join(__dirname, "x.node")), require(`${dir}/x.node`) */
	TSNode last = a0;
	for (int i = 0; i < 4; i++) {
		uint8_t lk = kind_of(last);
		if (lk == K_BINARY) {
			last = field(last, G.f_right);
		} else if (lk == K_CALL) {
			TSNode args = field(last, G.f_arguments);
			int n = arg_count(c, args);
			last = n > 0 ? nth_arg(c, args, n - 1) : (TSNode){0};
		} else if (lk == K_TEMPLATE) {
			last = ts_node_named_child(last, ts_node_named_child_count(last) - 1);
			if (kind_of(last) == K_FRAGMENT) {
				size_t len;
				const char *s = ntext(c, last, &len);
				if (len >= 5 && memcmp(s + len - 5, ".node", 5) == 0)
					module_seen(c, &native_addon, node);
			}
			return;
		} else {
			break;
		}
	}
	CONST_BUF(e, 256);
	if (!ts_node_is_null(last) && const_str(c, last, &e, 0) && e.n >= 5 &&
	    memcmp(e.p + e.n - 5, ".node", 5) == 0)
		module_seen(c, &native_addon, node);
}

/* A member reference r at node (depth), in whatever context it stands. */
static void act(struct ctx *c, TSNode node, int depth, const struct ref *r,
                bool has_call, TSNode call, bool is_new)
{
	char det[96];
	enum act a = classify(r);
	if (r->mod < M__COUNT)
		c->modused[r->mod] = true;
	if (a == A_NONE)
		return;
	fmt_ref(r, det, sizeof det);
	TSNode args = has_call ? field(call, G.f_arguments) : (TSNode){0};
	switch (a) {
	case A_NET:
		if (r->mod == M_GLOBAL && !has_call)
			return;
		emit(c, AT_NET, node, det);
		site_set(&c->net_any, node, det);
		/* Only a client request downloads something (not a server, a
		 * local socket, a DNS query). */
		if (ref_is(r, M_GLOBAL, "fetch") || ref_is(r, M_GLOBAL, "XMLHttpRequest") ||
		    ref_is(r, M_HTTP, "get") || ref_is(r, M_HTTP, "request") || r->mod == M_NETLIB) {
			site_set(&c->net, node, det);
			download_seen(c, has_call, call);
		}
		return;
	case A_FS_READ:
		emit(c, AT_FS_READ, node, det);
		return;
	case A_FS_WRITE:
		emit(c, AT_FS_WRITE, node, det);
		if (in_list(r->name, r->nlen, fs_content_writes))
			c->wrote = true;
		return;
	case A_FS_OPEN: {
		CONST_BUF(b, 8);
		bool w = has_call && const_str(c, nth_arg(c, args, 1), &b, 0) &&
		         (memchr(b.p, 'w', b.n) || memchr(b.p, 'a', b.n) || memchr(b.p, '+', b.n));
		emit(c, w ? AT_FS_WRITE : AT_FS_READ, node, det);
		if (w)
			c->wrote = true;
		return;
	}
	case A_CHMOD: {
		emit(c, AT_FS_WRITE, node, det);
		if (!has_call)
			return;
		TSNode m = nth_arg(c, args, 1);
		unsigned long mode = 0;
		size_t len = 0;
		const char *s = ts_node_is_null(m) ? NULL : ntext(c, m, &len);
		CONST_BUF(b, 16);
		bool ok = false;
		if (kind_of(m) == K_NUMBER)
			ok = parse_mode(s, len, false, &mode);
		else if (const_str(c, m, &b, 0))
			ok = parse_mode(b.p, b.n, true, &mode);
		if (ok && (mode & 0111)) {
			char cd[96];
			snprintf(cd, sizeof cd, "%.60s(..., 0%lo)", det, mode & 07777);
			site_set(&c->chmod, node, cd);
		}
		return;
	}
	case A_EXEC: {
		emit(c, AT_PROC, node, det);
		site_set(&c->exec, node, det);
		if (!has_call)
			return;
		TSNode a0 = nth_arg(c, args, 0);
		if (ts_node_is_null(a0))
			return;
		char *mem = malloc(SHELL_CAP);
		if (!mem) {
			c->out->oom = true;
			return;
		}
		struct sbuf b = {mem, 0, SHELL_CAP, false};
		if (const_str(c, a0, &b, 0))
			pv_scan_shell(c->src, nstart(a0), nrow(a0), b.p, b.n, c->out);
		free(mem);
		return;
	}
	case A_SPAWN:
		emit(c, AT_PROC, node, det);
		site_set(&c->exec, node, det);
		if (has_call)
			scan_spawn(c, call);
		return;
	case A_PROC:
		emit(c, AT_PROC, node, det);
		site_set(&c->exec, node, det);
		return;
	case A_EVAL: case A_FUNCTION: case A_VM: case A_TIMER:
		if (a == A_VM && !has_call) {
			emit(c, AT_CODEGEN, node, det);
			return;
		}
		codegen(c, node, r, a, has_call, call);
		return;
	case A_REQUIRE:
		if (has_call && !is_new)
			require_call(c, node, call, "require");
		return;
	case A_DECODE:
		if (has_call)
			emit(c, AT_DECODE, node, det);
		return;
	case A_BUFFER_FROM: {
		if (!has_call)
			return;
		if (is_b64_or_hex_encoding(c, nth_arg(c, args, 1))) {
			emit(c, AT_DECODE, node, "Buffer.from(..., encoding)");
			return;
		}
		/* Buffer.from([100, 108, 45, ...]).toString(): text as char codes. */
		uint32_t num = text_charcodes(c, nth_arg(c, args, 0));
		if (num) {
			emit(c, AT_DECODE, node, "Buffer.from(char codes)");
			if (num >= CHARCODES_MIN) {
				char od[96];
				snprintf(od, sizeof od, "Buffer.from over %u char codes", num);
				emit(c, AT_OBF, node, od);
			}
		}
		return;
	}
	case A_FROMCHARCODE:
		fromcharcode(c, node, depth, has_call, call);
		return;
	case A_NATIVE:
		emit(c, AT_NATIVE, node, det);
		return;
	case A_FP:
		emit(c, AT_FP, node, det);
		c->fp_strong = true;
		return;
	case A_FP_WEAK:
		site_set(&c->fp_weak, node, det);
		return;
	case A_ENV:
		env_member(c, node, depth, r);
		return;
	case A_WORKER:
		if (has_call && obj_key_true(c, nth_arg(c, args, 1), "eval")) {
			emit(c, AT_CODEGEN, node, "worker_threads.Worker with eval: true");
			if (!is_const_expr(c, nth_arg(c, args, 0), 0))
				site_set(&c->evald, node, "Worker(eval)");
		}
		return;
	default:
		return;
	}
}

/* A namespace (module) called or constructed: axios(url), got(url),
 * require("bindings")("x"), new Buffer(x, "base64"), execa(cmd). */
static void act_ns_call(struct ctx *c, TSNode node, const struct ref *r, TSNode call, bool is_new)
{
	char det[96];
	snprintf(det, sizeof det, "%s()", r->modname ? r->modname : "?");
	if (r->mod < M__COUNT)
		c->modused[r->mod] = true;
	switch (r->mod) {
	case M_NETLIB:
		emit(c, AT_NET, node, det);
		site_set(&c->net, node, det);
		site_set(&c->net_any, node, det);
		download_seen(c, true, call);
		return;
	case M_PROCLIB:
		emit(c, AT_PROC, node, det);
		site_set(&c->exec, node, det);
		scan_spawn(c, call);
		return;
	case M_NATIVE_LOADER:
		emit(c, AT_NATIVE, node, det);
		return;
	case M_BUFFER:
		if (is_new && is_b64_or_hex_encoding(c, nth_arg(c, field(call, G.f_arguments), 1)))
			emit(c, AT_DECODE, node, "new Buffer(..., encoding)");
		return;
	default:
		return;
	}
}

/* A resolved reference at node. ident_like: an identifier or a call, which
 * only act as callees or arguments (a member expression acts anywhere). */
static void handle_ref(struct ctx *c, TSNode node, int depth, const struct ref *r, bool ident_like)
{
	TSNode call = {0};
	bool is_new = false;
	bool has_call = find_call(c, depth, &call, &is_new);
	if (!r->member) {
		if (r->mod == M_ENV) {
			if (!is_object_of_parent(c, depth))
				env_whole(c, node, depth);
		} else if (has_call) {
			act_ns_call(c, node, r, call, is_new);
		}
		return;
	}
	if (ident_like && !has_call && r->mod != M_ENV) {
		uint8_t pk = has_parent(depth) ? c->sk[depth - 1] : K_OTHER;
		bool ok = pk == K_ARGS;
		if (!ok && ref_is(r, M_GLOBAL, "eval"))
			ok = pk == K_DECL || pk == K_ASSIGN || pk == K_PAIR || pk == K_SEQ ||
			     pk == K_ARRAY || pk == K_TERNARY;
		if (!ok)
			return;
	}
	act(c, node, depth, r, has_call, call, is_new);
}

/* ---- node visitors -------------------------------------------------------- */

static bool is_hex_id(const char *s, size_t n)
{
	if (n < 6 || s[0] != '_' || s[1] != '0' || (s[2] != 'x' && s[2] != 'X'))
		return false;
	for (size_t i = 3; i < n; i++)
		if (hexval((unsigned char)s[i]) < 0)
			return false;
	return true;
}

static void visit_ident(struct ctx *c, TSNode n, int depth)
{
	size_t len;
	const char *s = ntext(c, n, &len);
	if (len == 0)
		return;
	if (s[0] == '_' && is_hex_id(s, len)) {
		if (!c->hex_ids++)
			site_set(&c->hex_first, n, "");
	}
	bool object = false;
	if (has_parent(depth)) {
		uint8_t pk = c->sk[depth - 1];
		TSNode p = c->stk[depth - 1];
		object = (pk == K_MEMBER || pk == K_SUBSCRIPT) && nstart(p) == nstart(n);
		if (pk == K_DECL && nstart(p) == nstart(n))
			return;   /* the declared name */
		if (pk == K_ARROW && ts_node_end_byte(n) < ts_node_end_byte(p)) {
			/* url => ...: the parameter (the body ends the arrow) */
			struct binding *b = c->nbind ? bind_find(c, s, len) : NULL;
			if (b && b->ref.mod == M_URLREG)
				b->ref.mod = M_NONE;
			return;
		}
		switch (pk) {
		case K_PAIR_PAT: case K_OBJ_PATTERN: case K_ASSIGN_PAT: case K_REST_PAT:
		case K_OBJ_ASSIGN_PAT: case K_ARRAY_PAT: case K_IMPORT_SPEC: case K_IMPORT_CLAUSE:
		case K_NS_IMPORT: case K_FORMAL: {
			/* A parameter or pattern of the same name is another
			 * variable: a registry URL bound earlier is not it. */
			struct binding *b = c->nbind ? bind_find(c, s, len) : NULL;
			if (b && b->ref.mod == M_URLREG)
				b->ref.mod = M_NONE;
			return;
		}
		default:
			break;
		}
	}
	struct ref r;
	if (object) {
		/* x.y is resolved as a whole; but a bound function used as an
		 * object (exec.call(...), eval.call(...)) is still an access. */
		struct binding *b = c->nbind ? bind_find(c, s, len) : NULL;
		if (b && b->ref.mod != M_NONE)
			r = b->ref;
		else if (!(len == 4 && memcmp(s, "eval", 4) == 0 && global_ref(s, len, &r)))
			return;
		if (r.member && r.mod != M_ENV)
			act(c, n, depth, &r, false, (TSNode){0}, false);
		return;
	}
	if (!bloom_has(&G.glob_bloom, s, len) && !(c->nbind && bloom_has(&c->bind_bloom, s, len)))
		return;
	if (!lookup_ident(c, s, len, &r))
		return;
	handle_ref(c, n, depth, &r, true);
}

/* Member expression n at depth, seen when the walk reaches its property
 * (then the property node is at hand without a lookup). */
static void visit_member(struct ctx *c, TSNode n, int depth, TSNode prop)
{
	size_t plen;
	const char *ps = ntext(c, prop, &plen);
	TSNode call;
	bool is_new;
	TSNode obj = ts_node_child(n, 0);
	if (plen == 4 && memcmp(ps, "pipe", 4) == 0) {
		/* x.pipe(child.stdin): data piped into a process. */
		if (find_call(c, depth, &call, &is_new) && !is_new) {
			TSNode a0 = nth_arg(c, field(call, G.f_arguments), 0);
			if (kind_of(a0) == K_MEMBER && text_is(c, member_property(a0), "stdin"))
				c->wrote = c->piped_stdin = true;
		}
	} else if (plen == 8 && memcmp(ps, "_compile", 8) == 0) {
		/* module._compile(code, filename): Node's module loader runs code. */
		if (find_call(c, depth, &call, &is_new) && !is_new) {
			TSNode a0 = nth_arg(c, field(call, G.f_arguments), 0);
			if (!ts_node_is_null(a0)) {
				emit(c, AT_CODEGEN, n, "Module._compile");
				if (!is_const_expr(c, a0, 0))
					site_set(&c->evald, n, "Module._compile");
				const char *dl = decode_label(c, a0, 0);
				if (dl) {
					char od[128];
					snprintf(od, sizeof od, "Module._compile runs decoded data (%s)", dl);
					emit(c, AT_OBF, n, od);
				}
			}
		}
	} else if (plen == 11 && memcmp(ps, "constructor", 11) == 0) {
		/* [].constructor.constructor("code")(): the Function constructor. */
		if (kind_of(obj) == K_MEMBER && text_is(c, member_property(obj), "constructor") &&
		    find_call(c, depth, &call, &is_new)) {
			emit(c, AT_CODEGEN, n, "Function via .constructor.constructor");
			TSNode args = field(call, G.f_arguments);
			int na = arg_count(c, args);
			if (na > 0 && !is_const_expr(c, nth_arg(c, args, na - 1), 0))
				site_set(&c->evald, n, "Function via .constructor.constructor");
		}
	}
	struct ref ns, r;
	if (resolve(c, obj, 1, &ns) && !ns.member && member_of(&ns, ps, plen, &r))
		handle_ref(c, n, depth, &r, false);
}

static void visit_subscript(struct ctx *c, TSNode n, int depth)
{
	struct ref r;
	if (resolve(c, n, 0, &r))
		handle_ref(c, n, depth, &r, false);
}

static void visit_call(struct ctx *c, TSNode n, int depth)
{
	TSNode fn = ts_node_child(n, 0);
	uint8_t fk = kind_of(fn);
	if (fk == K_IMPORT) {
		require_call(c, fn, n, "import()");
		return;
	}
	/* What a call yields only matters when that is called in turn
	 * (require("got")(url), createRequire(u)("fs")): the common case,
	 * a call whose value is used otherwise, costs nothing more. */
	if (!has_parent(depth))
		return;
	uint8_t pk = c->sk[depth - 1];
	if (pk != K_CALL && pk != K_NEW && pk != K_PAREN)
		return;
	if (fk != K_IDENT && fk != K_CALL && fk != K_PAREN)
		return;
	struct ref r;
	if (resolve_call(c, n, 0, &r))
		handle_ref(c, n, depth, &r, true);
}

/* Binds target (identifier or object pattern) to what value yields. */
static void bind_from(struct ctx *c, TSNode target, TSNode value)
{
	if (ts_node_is_null(target) || ts_node_is_null(value))
		return;
	uint8_t tk = kind_of(target);
	if (tk != K_IDENT && tk != K_OBJ_PATTERN)
		return;
	uint8_t vk0 = kind_of(value);
	if (tk == K_IDENT && (vk0 == K_STRING || vk0 == K_TEMPLATE || vk0 == K_BINARY ||
	                      vk0 == K_MEMBER || vk0 == K_SUBSCRIPT || vk0 == K_TERNARY ||
	                      vk0 == K_PAREN || vk0 == K_NEW || vk0 == K_CALL) &&
	    url_class(c, value, 0) == U_REG) {
		/* const url = `https://registry.npmjs.org/${name}/-/...` */
		struct ref u;
		size_t len;
		const char *s = ntext(c, target, &len);
		ref_ns(&u, M_URLREG, "registry URL");
		bind_set(c, s, len, &u);
		return;
	}
	if (vk0 != K_CALL && vk0 != K_IDENT && vk0 != K_MEMBER && vk0 != K_SUBSCRIPT &&
	    vk0 != K_AWAIT && vk0 != K_PAREN && vk0 != K_SEQ && vk0 != K_BINARY && vk0 != K_NEW &&
	    vk0 != K_ARRAY && vk0 != K_TERNARY) {
		/* A function, an object, a literal: no module, and no longer one. */
		if (tk == K_IDENT && c->nbind) {
			size_t len;
			const char *s = ntext(c, target, &len);
			bind_clear(c, s, len);
		}
		return;
	}
	struct ref r;
	bool ok = resolve(c, value, 0, &r);
	/* const env = process.env.NODE_ENV: a value read from the environment
	 * (reported there), not an alias of process.env. */
	if (ok && r.mod == M_ENV && r.member)
		ok = false;
	if (!ok && tk == K_IDENT) {
		uint8_t vk = kind_of(value);
		if ((vk == K_CALL || vk == K_NEW || vk == K_IDENT || vk == K_AWAIT || vk == K_PAREN) &&
		    decode_label(c, value, 0)) {
			ref_ns(&r, M_DECODED, "decoded");
			ok = true;
		} else if (vk == K_ARRAY) {
			uint32_t num = count_numbers(c, value, 0);
			if (num >= CHARCODES_MIN) {
				ref_ns(&r, M_CHARCODES, "char codes");
				r.nlen = (uint8_t)snprintf(r.name, sizeof r.name, "%u", num);
				ok = true;
			}
		}
	}
	if (tk == K_IDENT) {
		size_t len;
		const char *s = ntext(c, target, &len);
		if (ok)
			bind_set(c, s, len, &r);
		else
			bind_clear(c, s, len);
		return;
	}
	if (!ok || r.member)
		return;
	/* const {exec, spawn: sp, promises: fsp} = require("child_process") */
	TSTreeCursor *t = cur_get(c, target);
	if (!t)
		return;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			uint8_t ck = kind_of(ch);
			TSNode key = {0}, local = {0};
			if (ck == K_SHORTHAND_PAT) {
				key = local = ch;
			} else if (ck == K_OBJ_ASSIGN_PAT) {
				TSNode l = field(ch, G.f_left);
				if (kind_of(l) == K_SHORTHAND_PAT)
					key = local = l;
			} else if (ck == K_PAIR_PAT) {
				key = field(ch, G.f_key);
				local = field(ch, G.f_value);
				if (kind_of(local) == K_ASSIGN_PAT)
					local = field(local, G.f_left);
				if (kind_of(local) != K_IDENT)
					local = (TSNode){0};
			} else if (ck == K_REST_PAT && r.mod != M_ENV) {
				TSNode id = inner(c, ch, false);
				if (kind_of(id) == K_IDENT) {
					size_t len;
					const char *s = ntext(c, id, &len);
					bind_set(c, s, len, &r);
				}
				continue;
			}
			if (ts_node_is_null(key))
				continue;
			CONST_BUF(kb, NAME_CAP);
			size_t klen;
			const char *ks;
			if (kind_of(key) == K_STRING) {
				if (!const_str(c, key, &kb, 0))
					continue;
				ks = kb.p;
				klen = kb.n;
			} else {
				ks = ntext(c, key, &klen);
			}
			struct ref m;
			if (!member_of(&r, ks, klen, &m))
				continue;
			if (r.mod == M_ENV) {
				/* const {NPM_TOKEN} = process.env: each key is read. */
				env_member(c, key, -1, &m);
				continue;
			}
			if (ts_node_is_null(local))
				continue;
			size_t llen;
			const char *ls = ntext(c, local, &llen);
			bind_set(c, ls, llen, &m);
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
}

static void visit_import(struct ctx *c, TSNode n)
{
	TSNode srcn = field(n, G.f_source);
	CONST_BUF(b, 256);
	if (ts_node_is_null(srcn) || !const_str(c, srcn, &b, 0))
		return;
	const struct modent *m = module_lookup(b.p, b.n);
	if (!m)
		return;
	module_seen(c, m, n);
	struct ref ns;
	ref_ns(&ns, m->mod, m->name);
	TSTreeCursor *t = cur_get(c, n);
	if (!t)
		return;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode cl = ts_tree_cursor_current_node(t);
			if (kind_of(cl) != K_IMPORT_CLAUSE)
				continue;
			TSTreeCursor *u = cur_get(c, cl);
			if (!u)
				break;
			if (ts_tree_cursor_goto_first_child(u)) {
				do {
					TSNode ch = ts_tree_cursor_current_node(u);
					uint8_t ck = kind_of(ch);
					size_t len;
					const char *s;
					if (ck == K_IDENT) {            /* import cp from "x" */
						s = ntext(c, ch, &len);
						bind_set(c, s, len, &ns);
					} else if (ck == K_NS_IMPORT) { /* import * as cp from "x" */
						TSNode id = inner(c, ch, false);
						if (kind_of(id) == K_IDENT) {
							s = ntext(c, id, &len);
							bind_set(c, s, len, &ns);
						}
					} else if (ck == K_NAMED_IMPORTS) {
						TSTreeCursor *v = cur_get(c, ch);
						if (!v)
							continue;
						if (ts_tree_cursor_goto_first_child(v)) {
							do {
								TSNode sp = ts_tree_cursor_current_node(v);
								if (kind_of(sp) != K_IMPORT_SPEC)
									continue;
								TSNode name = field(sp, G.f_name);
								TSNode alias = field(sp, G.f_alias);
								CONST_BUF(nb, NAME_CAP);
								const char *ns_s;
								size_t ns_n;
								if (kind_of(name) == K_STRING) {
									if (!const_str(c, name, &nb, 0))
										continue;
									ns_s = nb.p;
									ns_n = nb.n;
								} else {
									ns_s = ntext(c, name, &ns_n);
								}
								TSNode local = ts_node_is_null(alias) ? name : alias;
								if (kind_of(local) != K_IDENT)
									continue;
								struct ref mr;
								if (!member_of(&ns, ns_s, ns_n, &mr))
									continue;
								s = ntext(c, local, &len);
								bind_set(c, s, len, &mr);
							} while (ts_tree_cursor_goto_next_sibling(v));
						}
						cur_put(c);
					}
				} while (ts_tree_cursor_goto_next_sibling(u));
			}
			cur_put(c);
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
}

static void visit_export(struct ctx *c, TSNode n)
{
	TSNode srcn = field(n, G.f_source);
	CONST_BUF(b, 256);
	if (ts_node_is_null(srcn) || !const_str(c, srcn, &b, 0))
		return;
	const struct modent *m = module_lookup(b.p, b.n);
	if (m)
		module_seen(c, m, n);
}

static bool ensure_buf(struct ctx *c, size_t need)
{
	if (need > LIT_CAP)
		need = LIT_CAP;
	if (c->bufcap >= need)
		return true;
	size_t cap = c->bufcap ? c->bufcap : 4096;
	while (cap < need)
		cap *= 2;
	if (cap > LIT_CAP)
		cap = LIT_CAP;
	char *p = realloc(c->buf, cap);
	if (!p) {
		c->out->oom = true;
		return false;
	}
	c->buf = p;
	c->bufcap = cap;
	return true;
}

static void chain_finish(struct ctx *c)
{
	if (c->chain && c->chain_esc >= CHAIN_ESC_MIN && c->chain_str >= CHAIN_STR_MIN) {
		char det[96];
		snprintf(det, sizeof det, "string built from %u hex escapes in %u pieces",
		         c->chain_esc, c->chain_str);
		emit_at(c, AT_OBF, c->chain_off, c->chain_row, det);
	}
	c->chain = false;
}

/* A string with escapes inside a + expression: measure the outermost
 * binary expression around it (found on the ancestor stack). */
static void chain_add(struct ctx *c, int depth, uint32_t esc)
{
	if (depth <= 0 || depth >= STACK_MAX || c->sk[depth - 1] != K_BINARY)
		return;
	int top = depth - 1;
	while (top > 0 && c->sk[top - 1] == K_BINARY)
		top--;
	TSNode t = c->stk[top];
	uint32_t off = nstart(t);
	if (!c->chain || c->chain_off != off) {
		chain_finish(c);
		c->chain = true;
		c->chain_end = ts_node_end_byte(t);
		c->chain_off = off;
		c->chain_row = nrow(t);
		c->chain_esc = c->chain_str = 0;
	}
	c->chain_esc += esc;
	c->chain_str++;
}

/* A string literal's content: a URL, or the value of a host option, is
 * counted by where it points (see url_class). */
static void string_seen(struct ctx *c, TSNode n, int depth, const char *s, size_t len)
{
	if (len >= 7 && (s[0] | 0x20) == 'h') {
		url_literal(c, s, len, true);
		return;
	}
	/* A URL spelled in base64, hex or backwards points somewhere else. */
	if (len >= 8 && (memcmp(s, "aHR0cHM6", 8) == 0 || memcmp(s, "aHR0cDov", 8) == 0 ||
	                 strncasecmp(s, "68747470", 8) == 0 || memcmp(s, "//:sptth", 8) == 0 ||
	                 memcmp(s, "//:ptth", 7) == 0)) {
		c->url_other++;
		return;
	}
	if (!has_parent(depth) || c->sk[depth - 1] != K_PAIR)
		return;
	TSNode key = field(c->stk[depth - 1], G.f_key);
	if (ts_node_is_null(key) || nstart(key) == nstart(n) ||
	    !(text_is(c, key, "host") || text_is(c, key, "hostname") ||
	      text_is(c, key, "\"host\"") || text_is(c, key, "\"hostname\"") ||
	      text_is(c, key, "'host'") || text_is(c, key, "'hostname'")))
		return;
	if (is_registry_host(s, len))
		c->url_reg++;
	else
		c->url_other++;
}

static void visit_string(struct ctx *c, TSNode n, int depth)
{
	/* Fast path: "plain text" is one string_fragment, passed as is. */
	uint32_t named = ts_node_named_child_count(n);
	if (named == 0)
		return;
	if (named == 1) {
		TSNode f = ts_node_named_child(n, 0);
		if (kind_of(f) == K_FRAGMENT) {
			size_t len;
			const char *s = ntext(c, f, &len);
			uint32_t off = nstart(n);
			if (len >= 4)
				pv_scan_literal(c->src, off, nrow(n), s, len > LIT_CAP ? LIT_CAP : len, c->out);
			string_seen(c, n, depth, s, len);
			return;
		}
	}
	TSTreeCursor *t = cur_get(c, n);
	if (!t)
		return;
	const char *one = NULL;
	size_t one_n = 0, body = 0;
	uint32_t pieces = 0, hexesc = 0, uesc = 0;
	if (ts_tree_cursor_goto_first_child(t)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(t);
			uint8_t ck = kind_of(ch);
			size_t len;
			const char *s;
			if (ck == K_FRAGMENT) {
				s = ntext(c, ch, &len);
				if (!pieces) {
					one = s;
					one_n = len;
				}
				pieces++;
				body += len;
			} else if (ck == K_ESCAPE) {
				s = ntext(c, ch, &len);
				if (len >= 2 && s[1] == 'x')
					hexesc++;
				else if (len >= 2 && s[1] == 'u')
					uesc++;
				pieces += 2;   /* forces decoding */
				body += len;
			}
		} while (ts_tree_cursor_goto_next_sibling(t));
	}
	cur_put(c);
	if (!pieces)
		return;
	uint32_t off = nstart(n), row = nrow(n);
	if (hexesc + uesc)
		chain_add(c, depth, hexesc + uesc);
	if (pieces == 1) {
		pv_scan_literal(c->src, off, row, one, one_n > LIT_CAP ? LIT_CAP : one_n, c->out);
		string_seen(c, n, depth, one, one_n);
		return;
	}
	if (body < 4 || !ensure_buf(c, body))
		return;
	struct sbuf b = {c->buf, 0, c->bufcap, false};
	decode_literal(c, n, &b);
	pv_scan_literal(c->src, off, row, b.p, b.n, c->out);
	string_seen(c, n, depth, b.p, b.n);
	/* "\x72\x65\x71\x75\x69\x72\x65...": a literal spelled in hex escapes. */
	if (hexesc >= LIT_HEX_MIN && (size_t)hexesc * 4 * 10 >= body * 9) {
		size_t print = 0;
		for (size_t i = 0; i < b.n; i++)
			if ((unsigned char)b.p[i] >= 0x20 && (unsigned char)b.p[i] < 0x7F)
				print++;
		if (print * 10 >= b.n * 9) {
			char det[96];
			snprintf(det, sizeof det, "text spelled in %u hex escapes", hexesc);
			emit(c, AT_OBF, n, det);
		}
	}
}

static void visit_template(struct ctx *c, TSNode n)
{
	if (!ensure_buf(c, ts_node_end_byte(n) - ts_node_start_byte(n)))
		return;
	TSTreeCursor *t = cur_get(c, n);
	if (!t)
		return;
	struct sbuf b = {c->buf, 0, c->bufcap, false};
	struct dec d = {&b, 0};
	uint32_t off = 0, row = 0;
	bool run = false, subst = false;
	bool more = ts_tree_cursor_goto_first_child(t);
	while (more) {
		TSNode ch = ts_tree_cursor_current_node(t);
		uint8_t ck = kind_of(ch);
		more = ts_tree_cursor_goto_next_sibling(t);
		if (ck == K_FRAGMENT || ck == K_ESCAPE) {
			if (!run) {
				run = true;
				off = nstart(ch);
				row = nrow(ch);
				b.n = 0;
				b.trunc = false;
			}
			size_t len;
			const char *s = ntext(c, ch, &len);
			if (ck == K_FRAGMENT)
				dec_raw(&d, s, len);
			else
				dec_escape(&d, s, len);
			if (more)
				continue;
		}
		if (run) {
			dec_flush(&d);
			pv_scan_literal(c->src, off, row, b.p, b.n, c->out);
			url_literal(c, b.p, b.n, !subst && ck != K_TSUBST && !b.trunc);
			run = false;
		}
		if (ck == K_TSUBST)
			subst = true;
	}
	cur_put(c);
}

/* Returns whether the walk should descend into n. */
static bool visit(struct ctx *c, TSNode n, uint8_t k, int depth)
{
	switch (k) {
	case K_IDENT:
		visit_ident(c, n, depth);
		return false;
	case K_PROP_IDENT:
		if (depth > 0 && depth < STACK_MAX && c->sk[depth - 1] == K_MEMBER)
			visit_member(c, c->stk[depth - 1], depth - 1, n);
		return false;
	case K_SUBSCRIPT:
		visit_subscript(c, n, depth);
		return true;
	case K_CALL:
		visit_call(c, n, depth);
		return true;
	case K_STRING:
		visit_string(c, n, depth);
		return false;
	case K_TEMPLATE:
		visit_template(c, n);
		return true;
	case K_IMPORT_STMT:
		visit_import(c, n);
		return true;
	case K_EXPORT_STMT:
		visit_export(c, n);
		return true;
	case K_COMMENT:
	case K_REGEX:
		return false;
	default:
		return true;
	}
}

/* ---- after the walk ------------------------------------------------------- */

static bool obfuscation_since(const struct ctx *c)
{
	for (size_t i = c->out0; i < c->out->n; i++)
		if (strcmp(c->out->v[i].attr, attr_ids[AT_OBF]) == 0)
			return true;
	return false;
}

/* Do all the downloads of this file come from the npm registry? Each one
 * whose URL is known must point there; when some URL is not known here
 * (a parameter, a redirect's location), the URLs the file spells must all
 * be the registry's (or its URL comes from npm_config_registry), and
 * nothing in the file may be obfuscated. */
static bool registry_only(const struct ctx *c)
{
	if (c->dl_other || c->url_other || (!c->dl_reg && !c->dl_unknown))
		return false;
	if (!c->dl_unknown)
		return true;
	return (c->url_reg || c->env_registry) && !obfuscation_since(c);
}

static void finish(struct ctx *c)
{
	chain_finish(c);
	if (c->hex_ids >= HEX_ID_MIN) {
		char det[96];
		snprintf(det, sizeof det, "%u identifiers named like _0x... (obfuscator output)", c->hex_ids);
		emit_at(c, AT_OBF, c->hex_first.off, c->hex_first.row, det);
	}
	if (c->fp_strong && c->fp_weak.set)
		emit_at(c, AT_FP, c->fp_weak.off, c->fp_weak.row, c->fp_weak.what);
	/* Modules imported but never used through a visible member (passed
	 * around, re-exported, reached with computed keys). */
	for (int m = 0; m < M__COUNT; m++) {
		enum attr a;
		if (!c->modsite[m].set || c->modused[m] || !fallback_mod((uint8_t)m, &a))
			continue;
		if (c->emitted & (1u << a))
			continue;
		emit_at(c, a, c->modsite[m].off, c->modsite[m].row, c->modsite[m].what);
	}
	/* download-exec: a fetch, a write (or a pipe into a process) and an
	 * execution, all in this file. */
	const struct site *x = c->exec.set ? &c->exec : c->chmod.set ? &c->chmod
	                     : c->evald.set ? &c->evald : NULL;
	if (c->net.set && c->wrote && x && !registry_only(c)) {
		char det[256];
		snprintf(det, sizeof det, "fetches (%s, line %u), writes, then runs (%s)",
		         c->net.what, c->net.row + 1, x->what);
		emit_at(c, AT_DLEXEC, x->off, x->row, det);
	} else if (c->net_any.set && c->piped_stdin && c->exec.set) {
		/* socket.pipe(shell.stdin): a reverse shell runs what the
		 * network sends. */
		char det[256];
		snprintf(det, sizeof det, "network stream (%s, line %u) piped into a process (%s)",
		         c->net_any.what, c->net_any.row + 1, c->exec.what);
		emit_at(c, AT_DLEXEC, c->exec.off, c->exec.row, det);
	}
}

/* ---- data modules ---------------------------------------------------------- */

/* Is the expression at n made of literals only (strings and templates
 * without substitutions, numbers, true/false/null/undefined, unary
 * operators on them, and objects/arrays of those with plain keys)? */
static bool literal_only(TSNode n)
{
	TSTreeCursor t = ts_tree_cursor_new(n);
	bool ok = true;
	int depth = 0;
	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&t);
		if (ts_node_is_named(x)) {
			switch (kind_of(x)) {
			case K_STRING: case K_FRAGMENT: case K_ESCAPE: case K_TEMPLATE: case K_NUMBER:
			case K_TRUE: case K_FALSE: case K_NULL: case K_UNDEFINED: case K_OBJECT:
			case K_PAIR: case K_ARRAY: case K_PROP_IDENT: case K_COMMENT: case K_UNARY:
				break;
			default:
				ok = false;   /* a name, a call, a function, a computed key... */
				break;
			}
			if (!ok)
				break;
		}
		if (ts_tree_cursor_goto_first_child(&t)) {
			depth++;
			continue;
		}
		bool next = false;
		while (depth > 0) {
			if (ts_tree_cursor_goto_next_sibling(&t)) {
				next = true;
				break;
			}
			ts_tree_cursor_goto_parent(&t);
			depth--;
		}
		if (!next)
			break;
	}
	ts_tree_cursor_delete(&t);
	return ok;
}

/* A pure data module: besides comments and a "use strict" prologue, its
 * only statement exports a literal (module.exports = "...", module.exports
 * = {...}, export default [...]). Nothing in it can run its content. */
static bool is_data_module(struct ctx *c, TSNode root)
{
	if (ts_node_has_error(root))
		return false;
	uint32_t n = ts_node_named_child_count(root);
	bool exported = false;
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(root, i);
		uint8_t k = kind_of(st);
		if (k == K_COMMENT || k == K_HASHBANG || k == K_EMPTY_STMT)
			continue;
		if (exported)
			return false;
		TSNode value = {0};
		if (k == K_EXPR_STMT) {
			TSNode e = inner(c, st, false);
			uint8_t ek = kind_of(e);
			if (ek == K_STRING) {
				if (text_is(c, e, "\"use strict\"") || text_is(c, e, "'use strict'"))
					continue;
				return false;
			}
			if (ek != K_ASSIGN)
				return false;
			TSNode l = field(e, G.f_left);
			if (kind_of(l) != K_MEMBER || kind_of(ts_node_child(l, 0)) != K_IDENT ||
			    !text_is(c, ts_node_child(l, 0), "module") ||
			    !text_is(c, member_property(l), "exports"))
				return false;
			value = field(e, G.f_right);
		} else if (k == K_EXPORT_STMT) {
			value = field(st, G.f_value);
		} else {
			return false;
		}
		if (ts_node_is_null(value) || !literal_only(value))
			return false;
		exported = true;
	}
	return exported;
}

/* Drops the obfuscation findings this file added (a data module's packed
 * strings are data, not code). The list is this file's own from out0 on. */
static void drop_obfuscation(struct ctx *c)
{
	struct pv_findings *o = c->out;
	size_t w = c->out0;
	for (size_t i = c->out0; i < o->n; i++) {
		struct pv_finding *f = &o->v[i];
		if (strcmp(f->attr, attr_ids[AT_OBF]) == 0) {
			free(f->attr);
			free(f->file);
			free(f->excerpt);
			free(f->detail);
			continue;
		}
		o->v[w++] = *f;
	}
	o->n = w;
}

/* ---- entry point ---------------------------------------------------------- */

/* Top-level `function fetch(...) {...}`: declarations are hoisted, so in
 * the whole file the name is the file's own function (its body is
 * analysed like any code), not the global network client. */
static void local_functions(struct ctx *c, TSNode root)
{
	static const char *const shadowable[] = {
		"fetch", "XMLHttpRequest", "WebSocket", "EventSource", NULL,
	};
	uint32_t n = ts_node_named_child_count(root);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(root, i);
		if (kind_of(st) == K_EXPORT_STMT)
			st = G.f_declaration ? field(st, G.f_declaration) : (TSNode){0};
		if (kind_of(st) != K_FUNC_DECL)
			continue;
		TSNode name = field(st, G.f_name);
		if (ts_node_is_null(name))
			continue;
		size_t len = 0;
		const char *s = ntext(c, name, &len);
		if (!in_list(s, len, shadowable))
			continue;
		struct ref r;
		ref_ns(&r, M_LOCAL, "local function");
		bind_set(c, s, len, &r);
	}
}

static void walk(struct ctx *c, TSNode root)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	int depth = 0;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		TSSymbol sym = ts_node_symbol(n);
		uint8_t k = sym < KIND_TAB ? G.kind[sym] : K_OTHER;
		if (c->chain && ts_node_start_byte(n) >= c->chain_end)
			chain_finish(c);
		if (depth < STACK_MAX) {
			c->stk[depth] = n;
			c->sk[depth] = k;
			/* The value of `const x = v` / `x = v`: bind x before v's
			 * subtree is walked (the name starts where the parent does). */
			if (depth > 0 && (c->sk[depth - 1] == K_DECL || c->sk[depth - 1] == K_ASSIGN) &&
			    k != K_COMMENT && ts_node_is_named(n) &&
			    ts_node_start_byte(n) != ts_node_start_byte(c->stk[depth - 1]))
				bind_from(c, ts_node_child(c->stk[depth - 1], 0), n);
		}
		bool down = k == K_OTHER ? true : visit(c, n, k, depth);
		if (down && ts_tree_cursor_goto_first_child(&cur)) {
			depth++;
			continue;
		}
		for (;;) {
			if (ts_tree_cursor_goto_next_sibling(&cur))
				break;
			if (!ts_tree_cursor_goto_parent(&cur))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&cur);
}

int pv_analyze_js(const struct pv_source *src, struct pv_findings *out)
{
	pthread_once(&g_once, g_init);
	if (!G.lang || !G.ok || !src || !out)
		return -1;
	if (!src->data || src->len == 0)
		return 0;
	if (src->len > UINT32_MAX - 1)
		return 0;   /* beyond what tree-sitter can address */

	TSParser *parser = ts_parser_new();
	if (!parser)
		return -1;
	if (!ts_parser_set_language(parser, G.lang)) {
		ts_parser_delete(parser);
		return -1;
	}
	/* A pathological file must not hang the audit: 2 s plus 2 s per MB. */
	ts_parser_set_timeout_micros(parser, 2000000u + (uint64_t)src->len * 2u);
	TSTree *tree = ts_parser_parse_string_encoding(parser, NULL, src->data, (uint32_t)src->len,
	                                               TSInputEncodingUTF8);
	ts_parser_delete(parser);
	if (!tree)
		return 0;   /* timed out: nothing more to say about this file */

	struct ctx *c = calloc(1, sizeof *c);
	int rc = 0;
	if (!c) {
		ts_tree_delete(tree);
		return -1;
	}
	c->src = src;
	c->out = out;
	c->out0 = out->n;
	c->d = src->data;
	c->len = src->len;
	c->stk = malloc(STACK_MAX * sizeof *c->stk);
	c->sk = malloc(STACK_MAX);
	c->bind = malloc(BIND_MAX * sizeof *c->bind);
	c->slot = calloc(BIND_SLOTS, sizeof *c->slot);
	if (!c->stk || !c->sk || !c->bind || !c->slot) {
		rc = -1;
		goto out;
	}
	local_functions(c, ts_tree_root_node(tree));
	walk(c, ts_tree_root_node(tree));
	finish(c);
	if (obfuscation_since(c) && is_data_module(c, ts_tree_root_node(tree)))
		drop_obfuscation(c);
out:
	for (int i = 0; i < c->cur_made; i++)
		ts_tree_cursor_delete(&c->cur[i]);
	free(c->stk);
	free(c->sk);
	free(c->bind);
	free(c->slot);
	free(c->buf);
	free(c);
	ts_tree_delete(tree);
	return rc;
}
