/* analyze_py.c - Python analyser (.py, setup.py, .pth).
 *
 * One tree-sitter parse per file, one iterative walk over the tree with a
 * TSTreeCursor (no recursion over the tree: deep nesting cannot exhaust the
 * stack). While walking we keep:
 *   - a small name table: import aliases (`import subprocess as sp`,
 *     `from os import system as s`, `m = __import__("os")`) and taint bits
 *     for names assigned from decoded / fetched / whole-environment data;
 *   - a frame per tree depth with the node, its kind and bits that flow up
 *     from its subtree (so `exec(base64.b64decode(x))` is seen at the exec
 *     call when it is left).
 * Calls are resolved to a qualified name ("os.system", "requests.get") and
 * looked up in a rule table; that gives the permissions. File-level facts
 * (mangled identifiers, install hooks) are reported once the walk is done.
 *
 * download-exec follows data: fetched data (taint F_FETCH, kept to the
 * function it was fetched in) written to a file is a drop, known by the
 * names of that file; a run, chmod +x or load of an expression naming a
 * drop is a download-exec, and so is running fetched data as code or as a
 * command. Across the file's own functions, summaries (returns fetched
 * data, writes / runs a parameter, returns the path it wrote) are matched
 * with the calls once the walk is done.
 *
 * exec()/eval() of a constant string is parsed again (bounded) and its
 * findings are reported at the exec call. .pth files are analysed line by
 * line: only `import ...` lines are executed by Python at start-up. */
#include "analyze.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);

/* ---------------------------------------------------------------- limits */

#define QMAX 128            /* qualified name buffer */
#define NAME_MAX_ 64        /* identifier length kept in the name table */
#define TAB_SLOTS 1024      /* name table slots (open addressing) */
#define TAB_FILL 768        /* entries beyond this are dropped */
#define STAR_MAX 8          /* `from X import *` modules remembered */
#define XSITE_MAX 256       /* run / chmod / load sites kept for download-exec */
#define SITE_MAX 256        /* network fetch sites kept (for details) */
#define DROP_MAX 32         /* writes of fetched data (drops) kept for download-exec */
#define DKEY_MAX 8          /* names / path pieces one drop is known by */
#define KEY_LEN 64          /* one key: an expression's text without spaces */
#define UKEYS_LEN 768       /* keys of the expressions one run site uses */
#define UTEXT_LEN 512       /* string contents of the expressions one run site uses */
#define FBIND_MAX 32        /* file objects opened for writing, by name */
#define SCOPE_MAX 64        /* nested function definitions tracked */
#define FN_MAX 64           /* functions with a download-exec summary */
#define CALL_MAX 128        /* calls of the file's own functions kept (with a summary) */
#define RAW_MAX 1024        /* calls of the file's own functions noted in one buffer */
#define CARGS 3             /* arguments kept per call */
#define CUSE_LEN 96         /* keys kept per call argument */
#define RKEYS_LEN 128       /* keys of what a function returns */
#define PNAME_LEN 32        /* parameter names kept */
#define POOL_MAX 8          /* helper cursors */
#define PENDING_MAX 16      /* exec("...") strings queued for a nested parse */
#define PENDING_LEN (256u * 1024u)
#define NEST_MAX 2          /* exec("exec('...')") levels followed */
#define LIT_MAX (16u * 1024u * 1024u) /* decoded literal bytes handed to the scanner */
#define INTLIST_MIN 20      /* small ints in a list fed to chr/bytes */
#define MANGLED_MIN 3       /* mangled identifiers before obfuscation is reported */
#define HOOK_MAX 16         /* install-hook sites collected (best kept, see finish) */
#define RECENT 8            /* recent (attribute, line) pairs, to report a line once */

/* ------------------------------------------------------------ node kinds */

enum kind {
	K_NONE = 0,
	K_MODULE, K_CALL, K_ATTRIBUTE, K_IDENTIFIER, K_IMPORT, K_IMPORT_FROM,
	K_ALIASED_IMPORT, K_DOTTED_NAME, K_WILDCARD_IMPORT, K_RELATIVE_IMPORT,
	K_STRING, K_STRING_START, K_STRING_CONTENT, K_INTERPOLATION, K_ESCAPE_INTERP,
	K_CONCAT, K_BINOP, K_SUBSCRIPT, K_SLICE, K_ARGLIST, K_KWARG, K_FUNCDEF,
	K_CLASSDEF, K_DECORATED, K_ASSIGN, K_AUGASSIGN, K_AS_PATTERN, K_AS_TARGET,
	K_PAREN, K_LIST, K_TUPLE, K_SET, K_DICT, K_PAIR, K_INTEGER, K_COMMENT,
	K_TRY, K_EXCEPT, K_BLOCK, K_PASS, K_DELETE, K_EXPR_LIST, K_PATTERN_LIST,
	K_EXEC_STMT, K_COMPARISON, K_LIST_SPLAT, K_DICT_SPLAT, K_EXPR_STMT,
	K_FUTURE_IMPORT, K_GENERATOR, K_TRUE, K_LAMBDA, K_IF, K_FOR, K_RETURN, K_AWAIT,
	K_PARAMS, K_DEFAULT_PARAM, K_TYPED_PARAM, K_TYPED_DEFAULT_PARAM, K_GLOBAL,
	K__COUNT
};

static const char *const kind_names[K__COUNT] = {
	[K_MODULE] = "module", [K_CALL] = "call", [K_ATTRIBUTE] = "attribute",
	[K_IDENTIFIER] = "identifier", [K_IMPORT] = "import_statement",
	[K_IMPORT_FROM] = "import_from_statement", [K_ALIASED_IMPORT] = "aliased_import",
	[K_DOTTED_NAME] = "dotted_name", [K_WILDCARD_IMPORT] = "wildcard_import",
	[K_RELATIVE_IMPORT] = "relative_import", [K_STRING] = "string",
	[K_STRING_START] = "string_start", [K_STRING_CONTENT] = "string_content",
	[K_INTERPOLATION] = "interpolation", [K_ESCAPE_INTERP] = "escape_interpolation",
	[K_CONCAT] = "concatenated_string", [K_BINOP] = "binary_operator",
	[K_SUBSCRIPT] = "subscript", [K_SLICE] = "slice", [K_ARGLIST] = "argument_list",
	[K_KWARG] = "keyword_argument", [K_FUNCDEF] = "function_definition",
	[K_CLASSDEF] = "class_definition", [K_DECORATED] = "decorated_definition",
	[K_ASSIGN] = "assignment", [K_AUGASSIGN] = "augmented_assignment",
	[K_AS_PATTERN] = "as_pattern", [K_AS_TARGET] = "as_pattern_target",
	[K_PAREN] = "parenthesized_expression", [K_LIST] = "list", [K_TUPLE] = "tuple",
	[K_SET] = "set", [K_DICT] = "dictionary", [K_PAIR] = "pair", [K_INTEGER] = "integer",
	[K_COMMENT] = "comment", [K_TRY] = "try_statement", [K_EXCEPT] = "except_clause",
	[K_BLOCK] = "block", [K_PASS] = "pass_statement", [K_DELETE] = "delete_statement",
	[K_EXPR_LIST] = "expression_list", [K_PATTERN_LIST] = "pattern_list",
	[K_EXEC_STMT] = "exec_statement", [K_COMPARISON] = "comparison_operator",
	[K_LIST_SPLAT] = "list_splat", [K_DICT_SPLAT] = "dictionary_splat",
	[K_EXPR_STMT] = "expression_statement", [K_FUTURE_IMPORT] = "future_import_statement",
	[K_GENERATOR] = "generator_expression", [K_TRUE] = "true",
	[K_LAMBDA] = "lambda", [K_IF] = "if_statement", [K_FOR] = "for_statement",
	[K_RETURN] = "return_statement", [K_AWAIT] = "await", [K_PARAMS] = "parameters",
	[K_DEFAULT_PARAM] = "default_parameter", [K_TYPED_PARAM] = "typed_parameter",
	[K_TYPED_DEFAULT_PARAM] = "typed_default_parameter", [K_GLOBAL] = "global_statement",
};

enum field {
	FL_FUNCTION, FL_ARGUMENTS, FL_OBJECT, FL_ATTRIBUTE, FL_LEFT, FL_RIGHT, FL_NAME,
	FL_ALIAS, FL_MODULE_NAME, FL_VALUE, FL_SUBSCRIPT, FL_SUPERCLASSES, FL_BODY,
	FL_OPERATOR, FL_CODE, FL_KEY, FL_DEFINITION, FL_CONDITION, FL_PARAMETERS,
	FL__COUNT
};

static const char *const field_names[FL__COUNT] = {
	"function", "arguments", "object", "attribute", "left", "right", "name",
	"alias", "module_name", "value", "subscript", "superclasses", "body",
	"operator", "code", "key", "definition", "condition", "parameters",
};

/* ------------------------------------------------------ call classes */

enum cls {
	C_NONE = 0,
	C_PROC,        /* runs a program */
	C_PROC_SHELL,  /* runs a shell command line (first argument) */
	C_SUBPROC,     /* subprocess.*: command line when a string / list */
	C_STARTFILE,
	C_NET,
	C_RETRIEVE,    /* urlretrieve: network + file write */
	C_FSW,
	C_FSR,
	C_OPEN,        /* open(path, mode): mode is argument 1 */
	C_OPEN_PATH,   /* Path.open(mode): mode is argument 0 */
	C_OSOPEN,      /* os.open(path, flags) */
	C_CHMOD,       /* os.chmod(path, mode) */
	C_CHMOD_PATH,  /* Path.chmod(mode) */
	C_ENV_GET,
	C_ENV_SET,
	C_EVAL,        /* eval / exec / compile / execfile */
	C_IMPORT,      /* __import__ / importlib.import_module */
	C_CODEGEN,
	C_MARSHAL,     /* marshal.loads: codegen and decode */
	C_DECODE,
	C_CODECS,      /* codecs.decode(x, 'hex'|'rot13'|...) */
	C_NATIVE,
	C_FINGER,
	C_GETATTR,
	C_CHR,
	C_BYTES,
	C_SINK,        /* serialises its argument */
	C_MREAD,       /* x.read(): file data */
	C_MDECODE,     /* x.decode('base64') */
	C_MSINK,       /* x.format(...), x.write(...), session.post(...) */
	C_PASS,        /* dict(x), list(x), copy.copy(x): the result is the argument */
	C_MRECV,       /* x.recv(n): data from a socket */
};

struct rule {
	const char *pat; /* exact, or a prefix when it ends in '*' */
	unsigned char len;
	unsigned char cls;
};
#define R(p, c) {p, (unsigned char)(sizeof(p) - 1), c}

/* First match wins: exclusions come before the broad prefixes. */
static const struct rule rules[] = {
	/* process */
	R("subprocess.CalledProcessError", C_NONE), R("subprocess.TimeoutExpired", C_NONE),
	R("subprocess.SubprocessError", C_NONE), R("subprocess.list2cmdline", C_NONE),
	R("subprocess.getoutput", C_PROC_SHELL), R("subprocess.getstatusoutput", C_PROC_SHELL),
	R("subprocess.*", C_SUBPROC),
	R("os.system", C_PROC_SHELL), R("os.popen*", C_PROC_SHELL), R("os.exec*", C_PROC),
	R("os.spawn*", C_PROC), R("os.posix_spawn*", C_PROC), R("os.startfile", C_STARTFILE),
	R("pty.spawn", C_PROC), R("commands.getoutput", C_PROC_SHELL),
	R("commands.getstatusoutput", C_PROC_SHELL), R("commands.getstatus", C_PROC),
	R("popen2.*", C_PROC_SHELL), R("platform.popen", C_PROC_SHELL),
	R("asyncio.create_subprocess_shell", C_PROC_SHELL),
	R("asyncio.create_subprocess_exec", C_PROC),
	R("pip.main", C_PROC), R("pip._internal.main", C_PROC), R("pip._internal.cli.main.main", C_PROC),
	R("pexpect.spawn", C_PROC), R("pexpect.run", C_PROC_SHELL),
	R("win32api.ShellExecute*", C_PROC), R("win32process.CreateProcess*", C_PROC),
	/* environment */
	R("os.getenv", C_ENV_GET), R("os.getenvb", C_ENV_GET),
	R("os.putenv", C_ENV_SET), R("os.unsetenv", C_ENV_SET),
	/* host identity */
	R("getpass.getuser", C_FINGER), R("socket.gethostname", C_FINGER),
	R("socket.getfqdn", C_FINGER), R("platform.node", C_FINGER), R("platform.uname", C_FINGER),
	R("os.getlogin", C_FINGER), R("os.uname", C_FINGER), R("uuid.getnode", C_FINGER),
	/* network */
	R("socket.error", C_NONE), R("socket.timeout", C_NONE), R("socket.gaierror", C_NONE),
	R("socket.herror", C_NONE), R("socket.inet_*", C_NONE), R("socket.hton*", C_NONE),
	R("socket.ntoh*", C_NONE), R("socket.getdefaulttimeout", C_NONE),
	R("socket.setdefaulttimeout", C_NONE), R("socket.has_ipv6", C_NONE),
	R("socket.AF_*", C_NONE), R("socket.SOCK_*", C_NONE), R("socket.SOL_*", C_NONE),
	R("socket.SO_*", C_NONE), R("socket.IPPROTO_*", C_NONE),
	R("socket.*", C_NET),
	R("urllib.parse.urlencode", C_SINK), R("urllib.urlencode", C_SINK),
	R("urllib.parse.*", C_NONE), R("urllib.error.*", C_NONE),
	R("urllib.quote*", C_NONE), R("urllib.unquote*", C_NONE), R("urllib.pathname2url", C_NONE),
	R("urllib.url2pathname", C_NONE),
	R("urllib.request.urlretrieve", C_RETRIEVE), R("urllib.urlretrieve", C_RETRIEVE),
	R("six.moves.urllib.request.urlretrieve", C_RETRIEVE),
	R("urllib.request.pathname2url", C_NONE), R("urllib.request.url2pathname", C_NONE),
	R("urllib.request.*", C_NET), R("urllib.*", C_NET), R("six.moves.urllib.request.*", C_NET),
	R("urllib2.*", C_NET),
	R("urllib3.exceptions.*", C_NONE), R("urllib3.util.*", C_NONE),
	R("urllib3.disable_warnings", C_NONE), R("urllib3.*", C_NET),
	R("requests.exceptions.*", C_NONE), R("requests.utils.*", C_NONE),
	R("requests.structures.*", C_NONE), R("requests.compat.*", C_NONE),
	R("requests.codes*", C_NONE), R("requests.status_codes*", C_NONE),
	R("requests.packages.urllib3.disable_warnings", C_NONE),
	R("requests.*", C_NET),
	R("http.client.HTTPException", C_NONE), R("http.client.responses", C_NONE),
	R("http.client.*", C_NET), R("httplib.*", C_NET), R("http.server.*", C_NET),
	R("socketserver.*", C_NET), R("SocketServer.*", C_NET),
	R("httpx.*", C_NET), R("aiohttp.*", C_NET), R("ftplib.*", C_NET), R("smtplib.*", C_NET),
	R("telnetlib.*", C_NET), R("poplib.*", C_NET), R("imaplib.*", C_NET),
	R("websocket.*", C_NET), R("websockets.*", C_NET), R("pycurl.*", C_NET),
	R("paramiko.*", C_NET), R("xmlrpc.client.*", C_NET), R("xmlrpclib.*", C_NET),
	R("asyncio.open_connection", C_NET), R("dns.resolver.*", C_NET),
	/* code generation */
	R("eval", C_EVAL), R("exec", C_EVAL), R("execfile", C_EVAL), R("compile", C_EVAL),
	R("__import__", C_IMPORT), R("importlib.import_module", C_IMPORT),
	R("importlib.__import__", C_IMPORT),
	R("marshal.loads", C_MARSHAL), R("marshal.load", C_MARSHAL),
	R("types.FunctionType", C_CODEGEN), R("types.CodeType", C_CODEGEN),
	R("types.LambdaType", C_CODEGEN),
	R("pickle.loads", C_CODEGEN), R("pickle.load", C_CODEGEN), R("pickle.Unpickler", C_CODEGEN),
	R("cPickle.load*", C_CODEGEN), R("_pickle.load*", C_CODEGEN), R("dill.load*", C_CODEGEN),
	R("cloudpickle.load*", C_CODEGEN),
	R("runpy.run_*", C_CODEGEN), R("imp.load_source", C_CODEGEN), R("imp.load_module", C_CODEGEN),
	R("imp.load_compiled", C_CODEGEN),
	R("importlib.machinery.SourceFileLoader*", C_CODEGEN),
	R("importlib.machinery.SourcelessFileLoader*", C_CODEGEN),
	R("importlib.util.spec_from_file_location", C_CODEGEN),
	R("imp.load_dynamic", C_NATIVE), R("importlib.machinery.ExtensionFileLoader*", C_NATIVE),
	R("getattr", C_GETATTR),
	/* decoding */
	R("base64.b64decode", C_DECODE), R("base64.b32decode", C_DECODE),
	R("base64.b32hexdecode", C_DECODE), R("base64.b16decode", C_DECODE),
	R("base64.a85decode", C_DECODE), R("base64.b85decode", C_DECODE),
	R("base64.urlsafe_b64decode", C_DECODE), R("base64.standard_b64decode", C_DECODE),
	R("base64.decodebytes", C_DECODE), R("base64.decodestring", C_DECODE),
	R("base64.decode", C_DECODE),
	R("binascii.unhexlify", C_DECODE), R("binascii.a2b_*", C_DECODE),
	R("zlib.decompress*", C_DECODE), R("gzip.decompress", C_DECODE),
	R("bz2.decompress", C_DECODE), R("lzma.decompress", C_DECODE),
	R("bytes.fromhex", C_DECODE), R("bytearray.fromhex", C_DECODE),
	R("codecs.decode", C_CODECS), R("codecs.getdecoder", C_CODECS),
	/* native code */
	R("ctypes.*", C_NATIVE), R("_ctypes.*", C_NATIVE), R("cffi.*", C_NATIVE),
	/* file system */
	R("open", C_OPEN), R("file", C_OPEN), R("io.open", C_OPEN), R("codecs.open", C_OPEN),
	R("gzip.open", C_OPEN), R("bz2.open", C_OPEN), R("lzma.open", C_OPEN),
	R("tarfile.open", C_OPEN), R("os.open", C_OSOPEN),
	R("os.chmod", C_CHMOD), R("os.lchmod", C_CHMOD), R("os.fchmod", C_CHMOD),
	R("os.remove", C_FSW), R("os.unlink", C_FSW), R("os.rename", C_FSW), R("os.renames", C_FSW),
	R("os.replace", C_FSW), R("os.makedirs", C_FSW), R("os.mkdir", C_FSW), R("os.rmdir", C_FSW),
	R("os.removedirs", C_FSW), R("os.symlink", C_FSW), R("os.link", C_FSW), R("os.chown", C_FSW),
	R("os.lchown", C_FSW), R("os.truncate", C_FSW), R("os.mkfifo", C_FSW),
	R("shutil.copy*", C_FSW), R("shutil.move", C_FSW), R("shutil.rmtree", C_FSW),
	R("shutil.make_archive", C_FSW), R("shutil.unpack_archive", C_FSW), R("shutil.chown", C_FSW),
	R("zipfile.ZipFile.extract*", C_FSW), R("tarfile.TarFile.extract*", C_FSW),
	R("pathlib.Path.write_*", C_FSW), R("pathlib.Path.read_*", C_FSR),
	R("pathlib.Path.open", C_OPEN_PATH), R("pathlib.Path.chmod", C_CHMOD_PATH),
	R("pathlib.Path.unlink", C_FSW), R("pathlib.Path.mkdir", C_FSW), R("pathlib.Path.touch", C_FSW),
	R("pathlib.Path.rename", C_FSW), R("pathlib.Path.replace", C_FSW),
	R("pathlib.Path.rmdir", C_FSW), R("pathlib.Path.symlink_to", C_FSW),
	R("pathlib.Path.hardlink_to", C_FSW),
	R("pathlib.Path.iterdir", C_FSR), R("pathlib.Path.glob", C_FSR), R("pathlib.Path.rglob", C_FSR),
	R("os.listdir", C_FSR), R("os.walk", C_FSR), R("os.scandir", C_FSR),
	R("glob.glob", C_FSR), R("glob.iglob", C_FSR),
	/* serialisers (whole-environment sinks) */
	R("str", C_SINK), R("repr", C_SINK), R("json.dumps", C_SINK), R("json.dump", C_SINK),
	R("pickle.dump*", C_SINK), R("marshal.dump*", C_SINK), R("base64.b64encode", C_SINK),
	R("base64.b32encode", C_SINK), R("base64.b16encode", C_SINK),
	R("base64.urlsafe_b64encode", C_SINK), R("base64.encodebytes", C_SINK),
	R("zlib.compress", C_SINK),
	/* char codes */
	R("chr", C_CHR), R("unichr", C_CHR), R("bytes", C_BYTES), R("bytearray", C_BYTES),
	/* conversions that pass their argument's data on */
	R("dict", C_PASS), R("list", C_PASS), R("tuple", C_PASS), R("sorted", C_PASS),
	R("set", C_PASS), R("copy.copy", C_PASS), R("copy.deepcopy", C_PASS),
};

/* Calls whose result we keep following as an instance of the named type,
 * so `s = socket.socket(); s.connect(...)` resolves to socket.socket.connect. */
static const char *const instance_types[][2] = {
	{"pathlib.Path", "pathlib.Path"}, {"pathlib.PurePath", "pathlib.Path"},
	{"pathlib.PosixPath", "pathlib.Path"}, {"pathlib.WindowsPath", "pathlib.Path"},
	{"pathlib.Path.home", "pathlib.Path"}, {"pathlib.Path.cwd", "pathlib.Path"},
	{"pathlib.Path.resolve", "pathlib.Path"}, {"pathlib.Path.absolute", "pathlib.Path"},
	{"pathlib.Path.expanduser", "pathlib.Path"}, {"pathlib.Path.joinpath", "pathlib.Path"},
	{"pathlib.Path.with_name", "pathlib.Path"}, {"pathlib.Path.with_suffix", "pathlib.Path"},
	{"socket.socket", "socket.socket"}, {"socket.create_connection", "socket.socket"},
	{"requests.Session", "requests.Session"}, {"requests.session", "requests.Session"},
	{"zipfile.ZipFile", "zipfile.ZipFile"}, {"tarfile.open", "tarfile.TarFile"},
	{"tarfile.TarFile", "tarfile.TarFile"}, {"cffi.FFI", "cffi.FFI"},
	{"httpx.Client", "httpx.Client"}, {"httpx.AsyncClient", "httpx.AsyncClient"},
	{"aiohttp.ClientSession", "aiohttp.ClientSession"}, {"urllib3.PoolManager", "urllib3.PoolManager"},
	{"ftplib.FTP", "ftplib.FTP"}, {"ftplib.FTP_TLS", "ftplib.FTP"},
	{"smtplib.SMTP", "smtplib.SMTP"}, {"smtplib.SMTP_SSL", "smtplib.SMTP"},
	{"http.client.HTTPConnection", "http.client.HTTPConnection"},
	{"http.client.HTTPSConnection", "http.client.HTTPConnection"},
	{"paramiko.SSHClient", "paramiko.SSHClient"},
	{"urllib.request.build_opener", "urllib.request.OpenerDirector"},
};

/* Unimported names we still take as the module (import hidden in exec, a
 * star import or another file). `commands` is left out: a common variable. */
static const char *const module_roots[] = {
	"os", "subprocess", "socket", "requests", "urllib", "urllib2", "urllib3", "httplib",
	"httpx", "aiohttp", "ftplib", "smtplib", "telnetlib", "base64", "binascii", "codecs",
	"zlib", "marshal", "pickle", "ctypes", "cffi", "shutil", "pty", "platform", "getpass",
	"uuid", "importlib", "builtins", "sys", "pathlib", "glob", "types", "bz2", "lzma",
	"gzip", "runpy", "pip", "json", "http",
};

static const char *const builtin_names[] = {
	"eval", "exec", "compile", "__import__", "open", "getattr", "chr", "unichr", "bytes",
	"bytearray", "str", "repr", "execfile", "globals", "locals", "vars", "file",
	"dict", "list", "tuple", "sorted", "set",
	"__builtins__", "__builtin__",
};

/* setup.py command classes whose override runs code at install. */
static const char *const hook_commands[] = {
	"install", "develop", "egg_info", "build_py", "install_lib", "install_scripts",
	"install_egg_info", "bdist_egg", "easy_install",
};

static const char *const decode_codecs[] = {
	"hex", "hex_codec", "base64", "base_64", "base64_codec", "rot13", "rot_13", "rot-13",
	"zlib", "zlib_codec", "zip", "bz2", "bz2_codec", "uu", "uu_codec",
};

/* Method names that send or serialise their arguments. */
static const char *const sink_methods[] = {
	"format", "write", "send", "sendall", "sendto", "post", "put", "request", "dumps",
	"urlopen", "writelines",
};

/* ------------------------------------------------------------ flags */

enum {
	F_DECODE = 1u << 0,   /* subtree decodes data (base64, zlib, marshal, ...) */
	F_CHR = 1u << 1,      /* subtree uses chr() */
	F_INTLIST = 1u << 2,  /* subtree holds a list of >= 20 small ints */
	F_FETCH = 1u << 3,    /* subtree fetches from the network */
	F_ENVWHOLE = 1u << 4, /* subtree references the whole os.environ */
	F_READ = 1u << 5,     /* subtree reads a file */
	F_ENVARG = 1u << 6,   /* the whole os.environ is an argument of this call */
	F_BLOB = 1u << 7,     /* subtree holds a long string literal (an embedded payload) */
	F_P0 = 1u << 8,       /* subtree uses parameter 0..3 of the function it is in */
};
#define PARAMS 4 /* parameters followed per function (self / cls not counted) */
#define F_PARAMS (((1u << PARAMS) - 1u) * F_P0)
#define BLOB_MIN 64 /* bytes of literal that make a payload */
#define F_DECODEISH (F_DECODE | F_CHR | F_INTLIST)
#define F_TAINT (F_DECODE | F_CHR | F_INTLIST | F_FETCH | F_ENVWHOLE | F_READ | F_BLOB | F_PARAMS)

/* ------------------------------------------------------------ context */

struct sym {
	char name[NAME_MAX_];
	char q[QMAX];
	unsigned char nlen;
	unsigned char used, alias, local;
	unsigned char modvar; /* assigned at module level (or declared global) */
	unsigned taint;
	uint32_t tscope; /* function the taint was set in (0: module level) */
	unsigned ptaint; /* a parameter: its F_P bit, in function pscope */
	uint32_t pscope;
	uint32_t gscope; /* function that declares the name `global` */
};

struct frame {
	TSNode node;
	TSFieldId field;
	unsigned char kind;
	unsigned char cls;
	unsigned char nnamed; /* named children left so far (saturates at 2) */
	unsigned flags;
	unsigned f0flags; /* flags of the first positional child (of a list: its first element) */
	unsigned aflags;  /* a call: flags of its arguments */
	unsigned a0flags; /* a call: f0flags of its arguments (the program of a command) */
	unsigned char npos; /* an argument list: positional arguments left so far */
	unsigned char local; /* a call: of an unresolved name (maybe the file's own function) */
	unsigned argf[CARGS]; /* an argument list / a call: flags of the first arguments */
	TSNode argn[CARGS];   /* an argument list / a call: the first positional arguments */
};

/* download-exec is judged on data flow: fetched data written to a file
 * (a drop), and that file run, made executable or loaded (a run site).
 * A drop is known by keys: the text of its target expression without
 * spaces (`path`, `os.path.join(d,"a.exe")`, `f.name`) in the function it
 * was written in, and the file-name pieces of string literals in it
 * ("a.exe"), which match anywhere. A run site keeps the keys of every
 * sub-expression of its arguments and their string contents. */
struct dkey {
	char t[KEY_LEN];
	uint32_t scope;     /* function the name lives in (0: module level) */
	unsigned char piece; /* a file-name piece of a string literal */
};

struct drop {
	size_t off;
	uint32_t row;
	uint32_t fetch_row;  /* the fetch it came from, 1-based (0: unknown) */
	char via[40];
	int nk;
	struct dkey k[DKEY_MAX];
};

struct use {
	uint32_t scope;
	unsigned short klen, tlen;
	char keys[UKEYS_LEN]; /* NUL-separated */
	char text[UTEXT_LEN]; /* '\n'-separated */
};

struct xsite {
	size_t off;
	uint32_t row;
	char what[48];
	struct use u;
};

/* What a function does with its parameters, for download-exec across
 * calls: `def save(code): ... open(p, "w").write(code); return p`,
 * `def run(path): subprocess.Popen([path])`, `def poll(): return s.get(u).json()`. */
struct pwrite {
	int cparam;        /* the parameter written, -1: fetched data from inside,
	                    * -2: data judged at the end (wsite ws) */
	int ws;
	unsigned tparams;  /* parameters the target path comes from */
	size_t off;
	uint32_t row;
	int nk;
	struct dkey k[4];  /* the target, in the function */
};

struct fnsum {
	char name[NAME_MAX_];
	char pname[PARAMS][PNAME_LEN];
	int np;
	bool ret_fetch;    /* returns fetched data */
	unsigned short rlen;
	char rkeys[RKEYS_LEN]; /* keys of returned expressions, NUL-separated */
	int nw;
	struct pwrite w[4];
	unsigned prun;     /* parameters run (or made executable) */
	struct { size_t off; uint32_t row; char what[48]; } run[PARAMS];
	unsigned pcmd;     /* parameters that are the command line (or code) run */
	struct { size_t off; uint32_t row; char what[48]; } cmd[PARAMS];
};

/* The function definition the walk is in. */
struct fnctx {
	char name[NAME_MAX_];
	char pname[PARAMS][PNAME_LEN];
	int np;
	int sum; /* its struct fnsum, -1 until it has something to say */
};

/* A call of one of the file's functions, matched against the summaries
 * once all are known. */
struct carg {
	unsigned flags;
	int nk;
	struct dkey k[3];   /* the argument as a target */
	unsigned short klen;
	char keys[CUSE_LEN]; /* keys of its sub-expressions */
};

/* A call as noted during the walk: the keys of its arguments are taken
 * at the end of the buffer, and only for functions with a summary. */
struct rawcall {
	uint32_t scope;
	uint32_t row;
	int na;
	unsigned argf[CARGS];
	TSNode argn[CARGS];
	char name[NAME_MAX_];
	char lhs[NAME_MAX_];
};

struct fcall {
	char name[NAME_MAX_];
	char lhs[NAME_MAX_]; /* `x = f(...)`: x */
	uint32_t scope;
	uint32_t row;
	int na;
	struct carg a[CARGS];
};

/* A write of data not known to be fetched when it was walked: `src =
 * fetch()` of a function defined further down may make it so. */
struct wsite {
	uint32_t scope;
	size_t off;
	uint32_t row;
	int nk;
	struct dkey k[4];
	unsigned short klen;
	char keys[CUSE_LEN]; /* keys of the data written */
	bool fetched;        /* judged so at the end */
};

/* `f = open(p, "wb")` / `with open(p, "wb") as f`: what f writes to */
struct fbind {
	char name[NAME_MAX_];
	uint32_t scope;
	int nk;
	struct dkey k[4];
};

/* install-hook evidence, emitted at the end strongest first: the evidence
 * cap keeps few entries per file, and "overrides install via cmdclass"
 * says more than the tenth call it leads to. */
struct hook {
	size_t off;
	uint32_t row;
	int prio;
	char detail[96];
};

struct pending {
	char *text;
	size_t len;
	size_t off;
	uint32_t row;
	int level;
	bool dropped; /* written to a file, not run here: no setup.py hooks */
};

struct sb {
	char *p;
	size_t n, cap, max;
	bool grow, over;
};

struct ctx {
	struct pv_source src; /* copy of the caller's, install_time as we judge it */
	struct pv_findings *out;
	const TSLanguage *lang;
	TSParser *parser;
	const unsigned char *kmap;
	uint32_t nsym;
	TSFieldId fid[FL__COUNT];

	/* the buffer being walked: whole file, one .pth line, or an exec string */
	const char *d;
	size_t dlen;
	size_t base_off;
	uint32_t base_row;
	bool fixed;  /* every finding goes to base_off/base_row (nested exec string) */
	int level;   /* nesting of exec strings */

	bool install, setup, pth;

	struct sym *tab;
	size_t ntab;
	char star[STAR_MAX][32];
	int nstar;

	struct frame *fr;
	size_t frcap;

	TSTreeCursor pool[POOL_MAX];
	bool pool_init[POOL_MAX];
	int npool;

	struct sb lit; /* decoded literal scratch */
	TSNode *spine; /* right operands of `+` chains being folded */
	size_t nspine, spinecap;

	/* file-level facts */
	bool net_seen;
	char net_what[48];   /* first network fetch, for details */
	uint32_t net_row;    /* its line, 1-based */
	struct { uint32_t row; char what[40]; } nets[SITE_MAX];
	int nnets;
	struct xsite *xs;    /* run sites (grown on demand, up to XSITE_MAX) */
	int nx, xcap;
	struct drop *drops;  /* grown on demand, up to DROP_MAX */
	int ndrops, dropcap;
	struct fbind fb[FBIND_MAX];
	int nfb;
	TSNode wopen;        /* the latest open(..., "w") call, and its path */
	TSNode wopen_path;
	TSNode retr_bare;    /* the latest urlretrieve(url) without a file name */
	uint32_t scopes[SCOPE_MAX]; /* enclosing function definitions */
	struct fnctx fns[SCOPE_MAX];
	int nscope;
	struct fnsum *sums;  /* grown on demand, up to FN_MAX */
	int nsums, sumcap;
	struct fcall *calls; /* grown on demand, up to CALL_MAX */
	int ncalls, callcap;
	struct rawcall *raw; /* calls of this buffer, grown on demand, up to RAW_MAX */
	int nraw, rawcap;
	struct wsite *ws;    /* grown on demand, up to CALL_MAX */
	int nws, wscap;
	bool netfile;       /* the file imports a module that fetches */
	uint32_t dxrows[32]; /* download-exec lines reported */
	struct { char name[PNAME_LEN]; uint32_t scope; char piece[KEY_LEN]; } consts[16];
	int nconst;          /* `local_file = "a.txt"`: the latest such names (a ring) */
	int ndx;
	uint32_t mangled;
	size_t mangled_off;
	uint32_t mangled_row;
	uint32_t escaped; /* strings spelling letters with escapes */
	bool escaped_long;
	size_t escaped_off;
	uint32_t escaped_row;
	unsigned intlist_n;

	struct pending pend[PENDING_MAX];
	int npend;

	struct hook hooks[HOOK_MAX];
	int nhooks;
	int fn_depth; /* function/lambda nesting at the walk position */
	int publish_depth; /* inside `if sys.argv[-1] == "publish":` in setup.py */

	struct { const char *attr; uint32_t row; } recent[RECENT];
	int nrecent;

	bool oom;
	bool quiet; /* pre-pass: learn names, report nothing */
	bool in_code; /* resolving inside an eval("...") string */
	bool dropped; /* analysing text written to a file (see write_const) */
	bool native_import, native_call;
	size_t native_off;
	uint32_t native_row;
	char native_det[64];
	char det[256];
};

/* ------------------------------------------------------------ small helpers */

static bool eq(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n == l && memcmp(s, lit, l) == 0;
}

static bool in_list(const char *s, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (eq(s, n, list[i]))
			return true;
	return false;
}

#define IN_LIST(s, n, arr) in_list((s), (n), (arr), sizeof(arr) / sizeof((arr)[0]))

static unsigned kind_of(const struct ctx *c, TSNode n)
{
	if (ts_node_is_null(n))
		return K_NONE;
	TSSymbol s = ts_node_symbol(n);
	return s < c->nsym ? c->kmap[s] : K_NONE;
}

static TSNode field(const struct ctx *c, TSNode n, enum field f)
{
	return ts_node_child_by_field_id(n, c->fid[f]);
}

static const char *ntext(const struct ctx *c, TSNode n, size_t *len)
{
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	if (s > c->dlen)
		s = (uint32_t)c->dlen;
	if (e > c->dlen)
		e = (uint32_t)c->dlen;
	if (e < s)
		e = s;
	*len = e - s;
	return c->d + s;
}

static bool text_is(const struct ctx *c, TSNode n, const char *lit)
{
	size_t l;
	const char *t = ntext(c, n, &l);
	return eq(t, l, lit);
}

static TSNode null_node(void)
{
	TSNode z;
	memset(&z, 0, sizeof z);
	return z;
}

/* Helper cursors, taken and given back in stack order. */
static TSTreeCursor *cur_get(struct ctx *c, TSNode n)
{
	if (c->npool >= POOL_MAX)
		return NULL;
	int i = c->npool++;
	if (!c->pool_init[i]) {
		c->pool[i] = ts_tree_cursor_new(n);
		c->pool_init[i] = true;
	} else {
		ts_tree_cursor_reset(&c->pool[i], n);
	}
	return &c->pool[i];
}

static void cur_put(struct ctx *c)
{
	if (c->npool > 0)
		c->npool--;
}

/* ---------------------------------------------------------- string buffers */

static void sb_init(struct sb *b, char *p, size_t cap)
{
	b->p = p;
	b->n = 0;
	b->cap = cap;
	b->max = cap;
	b->grow = false;
	b->over = false;
	if (cap)
		p[0] = 0;
}

static void sb_put(struct sb *b, const char *s, size_t n)
{
	if (b->over)
		return;
	if (b->n + n + 1 > b->cap) {
		if (b->grow && b->n + n + 1 <= b->max) {
			size_t cap = b->cap ? b->cap : 256;
			while (cap < b->n + n + 1)
				cap *= 2;
			if (cap > b->max)
				cap = b->max;
			char *p = realloc(b->p, cap);
			if (!p) {
				b->over = true;
				return;
			}
			b->p = p;
			b->cap = cap;
		} else {
			size_t room = b->cap > b->n + 1 ? b->cap - b->n - 1 : 0;
			if (room > n)
				room = n;
			if (room && b->p)
				memcpy(b->p + b->n, s, room);
			b->n += room;
			if (b->p && b->cap)
				b->p[b->n] = 0;
			b->over = true;
			return;
		}
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void sb_putc(struct sb *b, char ch)
{
	sb_put(b, &ch, 1);
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static void sb_utf8(struct sb *b, unsigned long cp)
{
	char u[4];
	if (cp < 0x80) {
		sb_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		sb_put(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		sb_put(b, u, 3);
	} else if (cp < 0x110000) {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		sb_put(b, u, 4);
	}
}

/* Append the Python escapes of s/n decoded (or raw). */
static void decode_escapes(struct sb *b, const char *s, size_t n, bool raw, bool bytes)
{
	if (raw) {
		sb_put(b, s, n);
		return;
	}
	size_t i = 0;
	while (i < n && !b->over) {
		size_t j = i;
		while (j < n && s[j] != '\\')
			j++;
		if (j > i)
			sb_put(b, s + i, j - i);
		if (j >= n)
			break;
		if (j + 1 >= n) {
			sb_putc(b, '\\');
			break;
		}
		char e = s[j + 1];
		i = j + 2;
		switch (e) {
		case '\n': break;
		case '\r': if (i < n && s[i] == '\n') i++; break;
		case 'n': sb_putc(b, '\n'); break;
		case 't': sb_putc(b, '\t'); break;
		case 'r': sb_putc(b, '\r'); break;
		case 'a': sb_putc(b, '\a'); break;
		case 'b': sb_putc(b, '\b'); break;
		case 'f': sb_putc(b, '\f'); break;
		case 'v': sb_putc(b, '\v'); break;
		case '\\': case '\'': case '"': sb_putc(b, e); break;
		case 'x':
			if (i + 1 < n && hexval(s[i]) >= 0 && hexval(s[i + 1]) >= 0) {
				unsigned v = (unsigned)(hexval(s[i]) * 16 + hexval(s[i + 1]));
				if (bytes || v < 0x80)
					sb_putc(b, (char)v);
				else
					sb_utf8(b, v);
				i += 2;
			} else {
				sb_put(b, s + j, 2);
			}
			break;
		case 'u': case 'U': {
			size_t want = e == 'u' ? 4 : 8;
			unsigned long v = 0;
			size_t k = 0;
			while (k < want && i + k < n && hexval(s[i + k]) >= 0)
				v = v * 16 + (unsigned long)hexval(s[i + k++]);
			if (k == want && !bytes) {
				sb_utf8(b, v);
				i += k;
			} else {
				sb_put(b, s + j, 2);
			}
			break;
		}
		default:
			if (e >= '0' && e <= '7') {
				unsigned v = (unsigned)(e - '0');
				int k = 0;
				while (k < 2 && i < n && s[i] >= '0' && s[i] <= '7') {
					v = v * 8 + (unsigned)(s[i++] - '0');
					k++;
				}
				if (bytes || v < 0x80)
					sb_putc(b, (char)(v & 0xFF));
				else
					sb_utf8(b, v);
			} else {
				sb_put(b, s + j, 2);
			}
		}
	}
}

/* Prefix flags of a string_start token such as rb''' or f". */
static void string_prefix(const struct ctx *c, TSNode start, bool *raw, bool *bytes)
{
	size_t l;
	const char *t = ntext(c, start, &l);
	*raw = *bytes = false;
	for (size_t i = 0; i < l && t[i] != '\'' && t[i] != '"'; i++) {
		if (t[i] == 'r' || t[i] == 'R')
			*raw = true;
		if (t[i] == 'b' || t[i] == 'B')
			*bytes = true;
	}
}

/* ------------------------------------------------------------ name table */

static uint32_t hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct sym *sym_find(struct ctx *c, const char *s, size_t n, bool create)
{
	if (n == 0 || n >= NAME_MAX_)
		return NULL;
	uint32_t i = hash_name(s, n) & (TAB_SLOTS - 1);
	for (uint32_t k = 0; k < TAB_SLOTS; k++, i = (i + 1) & (TAB_SLOTS - 1)) {
		struct sym *e = &c->tab[i];
		if (!e->used) {
			if (!create || c->ntab >= TAB_FILL)
				return NULL;
			e->used = 1;
			memcpy(e->name, s, n);
			e->name[n] = 0;
			e->nlen = (unsigned char)n;
			c->ntab++;
			return e;
		}
		if (e->nlen == n && memcmp(e->name, s, n) == 0)
			return e;
	}
	return NULL;
}

static void set_alias(struct ctx *c, const char *name, size_t n, const char *q, size_t ql)
{
	if (ql >= QMAX)
		return;
	struct sym *e = sym_find(c, name, n, true);
	if (!e)
		return;
	memcpy(e->q, q, ql);
	e->q[ql] = 0;
	e->alias = 1;
	e->local = 0;
}

static void set_local(struct ctx *c, const char *name, size_t n)
{
	struct sym *e = sym_find(c, name, n, true);
	if (!e)
		return;
	e->alias = 0;
	e->local = 1;
}

/* The function definition the walk is in (0: module level). */
static uint32_t cur_scope(const struct ctx *c)
{
	if (c->nscope <= 0)
		return 0;
	return c->scopes[(c->nscope > SCOPE_MAX ? SCOPE_MAX : c->nscope) - 1];
}

/* Is a name of function `scope` visible here (module level, or a
 * function we are inside)? */
static bool scope_visible(const struct ctx *c, uint32_t scope)
{
	if (scope == 0)
		return true;
	int n = c->nscope > SCOPE_MAX ? SCOPE_MAX : c->nscope;
	for (int i = n - 1; i >= 0; i--)
		if (c->scopes[i] == scope)
			return true;
	return false;
}

/* Taint of a name: `x = ...` replaces it, `x += ...` adds to it. */
static void set_taint(struct ctx *c, TSNode ident, unsigned flags, bool add)
{
	flags &= F_TAINT;
	if (kind_of(c, ident) != K_IDENTIFIER)
		return;
	size_t l;
	const char *t = ntext(c, ident, &l);
	struct sym *e = sym_find(c, t, l, flags != 0);
	if (!e)
		return;
	if (add)
		e->taint |= flags;
	else
		e->taint = flags;
	if (flags)
		e->tscope = e->gscope && e->gscope == cur_scope(c) ? 0 : cur_scope(c);
}

/* A name assigned at module level, or in a function that declares it
 * global: a name every function shares. */
static void note_modvar(struct ctx *c, TSNode ident)
{
	if (c->quiet || kind_of(c, ident) != K_IDENTIFIER)
		return;
	size_t l;
	const char *t = ntext(c, ident, &l);
	uint32_t here = cur_scope(c);
	struct sym *e = sym_find(c, t, l, here == 0);
	if (e && (here == 0 || e->gscope == here))
		e->modvar = 1;
}

/* The scope a key for name t/l lives in: module level for shared names. */
static uint32_t name_scope(struct ctx *c, const char *t, size_t l)
{
	struct sym *e = c->ntab ? sym_find(c, t, l, false) : NULL;
	return e && e->modvar ? 0 : cur_scope(c);
}

/* Taint of an instance attribute (`self.data = resp.text`): shared by the
 * methods of the class, so kept at module level. Only fetched data is
 * followed this way (for download-exec). */
static void set_taint_attr(struct ctx *c, TSNode attr, unsigned flags)
{
	flags &= F_FETCH;
	TSNode obj = field(c, attr, FL_OBJECT);
	if (kind_of(c, obj) != K_IDENTIFIER || !(text_is(c, obj, "self") || text_is(c, obj, "cls")))
		return;
	size_t l;
	const char *t = ntext(c, attr, &l);
	if (memchr(t, ' ', l) || memchr(t, '\n', l))
		return;
	struct sym *e = sym_find(c, t, l, flags != 0);
	if (e) {
		e->taint = flags;
		e->tscope = 0;
	}
}

/* ------------------------------------------------------------ emitting */

static void emit_off(struct ctx *c, const char *attr, size_t off, uint32_t row,
                     const char *detail, bool hook)
{
	if (c->quiet)
		return;
	if (c->fixed) {
		off = c->base_off;
		row = c->base_row;
	} else {
		off += c->base_off;
		row += c->base_row;
	}
	/* one entry per attribute and line: several calls on one line would
	 * otherwise use up the per-file evidence slots */
	for (int i = 0; i < c->nrecent && i < RECENT; i++)
		if (c->recent[i].row == row && strcmp(c->recent[i].attr, attr) == 0)
			return;
	c->recent[c->nrecent % RECENT].attr = attr;
	c->recent[c->nrecent % RECENT].row = row;
	c->nrecent++;
	int rc = hook ? pv_emit_install(c->out, &c->src, attr, off, row, detail)
	              : pv_emit(c->out, &c->src, attr, off, row, detail);
	if (rc < 0)
		c->oom = true;
}

static void emit(struct ctx *c, const char *attr, TSNode n, const char *detail)
{
	emit_off(c, attr, ts_node_start_byte(n), ts_node_start_point(n).row, detail, false);
}

static void emit_perm(struct ctx *c, enum pv_perm p, TSNode n, const char *detail)
{
	emit(c, pv_perm_attr(p), n, detail);
}

/* Priorities of install-hook evidence, lowest first. */
enum { HP_OVERRIDE = 0, HP_PTH = 0, HP_TRY = 1, HP_TOPCALL = 2, HP_CALL = 3 };

static void add_hook(struct ctx *c, size_t off, uint32_t row, int prio, const char *detail)
{
	if (c->quiet)
		return;
	if (c->fixed) {
		off = c->base_off;
		row = c->base_row;
	} else {
		off += c->base_off;
		row += c->base_row;
	}
	struct hook *h = NULL;
	for (int i = 0; i < c->nhooks; i++)
		if (c->hooks[i].row == row) {
			if (c->hooks[i].prio <= prio)
				return;
			h = &c->hooks[i]; /* a stronger reason for the same line */
		}
	if (!h) {
		if (c->nhooks < HOOK_MAX) {
			h = &c->hooks[c->nhooks++];
		} else {
			/* replace the weakest, latest entry when this one is stronger */
			struct hook *w = &c->hooks[0];
			for (int i = 1; i < c->nhooks; i++)
				if (c->hooks[i].prio >= w->prio)
					w = &c->hooks[i];
			if (w->prio <= prio)
				return;
			h = w;
		}
	}
	h->off = off;
	h->row = row;
	h->prio = prio;
	snprintf(h->detail, sizeof h->detail, "%s", detail);
}

static void emit_hook(struct ctx *c, TSNode n, int prio, const char *detail)
{
	add_hook(c, ts_node_start_byte(n), ts_node_start_point(n).row, prio, detail);
}

static void scan_literal(struct ctx *c, TSNode n, const char *s, size_t len)
{
	size_t off = ts_node_start_byte(n);
	uint32_t row = ts_node_start_point(n).row;
	if (c->fixed) {
		off = c->base_off;
		row = c->base_row;
	} else {
		off += c->base_off;
		row += c->base_row;
	}
	pv_scan_literal(&c->src, off, row, s, len, c->out);
}

static void scan_shell(struct ctx *c, TSNode n, const char *s, size_t len)
{
	size_t off = ts_node_start_byte(n);
	uint32_t row = ts_node_start_point(n).row;
	if (c->fixed) {
		off = c->base_off;
		row = c->base_row;
	} else {
		off += c->base_off;
		row += c->base_row;
	}
	pv_scan_shell(&c->src, off, row, s, len, c->out);
}

static uint32_t site_row(const struct ctx *c, TSNode n)
{
	return c->fixed ? c->base_row : ts_node_start_point(n).row + c->base_row;
}

static size_t site_off(const struct ctx *c, TSNode n)
{
	return c->fixed ? c->base_off : ts_node_start_byte(n) + c->base_off;
}

static void note_net(struct ctx *c, TSNode n, const char *what)
{
	if (c->nnets < SITE_MAX) {
		c->nets[c->nnets].row = site_row(c, n);
		snprintf(c->nets[c->nnets].what, sizeof c->nets[0].what, "%.39s", what);
		c->nnets++;
	}
	if (c->net_seen)
		return;
	c->net_seen = true;
	snprintf(c->net_what, sizeof c->net_what, "%.47s", what);
	c->net_row = (c->fixed ? c->base_row : ts_node_start_point(n).row + c->base_row) + 1;
}

/* ------------------------------------------------------------ arguments */

/* The i-th positional argument of a call's argument list, or a null node. */
static TSNode arg_pos(struct ctx *c, TSNode args, unsigned i)
{
	unsigned k = kind_of(c, args);
	if (k == K_GENERATOR)
		return i == 0 ? args : null_node();
	if (k != K_ARGLIST)
		return null_node();
	TSNode res = null_node();
	TSTreeCursor *cu = cur_get(c, args);
	if (!cu)
		return res;
	unsigned seen = 0;
	if (ts_tree_cursor_goto_first_child(cu)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(cu);
			if (!ts_node_is_named(ch))
				continue;
			unsigned ck = kind_of(c, ch);
			if (ck == K_COMMENT)
				continue;
			if (ck == K_KWARG || ck == K_LIST_SPLAT || ck == K_DICT_SPLAT)
				break;
			if (seen++ == i) {
				res = ch;
				break;
			}
		} while (ts_tree_cursor_goto_next_sibling(cu));
	}
	cur_put(c);
	return res;
}

/* The value of keyword argument `name`, or a null node. */
static TSNode arg_kw(struct ctx *c, TSNode args, const char *name)
{
	TSNode res = null_node();
	if (kind_of(c, args) != K_ARGLIST)
		return res;
	TSTreeCursor *cu = cur_get(c, args);
	if (!cu)
		return res;
	if (ts_tree_cursor_goto_first_child(cu)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(cu);
			if (kind_of(c, ch) != K_KWARG)
				continue;
			if (text_is(c, field(c, ch, FL_NAME), name)) {
				res = field(c, ch, FL_VALUE);
				break;
			}
		} while (ts_tree_cursor_goto_next_sibling(cu));
	}
	cur_put(c);
	return res;
}

/* --------------------------------------------------- constant strings */

static bool const_str(struct ctx *c, TSNode n, struct sb *b, bool holes, int depth);

static bool const_string_node(struct ctx *c, TSNode n, struct sb *b, bool holes)
{
	bool ok = true, raw = false, bytes = false;
	TSTreeCursor *cu = cur_get(c, n);
	if (!cu)
		return false;
	if (ts_tree_cursor_goto_first_child(cu)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(cu);
			size_t l;
			const char *t;
			switch (kind_of(c, ch)) {
			case K_STRING_START:
				string_prefix(c, ch, &raw, &bytes);
				break;
			case K_STRING_CONTENT:
				t = ntext(c, ch, &l);
				decode_escapes(b, t, l, raw, bytes);
				break;
			case K_INTERPOLATION:
				if (holes)
					sb_putc(b, 'X');
				else
					ok = false;
				break;
			case K_ESCAPE_INTERP:
				t = ntext(c, ch, &l);
				if (l)
					sb_putc(b, t[0]);
				break;
			default:
				break;
			}
		} while (ok && ts_tree_cursor_goto_next_sibling(cu));
	}
	cur_put(c);
	return ok;
}

static bool is_reverse_slice(const struct ctx *c, TSNode s)
{
	size_t l;
	const char *t = ntext(c, s, &l);
	char buf[8];
	size_t k = 0;
	for (size_t i = 0; i < l && k < sizeof buf - 1; i++)
		if (t[i] != ' ')
			buf[k++] = t[i];
	return eq(buf, k, "::-1");
}

static bool parse_int(const char *t, size_t l, unsigned long long *out);

#define SPINE_MAX 65536 /* operands of one `+` chain we fold */

static bool spine_push(struct ctx *c, TSNode n)
{
	if (c->nspine == c->spinecap) {
		if (c->spinecap >= SPINE_MAX)
			return false;
		size_t cap = c->spinecap ? c->spinecap * 2 : 64;
		TSNode *p = realloc(c->spine, cap * sizeof *p);
		if (!p)
			return false;
		c->spine = p;
		c->spinecap = cap;
	}
	c->spine[c->nspine++] = n;
	return true;
}

/* Evaluate a constant string expression: literals, implicit and `+`
 * concatenation, "sep".join([...]), chr(N), s[::-1]. With holes, parts we
 * cannot evaluate become "X" (used for command lines). */
static bool const_str(struct ctx *c, TSNode n, struct sb *b, bool holes, int depth)
{
	if (ts_node_is_null(n) || depth > 16)
		return false;
	switch (kind_of(c, n)) {
	case K_STRING:
		return const_string_node(c, n, b, holes);
	case K_CONCAT: {
		bool ok = true;
		TSTreeCursor *cu = cur_get(c, n);
		if (!cu)
			return false;
		/* each child string needs its own cursor: gather them first */
		TSNode parts[64];
		unsigned np = 0;
		if (ts_tree_cursor_goto_first_child(cu)) {
			do {
				TSNode ch = ts_tree_cursor_current_node(cu);
				if (kind_of(c, ch) != K_STRING)
					continue;
				if (np == 64) {
					ok = false;
					break;
				}
				parts[np++] = ch;
			} while (ts_tree_cursor_goto_next_sibling(cu));
		}
		cur_put(c);
		for (unsigned i = 0; ok && i < np; i++)
			ok = const_string_node(c, parts[i], b, holes);
		return ok;
	}
	case K_PAREN:
		return const_str(c, ts_node_named_child(n, 0), b, holes, depth + 1);
	case K_BINOP: {
		/* a + b + c + ... is left-deep: walk the spine without recursion,
		 * pushing right operands on a stack shared by nested evaluations */
		size_t base = c->nspine;
		bool ok = true;
		TSNode cur = n;
		while (ok && kind_of(c, cur) == K_BINOP) {
			TSNode op = field(c, cur, FL_OPERATOR);
			if (!text_is(c, op, "+")) {
				if (holes && text_is(c, op, "%"))
					break; /* "fmt %s" % x: keep the format text */
				c->nspine = base;
				return holes ? (sb_putc(b, 'X'), true) : false;
			}
			ok = spine_push(c, field(c, cur, FL_RIGHT));
			cur = field(c, cur, FL_LEFT);
		}
		if (ok && kind_of(c, cur) == K_BINOP) /* the % case */
			cur = field(c, cur, FL_LEFT);
		ok = ok && const_str(c, cur, b, holes, depth + 1);
		while (ok && c->nspine > base) {
			TSNode r = c->spine[--c->nspine];
			ok = const_str(c, r, b, holes, depth + 1);
		}
		c->nspine = base;
		return ok;
	}
	case K_SUBSCRIPT: {
		TSNode sub = field(c, n, FL_SUBSCRIPT);
		if (kind_of(c, sub) != K_SLICE || !is_reverse_slice(c, sub))
			break;
		size_t start = b->n;
		if (!const_str(c, field(c, n, FL_VALUE), b, holes, depth + 1))
			return false;
		for (size_t i = start, j = b->n; j > i + 1; i++, j--) {
			char t = b->p[i];
			b->p[i] = b->p[j - 1];
			b->p[j - 1] = t;
		}
		return true;
	}
	case K_CALL: {
		TSNode fn = field(c, n, FL_FUNCTION);
		TSNode args = field(c, n, FL_ARGUMENTS);
		if (kind_of(c, fn) == K_IDENTIFIER && (text_is(c, fn, "chr") || text_is(c, fn, "unichr"))) {
			TSNode a = arg_pos(c, args, 0);
			unsigned long long v;
			size_t l;
			const char *t;
			if (kind_of(c, a) == K_INTEGER && (t = ntext(c, a, &l), parse_int(t, l, &v))) {
				sb_utf8(b, (unsigned long)v);
				return true;
			}
			break;
		}
		if (kind_of(c, fn) == K_ATTRIBUTE && text_is(c, field(c, fn, FL_ATTRIBUTE), "join")) {
			char sepbuf[64];
			struct sb sep;
			sb_init(&sep, sepbuf, sizeof sepbuf);
			TSNode a = arg_pos(c, args, 0);
			unsigned ak = kind_of(c, a);
			if (!const_str(c, field(c, fn, FL_OBJECT), &sep, false, depth + 1) || sep.over ||
			    (ak != K_LIST && ak != K_TUPLE))
				break;
			if (ts_node_named_child_count(a) > 256)
				break;
			TSTreeCursor *cu = cur_get(c, a);
			if (!cu)
				return false;
			bool ok = true, first = true;
			if (ts_tree_cursor_goto_first_child(cu)) {
				do {
					TSNode el = ts_tree_cursor_current_node(cu);
					if (!ts_node_is_named(el) || kind_of(c, el) == K_COMMENT)
						continue;
					if (!first)
						sb_put(b, sep.p, sep.n);
					first = false;
					ok = const_str(c, el, b, holes, depth + 1);
				} while (ok && ts_tree_cursor_goto_next_sibling(cu));
			}
			cur_put(c);
			return ok;
		}
		break;
	}
	default:
		break;
	}
	if (holes) {
		sb_putc(b, 'X');
		return true;
	}
	return false;
}

/* A constant string argument, evaluated into buf. Returns its length or -1. */
static long const_arg(struct ctx *c, TSNode n, char *buf, size_t cap)
{
	struct sb b;
	sb_init(&b, buf, cap);
	if (!const_str(c, n, &b, false, 0) || b.over)
		return -1;
	return (long)b.n;
}

static bool is_const(struct ctx *c, TSNode n)
{
	char buf[8];
	struct sb b;
	sb_init(&b, buf, sizeof buf);
	return const_str(c, n, &b, false, 0); /* overflow is fine: still constant */
}

/* ------------------------------------------------------------ resolution */

static bool seg_prefix(const char *q, size_t ql, const char *p)
{
	size_t pl = strlen(p);
	return ql >= pl && memcmp(q, p, pl) == 0 && (ql == pl || q[pl] == '.');
}

/* __builtins__.x / __builtin__.x / builtins.x -> x */
static size_t normalise(char *q, size_t ql)
{
	static const char *const bi[] = {"__builtins__", "__builtin__", "builtins"};
	for (size_t i = 0; i < 3; i++) {
		size_t pl = strlen(bi[i]);
		if (seg_prefix(q, ql, bi[i])) {
			if (ql == pl) {
				memcpy(q, "builtins", 9);
				return 8;
			}
			memmove(q, q + pl + 1, ql - pl - 1);
			ql -= pl + 1;
			q[ql] = 0;
			return ql;
		}
	}
	return ql;
}

static bool ends_with(const char *q, size_t ql, const char *suf)
{
	size_t l = strlen(suf);
	return ql >= l && memcmp(q + ql - l, suf, l) == 0;
}

static enum cls classify(const char *q, size_t ql)
{
	/* raise socket.SomeError(...) / except-clause classes do nothing */
	if (ends_with(q, ql, "Error") || ends_with(q, ql, "Exception") ||
	    ends_with(q, ql, "Warning") || ends_with(q, ql, ".InvalidURL"))
		return C_NONE;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const char *p = rules[i].pat;
		size_t pl = rules[i].len;
		if (p[0] != q[0])
			continue;
		if (p[pl - 1] == '*') {
			if (ql >= pl - 1 && memcmp(q, p, pl - 1) == 0)
				return (enum cls)rules[i].cls;
		} else if (ql == pl && memcmp(q, p, pl) == 0) {
			return (enum cls)rules[i].cls;
		}
	}
	return C_NONE;
}

static int put_q(char *buf, size_t cap, const char *s, size_t n)
{
	if (n + 1 > cap)
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	return (int)normalise(buf, n);
}

static int resolve_name(struct ctx *c, const char *s, size_t n, char *buf, size_t cap)
{
	struct sym *e = c->ntab ? sym_find(c, s, n, false) : NULL;
	if (e && e->local)
		return -1;
	if (e && e->alias)
		return put_q(buf, cap, e->q, strlen(e->q));
	if (IN_LIST(s, n, builtin_names) || IN_LIST(s, n, module_roots))
		return put_q(buf, cap, s, n);
	for (int i = 0; i < c->nstar; i++) {
		char tmp[QMAX];
		int l = snprintf(tmp, sizeof tmp, "%s.%.*s", c->star[i], (int)n, s);
		if (l <= 0 || (size_t)l >= sizeof tmp)
			continue;
		if (classify(tmp, (size_t)l) != C_NONE || strcmp(tmp, "os.environ") == 0)
			return put_q(buf, cap, tmp, (size_t)l);
	}
	return -1;
}

static const char *instance_of(const char *q, size_t ql)
{
	for (size_t i = 0; i < sizeof instance_types / sizeof instance_types[0]; i++)
		if (eq(q, ql, instance_types[i][0]))
			return instance_types[i][1];
	return NULL;
}

#define CODE_RESOLVE_MAX 256 /* eval("...") text we parse to resolve */

static int resolve(struct ctx *c, TSNode n, char *buf, size_t cap, int depth);

/* The name a short code string evaluates to ("compile", "__import__('os')"),
 * by parsing it on the side. The walk's tree stays intact; helper cursors
 * are not held across resolve(), so they may move into this tree. */
static int resolve_code(struct ctx *c, const char *code, size_t n, char *buf, size_t cap, int depth)
{
	if (n > CODE_RESOLVE_MAX || c->in_code || depth > 24)
		return -1;
	TSTree *t = ts_parser_parse_string(c->parser, NULL, code, (uint32_t)n);
	if (!t) {
		ts_parser_reset(c->parser);
		return -1;
	}
	int rc = -1;
	TSNode root = ts_tree_root_node(t);
	if (!ts_node_has_error(root) && ts_node_named_child_count(root) == 1) {
		TSNode st = ts_node_named_child(root, 0);
		if (kind_of(c, st) == K_EXPR_STMT && ts_node_named_child_count(st) == 1) {
			const char *d = c->d;
			size_t dlen = c->dlen;
			c->d = code;
			c->dlen = n;
			c->in_code = true;
			rc = resolve(c, ts_node_named_child(st, 0), buf, cap, depth + 1);
			c->in_code = false;
			c->d = d;
			c->dlen = dlen;
		}
	}
	ts_tree_delete(t);
	return rc;
}

/* Resolve an expression to a qualified name in buf. Returns the length, or
 * -1 when it is not something we can name. Depth-bounded. */
static int resolve(struct ctx *c, TSNode n, char *buf, size_t cap, int depth)
{
	if (ts_node_is_null(n) || depth > 24)
		return -1;
	size_t l;
	const char *t;
	switch (kind_of(c, n)) {
	case K_IDENTIFIER:
		t = ntext(c, n, &l);
		return resolve_name(c, t, l, buf, cap);
	case K_PAREN:
		return resolve(c, ts_node_named_child(n, 0), buf, cap, depth + 1);
	case K_ATTRIBUTE: {
		int ol = resolve(c, field(c, n, FL_OBJECT), buf, cap, depth + 1);
		if (ol < 0)
			return -1;
		t = ntext(c, field(c, n, FL_ATTRIBUTE), &l);
		if (eq(t, l, "__dict__"))
			return ol;
		if (eq(buf, (size_t)ol, "pathlib.Path") &&
		    (eq(t, l, "parent") || eq(t, l, "stem") || eq(t, l, "name")))
			return ol;
		if ((size_t)ol + 1 + l + 1 > cap)
			return -1;
		buf[ol] = '.';
		memcpy(buf + ol + 1, t, l);
		buf[ol + 1 + l] = 0;
		return (int)normalise(buf, (size_t)ol + 1 + l);
	}
	case K_CALL: {
		TSNode args = field(c, n, FL_ARGUMENTS);
		int fl = resolve(c, field(c, n, FL_FUNCTION), buf, cap, depth + 1);
		if (fl < 0)
			return -1;
		char name[QMAX];
		if (eq(buf, (size_t)fl, "__import__") || eq(buf, (size_t)fl, "importlib.import_module") ||
		    eq(buf, (size_t)fl, "importlib.__import__")) {
			long nl = const_arg(c, arg_pos(c, args, 0), name, sizeof name);
			if (nl <= 0)
				return -1;
			if (buf[0] == '_' || buf[fl - 1] == '_') {
				/* __import__("a.b") returns a unless a fromlist is given */
				bool from = !ts_node_is_null(arg_pos(c, args, 3)) ||
				            !ts_node_is_null(arg_kw(c, args, "fromlist"));
				if (!from) {
					char *dot = memchr(name, '.', (size_t)nl);
					if (dot)
						nl = dot - name;
				}
			}
			return put_q(buf, cap, name, (size_t)nl);
		}
		if (eq(buf, (size_t)fl, "eval")) {
			/* eval("compile"), eval(compile("__import__('os')", "", "eval")):
			 * BlankOBF-style indirection; the code is one short expression */
			TSNode a = arg_pos(c, args, 0);
			if (kind_of(c, a) == K_CALL) {
				char cq[QMAX];
				int cl = resolve(c, field(c, a, FL_FUNCTION), cq, sizeof cq, depth + 1);
				if (cl < 0 || !eq(cq, (size_t)cl, "compile"))
					return -1;
				a = arg_pos(c, field(c, a, FL_ARGUMENTS), 0);
			}
			char code[CODE_RESOLVE_MAX + 1];
			long nl = const_arg(c, a, code, sizeof code);
			if (nl <= 0)
				return -1;
			return resolve_code(c, code, (size_t)nl, buf, cap, depth + 1);
		}
		if (eq(buf, (size_t)fl, "getattr")) {
			long nl = const_arg(c, arg_pos(c, args, 1), name, sizeof name);
			if (nl <= 0)
				return -1;
			int ol = resolve(c, arg_pos(c, args, 0), buf, cap, depth + 1);
			if (ol < 0 || (size_t)ol + 1 + (size_t)nl + 1 > cap)
				return -1;
			buf[ol] = '.';
			memcpy(buf + ol + 1, name, (size_t)nl);
			buf[ol + 1 + nl] = 0;
			return (int)normalise(buf, (size_t)ol + 1 + (size_t)nl);
		}
		if ((eq(buf, (size_t)fl, "globals") || eq(buf, (size_t)fl, "locals") ||
		     eq(buf, (size_t)fl, "vars")) &&
		    ts_node_is_null(arg_pos(c, args, 0)))
			return put_q(buf, cap, "globals()", 9);
		const char *inst = instance_of(buf, (size_t)fl);
		if (inst)
			return put_q(buf, cap, inst, strlen(inst));
		return -1;
	}
	case K_SUBSCRIPT: {
		char key[QMAX];
		long kl = const_arg(c, field(c, n, FL_SUBSCRIPT), key, sizeof key);
		if (kl <= 0)
			return -1;
		int vl = resolve(c, field(c, n, FL_VALUE), buf, cap, depth + 1);
		if (vl < 0)
			return -1;
		if (eq(buf, (size_t)vl, "globals()"))
			return resolve_name(c, key, (size_t)kl, buf, cap);
		if (eq(buf, (size_t)vl, "sys.modules"))
			return put_q(buf, cap, key, (size_t)kl);
		if (eq(buf, (size_t)vl, "builtins"))
			return put_q(buf, cap, key, (size_t)kl);
		return -1;
	}
	case K_BINOP: {
		if (!text_is(c, field(c, n, FL_OPERATOR), "/"))
			return -1;
		int ll = resolve(c, field(c, n, FL_LEFT), buf, cap, depth + 1);
		if (ll >= 0 && eq(buf, (size_t)ll, "pathlib.Path"))
			return ll;
		return -1;
	}
	default:
		return -1;
	}
}

/* ------------------------------------------------------------ imports */

/* Modules whose calls fetch data (see is_fetch). */
static bool fetch_module(const char *q, size_t ql)
{
	static const char *const mods[] = {
		"requests", "urllib", "urllib2", "urllib3", "httpx", "aiohttp", "socket", "http",
		"httplib", "ftplib", "six", "websocket", "websockets", "telnetlib", "dns",
	};
	for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
		if (seg_prefix(q, ql, mods[i]))
			return true;
	return false;
}

static void bind_dotted(struct ctx *c, TSNode name, TSNode alias, const char *prefix)
{
	size_t l;
	const char *t = ntext(c, name, &l);
	char q[QMAX];
	int ql;
	if (prefix)
		ql = snprintf(q, sizeof q, "%s.%.*s", prefix, (int)l, t);
	else
		ql = snprintf(q, sizeof q, "%.*s", (int)l, t);
	if (ql <= 0 || (size_t)ql >= sizeof q)
		return;
	/* dotted names may carry spaces/comments inside: drop whitespace */
	size_t k = 0;
	for (int i = 0; i < ql; i++)
		if (q[i] != ' ' && q[i] != '\t' && q[i] != '\n' && q[i] != '\\' && q[i] != '\r')
			q[k++] = q[i];
	q[k] = 0;
	ql = (int)normalise(q, k);
	if (fetch_module(q, (size_t)ql))
		c->netfile = true;
	if (!ts_node_is_null(alias)) {
		t = ntext(c, alias, &l);
		set_alias(c, t, l, q, (size_t)ql);
	} else if (prefix) {
		t = ntext(c, name, &l);
		set_alias(c, t, l, q, (size_t)ql);
	} else {
		/* import a.b.c binds a */
		char *dot = memchr(q, '.', (size_t)ql);
		size_t rl = dot ? (size_t)(dot - q) : (size_t)ql;
		set_alias(c, q, rl, q, rl);
	}
}

/* An import of ctypes/cffi: reported at the end, and only when the file
 * has no native call to show instead. */
static void note_native_module(struct ctx *c, TSNode at, const char *mod, size_t ml)
{
	if (c->quiet)
		return;
	if (seg_prefix(mod, ml, "ctypes") || seg_prefix(mod, ml, "cffi") ||
	    seg_prefix(mod, ml, "_ctypes")) {
		if (!c->native_import) {
			c->native_import = true;
			c->native_off = ts_node_start_byte(at);
			c->native_row = ts_node_start_point(at).row;
			if (c->fixed) {
				c->native_off = c->base_off;
				c->native_row = c->base_row;
			} else {
				c->native_off += c->base_off;
				c->native_row += c->base_row;
			}
			snprintf(c->native_det, sizeof c->native_det, "imports %.*s",
			         (int)(ml > 40 ? 40 : ml), mod);
		}
		if (c->setup)
			emit_hook(c, at, c->fn_depth ? HP_CALL : HP_TOPCALL,
			          "setup.py loads native code at install time");
	}
}

static void do_import(struct ctx *c, TSNode n, bool from)
{
	char mod[QMAX];
	int ml = -1;
	if (from) {
		TSNode m = field(c, n, FL_MODULE_NAME);
		if (kind_of(c, m) != K_DOTTED_NAME)
			return; /* relative import: a module of this package */
		size_t l;
		const char *t = ntext(c, m, &l);
		ml = snprintf(mod, sizeof mod, "%.*s", (int)l, t);
		if (ml <= 0 || (size_t)ml >= sizeof mod)
			return;
		ml = (int)normalise(mod, (size_t)ml);
		note_native_module(c, n, mod, (size_t)ml);
	}
	TSNode names[32];
	TSNode stars = null_node();
	unsigned nn = 0;
	TSTreeCursor *cu = cur_get(c, n);
	if (!cu)
		return;
	if (ts_tree_cursor_goto_first_child(cu)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(cu);
			unsigned k = kind_of(c, ch);
			if (k == K_WILDCARD_IMPORT)
				stars = ch;
			if (ts_tree_cursor_current_field_id(cu) != c->fid[FL_NAME])
				continue;
			if ((k == K_DOTTED_NAME || k == K_ALIASED_IMPORT) && nn < 32)
				names[nn++] = ch;
		} while (ts_tree_cursor_goto_next_sibling(cu));
	}
	cur_put(c);
	if (!ts_node_is_null(stars) && from && c->nstar < STAR_MAX && (size_t)ml < sizeof c->star[0]) {
		bool dup = false;
		for (int i = 0; i < c->nstar; i++)
			if (strcmp(c->star[i], mod) == 0)
				dup = true;
		if (!dup)
			memcpy(c->star[c->nstar++], mod, (size_t)ml + 1);
	}
	for (unsigned i = 0; i < nn; i++) {
		TSNode name = names[i], alias = null_node();
		if (kind_of(c, name) == K_ALIASED_IMPORT) {
			alias = field(c, name, FL_ALIAS);
			name = field(c, name, FL_NAME);
		}
		if (ts_node_is_null(name))
			continue;
		if (!from) {
			size_t l;
			const char *t = ntext(c, name, &l);
			note_native_module(c, n, t, l);
		}
		bind_dotted(c, name, alias, from ? mod : NULL);
	}
}

/* Module-level defs and imports, before the walk: a function defined above
 * the imports it uses still resolves, and `def open()` shadows the builtin. */
static void prepass(struct ctx *c, TSNode root)
{
	TSNode defs[256];
	unsigned nd = 0;
	TSNode imps[256];
	unsigned ni = 0;
	TSTreeCursor *cu = cur_get(c, root);
	if (!cu)
		return;
	if (ts_tree_cursor_goto_first_child(cu)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(cu);
			unsigned k = kind_of(c, ch);
			if (k == K_DECORATED) {
				ch = field(c, ch, FL_DEFINITION);
				k = kind_of(c, ch);
			}
			if ((k == K_FUNCDEF || k == K_CLASSDEF) && nd < 256)
				defs[nd++] = ch;
			else if ((k == K_IMPORT || k == K_IMPORT_FROM) && ni < 256)
				imps[ni++] = ch;
		} while (ts_tree_cursor_goto_next_sibling(cu));
	}
	cur_put(c);
	for (unsigned i = 0; i < nd; i++) {
		size_t l;
		const char *t = ntext(c, field(c, defs[i], FL_NAME), &l);
		set_local(c, t, l);
	}
	/* imports are bound again (and reported) during the walk; here we only
	 * learn names. Keep findings out of the pre-pass. */
	c->quiet = true;
	for (unsigned i = 0; i < ni; i++)
		do_import(c, imps[i], kind_of(c, imps[i]) == K_IMPORT_FROM);
	c->quiet = false;
}

/* ------------------------------------------------------------ integers */

static bool parse_int(const char *t, size_t l, unsigned long long *out)
{
	unsigned base = 10;
	size_t i = 0;
	while (l > 0 && (t[l - 1] == 'l' || t[l - 1] == 'L'))
		l--;
	if (l >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (l >= 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) {
		base = 8;
		i = 2;
	} else if (l >= 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) {
		base = 2;
		i = 2;
	} else if (l >= 2 && t[0] == '0') {
		base = 8; /* Python 2 octal */
		i = 1;
	}
	unsigned long long v = 0;
	bool any = false;
	for (; i < l; i++) {
		if (t[i] == '_')
			continue;
		int d = hexval(t[i]);
		if (d < 0 || (unsigned)d >= base)
			return false;
		if (v > (~0ULL) / 16)
			return false;
		v = v * base + (unsigned)d;
		any = true;
	}
	if (!any)
		return false;
	*out = v;
	return true;
}

/* Does a chmod mode expression set an executable bit? */
static bool mode_has_exec(struct ctx *c, TSNode mode)
{
	if (ts_node_is_null(mode))
		return false;
	bool found = false;
	TSTreeCursor *cu = cur_get(c, mode);
	if (!cu)
		return false;
	unsigned budget = 64, depth = 0;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(cu);
		unsigned k = kind_of(c, n);
		size_t l;
		const char *t;
		if (k == K_INTEGER) {
			unsigned long long v;
			t = ntext(c, n, &l);
			if (parse_int(t, l, &v) && (v & 0111))
				found = true;
		} else if (k == K_IDENTIFIER) {
			t = ntext(c, n, &l);
			if ((l >= 5 && memcmp(t, "S_IX", 4) == 0) || eq(t, l, "S_IEXEC") ||
			    (l == 7 && memcmp(t, "S_IRWX", 6) == 0))
				found = true;
		}
		if (found || --budget == 0)
			break;
		if (ts_tree_cursor_goto_first_child(cu)) {
			depth++;
			continue;
		}
		bool next = false;
		while (depth > 0) {
			if (ts_tree_cursor_goto_next_sibling(cu)) {
				next = true;
				break;
			}
			ts_tree_cursor_goto_parent(cu);
			depth--;
		}
		if (!next)
			break;
	}
	cur_put(c);
	return found;
}

/* ------------------------------------------------------------ walk state */

static bool frame_set(struct ctx *c, size_t depth, TSNode n, TSFieldId f)
{
	if (depth >= c->frcap) {
		size_t cap = c->frcap ? c->frcap * 2 : 256;
		struct frame *p = realloc(c->fr, cap * sizeof *p);
		if (!p) {
			c->oom = true;
			return false;
		}
		c->fr = p;
		c->frcap = cap;
	}
	struct frame *fr = &c->fr[depth];
	fr->node = n;
	fr->field = f;
	fr->kind = (unsigned char)kind_of(c, n);
	fr->cls = C_NONE;
	fr->nnamed = 0;
	fr->flags = 0;
	fr->f0flags = 0;
	fr->aflags = 0;
	fr->a0flags = 0;
	fr->npos = 0;
	fr->local = 0;
	memset(fr->argf, 0, sizeof fr->argf);
	return true;
}

/* ------------------------------------------------------------ environment */

static void env_read_key(struct ctx *c, TSNode at, TSNode key)
{
	char k[96];
	long kl = ts_node_is_null(key) ? -1 : const_arg(c, key, k, sizeof k);
	if (kl > 0) {
		snprintf(c->det, sizeof c->det, "reads env var %s", k);
		emit_perm(c, PV_PERM_ENV_READ, at, c->det);
		/* a plain literal key is already reported by pv_scan_literal (token
		 * env var names); report here what only folding reveals */
		if (kind_of(c, key) != K_STRING && pv_is_secret_env_name(k, (size_t)kl)) {
			snprintf(c->det, sizeof c->det, "reads secret env var %s", k);
			emit(c, "sensitive-read", at, c->det);
		}
	} else {
		emit_perm(c, PV_PERM_ENV_READ, at, "reads the environment");
	}
}

/* An os.environ reference at frame `depth`: how is it used? */
static void env_ref(struct ctx *c, size_t depth)
{
	struct frame *me = &c->fr[depth];
	TSNode n = me->node;
	struct frame *p = depth >= 1 ? &c->fr[depth - 1] : NULL;
	struct frame *gp = depth >= 2 ? &c->fr[depth - 2] : NULL;
	if (p && p->kind == K_SUBSCRIPT && me->field == c->fid[FL_VALUE]) {
		TSNode key = field(c, p->node, FL_SUBSCRIPT);
		bool write = false;
		if (gp && (gp->kind == K_ASSIGN || gp->kind == K_AUGASSIGN) && p->field == c->fid[FL_LEFT])
			write = true;
		if (gp && gp->kind == K_DELETE)
			write = true;
		if (gp && gp->kind == K_EXPR_LIST && depth >= 3 && c->fr[depth - 3].kind == K_DELETE)
			write = true;
		if (write) {
			char k[96];
			long kl = const_arg(c, key, k, sizeof k);
			if (kl > 0)
				snprintf(c->det, sizeof c->det, "sets env var %s", k);
			else
				snprintf(c->det, sizeof c->det, "sets an env var");
			emit_perm(c, PV_PERM_ENV_WRITE, n, c->det);
		} else {
			env_read_key(c, n, key);
		}
		return;
	}
	if (p && p->kind == K_ATTRIBUTE && me->field == c->fid[FL_OBJECT]) {
		size_t l;
		const char *m = ntext(c, field(c, p->node, FL_ATTRIBUTE), &l);
		bool call = gp && gp->kind == K_CALL && p->field == c->fid[FL_FUNCTION];
		TSNode args = call ? field(c, gp->node, FL_ARGUMENTS) : null_node();
		if (eq(m, l, "get") || eq(m, l, "__getitem__") || eq(m, l, "has_key") ||
		    eq(m, l, "__contains__")) {
			env_read_key(c, n, call ? arg_pos(c, args, 0) : null_node());
			return;
		}
		if (eq(m, l, "setdefault") || eq(m, l, "pop") || eq(m, l, "popitem") ||
		    eq(m, l, "update") || eq(m, l, "clear") || eq(m, l, "__setitem__") ||
		    eq(m, l, "__delitem__")) {
			snprintf(c->det, sizeof c->det, "changes the environment (os.environ.%.*s)",
			         (int)(l > 20 ? 20 : l), m);
			emit_perm(c, PV_PERM_ENV_WRITE, n, c->det);
			if (eq(m, l, "setdefault") || eq(m, l, "pop"))
				env_read_key(c, n, call ? arg_pos(c, args, 0) : null_node());
			return;
		}
		if (eq(m, l, "copy") || eq(m, l, "items") || eq(m, l, "keys") || eq(m, l, "values") ||
		    eq(m, l, "__iter__") || eq(m, l, "__repr__") || eq(m, l, "__str__")) {
			emit_perm(c, PV_PERM_ENV_READ, n, "reads the whole environment");
			me->flags |= F_ENVWHOLE;
			return;
		}
		emit_perm(c, PV_PERM_ENV_READ, n, "reads the environment");
		return;
	}
	if (p && (p->kind == K_COMPARISON ||
	          (p->kind == K_DICT_SPLAT && gp && gp->kind == K_ARGLIST))) {
		/* "X" in os.environ; tmpl.format(**os.environ): lookups by name */
		emit_perm(c, PV_PERM_ENV_READ, n, "reads the environment");
		return;
	}
	emit_perm(c, PV_PERM_ENV_READ, n, "reads the whole environment");
	me->flags |= F_ENVWHOLE;
}

/* ------------------------------------------------------------ calls */

static void hook_call(struct ctx *c, TSNode n, const char *q)
{
	if (!c->setup || c->publish_depth)
		return;
	snprintf(c->det, sizeof c->det, "setup.py runs %.60s at install time", q);
	emit_hook(c, n, c->fn_depth ? HP_CALL : HP_TOPCALL, c->det);
}

/* Command-line text of a process call's first argument, to the shell scanner. */
static void shell_arg(struct ctx *c, TSNode call, TSNode arg)
{
	if (ts_node_is_null(arg))
		return;
	char buf[4096];
	struct sb b;
	sb_init(&b, buf, sizeof buf);
	unsigned k = kind_of(c, arg);
	if (k == K_LIST || k == K_TUPLE) {
		uint32_t cnt = ts_node_named_child_count(arg);
		if (cnt == 0 || cnt > 64)
			return;
		bool any = false;
		for (uint32_t i = 0; i < cnt; i++) {
			TSNode el = ts_node_named_child(arg, i);
			if (kind_of(c, el) == K_COMMENT)
				continue;
			if (any)
				sb_putc(&b, ' ');
			if (!const_str(c, el, &b, true, 0))
				return;
			any = true;
		}
	} else {
		if (!const_str(c, arg, &b, true, 0))
			return;
		if (b.n == 1 && b.p[0] == 'X')
			return; /* nothing constant in it */
	}
	if (b.n)
		scan_shell(c, call, b.p, b.n);
}

static bool open_mode(struct ctx *c, TSNode call, TSNode mode, const char *q)
{
	char m[32];
	long ml = ts_node_is_null(mode) ? 0 : const_arg(c, mode, m, sizeof m);
	bool write = false;
	if (ml > 0)
		for (long i = 0; i < ml; i++)
			if (m[i] == 'w' || m[i] == 'a' || m[i] == 'x' || m[i] == '+')
				write = true;
	if (write) {
		snprintf(c->det, sizeof c->det, "writes a file via %s(..., '%s')", q, m);
		emit_perm(c, PV_PERM_FS_WRITE, call, c->det);
	} else {
		snprintf(c->det, sizeof c->det, "reads a file via %s()", q);
		emit_perm(c, PV_PERM_FS_READ, call, c->det);
	}
	return write;
}

static bool method_name(struct ctx *c, TSNode fn, const char **m, size_t *ml)
{
	if (kind_of(c, fn) != K_ATTRIBUTE)
		return false;
	TSNode a = field(c, fn, FL_ATTRIBUTE);
	if (ts_node_is_null(a))
		return false;
	*m = ntext(c, a, ml);
	return true;
}

/* Method calls on objects we cannot name: a few names are specific enough. */
static enum cls method_class(struct ctx *c, TSNode fn, TSNode args, char *q, size_t cap)
{
	const char *m;
	size_t ml;
	if (!method_name(c, fn, &m, &ml))
		return C_NONE;
	snprintf(q, cap, ".%.*s", (int)(ml > 60 ? 60 : ml), m);
	if (eq(m, ml, "write_text") || eq(m, ml, "write_bytes"))
		return C_FSW;
	if (eq(m, ml, "read_text") || eq(m, ml, "read_bytes"))
		return C_FSR;
	if (eq(m, ml, "read") || eq(m, ml, "readlines") || eq(m, ml, "readline"))
		return C_MREAD;
	if (eq(m, ml, "recv") || eq(m, ml, "recv_into") || eq(m, ml, "recvfrom"))
		return C_MRECV;
	if (eq(m, ml, "dlopen") || eq(m, ml, "LoadLibrary") || eq(m, ml, "LoadLibraryA") ||
	    eq(m, ml, "LoadLibraryW") || eq(m, ml, "LoadLibraryEx"))
		return C_NATIVE;
	if (eq(m, ml, "decode")) {
		char codec[32];
		long cl = const_arg(c, arg_pos(c, args, 0), codec, sizeof codec);
		if (cl > 0 && in_list(codec, (size_t)cl, decode_codecs,
		                      sizeof decode_codecs / sizeof decode_codecs[0]))
			return C_MDECODE;
		return C_NONE;
	}
	if (IN_LIST(m, ml, sink_methods))
		return C_MSINK;
	return C_NONE;
}

static bool native_name(const char *s, size_t n)
{
	static const char *const sfx[] = {".so", ".pyd", ".dll", ".dylib"};
	for (size_t i = 0; i < 4; i++)
		if (ends_with(s, n, sfx[i]))
			return true;
	return n > 4 && memmem(s, n, ".so.", 4) != NULL;
}

/* Is one of the first two arguments a constant path to a shared object? */
static bool native_path_arg(struct ctx *c, TSNode args)
{
	for (unsigned i = 0; i < 2; i++) {
		char p[256];
		long pl = const_arg(c, arg_pos(c, args, i), p, sizeof p);
		if (pl > 0 && native_name(p, (size_t)pl))
			return true;
	}
	return false;
}

/* Does a network call bring data in (for download-exec)? Only calls that
 * return what the other end sent: HTTP requests and responses, socket
 * receives, FTP retrievals, DNS answers (TXT records carry payloads).
 * Making a socket or a connection, sending mail, serving, or a helper of a
 * network library (paramiko.util.retry_on_signal) is network access, not a
 * download. */
static bool is_fetch(const char *q, size_t ql)
{
	static const char *const http_verbs[] = {
		"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream",
	};
	static const char *const url_verbs[] = {"urlopen", "urlretrieve", "open", "retrieve"};
	static const char *const urllib3_verbs[] = {
		"request", "urlopen", "request_encode_url", "request_encode_body",
	};
	static const char *const recv_verbs[] = {
		"recv", "recv_into", "recvfrom", "recvfrom_into", "recvmsg",
	};
	static const char *const telnet_verbs[] = {
		"read_all", "read_until", "read_some", "read_eager", "read_very_eager", "expect",
	};
	static const struct {
		const char *mod;
		const char *const *verbs;
		size_t n;
	} fam[] = {
#define FAM(m, v) {m, v, sizeof v / sizeof v[0]}
		FAM("requests", http_verbs), FAM("httpx", http_verbs), FAM("aiohttp", http_verbs),
		FAM("urllib", url_verbs), FAM("urllib2", url_verbs), FAM("six.moves.urllib", url_verbs),
		FAM("urllib3", urllib3_verbs), FAM("socket", recv_verbs), FAM("websocket", recv_verbs),
		FAM("websockets", recv_verbs), FAM("telnetlib", telnet_verbs),
#undef FAM
	};
	const char *last = q + ql;
	while (last > q && last[-1] != '.')
		last--;
	size_t ll = ql - (size_t)(last - q);
	if (last == q)
		return false;
	if (eq(last, ll, "getresponse"))
		return seg_prefix(q, ql, "http.client") || seg_prefix(q, ql, "httplib");
	if (eq(last, ll, "retrbinary") || eq(last, ll, "retrlines"))
		return seg_prefix(q, ql, "ftplib");
	if (eq(last, ll, "resolve") || eq(last, ll, "query"))
		return seg_prefix(q, ql, "dns.resolver");
	if (seg_prefix(q, ql, "aiohttp.web"))
		return false; /* web.get("/", handler): a route */
	for (size_t i = 0; i < sizeof fam / sizeof fam[0]; i++)
		if (seg_prefix(q, ql, fam[i].mod) && in_list(last, ll, fam[i].verbs, fam[i].n))
			return true;
	return false;
}

/* ------------------------------------------------------------ download-exec flow */

/* The text of n without white space, in buf; 0 when it does not fit. */
static size_t key_text(const struct ctx *c, TSNode n, char *buf, size_t cap)
{
	size_t l, k = 0;
	const char *t = ntext(c, n, &l);
	for (size_t i = 0; i < l; i++) {
		char ch = t[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
			continue;
		if (ch == '\\' && i + 1 < l && (t[i + 1] == '\n' || t[i + 1] == '\r'))
			continue; /* line continuation */
		if (k + 1 >= cap)
			return 0;
		buf[k++] = ch;
	}
	buf[k] = 0;
	return k;
}

/* Bounded pre-order walk of a subtree with a helper cursor. */
struct iter {
	TSTreeCursor *cu;
	unsigned depth, budget;
};

static bool iter_begin(struct ctx *c, struct iter *it, TSNode n, unsigned budget)
{
	it->cu = ts_node_is_null(n) ? NULL : cur_get(c, n);
	it->depth = 0;
	it->budget = budget;
	return it->cu != NULL;
}

static bool iter_next(struct iter *it, bool descend)
{
	if (it->budget == 0 || --it->budget == 0)
		return false;
	if (descend && ts_tree_cursor_goto_first_child(it->cu)) {
		it->depth++;
		return true;
	}
	while (it->depth > 0) {
		if (ts_tree_cursor_goto_next_sibling(it->cu))
			return true;
		ts_tree_cursor_goto_parent(it->cu);
		it->depth--;
	}
	return false;
}

/* The file name in a string literal: its last path component has 3+
 * characters, and it is not an open() mode or a bare extension. Returns
 * the component's offset in s, or -1. */
static long file_piece(const char *s, size_t n)
{
	if (n < 3 || n >= KEY_LEN)
		return -1;
	size_t b = n;
	while (b > 0 && s[b - 1] != '/' && s[b - 1] != '\\')
		b--;
	if (n - b < 3 || s[b] == '.')
		return -1;
	bool mode = true;
	for (size_t i = b; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20)
			return -1;
		if (!memchr("rwabxtU+", ch, 8))
			mode = false;
	}
	return mode ? -1 : (long)b;
}

static void dkey_add(struct dkey *k, int *nk, int max, const char *t, size_t l, uint32_t scope,
                     bool piece)
{
	if (l == 0 || l >= KEY_LEN)
		return;
	/* instance attributes are shared by the methods of a class */
	if (!piece && ((l > 5 && memcmp(t, "self.", 5) == 0) || (l > 4 && memcmp(t, "cls.", 4) == 0)))
		scope = 0;
	for (int i = 0; i < *nk; i++)
		if (k[i].piece == piece && k[i].scope == scope && strlen(k[i].t) == l &&
		    memcmp(k[i].t, t, l) == 0)
			return;
	if (*nk >= max)
		return;
	memcpy(k[*nk].t, t, l);
	k[*nk].t[l] = 0;
	k[*nk].scope = scope;
	k[*nk].piece = piece;
	(*nk)++;
}

/* The file-name pieces of the string literals in e. */
static void piece_keys(struct ctx *c, TSNode e, struct dkey *k, int *nk, int max)
{
	struct iter it;
	if (!iter_begin(c, &it, e, 64))
		return;
	do {
		TSNode n = ts_tree_cursor_current_node(it.cu);
		if (kind_of(c, n) != K_STRING_CONTENT)
			continue;
		char buf[KEY_LEN];
		struct sb b;
		sb_init(&b, buf, sizeof buf);
		size_t l;
		const char *t = ntext(c, n, &l);
		decode_escapes(&b, t, l, false, false);
		long at = b.over ? -1 : file_piece(b.p, b.n);
		if (at >= 0)
			dkey_add(k, nk, max, b.p + at, b.n - (size_t)at, 0, true);
	} while (iter_next(&it, true));
	cur_put(c);
}

static const struct fbind *fbind_find(const struct ctx *c, const char *name, size_t l)
{
	int n = c->nfb < FBIND_MAX ? c->nfb : FBIND_MAX;
	for (int i = 1; i <= n; i++) {
		const struct fbind *f = &c->fb[(c->nfb - i) % FBIND_MAX];
		if (strlen(f->name) == l && memcmp(f->name, name, l) == 0 && scope_visible(c, f->scope))
			return f;
	}
	return NULL;
}

/* The keys of the file a target expression names: a path, a file object
 * opened for writing (`f` of `f = open(p, "wb")` is known by p too),
 * open(p).write's object, a `.write` callback (retrbinary(cmd, f.write)). */
static void target_keys(struct ctx *c, TSNode e, struct dkey *k, int *nk, int max, int depth)
{
	if (ts_node_is_null(e) || depth > 3)
		return;
	unsigned kd = kind_of(c, e);
	if (kd == K_PAREN) {
		target_keys(c, ts_node_named_child(e, 0), k, nk, max, depth + 1);
		return;
	}
	if (kd == K_ATTRIBUTE && text_is(c, field(c, e, FL_ATTRIBUTE), "write")) {
		target_keys(c, field(c, e, FL_OBJECT), k, nk, max, depth + 1);
		return;
	}
	if (kd == K_CALL) {
		TSNode fn = field(c, e, FL_FUNCTION), args = field(c, e, FL_ARGUMENTS);
		char q[QMAX];
		int ql = resolve(c, fn, q, sizeof q, 0);
		enum cls cl = ql > 0 ? classify(q, (size_t)ql) : C_NONE;
		if (cl == C_OPEN || cl == C_OSOPEN) {
			TSNode a = arg_pos(c, args, 0);
			if (ts_node_is_null(a))
				a = arg_kw(c, args, cl == C_OPEN ? "file" : "path");
			target_keys(c, a, k, nk, max, depth + 1);
			return;
		}
		if (cl == C_OPEN_PATH) {
			target_keys(c, field(c, fn, FL_OBJECT), k, nk, max, depth + 1);
			return;
		}
	}
	char buf[KEY_LEN];
	size_t l = key_text(c, e, buf, sizeof buf);
	uint32_t sc = kd == K_IDENTIFIER && l ? name_scope(c, buf, l) : cur_scope(c);
	if (l > 0)
		dkey_add(k, nk, max, buf, l, sc, false);
	if (kd == K_IDENTIFIER) {
		if (l > 0 && l + 5 < sizeof buf) {
			memcpy(buf + l, ".name", 6); /* a temporary file's name */
			dkey_add(k, nk, max, buf, l + 5, sc, false);
		}
		/* `p = "a.exe"; open(p, "wb")`: the name in command lines too */
		int nc = c->nconst < 16 ? c->nconst : 16;
		for (int i = 1; l > 0 && i <= nc; i++) {
			const char *cn = c->consts[(c->nconst - i) % 16].name;
			if (strlen(cn) == l && memcmp(cn, buf, l) == 0 &&
			    scope_visible(c, c->consts[(c->nconst - i) % 16].scope)) {
				const char *pc = c->consts[(c->nconst - i) % 16].piece;
				dkey_add(k, nk, max, pc, strlen(pc), 0, true);
				break;
			}
		}
		const struct fbind *f = l > 0 ? fbind_find(c, buf, l) : NULL;
		for (int i = 0; f && i < f->nk; i++)
			dkey_add(k, nk, max, f->k[i].t, strlen(f->k[i].t), f->k[i].scope, f->k[i].piece);
		return;
	}
	piece_keys(c, e, k, nk, max);
}

/* `name = "some/file.ext"`: remembered, so that a drop to name is known by
 * the file name in a command line too. */
static void note_const(struct ctx *c, TSNode name, TSNode value)
{
	char v[KEY_LEN];
	size_t l;
	const char *t = ntext(c, name, &l);
	long vl = const_arg(c, value, v, sizeof v);
	long at = vl > 0 ? file_piece(v, (size_t)vl) : -1;
	if (c->quiet || at < 0 || l >= PNAME_LEN)
		return;
	int i = c->nconst++ % 16;
	memcpy(c->consts[i].name, t, l);
	c->consts[i].name[l] = 0;
	c->consts[i].scope = cur_scope(c);
	memcpy(c->consts[i].piece, v + at, (size_t)(vl - at));
	c->consts[i].piece[vl - at] = 0;
}

/* Remember what a name opened for writing writes to. */
static void fbind_set(struct ctx *c, TSNode name, TSNode path)
{
	if (c->quiet || kind_of(c, name) != K_IDENTIFIER)
		return;
	size_t l;
	const char *t = ntext(c, name, &l);
	if (l >= NAME_MAX_)
		return;
	struct fbind *f = &c->fb[c->nfb % FBIND_MAX];
	memset(f, 0, sizeof *f);
	memcpy(f->name, t, l);
	f->scope = cur_scope(c);
	c->nfb++;
	target_keys(c, path, f->k, &f->nk, 4, 1);
}

static void use_key(struct use *u, const char *t, size_t l)
{
	if (l == 0 || (size_t)u->klen + l + 1 > sizeof u->keys)
		return;
	for (size_t i = 0; i < u->klen;) {
		size_t kl = strlen(u->keys + i);
		if (kl == l && memcmp(u->keys + i, t, l) == 0)
			return;
		i += kl + 1;
	}
	memcpy(u->keys + u->klen, t, l);
	u->klen = (unsigned short)(u->klen + l + 1);
	u->keys[u->klen - 1] = 0;
}

static bool has_interpolation(const struct ctx *c, TSNode str)
{
	uint32_t cnt = ts_node_named_child_count(str);
	for (uint32_t i = 0; i < cnt && i < 64; i++)
		if (kind_of(c, ts_node_named_child(str, i)) == K_INTERPOLATION)
			return true;
	return false;
}

/* Keywords of a run call whose values name what is run. */
static const char *const run_kwargs[] = {
	"args", "executable", "cmd", "command", "path", "file", "filename", "source", "name",
	"fname", "path_or_buffer",
};

/* The keys and string contents of the expressions in n (see struct use). */
static void use_collect(struct ctx *c, TSNode n, struct use *u)
{
	struct iter it;
	if (!iter_begin(c, &it, n, 256))
		return;
	bool down;
	do {
		TSNode x = ts_tree_cursor_current_node(it.cu);
		TSFieldId f = ts_tree_cursor_current_field_id(it.cu);
		unsigned k = kind_of(c, x);
		bool key = false;
		down = true;
		char buf[KEY_LEN];
		size_t l;
		switch (k) {
		case K_COMMENT:
			down = false;
			break;
		case K_KWARG: {
			const char *t = ntext(c, field(c, x, FL_NAME), &l);
			down = IN_LIST(t, l, run_kwargs);
			break;
		}
		case K_IDENTIFIER:
			key = f != c->fid[FL_ATTRIBUTE] && f != c->fid[FL_NAME] && f != c->fid[FL_FUNCTION];
			break;
		case K_ATTRIBUTE:
			key = f != c->fid[FL_FUNCTION];
			break;
		case K_CALL:
		case K_BINOP:
		case K_SUBSCRIPT:
		case K_CONCAT:
			key = true;
			break;
		case K_STRING:
			key = has_interpolation(c, x); /* f"{d}/a.exe" */
			break;
		case K_STRING_CONTENT: {
			const char *t = ntext(c, x, &l);
			struct sb b;
			sb_init(&b, u->text + u->tlen, sizeof u->text - u->tlen);
			decode_escapes(&b, t, l, false, false);
			u->tlen = (unsigned short)(u->tlen + b.n);
			if ((size_t)u->tlen + 1 < sizeof u->text) {
				u->text[u->tlen++] = '\n';
				u->text[u->tlen] = 0;
			}
			down = false;
			break;
		}
		default:
			break;
		}
		if (key && (l = key_text(c, x, buf, sizeof buf)) > 0)
			use_key(u, buf, l);
	} while (iter_next(&it, down));
	cur_put(c);
}

/* Does a file-name piece occur in text as a whole path component? */
static bool text_has_piece(const char *text, size_t n, const char *p)
{
	size_t pl = strlen(p);
	if (!pl || pl > n)
		return false;
	for (const char *h = text; (h = memmem(h, n - (size_t)(h - text), p, pl)); h++) {
		char before = h > text ? h[-1] : '\n', after = (size_t)(h - text) + pl < n ? h[pl] : '\n';
		if (memchr("\n \t\"'/\\=(>:", before, 11) && memchr("\n \t\"';&|)<>", after, 11))
			return true;
	}
	return false;
}

static bool use_has(const struct use *u, const char *t)
{
	for (size_t i = 0; i < u->klen;) {
		if (strcmp(u->keys + i, t) == 0)
			return true;
		i += strlen(u->keys + i) + 1;
	}
	return false;
}

static bool drop_used(const struct drop *d, const struct use *u)
{
	for (int i = 0; i < d->nk; i++) {
		const struct dkey *k = &d->k[i];
		if (k->piece) {
			if (text_has_piece(u->text, u->tlen, k->t))
				return true;
		} else if ((k->scope == 0 || k->scope == u->scope) && use_has(u, k->t)) {
			return true;
		}
	}
	return false;
}

/* The fetch a drop's data most likely came from: the last one above it. */
static int fetch_before(const struct ctx *c, uint32_t row)
{
	int best = -1;
	for (int i = 0; i < c->nnets; i++)
		if (c->nets[i].row <= row && (best < 0 || c->nets[i].row >= c->nets[best].row))
			best = i;
	return best >= 0 ? best : (c->nnets ? 0 : -1);
}

/* A drop's data came from fetch site f (an index of c->nets, or -1). */
static void drop_via(const struct ctx *c, struct drop *d, int f)
{
	if (f < 0)
		return;
	size_t i = 0;
	for (const char *w = c->nets[f].what; i + 1 < sizeof d->via && w[i]; i++)
		d->via[i] = w[i];
	d->via[i] = 0;
	d->fetch_row = c->nets[f].row + 1;
}

static void dx_emit(struct ctx *c, const struct xsite *x, const struct drop *d)
{
	for (int i = 0; i < c->ndx; i++)
		if (c->dxrows[i] == x->row)
			return;
	if (c->ndx < (int)(sizeof c->dxrows / sizeof c->dxrows[0]))
		c->dxrows[c->ndx++] = x->row;
	bool saved = c->fixed;
	size_t bo = c->base_off;
	uint32_t br = c->base_row;
	c->fixed = false;
	c->base_off = 0;
	c->base_row = 0;
	if (d->fetch_row)
		snprintf(c->det, sizeof c->det,
		         "fetches with %s (line %u), writes it to a file (line %u), then runs it via %s",
		         d->via, (unsigned)d->fetch_row, (unsigned)d->row + 1, x->what);
	else
		snprintf(c->det, sizeof c->det,
		         "writes fetched data to a file (line %u), then runs it via %s",
		         (unsigned)d->row + 1, x->what);
	emit_off(c, "download-exec", x->off, x->row, c->det, false);
	c->fixed = saved;
	c->base_off = bo;
	c->base_row = br;
}

static void dx_emit_cmd(struct ctx *c, size_t off, uint32_t row, const char *what, uint32_t near)
{
	for (int i = 0; i < c->ndx; i++)
		if (c->dxrows[i] == row)
			return;
	if (c->ndx < (int)(sizeof c->dxrows / sizeof c->dxrows[0]))
		c->dxrows[c->ndx++] = row;
	int f = fetch_before(c, near);
	if (f >= 0)
		snprintf(c->det, sizeof c->det,
		         "runs a command received from the network (%s, line %u) via %s",
		         c->nets[f].what, (unsigned)c->nets[f].row + 1, what);
	else
		snprintf(c->det, sizeof c->det, "runs a command received from the network via %s", what);
	bool saved = c->fixed;
	size_t bo = c->base_off;
	uint32_t br = c->base_row;
	c->fixed = false;
	c->base_off = 0;
	c->base_row = 0;
	emit_off(c, "download-exec", off, row, c->det, false);
	c->fixed = saved;
	c->base_off = bo;
	c->base_row = br;
}

static void fn_run(struct ctx *c, const struct xsite *x);
static void fn_write(struct ctx *c, TSNode at, int cparam, const struct dkey *k, int nk);

/* Can this file have a download-exec by data flow? It imports a module
 * that fetches, or has fetched (a socket's recv) already. Files that
 * cannot skip the bookkeeping. */
static bool dx_live(const struct ctx *c)
{
	return c->netfile || c->nnets > 0;
}

/* A run site: a process, chmod +x, a loader, exec of a file's text. Its
 * arguments a and b are matched against the drops seen so far; the site
 * is kept to be matched against later drops at the end. */
static void add_xsite(struct ctx *c, TSNode n, const char *what, TSNode a, TSNode b)
{
	if (c->quiet || !dx_live(c) || (ts_node_is_null(a) && ts_node_is_null(b)))
		return;
	struct xsite x;
	memset(&x.u, 0, sizeof x.u);
	x.off = site_off(c, n);
	x.row = site_row(c, n);
	snprintf(x.what, sizeof x.what, "%.47s", what);
	x.u.scope = cur_scope(c);
	use_collect(c, a, &x.u);
	use_collect(c, b, &x.u);
	if (!x.u.klen && !x.u.tlen)
		return;
	fn_run(c, &x);
	for (int i = 0; i < c->ndrops; i++)
		if (drop_used(&c->drops[i], &x.u)) {
			dx_emit(c, &x, &c->drops[i]);
			return;
		}
	if (c->nx >= XSITE_MAX)
		return;
	if (c->nx == c->xcap) {
		int cap = c->xcap ? c->xcap * 2 : 8;
		struct xsite *p = realloc(c->xs, (size_t)cap * sizeof *p);
		if (!p) {
			c->oom = true;
			return;
		}
		c->xs = p;
		c->xcap = cap;
	}
	c->xs[c->nx++] = x;
}

/* The next free drop, zeroed (counted by the caller), or NULL. */
static struct drop *drop_slot(struct ctx *c)
{
	if (c->ndrops >= DROP_MAX)
		return NULL;
	if (c->ndrops == c->dropcap) {
		int cap = c->dropcap ? c->dropcap * 2 : 4;
		struct drop *p = realloc(c->drops, (size_t)cap * sizeof *p);
		if (!p) {
			c->oom = true;
			return NULL;
		}
		c->drops = p;
		c->dropcap = cap;
	}
	struct drop *d = &c->drops[c->ndrops];
	memset(d, 0, sizeof *d);
	return d;
}

/* Fetched data written to the file target names (via: the fetch, when the
 * write is the fetch itself, as urlretrieve). */
static void add_drop(struct ctx *c, TSNode at, TSNode target, const char *via)
{
	if (c->quiet || c->ndrops >= DROP_MAX || ts_node_is_null(target))
		return;
	struct drop *d = drop_slot(c);
	if (!d)
		return;
	d->off = site_off(c, at);
	d->row = site_row(c, at);
	target_keys(c, target, d->k, &d->nk, DKEY_MAX, 0);
	if (d->nk == 0)
		return;
	if (via) {
		snprintf(d->via, sizeof d->via, "%.39s", via);
		d->fetch_row = d->row + 1;
	} else {
		int f = fetch_before(c, d->row);
		drop_via(c, d, f);
	}
	c->ndrops++;
	fn_write(c, at, -1, d->k, d->nk); /* def download(url, path): the caller's path */
}

/* A copy / move / extraction from src to dst: a dropped file moved on is
 * still the drop, under dst's keys too. */
static void drop_follow(struct ctx *c, TSNode src, TSNode dst)
{
	if (c->quiet || !c->ndrops || ts_node_is_null(src) || ts_node_is_null(dst))
		return;
	struct use u;
	memset(&u, 0, sizeof u);
	u.scope = cur_scope(c);
	use_collect(c, src, &u);
	for (int i = 0; i < c->ndrops; i++)
		if (drop_used(&c->drops[i], &u))
			target_keys(c, dst, c->drops[i].k, &c->drops[i].nk, DKEY_MAX, 0);
}

/* `name = <expression naming a dropped file>`: the name now names it too. */
static void drop_alias(struct ctx *c, TSNode name, TSNode value)
{
	if (c->quiet || !c->ndrops || kind_of(c, name) != K_IDENTIFIER || ts_node_is_null(value))
		return;
	struct use u;
	memset(&u, 0, sizeof u);
	u.scope = cur_scope(c);
	use_collect(c, value, &u);
	char buf[KEY_LEN];
	size_t l = key_text(c, name, buf, sizeof buf);
	if (!l)
		return;
	for (int i = 0; i < c->ndrops; i++)
		if (drop_used(&c->drops[i], &u))
			dkey_add(c->drops[i].k, &c->drops[i].nk, DKEY_MAX, buf, l, name_scope(c, buf, l), false);
}


/* ------------------------------------------------- download-exec across calls */

static struct fnctx *cur_fn(struct ctx *c)
{
	return c->nscope > 0 && c->nscope <= SCOPE_MAX ? &c->fns[c->nscope - 1] : NULL;
}

/* The summary of the function the walk is in, made on first use. */
static struct fnsum *fn_sum(struct ctx *c, struct fnctx *f)
{
	if (!f || !f->name[0] || c->quiet)
		return NULL;
	if (f->sum >= 0)
		return &c->sums[f->sum];
	if (c->nsums >= FN_MAX)
		return NULL;
	if (c->nsums == c->sumcap) {
		int cap = c->sumcap ? c->sumcap * 2 : 4;
		struct fnsum *p = realloc(c->sums, (size_t)cap * sizeof *p);
		if (!p) {
			c->oom = true;
			return NULL;
		}
		c->sums = p;
		c->sumcap = cap;
	}
	f->sum = c->nsums++;
	struct fnsum *s = &c->sums[f->sum];
	memset(s, 0, sizeof *s);
	memcpy(s->name, f->name, sizeof s->name);
	memcpy(s->pname, f->pname, sizeof s->pname);
	s->np = f->np;
	return s;
}

/* The summaries of functions named name/l, one after another: *at starts
 * at 0; NULL after the last. (Methods of different classes may share a
 * name: calls are matched against each.) */
static const struct fnsum *sum_next(const struct ctx *c, const char *name, size_t l, int *at)
{
	for (; *at < c->nsums; (*at)++)
		if (strlen(c->sums[*at].name) == l && memcmp(c->sums[*at].name, name, l) == 0)
			return &c->sums[(*at)++];
	return NULL;
}

static const struct fnsum *sum_find(const struct ctx *c, const char *name, size_t l)
{
	int at = 0;
	return sum_next(c, name, l, &at);
}

/* The parameters of f named by the (non-piece) keys k. */
static unsigned param_mask(const struct fnctx *f, const struct dkey *k, int nk)
{
	unsigned m = 0;
	for (int j = 0; j < f->np; j++)
		for (int i = 0; i < nk; i++)
			if (!k[i].piece && strcmp(k[i].t, f->pname[j]) == 0)
				m |= 1u << j;
	return m;
}

/* A def entered: a new scope; its parameters carry their F_P bits. */
static void fn_enter(struct ctx *c, TSNode n)
{
	int at = c->nscope++;
	if (at >= SCOPE_MAX)
		return;
	c->scopes[at] = (uint32_t)(c->base_off + ts_node_start_byte(n)) + 1u;
	struct fnctx *f = &c->fns[at];
	f->sum = -1;
	f->np = 0;
	f->name[0] = 0;
	size_t l;
	const char *t = ntext(c, field(c, n, FL_NAME), &l);
	if (l < NAME_MAX_) {
		memcpy(f->name, t, l);
		f->name[l] = 0;
	}
	TSNode ps = field(c, n, FL_PARAMETERS);
	uint32_t cnt = ts_node_named_child_count(ps);
	for (uint32_t i = 0; i < cnt && i < 16 && f->np < PARAMS; i++) {
		TSNode p = ts_node_named_child(ps, i);
		unsigned k = kind_of(c, p);
		if (k == K_DEFAULT_PARAM || k == K_TYPED_DEFAULT_PARAM)
			p = field(c, p, FL_NAME);
		else if (k == K_TYPED_PARAM)
			p = ts_node_named_child(p, 0);
		else if (k != K_IDENTIFIER)
			continue;
		if (kind_of(c, p) != K_IDENTIFIER)
			continue;
		t = ntext(c, p, &l);
		if (i == 0 && (eq(t, l, "self") || eq(t, l, "cls")))
			continue;
		if (l >= PNAME_LEN)
			continue;
		memcpy(f->pname[f->np], t, l);
		f->pname[f->np][l] = 0;
		struct sym *e = sym_find(c, t, l, true);
		if (e) {
			e->ptaint = F_P0 << f->np;
			e->pscope = c->scopes[at];
		}
		f->np++;
	}
}

/* `return x`: fetched data makes the function a fetch; what it returns
 * may be the file it wrote. */
static void fn_return(struct ctx *c, struct frame *fr)
{
	struct fnctx *f = cur_fn(c);
	TSNode e = ts_node_named_child(fr->node, 0);
	uint32_t here = cur_scope(c);
	if (!f || ts_node_is_null(e))
		return;
	bool fetch = (fr->flags & F_FETCH) != 0;
	bool wrote = f->sum >= 0 && c->sums[f->sum].nw;
	bool ws = c->nws && c->ws[c->nws - 1].scope == here;
	if (!fetch && !wrote && !ws)
		return;
	struct use u;
	memset(&u, 0, sizeof u);
	use_collect(c, e, &u);
	/* `return path` of a file written here with data judged at the end */
	for (int i = c->nws - 1; ws && i >= 0 && c->ws[i].scope == here; i--) {
		bool named = false;
		for (int k = 0; k < c->ws[i].nk && !named; k++)
			named = !c->ws[i].k[k].piece && use_has(&u, c->ws[i].k[k].t);
		struct fnsum *ps = named ? fn_sum(c, f) : NULL;
		bool known = false;
		for (int w = 0; ps && w < ps->nw; w++)
			known = known || ps->w[w].ws == i;
		if (!ps || known)
			continue;
		fn_write(c, e, -2, c->ws[i].k, c->ws[i].nk);
		if (ps->nw && ps->w[ps->nw - 1].cparam == -2) {
			ps->w[ps->nw - 1].ws = i;
			ps->w[ps->nw - 1].off = c->ws[i].off; /* reported at the write */
			ps->w[ps->nw - 1].row = c->ws[i].row;
		}
	}
	struct fnsum *s = NULL;
	if (fetch) {
		s = fn_sum(c, f);
		if (s)
			s->ret_fetch = true;
	} else if (f->sum >= 0 && c->sums[f->sum].nw) {
		s = &c->sums[f->sum];
	}
	if (!s)
		return;
	for (size_t i = 0; i < u.klen;) {
		size_t kl = strlen(u.keys + i);
		if ((size_t)s->rlen + kl + 1 <= sizeof s->rkeys) {
			memcpy(s->rkeys + s->rlen, u.keys + i, kl + 1);
			s->rlen = (unsigned short)(s->rlen + kl + 1);
		}
		i += kl + 1;
	}
}

/* A write in a function of what parameter cparam holds (-1: of fetched
 * data) to the file keys k name: calls decide whether it is a drop. */
static void fn_write(struct ctx *c, TSNode at, int cparam, const struct dkey *k, int nk)
{
	struct fnctx *f = cur_fn(c);
	if (!f || nk == 0)
		return;
	/* a drop of its own (cparam -1) matters to callers when the path is a
	 * parameter or is returned */
	unsigned tp = param_mask(f, k, nk);
	struct fnsum *s = fn_sum(c, f);
	if (!s || s->nw >= 4)
		return;
	struct pwrite *w = &s->w[s->nw++];
	w->cparam = cparam;
	w->ws = -1;
	w->tparams = tp;
	w->off = site_off(c, at);
	w->row = site_row(c, at);
	w->nk = 0;
	for (int i = 0; i < nk && w->nk < 4; i++)
		w->k[w->nk++] = k[i];
}

/* A run site in a function that runs one of its parameters. */
static void fn_run(struct ctx *c, const struct xsite *x)
{
	struct fnctx *f = cur_fn(c);
	if (!f || !f->np)
		return;
	for (int j = 0; j < f->np; j++) {
		if (!use_has(&x->u, f->pname[j]))
			continue;
		struct fnsum *s = fn_sum(c, f);
		if (!s || (s->prun & (1u << j)))
			continue;
		s->prun |= 1u << j;
		s->run[j].off = x->off;
		s->run[j].row = x->row;
		memcpy(s->run[j].what, x->what, sizeof s->run[j].what);
	}
}

/* Keep the keys of use u that fit in buf (whole keys only); their length. */
static unsigned short keys_fit(const struct use *u, char *buf, size_t cap)
{
	size_t n = 0;
	while (n < u->klen) {
		size_t kl = strlen(u->keys + n);
		if (n + kl + 1 > cap)
			break;
		n += kl + 1;
	}
	memcpy(buf, u->keys, n);
	return (unsigned short)n;
}

/* A write left of data (flags cf) to target: a drop when the data was
 * fetched, else perhaps a parameter written (see fn_write), else kept for
 * names that turn out fetched at the end (see struct wsite). */
static void write_flow(struct ctx *c, TSNode at, TSNode target, TSNode data, unsigned cf)
{
	if (ts_node_is_null(target) || c->quiet)
		return;
	if (cf & F_FETCH) {
		add_drop(c, at, target, NULL);
		return;
	}
	struct dkey k[4];
	int nk = 0;
	if (!dx_live(c))
		return;
	if ((cf & F_PARAMS) && cur_fn(c)) {
		target_keys(c, target, k, &nk, 4, 0);
		for (int i = 0; i < PARAMS; i++)
			if (cf & (F_P0 << i))
				fn_write(c, at, i, k, nk);
	}
	if (ts_node_is_null(data) || c->nws >= CALL_MAX)
		return;
	struct use u;
	memset(&u, 0, sizeof u);
	use_collect(c, data, &u);
	if (!u.klen)
		return;
	if (!nk)
		target_keys(c, target, k, &nk, 4, 0);
	if (!nk)
		return;
	if (c->nws == c->wscap) {
		int cap = c->wscap ? c->wscap * 2 : 8;
		struct wsite *p = realloc(c->ws, (size_t)cap * sizeof *p);
		if (!p) {
			c->oom = true;
			return;
		}
		c->ws = p;
		c->wscap = cap;
	}
	struct wsite *w = &c->ws[c->nws++];
	w->scope = cur_scope(c);
	w->off = site_off(c, at);
	w->row = site_row(c, at);
	w->nk = nk;
	memcpy(w->k, k, (size_t)nk * sizeof k[0]);
	w->klen = keys_fit(&u, w->keys, sizeof w->keys);
	w->fetched = false;
}

/* The name a call of one of the file's own functions uses (the caller
 * has found it unresolved): f(...), obj.f(...). */
static bool local_name(struct ctx *c, TSNode fn, const char **name, size_t *l)
{
	if (kind_of(c, fn) == K_IDENTIFIER) {
		*name = ntext(c, fn, l);
		return true;
	}
	return method_name(c, fn, name, l);
}

/* Note a call of the file's own functions (in a file that fetches). */
static void note_call(struct ctx *c, size_t depth)
{
	struct frame *fr = &c->fr[depth];
	const char *name;
	size_t nl;
	if (!fr->local || !dx_live(c) || c->quiet || c->nraw >= RAW_MAX)
		return;
	if (!local_name(c, field(c, fr->node, FL_FUNCTION), &name, &nl) || nl >= NAME_MAX_)
		return;
	/* x = f(...), x = await f(...) */
	const char *lt = NULL;
	size_t ll = 0;
	size_t d = depth;
	while (d > 0 && (c->fr[d - 1].kind == K_AWAIT || c->fr[d - 1].kind == K_PAREN))
		d--;
	if (d > 0 && c->fr[d - 1].kind == K_ASSIGN && c->fr[d].field == c->fid[FL_RIGHT]) {
		TSNode left = field(c, c->fr[d - 1].node, FL_LEFT);
		if (kind_of(c, left) == K_IDENTIFIER)
			lt = ntext(c, left, &ll);
		if (ll >= NAME_MAX_)
			lt = NULL;
	}
	int na = fr->npos < CARGS ? fr->npos : CARGS;
	if (na == 0 && !lt)
		return;
	if (c->nraw == c->rawcap) {
		int cap = c->rawcap ? c->rawcap * 2 : 16;
		struct rawcall *p = realloc(c->raw, (size_t)cap * sizeof *p);
		if (!p) {
			c->oom = true;
			return;
		}
		c->raw = p;
		c->rawcap = cap;
	}
	struct rawcall *r = &c->raw[c->nraw++];
	r->scope = cur_scope(c);
	r->row = site_row(c, fr->node);
	r->na = na;
	memcpy(r->argf, fr->argf, sizeof r->argf);
	memcpy(r->argn, fr->argn, sizeof r->argn);
	memcpy(r->name, name, nl);
	r->name[nl] = 0;
	r->lhs[0] = 0;
	if (lt) {
		memcpy(r->lhs, lt, ll);
		r->lhs[ll] = 0;
	}
}

/* The end of a buffer's walk (its tree still there): the noted calls of
 * functions that have a summary are kept, with their arguments' keys. */
static void keep_calls(struct ctx *c)
{
	uint32_t scope0 = c->scopes[0];
	int nscope = c->nscope;
	for (int i = 0; i < c->nraw && c->ncalls < CALL_MAX; i++) {
		const struct rawcall *r = &c->raw[i];
		if (!sum_find(c, r->name, strlen(r->name)))
			continue;
		if (c->ncalls == c->callcap) {
			int cap = c->callcap ? c->callcap * 2 : 8;
			struct fcall *p = realloc(c->calls, (size_t)cap * sizeof *p);
			if (!p) {
				c->oom = true;
				break;
			}
			c->calls = p;
			c->callcap = cap;
		}
		struct fcall *e = &c->calls[c->ncalls++];
		memset(e, 0, sizeof *e);
		memcpy(e->name, r->name, sizeof e->name);
		memcpy(e->lhs, r->lhs, sizeof e->lhs);
		e->scope = r->scope;
		e->row = r->row;
		e->na = r->na;
		/* keys as seen from the caller's function */
		c->nscope = r->scope ? 1 : 0;
		c->scopes[0] = r->scope;
		for (int k = 0; k < r->na; k++) {
			struct carg *g = &e->a[k];
			g->flags = r->argf[k];
			target_keys(c, r->argn[k], g->k, &g->nk, 3, 1);
			struct use u;
			memset(&u, 0, sizeof u);
			use_collect(c, r->argn[k], &u);
			g->klen = keys_fit(&u, g->keys, sizeof g->keys);
		}
	}
	c->scopes[0] = scope0;
	c->nscope = nscope;
	c->nraw = 0;
}

static bool keys_has(const char *keys, size_t n, const char *t)
{
	for (size_t i = 0; i < n;) {
		if (strcmp(keys + i, t) == 0)
			return true;
		i += strlen(keys + i) + 1;
	}
	return false;
}

struct late {
	const char *name;
	uint32_t scope;
};

/* Is argument i of a call fetched data (or made from a name assigned the
 * result of a function that returns fetched data)? */
static bool carg_fetched(const struct fcall *e, int i, const struct late *late, int nlate)
{
	if (i < 0 || i >= e->na)
		return false;
	const struct carg *g = &e->a[i];
	if (g->flags & F_FETCH)
		return true;
	for (int l = 0; l < nlate; l++)
		if ((late[l].scope == e->scope || late[l].scope == 0) &&
		    keys_has(g->keys, g->klen, late[l].name))
			return true;
	return false;
}

static void calls_writes(struct ctx *c, const struct fcall *e, const struct fnsum *s,
                         const struct late *late, int nlate);
static void calls_runs(struct ctx *c, const struct fcall *e, const struct fnsum *s,
                       const struct late *late, int nlate);

/* At the end, calls against the summaries: `x = poll()` makes x fetched
 * data, `save(x)` writes it, `run(p)` runs the file, `execute(x)` runs
 * the command. */
static void dx_calls(struct ctx *c)
{
	struct late late[32];
	int nlate = 0;
	for (int i = 0; i < c->ncalls; i++) {
		const struct fcall *e = &c->calls[i];
		const struct fnsum *s;
		for (int at = 0; (s = sum_next(c, e->name, strlen(e->name), &at));)
			if (s->ret_fetch && e->lhs[0] && nlate < 32) {
				late[nlate].name = e->lhs;
				late[nlate++].scope = e->scope;
				break;
			}
	}
	for (int i = 0; i < c->nws && nlate && c->ndrops < DROP_MAX; i++) {
		const struct wsite *w = &c->ws[i];
		bool fetched = false;
		if (c->ndrops >= DROP_MAX)
			break;
		for (int l = 0; l < nlate && !fetched; l++)
			fetched = (late[l].scope == w->scope || late[l].scope == 0) &&
			          keys_has(w->keys, w->klen, late[l].name);
		if (!fetched)
			continue;
		struct drop *d = drop_slot(c);
		if (!d)
			break;
		c->ws[i].fetched = true;
		c->ndrops++;
		d->off = w->off;
		d->row = w->row;
		int f = fetch_before(c, w->row);
		drop_via(c, d, f);
		d->nk = w->nk;
		memcpy(d->k, w->k, (size_t)w->nk * sizeof w->k[0]);
	}
	for (int i = 0; i < c->ncalls && c->ndrops < DROP_MAX; i++) {
		const struct fcall *e = &c->calls[i];
		const struct fnsum *s;
		for (int at = 0; (s = sum_next(c, e->name, strlen(e->name), &at));)
			calls_writes(c, e, s, late, nlate);
	}
	for (int i = 0; i < c->ncalls; i++) {
		const struct fcall *e = &c->calls[i];
		const struct fnsum *s;
		for (int at = 0; (s = sum_next(c, e->name, strlen(e->name), &at));)
			calls_runs(c, e, s, late, nlate);
	}
}

/* A call of a function that writes to a file (struct pwrite): a drop when
 * the data it is given, or fetches itself, is fetched data; known by the
 * caller's names for the file (the argument it gave as the path, the name
 * it assigns the returned path to). */
static void calls_writes(struct ctx *c, const struct fcall *e, const struct fnsum *s,
                         const struct late *late, int nlate)
{
	for (int w = 0; w < s->nw && c->ndrops < DROP_MAX; w++) {
		const struct pwrite *pw = &s->w[w];
		bool fetched = pw->cparam == -1 || carg_fetched(e, pw->cparam, late, nlate) ||
		               (pw->cparam == -2 && pw->ws >= 0 && pw->ws < c->nws && c->ws[pw->ws].fetched);
		bool returned = false;
		for (int k = 0; k < pw->nk && !returned; k++)
			returned = !pw->k[k].piece && keys_has(s->rkeys, s->rlen, pw->k[k].t);
		returned = returned && e->lhs[0];
		if (!fetched || (pw->cparam < 0 && !pw->tparams && !returned))
			continue; /* a drop matched in its own function */
		struct drop *d = drop_slot(c);
		if (!d)
			break;
		d->off = pw->off;
		d->row = pw->row;
		int f = fetch_before(c, pw->cparam < 0 ? pw->row : e->row);
		drop_via(c, d, f);
		for (int k = 0; k < pw->nk; k++)
			dkey_add(d->k, &d->nk, DKEY_MAX, pw->k[k].t, strlen(pw->k[k].t), pw->k[k].scope,
			         pw->k[k].piece);
		for (int j = 0; j < e->na; j++)
			if (pw->tparams & (1u << j))
				for (int k = 0; k < e->a[j].nk; k++)
					dkey_add(d->k, &d->nk, DKEY_MAX, e->a[j].k[k].t, strlen(e->a[j].k[k].t),
					         e->a[j].k[k].scope, e->a[j].k[k].piece);
		if (returned)
			dkey_add(d->k, &d->nk, DKEY_MAX, e->lhs, strlen(e->lhs), e->scope, false);
		if (d->nk)
			c->ndrops++;
	}
}

/* Does a drop's file-name piece equal one in a call argument's keys? */
static bool drop_piece_arg(const struct drop *d, const struct carg *g)
{
	for (int i = 0; i < d->nk; i++)
		for (int k = 0; d->k[i].piece && k < g->nk; k++)
			if (g->k[k].piece && strcmp(d->k[i].t, g->k[k].t) == 0)
				return true;
	return false;
}

/* A call of a function that runs a parameter: the command received from
 * the network, or the dropped file, it is given is run. */
static void calls_runs(struct ctx *c, const struct fcall *e, const struct fnsum *s,
                       const struct late *late, int nlate)
{
	for (int j = 0; j < e->na && j < PARAMS; j++)
		if ((s->pcmd & (1u << j)) && carg_fetched(e, j, late, nlate))
			dx_emit_cmd(c, s->cmd[j].off, s->cmd[j].row, s->cmd[j].what, e->row);
	for (int j = 0; j < e->na && j < PARAMS; j++) {
		if (!(s->prun & (1u << j)))
			continue;
		struct xsite x;
		memset(&x, 0, sizeof x);
		x.off = s->run[j].off;
		x.row = s->run[j].row;
		memcpy(x.what, s->run[j].what, sizeof x.what);
		x.u.scope = e->scope;
		memcpy(x.u.keys, e->a[j].keys, e->a[j].klen);
		x.u.klen = e->a[j].klen;
		for (int k = 0; k < c->ndrops; k++)
			if (drop_used(&c->drops[k], &x.u) || drop_piece_arg(&c->drops[k], &e->a[j])) {
				dx_emit(c, &x, &c->drops[k]);
				break;
			}
	}
}

/* Programs that run code given on their command line. */
static bool inline_code_arg(struct ctx *c, TSNode args)
{
	TSNode a = arg_pos(c, args, 0);
	unsigned k = kind_of(c, a);
	if (k != K_LIST && k != K_TUPLE)
		return false;
	uint32_t cnt = ts_node_named_child_count(a);
	for (uint32_t i = 0; i + 1 < cnt && i < 16; i++) {
		char flag[24];
		long fl = const_arg(c, ts_node_named_child(a, i), flag, sizeof flag);
		if (fl <= 0)
			continue;
		if (eq(flag, (size_t)fl, "-c") || eq(flag, (size_t)fl, "-e") || eq(flag, (size_t)fl, "/c") ||
		    eq(flag, (size_t)fl, "/C") || eq(flag, (size_t)fl, "-Command") ||
		    eq(flag, (size_t)fl, "-command") || eq(flag, (size_t)fl, "-EncodedCommand") ||
		    eq(flag, (size_t)fl, "-enc"))
			return !is_const(c, ts_node_named_child(a, i + 1));
	}
	return false;
}

/* Loaders that run a file's code: the file is a run site. */
static bool loads_file(const char *q, size_t ql)
{
	static const char *const last_names[] = {
		"CDLL", "WinDLL", "OleDLL", "PyDLL", "LoadLibrary", "LoadLibraryA", "LoadLibraryW",
		"LoadLibraryEx", "dlopen", "run_path", "load_source", "load_compiled", "load_dynamic",
		"load_module", "SourceFileLoader", "SourcelessFileLoader", "ExtensionFileLoader",
		"spec_from_file_location",
	};
	const char *last = q + ql;
	while (last > q && last[-1] != '.')
		last--;
	return IN_LIST(last, ql - (size_t)(last - q), last_names);
}

static void call_enter(struct ctx *c, size_t depth)
{
	struct frame *fr = &c->fr[depth];
	TSNode n = fr->node;
	TSNode fn = field(c, n, FL_FUNCTION);
	TSNode args = field(c, n, FL_ARGUMENTS);
	char q[QMAX];
	int ql = resolve(c, fn, q, sizeof q, 0);
	enum cls cl = C_NONE;
	if (ql >= 0)
		cl = classify(q, (size_t)ql);
	else
		cl = method_class(c, fn, args, q, sizeof q);
	fr->cls = (unsigned char)cl;
	switch (cl) {
	case C_NONE: {
		/* a call of the file's own function that returns fetched data */
		const char *name;
		size_t nl;
		const struct fnsum *s;
		unsigned fk = kind_of(c, fn);
		fr->local = ql < 0 && (fk == K_IDENTIFIER || fk == K_ATTRIBUTE);
		if (fr->local && c->nsums && local_name(c, fn, &name, &nl))
			for (int at = 0; (s = sum_next(c, name, nl, &at));)
				if (s->ret_fetch) {
					note_net(c, n, s->name);
					fr->flags |= F_FETCH;
					break;
				}
		break;
	}
	case C_PROC:
	case C_PROC_SHELL:
	case C_SUBPROC:
	case C_STARTFILE:
		snprintf(c->det, sizeof c->det, "runs a process via %s", q);
		emit_perm(c, PV_PERM_PROCESS, n, c->det);
		if (cl == C_PROC_SHELL || cl == C_SUBPROC) {
			TSNode a = arg_pos(c, args, 0);
			if (ts_node_is_null(a))
				a = arg_kw(c, args, cl == C_SUBPROC ? "args" : "command");
			if (ts_node_is_null(a))
				a = arg_kw(c, args, "cmd");
			shell_arg(c, n, a);
		}
		add_xsite(c, n, q, args, null_node());
		hook_call(c, n, q);
		break;
	case C_NET:
	case C_RETRIEVE:
		snprintf(c->det, sizeof c->det, "network access via %s", q);
		emit_perm(c, PV_PERM_NETWORK, n, c->det);
		if (is_fetch(q, (size_t)(ql >= 0 ? ql : (int)strlen(q)))) {
			note_net(c, n, q);
			fr->flags |= F_FETCH;
			if (ends_with(q, (size_t)ql, ".retrbinary") || ends_with(q, (size_t)ql, ".retrlines"))
				add_drop(c, n, arg_pos(c, args, 1), q); /* retrbinary(cmd, f.write) */
		}
		if (cl == C_RETRIEVE) {
			snprintf(c->det, sizeof c->det, "downloads to a file via %s", q);
			emit_perm(c, PV_PERM_FS_WRITE, n, c->det);
			TSNode t = arg_pos(c, args, 1);
			if (ts_node_is_null(t))
				t = arg_kw(c, args, "filename");
			if (ts_node_is_null(t))
				c->retr_bare = n; /* `name, _ = urlretrieve(url)`: see node_leave */
			else
				add_drop(c, n, t, q);
		}
		hook_call(c, n, q);
		break;
	case C_FSW:
		snprintf(c->det, sizeof c->det, "changes files via %s", q);
		emit_perm(c, PV_PERM_FS_WRITE, n, c->det);
		break;
	case C_FSR:
		snprintf(c->det, sizeof c->det, "reads files via %s", q);
		emit_perm(c, PV_PERM_FS_READ, n, c->det);
		fr->flags |= F_READ;
		break;
	case C_OPEN:
	case C_OPEN_PATH: {
		TSNode mode = arg_pos(c, args, cl == C_OPEN ? 1 : 0);
		if (ts_node_is_null(mode))
			mode = arg_kw(c, args, "mode");
		if (!open_mode(c, n, mode, q)) {
			fr->flags |= F_READ;
		} else {
			/* `f = open(p, "wb")`: bound to f when the assignment is left */
			c->wopen = n;
			c->wopen_path = cl == C_OPEN_PATH ? field(c, fn, FL_OBJECT) : arg_pos(c, args, 0);
			if (ts_node_is_null(c->wopen_path))
				c->wopen_path = arg_kw(c, args, "file");
		}
		break;
	}
	case C_OSOPEN: {
		TSNode fl = arg_pos(c, args, 1);
		if (ts_node_is_null(fl))
			fl = arg_kw(c, args, "flags");
		size_t l = 0;
		const char *t = ts_node_is_null(fl) ? "" : ntext(c, fl, &l);
		bool w = false;
		for (size_t i = 0; i + 4 <= l; i++)
			if (memcmp(t + i, "O_WR", 4) == 0 || memcmp(t + i, "O_RD", 4) == 0 ||
			    memcmp(t + i, "O_CR", 4) == 0 || memcmp(t + i, "O_AP", 4) == 0 ||
			    memcmp(t + i, "O_TR", 4) == 0)
				if (memcmp(t + i, "O_RDONLY", l - i >= 8 ? 8 : l - i) != 0)
					w = true;
		if (w) {
			emit_perm(c, PV_PERM_FS_WRITE, n, "writes a file via os.open");
		} else {
			emit_perm(c, PV_PERM_FS_READ, n, "reads a file via os.open");
		}
		break;
	}
	case C_CHMOD:
	case C_CHMOD_PATH: {
		TSNode mode = arg_pos(c, args, cl == C_CHMOD ? 1 : 0);
		if (ts_node_is_null(mode))
			mode = arg_kw(c, args, "mode");
		bool x = mode_has_exec(c, mode);
		snprintf(c->det, sizeof c->det, "%s via %s", x ? "makes a file executable" : "changes file mode", q);
		emit_perm(c, PV_PERM_FS_WRITE, n, c->det);
		if (x)
			add_xsite(c, n, "chmod +x", cl == C_CHMOD ? arg_pos(c, args, 0)
			                                          : field(c, fn, FL_OBJECT), null_node());
		break;
	}
	case C_ENV_GET:
		env_read_key(c, n, arg_pos(c, args, 0));
		break;
	case C_ENV_SET:
		snprintf(c->det, sizeof c->det, "changes the environment via %s", q);
		emit_perm(c, PV_PERM_ENV_WRITE, n, c->det);
		break;
	case C_IMPORT: {
		TSNode a = arg_pos(c, args, 0);
		if (ts_node_is_null(a))
			a = arg_kw(c, args, "name");
		if (!ts_node_is_null(a) && !is_const(c, a)) {
			snprintf(c->det, sizeof c->det, "imports a module named at run time via %s", q);
			emit_perm(c, PV_PERM_CODEGEN, n, c->det);
			hook_call(c, n, q);
		} else {
			char mod[QMAX];
			long ml = const_arg(c, a, mod, sizeof mod);
			if (ml > 0)
				note_native_module(c, n, mod, (size_t)ml);
		}
		break;
	}
	case C_CODEGEN:
	case C_MARSHAL:
		if (native_path_arg(c, args)) {
			/* spec_from_file_location("m", "m.so"): an extension module */
			c->native_call = true;
			snprintf(c->det, sizeof c->det, "loads a native extension via %s", q);
			emit_perm(c, PV_PERM_NATIVE, n, c->det);
		}
		snprintf(c->det, sizeof c->det, "builds code at run time via %s", q);
		emit_perm(c, PV_PERM_CODEGEN, n, c->det);
		if (loads_file(q, (size_t)ql))
			add_xsite(c, n, q, args, null_node());
		if (cl == C_MARSHAL) {
			snprintf(c->det, sizeof c->det, "decodes data via %s", q);
			emit_perm(c, PV_PERM_DECODE, n, c->det);
		}
		hook_call(c, n, q);
		break;
	case C_DECODE:
	case C_MDECODE:
		snprintf(c->det, sizeof c->det, "decodes data via %s", q);
		emit_perm(c, PV_PERM_DECODE, n, c->det);
		fr->flags |= F_DECODE;
		hook_call(c, n, q);
		break;
	case C_CODECS: {
		TSNode a = arg_pos(c, args, eq(q, (size_t)ql, "codecs.getdecoder") ? 0 : 1);
		if (ts_node_is_null(a))
			a = arg_kw(c, args, "encoding");
		char codec[32];
		long cl2 = const_arg(c, a, codec, sizeof codec);
		if (cl2 > 0 && in_list(codec, (size_t)cl2, decode_codecs,
		                       sizeof decode_codecs / sizeof decode_codecs[0])) {
			snprintf(c->det, sizeof c->det, "decodes data via %s(..., '%s')", q, codec);
			emit_perm(c, PV_PERM_DECODE, n, c->det);
			fr->flags |= F_DECODE;
			hook_call(c, n, q);
		} else {
			fr->cls = C_NONE;
		}
		break;
	}
	case C_NATIVE:
		c->native_call = true;
		snprintf(c->det, sizeof c->det, "loads native code via %s", q);
		emit_perm(c, PV_PERM_NATIVE, n, c->det);
		if (loads_file(q, strlen(q)))
			add_xsite(c, n, q, args, null_node());
		hook_call(c, n, q);
		break;
	case C_FINGER:
		snprintf(c->det, sizeof c->det, "reads host identity via %s", q);
		emit(c, "host-fingerprint", n, c->det);
		hook_call(c, n, q);
		break;
	case C_GETATTR: {
		TSNode obj = arg_pos(c, args, 0), name = arg_pos(c, args, 1);
		if (ts_node_is_null(name) || is_const(c, name))
			break;
		char oq[QMAX];
		int ol = resolve(c, obj, oq, sizeof oq, 0);
		if (ol < 0)
			break;
		bool bi = eq(oq, (size_t)ol, "builtins");
		bool mod = bi || eq(oq, (size_t)ol, "os") || eq(oq, (size_t)ol, "subprocess") ||
		           eq(oq, (size_t)ol, "ctypes") || eq(oq, (size_t)ol, "socket");
		/* getattr(builtins, name) is a common idiom; a name assembled
		 * from operators and slices (oct.__str__()[-3] + ...) is not */
		unsigned nk = kind_of(c, name);
		bool assembled = nk == K_BINOP || nk == K_SUBSCRIPT;
		if (!mod || (!bi && !assembled))
			break;
		snprintf(c->det, sizeof c->det, "looks up %s attributes by computed name", oq);
		emit_perm(c, PV_PERM_CODEGEN, n, c->det);
		if (assembled) {
			snprintf(c->det, sizeof c->det, "looks up %s attributes by an assembled name", oq);
			emit(c, "obfuscation", n, c->det);
		}
		hook_call(c, n, "getattr");
		break;
	}
	case C_CHR:
		fr->flags |= F_CHR;
		break;
	case C_MREAD:
		fr->flags |= F_READ;
		break;
	case C_MRECV:
		note_net(c, n, q);
		fr->flags |= F_FETCH;
		break;
	default:
		break;
	}
}

static void sink_check(struct ctx *c, struct frame *fr)
{
	if (!(fr->flags & (F_ENVWHOLE | F_ENVARG)))
		return;
	emit(c, "sensitive-read", fr->node, "serialises the whole environment");
	fr->flags &= ~(unsigned)(F_ENVWHOLE | F_ENVARG);
}

static void queue_nested(struct ctx *c, TSNode call, TSNode a, bool dropped)
{
	if (c->level >= NEST_MAX || c->npend >= PENDING_MAX)
		return;
	struct sb b;
	b.p = NULL;
	b.n = b.cap = 0;
	b.max = PENDING_LEN;
	b.grow = true;
	b.over = false;
	bool ok = const_str(c, a, &b, false, 0);
	if (!ok || b.over || b.n == 0) {
		free(b.p);
		return;
	}
	struct pending *p = &c->pend[c->npend++];
	p->text = b.p;
	p->len = b.n;
	p->off = (c->fixed ? c->base_off : ts_node_start_byte(call) + c->base_off);
	p->row = (c->fixed ? c->base_row : ts_node_start_point(call).row + c->base_row);
	p->level = c->level + 1;
	p->dropped = dropped || c->dropped;
}

/* f.write("import os\nos.system(...)"): code dropped into a file (a
 * Startup-folder script, a .pth) runs later; analyse the text as code. */
static void write_const(struct ctx *c, struct frame *fr)
{
	const char *m;
	size_t ml;
	TSNode fn = field(c, fr->node, FL_FUNCTION);
	if (!method_name(c, fn, &m, &ml) || !(eq(m, ml, "write") || eq(m, ml, "write_text")))
		return;
	TSNode a = arg_pos(c, field(c, fr->node, FL_ARGUMENTS), 0);
	unsigned k = kind_of(c, a);
	if (k != K_STRING && k != K_CONCAT && k != K_BINOP)
		return;
	if (ts_node_end_byte(a) - ts_node_start_byte(a) < 16)
		return;
	queue_nested(c, fr->node, a, true);
}

static void eval_exit(struct ctx *c, struct frame *fr, TSNode a, const char *what)
{
	TSNode n = fr->node;
	if (ts_node_is_null(a))
		return;
	if (is_const(c, a)) {
		queue_nested(c, n, a, false);
		return;
	}
	snprintf(c->det, sizeof c->det, "runs dynamic code via %s", what);
	emit_perm(c, PV_PERM_CODEGEN, n, c->det);
	unsigned f = fr->flags;
	if (f & F_DECODEISH) {
		snprintf(c->det, sizeof c->det, "%s of decoded data", what);
		emit(c, "obfuscation", n, c->det);
		emit_perm(c, PV_PERM_DECODE, n, c->det);
	}
	if (f & F_FETCH) {
		snprintf(c->det, sizeof c->det, "%s of code fetched from the network (%s, line %u)",
		         what, c->net_what, (unsigned)c->net_row);
		emit(c, "download-exec", n, c->det);
	}
	if ((f & F_READ) && !(f & F_FETCH))
		add_xsite(c, n, what, a, null_node()); /* exec of a file's text */
	if (c->setup && !c->publish_depth && (!(f & F_READ) || (f & (F_DECODEISH | F_FETCH)))) {
		snprintf(c->det, sizeof c->det, "setup.py runs %.60s at install time", what);
		emit_hook(c, n, c->fn_depth ? HP_CALL : HP_TOPCALL, c->det);
	}
}

static void intlist_check(struct ctx *c, struct frame *fr)
{
	if (!(fr->flags & F_INTLIST))
		return;
	if (!(fr->flags & F_CHR) && fr->cls != C_BYTES)
		return;
	snprintf(c->det, sizeof c->det, "list of %u small ints decoded with %s", c->intlist_n,
	         (fr->flags & F_CHR) ? "chr()" : "bytes()");
	emit(c, "obfuscation", fr->node, c->det);
	emit_perm(c, PV_PERM_DECODE, fr->node, c->det);
	fr->flags &= ~(unsigned)F_INTLIST;
	fr->flags |= F_DECODE;
}

/* A write, copy, move or extraction left: fetched data written to a file
 * is a drop; a drop copied or moved on is known by its new name too. */
static void write_exit(struct ctx *c, struct frame *fr)
{
	TSNode n = fr->node, fn = field(c, n, FL_FUNCTION), args = field(c, n, FL_ARGUMENTS);
	const char *m;
	size_t ml;
	char q[QMAX];
	int ql = resolve(c, fn, q, sizeof q, 0);
	if (ql > 0) {
		m = q + ql;
		while (m > q && m[-1] != '.')
			m--;
		ml = (size_t)ql - (size_t)(m - q);
	} else if (!method_name(c, fn, &m, &ml)) {
		return;
	}
	bool fetched = (fr->aflags & F_FETCH) != 0;
	TSNode obj = kind_of(c, fn) == K_ATTRIBUTE ? field(c, fn, FL_OBJECT) : null_node();
	if (eq(m, ml, "write") || eq(m, ml, "writelines") || eq(m, ml, "write_bytes") ||
	    eq(m, ml, "write_text")) {
		write_flow(c, n, obj, arg_pos(c, args, 0), fr->aflags);
		return;
	}
	if (eq(m, ml, "copyfileobj") || eq(m, ml, "dump") || eq(m, ml, "safe_dump")) {
		/* shutil.copyfileobj(resp, f), json.dump(data, f) */
		TSNode dst = arg_pos(c, args, 1);
		if (ts_node_is_null(dst))
			dst = arg_kw(c, args, eq(m, ml, "copyfileobj") ? "fdst" : "fp");
		write_flow(c, n, dst, arg_pos(c, args, 0), fr->aflags);
		return;
	}
	if (eq(m, ml, "copy") || eq(m, ml, "copy2") || eq(m, ml, "copyfile") || eq(m, ml, "move") ||
	    eq(m, ml, "rename") || eq(m, ml, "renames") || eq(m, ml, "replace") ||
	    eq(m, ml, "unpack_archive")) {
		bool path = ql > 0 && eq(q, (size_t)ql - ml - 1, "pathlib.Path"); /* p.rename(dst) */
		TSNode src = path ? obj : arg_pos(c, args, 0);
		TSNode dst = arg_pos(c, args, path ? 0 : 1);
		if (ts_node_is_null(dst))
			dst = arg_kw(c, args, eq(m, ml, "unpack_archive") ? "extract_dir" : path ? "target" : "dst");
		if (fetched)
			add_drop(c, n, dst, NULL);
		else
			drop_follow(c, src, dst);
		return;
	}
	if (eq(m, ml, "extract") || eq(m, ml, "extractall")) {
		TSNode dst = arg_kw(c, args, "path");
		if (ts_node_is_null(dst))
			dst = arg_pos(c, args, eq(m, ml, "extract") ? 1 : 0);
		if (fr->flags & F_FETCH)
			add_drop(c, n, dst, NULL); /* ZipFile(BytesIO(resp.content)).extractall(d) */
		else
			drop_follow(c, obj, dst);
	}
}

/* A process call left: a command (or inline code) received from the
 * network is run as it is; one a parameter holds is noted for the calls. */
static void run_exit(struct ctx *c, struct frame *fr)
{
	TSNode n = fr->node, args = field(c, n, FL_ARGUMENTS);
	if (!dx_live(c))
		return;
	unsigned prog = fr->a0flags;
	if ((fr->aflags & (F_FETCH | F_PARAMS)) && !(prog & (F_FETCH | F_PARAMS)) &&
	    inline_code_arg(c, args))
		prog |= fr->aflags & (F_FETCH | F_PARAMS); /* python -c CODE */
	if (!(prog & (F_FETCH | F_PARAMS)))
		return;
	char q[QMAX];
	int ql = resolve(c, field(c, n, FL_FUNCTION), q, sizeof q, 0);
	if (ql <= 0)
		snprintf(q, sizeof q, "a process call");
	if (prog & F_FETCH) {
		dx_emit_cmd(c, site_off(c, n), site_row(c, n), q, site_row(c, n));
		return;
	}
	struct fnctx *f = cur_fn(c);
	for (int j = 0; f && j < f->np; j++) {
		if (!(prog & (F_P0 << j)))
			continue;
		struct fnsum *s = fn_sum(c, f);
		if (!s || (s->pcmd & (1u << j)))
			continue;
		s->pcmd |= 1u << j;
		s->cmd[j].off = site_off(c, n);
		s->cmd[j].row = site_row(c, n);
		snprintf(s->cmd[j].what, sizeof s->cmd[j].what, "%.47s", q);
	}
}

static void call_exit(struct ctx *c, struct frame *fr)
{
	TSNode n = fr->node;
	TSNode args = field(c, n, FL_ARGUMENTS);
	switch (fr->cls) {
	case C_EVAL: {
		char q[QMAX];
		int ql = resolve(c, field(c, n, FL_FUNCTION), q, sizeof q, 0);
		TSNode a = arg_pos(c, args, 0);
		if (ts_node_is_null(a))
			a = arg_kw(c, args, "source");
		eval_exit(c, fr, a, ql > 0 ? q : "exec");
		break;
	}
	case C_SINK:
	case C_MSINK:
	case C_NET:
	case C_RETRIEVE:
		sink_check(c, fr);
		if (fr->cls == C_MSINK) {
			write_const(c, fr);
			write_exit(c, fr);
		} else if (fr->cls == C_SINK && (fr->aflags & (F_FETCH | F_PARAMS))) {
			write_exit(c, fr); /* json.dump(data, f) */
		}
		break;
	case C_FSW:
		write_exit(c, fr);
		break;
	case C_NONE:
		/* yaml.dump(data, f); file.write(data) of a variable named after
		 * the Python 2 builtin */
		if (fr->aflags & (F_FETCH | F_PARAMS))
			write_exit(c, fr);
		break;
	case C_PROC:
	case C_PROC_SHELL:
	case C_SUBPROC:
	case C_STARTFILE:
		run_exit(c, fr);
		break;
	case C_CODEGEN:
	case C_MARSHAL:
		/* pickle.loads(zlib.decompress(b'...')) of an embedded payload runs
		 * code as surely as exec (pickled data from a database is not a
		 * payload: pickle needs the literal; marshal'd code never is data) */
		if ((fr->flags & F_DECODEISH) && (fr->cls == C_MARSHAL || (fr->flags & F_BLOB))) {
			emit(c, "obfuscation", n, "deserialises decoded data into code");
			emit_perm(c, PV_PERM_DECODE, n, "deserialises decoded data into code");
		}
		if (fr->cls == C_MARSHAL)
			fr->flags |= F_DECODE;
		break;
	default:
		break;
	}
	fr->flags &= ~(unsigned)F_ENVARG;
	intlist_check(c, fr);
}

/* ------------------------------------------------------------ strings */

/* Letters and digits written as \x61 / \141 escapes: no one writes "eval"
 * as "\145\166\x61\154" but an obfuscator. Counts such escapes in the raw
 * text of a (non-raw) string piece. */
static void count_escaped_alnum(const char *t, size_t l, unsigned *esc, size_t *chars)
{
	for (size_t i = 0; i < l; i++) {
		(*chars)++;
		if (t[i] != '\\' || i + 1 >= l)
			continue;
		unsigned v = 256;
		size_t adv = 1;
		if (t[i + 1] == 'x' && i + 3 < l && hexval(t[i + 2]) >= 0 && hexval(t[i + 3]) >= 0) {
			v = (unsigned)(hexval(t[i + 2]) * 16 + hexval(t[i + 3]));
			adv = 3;
		} else if (t[i + 1] >= '0' && t[i + 1] <= '7') {
			v = 0;
			size_t k = i + 1;
			while (k < l && k < i + 4 && t[k] >= '0' && t[k] <= '7')
				v = v * 8 + (unsigned)(t[k++] - '0');
			adv = k - i - 1;
		}
		if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') || v == '_')
			(*esc)++;
		i += adv;
	}
}

static void note_escaped(struct ctx *c, TSNode n, TSNode piece, bool raw, bool bytes)
{
	if (raw || bytes)
		return;
	size_t l;
	const char *t = ntext(c, piece, &l);
	if (l < 8 || !memchr(t, '\\', l))
		return;
	unsigned esc = 0;
	size_t chars = 0;
	count_escaped_alnum(t, l, &esc, &chars);
	if (esc < 3 || esc * 2 < chars)
		return;
	if (c->escaped++ == 0) {
		c->escaped_off = ts_node_start_byte(n);
		c->escaped_row = ts_node_start_point(n).row;
		if (c->fixed) {
			c->escaped_off = c->base_off;
			c->escaped_row = c->base_row;
		} else {
			c->escaped_off += c->base_off;
			c->escaped_row += c->base_row;
		}
	}
	if (esc >= 16)
		c->escaped_long = true;
}

/* A string literal (or an implicit concatenation of them): decoded content
 * goes to the literal scanner. */
/* A string statement on its own (a docstring, or a string used as a
 * comment) written as prose: documentation Python never runs. URLs, paths
 * and addresses in it are examples, not behaviour; a docstring holding an
 * encoded payload (no spaces) is still scanned. */
static bool is_prose_doc(struct ctx *c, size_t depth)
{
	if (depth == 0 || c->fr[depth - 1].kind != K_EXPR_STMT ||
	    ts_node_named_child_count(c->fr[depth - 1].node) != 1)
		return false;
	size_t l, sp = 0;
	const char *t = ntext(c, c->fr[depth].node, &l);
	if (l < 24)
		return false;
	for (size_t i = 0; i < l; i++)
		if (t[i] == ' ')
			sp++;
	return sp * 12 >= l;
}

static void string_enter(struct ctx *c, TSNode n, bool concat, bool doc)
{
	if (!concat) {
		/* fast path: one content piece without escapes is passed as is */
		TSNode piece = null_node();
		bool raw = false, bytes = false, simple = true;
		unsigned pieces = 0;
		TSTreeCursor *cu = cur_get(c, n);
		if (!cu)
			return;
		if (ts_tree_cursor_goto_first_child(cu)) {
			do {
				TSNode ch = ts_tree_cursor_current_node(cu);
				unsigned k = kind_of(c, ch);
				if (k == K_STRING_START)
					string_prefix(c, ch, &raw, &bytes);
				else if (k == K_STRING_CONTENT) {
					piece = ch;
					pieces++;
				} else if (k == K_INTERPOLATION || k == K_ESCAPE_INTERP)
					simple = false;
			} while (ts_tree_cursor_goto_next_sibling(cu));
		}
		cur_put(c);
		if (pieces == 0)
			return;
		if (pieces == 1)
			note_escaped(c, n, piece, raw, bytes);
		if (doc)
			return;
		if (simple && pieces == 1) {
			size_t l;
			const char *t = ntext(c, piece, &l);
			if (raw || !memchr(t, '\\', l)) {
				scan_literal(c, n, t, l);
				return;
			}
		}
	}
	if (doc)
		return;
	c->lit.n = 0;
	c->lit.over = false;
	const_str(c, n, &c->lit, true, 0);
	if (c->lit.n)
		scan_literal(c, n, c->lit.p, c->lit.n);
}

/* ------------------------------------------------------------ setup.py */

/* Is a base class one of the setup commands? Judged on the resolved name
 * (`from setuptools.command.develop import develop as _d`), else on the
 * text. The command's name goes to cmd. */
static bool is_hook_command_expr(struct ctx *c, TSNode e, char *cmd, size_t cap)
{
	char q[QMAX];
	size_t l;
	const char *t;
	int ql = resolve(c, e, q, sizeof q, 0);
	if (ql > 0) {
		t = q;
		l = (size_t)ql;
	} else {
		t = ntext(c, e, &l);
	}
	/* last dotted segment */
	size_t s = l;
	while (s > 0 && t[s - 1] != '.')
		s--;
	if (!IN_LIST(t + s, l - s, hook_commands))
		return false;
	snprintf(cmd, cap, "%.*s", (int)(l - s), t + s);
	return true;
}

static void class_enter(struct ctx *c, TSNode n)
{
	if (!c->setup)
		return;
	TSNode sup = field(c, n, FL_SUPERCLASSES);
	if (ts_node_is_null(sup))
		return;
	for (unsigned i = 0; i < 8; i++) {
		TSNode b = arg_pos(c, sup, i);
		if (ts_node_is_null(b))
			break;
		char cmd[32];
		if (is_hook_command_expr(c, b, cmd, sizeof cmd)) {
			snprintf(c->det, sizeof c->det, "setup.py overrides %s via cmdclass", cmd);
			emit_hook(c, n, HP_OVERRIDE, c->det);
			return;
		}
	}
}

static void kwarg_enter(struct ctx *c, TSNode n)
{
	if (!c->setup || !text_is(c, field(c, n, FL_NAME), "cmdclass"))
		return;
	TSNode v = field(c, n, FL_VALUE);
	if (kind_of(c, v) != K_DICT)
		return;
	TSNode pairs[32];
	unsigned np = 0;
	TSTreeCursor *cu = cur_get(c, v);
	if (!cu)
		return;
	if (ts_tree_cursor_goto_first_child(cu)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(cu);
			if (kind_of(c, ch) == K_PAIR && np < 32)
				pairs[np++] = ch;
		} while (ts_tree_cursor_goto_next_sibling(cu));
	}
	cur_put(c);
	for (unsigned i = 0; i < np; i++) {
		char key[32];
		long kl = const_arg(c, field(c, pairs[i], FL_KEY), key, sizeof key);
		if (kl > 0 && in_list(key, (size_t)kl, hook_commands,
		                      sizeof hook_commands / sizeof hook_commands[0])) {
			snprintf(c->det, sizeof c->det, "setup.py overrides %s via cmdclass", key);
			emit_hook(c, pairs[i], HP_OVERRIDE, c->det);
		}
	}
}

/* Module-level try: imports in the body and an except that swallows
 * everything with `pass`: code hidden from a failing install. */
static void try_enter(struct ctx *c, TSNode n)
{
	bool imports = false, silent = false;
	TSNode body = field(c, n, FL_BODY);
	TSNode excepts[8];
	unsigned ne = 0;
	TSTreeCursor *cu = cur_get(c, n);
	if (!cu)
		return;
	if (ts_tree_cursor_goto_first_child(cu)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(cu);
			if (kind_of(c, ch) == K_EXCEPT && ne < 8)
				excepts[ne++] = ch;
		} while (ts_tree_cursor_goto_next_sibling(cu));
	}
	cur_put(c);
	if (!ts_node_is_null(body)) {
		uint32_t cnt = ts_node_named_child_count(body);
		for (uint32_t i = 0; i < cnt && i < 64; i++) {
			unsigned k = kind_of(c, ts_node_named_child(body, i));
			if (k == K_IMPORT || k == K_IMPORT_FROM)
				imports = true;
		}
	}
	for (unsigned i = 0; i < ne; i++) {
		uint32_t cnt = ts_node_named_child_count(excepts[i]);
		TSNode blk = cnt ? ts_node_named_child(excepts[i], cnt - 1) : null_node();
		if (kind_of(c, blk) != K_BLOCK)
			continue;
		uint32_t bc = ts_node_named_child_count(blk);
		bool only_pass = bc > 0;
		for (uint32_t j = 0; j < bc && j < 8; j++) {
			unsigned k = kind_of(c, ts_node_named_child(blk, j));
			if (k != K_PASS && k != K_COMMENT)
				only_pass = false;
		}
		if (only_pass)
			silent = true;
	}
	if (imports && silent) {
		/* `try: from setuptools import setup / except: pass` is harmless;
		 * the body must do more than import setuptools/distutils. */
		bool other = false;
		uint32_t cnt = ts_node_named_child_count(body);
		for (uint32_t i = 0; i < cnt && i < 64 && !other; i++) {
			TSNode st = ts_node_named_child(body, i);
			unsigned k = kind_of(c, st);
			size_t l;
			const char *t = ntext(c, st, &l);
			if (k == K_COMMENT || k == K_PASS)
				continue;
			if ((k == K_IMPORT || k == K_IMPORT_FROM) &&
			    ((l > 16 && memcmp(t, "from setuptools", 15) == 0) ||
			     (l > 15 && memcmp(t, "from distutils", 14) == 0) ||
			     (l > 17 && memcmp(t, "import setuptools", 17) == 0)))
				continue;
			other = true;
		}
		if (other)
			emit_hook(c, n, HP_TRY, "setup.py runs code in a try/except around imports");
	}
}

/* ------------------------------------------------------------ identifiers */

static bool mangled_name(const char *t, size_t l)
{
	if (l >= 4 && t[0] == '_' && t[1] == '0' && (t[2] == 'x' || t[2] == 'X')) {
		for (size_t i = 3; i < l; i++)
			if (hexval(t[i]) < 0)
				return false;
		return true;
	}
	if (l >= 4) {
		size_t u = 0;
		while (u < l && t[u] == '_')
			u++;
		if (u == l)
			return true; /* ____ , _______: names of underscores only */
	}
	if (l < 6)
		return false;
	if ((unsigned char)t[0] >= 0x80) {
		/* long names made only of non-ASCII letters (random CJK strings):
		 * real words in identifiers are short */
		size_t cps = 0;
		for (size_t i = 0; i < l; i++) {
			unsigned char ch = (unsigned char)t[i];
			if (ch < 0x80)
				return false;
			if ((ch & 0xC0) != 0x80)
				cps++;
		}
		return cps >= 10;
	}
	/* O0O0O0 / lIlI1l: only look-alike glyphs of one family */
	bool oz = true, il = true, mixed = false;
	char first = 0;
	for (size_t i = 0; i < l; i++) {
		char ch = t[i];
		if (ch == '_')
			continue;
		if (ch != 'O' && ch != '0' && ch != 'o')
			oz = false;
		if (ch != 'I' && ch != 'l' && ch != '1')
			il = false;
		if (!first)
			first = ch;
		else if (ch != first)
			mixed = true;
	}
	return (oz || il) && mixed;
}

static void ident_enter(struct ctx *c, size_t depth)
{
	struct frame *me = &c->fr[depth];
	struct frame *p = depth ? &c->fr[depth - 1] : NULL;
	size_t l;
	const char *t = ntext(c, me->node, &l);
	if (l && (t[0] == '_' || t[0] == 'O' || t[0] == 'o' || t[0] == 'I' || t[0] == 'l' ||
	          (unsigned char)t[0] >= 0x80) &&
	    mangled_name(t, l)) {
		if (c->mangled++ == 0) {
			c->mangled_off = ts_node_start_byte(me->node);
			c->mangled_row = ts_node_start_point(me->node).row;
			if (c->fixed) {
				c->mangled_off = c->base_off;
				c->mangled_row = c->base_row;
			} else {
				c->mangled_off += c->base_off;
				c->mangled_row += c->base_row;
			}
		}
	}
	if (p) {
		if (p->kind == K_ATTRIBUTE && me->field == c->fid[FL_ATTRIBUTE])
			return; /* member name, not a variable */
		if (p->kind == K_KWARG && me->field == c->fid[FL_NAME])
			return;
		if ((p->kind == K_FUNCDEF || p->kind == K_CLASSDEF) && me->field == c->fid[FL_NAME])
			return;
		if (p->kind == K_DOTTED_NAME)
			return;
	}
	bool lhs = p && (p->kind == K_ASSIGN || p->kind == K_AUGASSIGN) && me->field == c->fid[FL_LEFT];
	struct sym *e = c->ntab ? sym_find(c, t, l, false) : NULL;
	if (e && e->alias && !lhs && strcmp(e->q, "os.environ") == 0) {
		/* an alias of os.environ: judged by how it is used, like os.environ
		 * itself (env.get("X") is one variable, not the whole environment) */
		env_ref(c, depth);
		return;
	}
	if (e && !lhs) {
		/* data fetched in a function stays in it (and the functions in
		 * it); a parameter is one only in its own function */
		unsigned tn = e->taint;
		uint32_t here = cur_scope(c);
		if (here && e->pscope == here && e->tscope != here)
			tn = 0; /* a parameter not assigned here: not another function's variable */
		if ((tn & F_FETCH) && !scope_visible(c, e->tscope))
			tn &= ~(unsigned)F_FETCH;
		if (e->tscope != here)
			tn &= ~(unsigned)F_PARAMS;
		if (e->pscope == here && here)
			tn |= e->ptaint;
		me->flags |= tn;
	}
	if (!e && c->nstar && !lhs && eq(t, l, "environ")) {
		for (int i = 0; i < c->nstar; i++)
			if (strcmp(c->star[i], "os") == 0) {
				env_ref(c, depth);
				return;
			}
	}
	if ((!e || !e->local) && (eq(t, l, "chr") || eq(t, l, "unichr")))
		me->flags |= F_CHR;
}

/* ------------------------------------------------------------ assignments */

static void assign_enter(struct ctx *c, TSNode n)
{
	TSNode left = field(c, n, FL_LEFT), right = field(c, n, FL_RIGHT);
	if (ts_node_is_null(right))
		return;
	unsigned lk = kind_of(c, left), rk = kind_of(c, right);
	char q[QMAX];
	if (lk == K_IDENTIFIER) {
		int ql = resolve(c, right, q, sizeof q, 0);
		if (ql > 0) {
			size_t l;
			const char *t = ntext(c, left, &l);
			set_alias(c, t, l, q, (size_t)ql);
		}
		return;
	}
	if ((lk == K_PATTERN_LIST || lk == K_TUPLE) && (rk == K_EXPR_LIST || rk == K_TUPLE)) {
		uint32_t nl = ts_node_named_child_count(left), nr = ts_node_named_child_count(right);
		if (nl != nr || nl > 16)
			return;
		for (uint32_t i = 0; i < nl; i++) {
			TSNode li = ts_node_named_child(left, i), ri = ts_node_named_child(right, i);
			if (kind_of(c, li) != K_IDENTIFIER)
				continue;
			int ql = resolve(c, ri, q, sizeof q, 0);
			if (ql > 0) {
				size_t l;
				const char *t = ntext(c, li, &l);
				set_alias(c, t, l, q, (size_t)ql);
			}
		}
	}
}

/* ------------------------------------------------------------ int lists */

static void list_enter(struct ctx *c, struct frame *fr)
{
	uint32_t cnt = ts_node_named_child_count(fr->node);
	if (cnt < INTLIST_MIN)
		return;
	unsigned ints = 0;
	bool ok = true;
	TSTreeCursor *cu = cur_get(c, fr->node);
	if (!cu)
		return;
	if (ts_tree_cursor_goto_first_child(cu)) {
		do {
			TSNode ch = ts_tree_cursor_current_node(cu);
			if (!ts_node_is_named(ch))
				continue;
			unsigned k = kind_of(c, ch);
			if (k == K_COMMENT)
				continue;
			unsigned long long v;
			size_t l;
			const char *t;
			if (k != K_INTEGER || !(t = ntext(c, ch, &l), parse_int(t, l, &v)) || v > 0xFFFF) {
				ok = false;
				break;
			}
			ints++;
		} while (ts_tree_cursor_goto_next_sibling(cu));
	}
	cur_put(c);
	if (ok && ints >= INTLIST_MIN) {
		fr->flags |= F_INTLIST;
		c->intlist_n = ints;
	}
}

/* ------------------------------------------------------------ the walk */

/* `if sys.argv[-1] == "publish":` - the maintainer's release shortcut in
 * setup.py (sdist upload, git tag). It runs on `setup.py publish`, never
 * when pip builds or installs the package. */
static bool is_publish_branch(struct ctx *c, TSNode n)
{
	static const char *const words[] = {"publish", "upload", "release", "tag", "register"};
	size_t l;
	const char *t = ntext(c, field(c, n, FL_CONDITION), &l);
	if (l > 200 || !memmem(t, l, "sys.argv", 8))
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t wl = strlen(words[i]);
		for (const char *p = t; (p = memmem(p, l - (size_t)(p - t), words[i], wl)); p += wl)
			if (p > t && (p[-1] == '"' || p[-1] == '\'') && (size_t)(p - t) + wl < l &&
			    (p[wl] == '"' || p[wl] == '\''))
				return true;
	}
	return false;
}

static bool node_enter(struct ctx *c, size_t depth)
{
	struct frame *fr = &c->fr[depth];
	switch (fr->kind) {
	case K_IMPORT:
		do_import(c, fr->node, false);
		return false;
	case K_IMPORT_FROM:
		do_import(c, fr->node, true);
		return false;
	case K_FUTURE_IMPORT:
	case K_COMMENT:
	case K_STRING_CONTENT:
	case K_INTEGER:
		return false;
	case K_CALL:
		call_enter(c, depth);
		return true;
	case K_GLOBAL: {
		uint32_t here = cur_scope(c), cnt = ts_node_named_child_count(fr->node);
		for (uint32_t i = 0; here && i < cnt && i < 32; i++) {
			TSNode g = ts_node_named_child(fr->node, i);
			size_t l;
			const char *t = ntext(c, g, &l);
			struct sym *e = kind_of(c, g) == K_IDENTIFIER ? sym_find(c, t, l, true) : NULL;
			if (e)
				e->gscope = here;
		}
		return false;
	}
	case K_ATTRIBUTE: {
		size_t l;
		const char *t;
		TSNode obj = field(c, fr->node, FL_OBJECT);
		if (c->ntab && kind_of(c, obj) == K_IDENTIFIER &&
		    (text_is(c, obj, "self") || text_is(c, obj, "cls"))) {
			t = ntext(c, fr->node, &l);
			struct sym *e = sym_find(c, t, l, false);
			bool lhs = depth > 0 && (c->fr[depth - 1].kind == K_ASSIGN ||
			                         c->fr[depth - 1].kind == K_AUGASSIGN) &&
			           fr->field == c->fid[FL_LEFT];
			if (e && !lhs)
				fr->flags |= e->taint;
		}
		t = ntext(c, field(c, fr->node, FL_ATTRIBUTE), &l);
		if (eq(t, l, "environ") || eq(t, l, "environb")) {
			char q[QMAX];
			int ql = resolve(c, field(c, fr->node, FL_OBJECT), q, sizeof q, 0);
			if (ql > 0 && (eq(q, (size_t)ql, "os") || eq(q, (size_t)ql, "posix") ||
			               eq(q, (size_t)ql, "nt")))
				env_ref(c, depth);
		}
		return true;
	}
	case K_IDENTIFIER:
		ident_enter(c, depth);
		return false;
	case K_STRING:
		if (ts_node_end_byte(fr->node) - ts_node_start_byte(fr->node) >= BLOB_MIN)
			fr->flags |= F_BLOB;
		if (depth == 0 || c->fr[depth - 1].kind != K_CONCAT)
			string_enter(c, fr->node, false, is_prose_doc(c, depth));
		return true;
	case K_CONCAT:
		string_enter(c, fr->node, true, is_prose_doc(c, depth));
		return true;
	case K_ASSIGN:
		assign_enter(c, fr->node);
		return true;
	case K_CLASSDEF:
		class_enter(c, fr->node);
		return true;
	case K_FUNCDEF:
		fn_enter(c, fr->node);
		c->fn_depth++;
		return true;
	case K_LAMBDA:
		c->fn_depth++;
		return true;
	case K_IF:
		if (c->setup && is_publish_branch(c, fr->node)) {
			fr->cls = 1; /* marks the frame for node_leave */
			c->publish_depth++;
		}
		return true;
	case K_KWARG:
		kwarg_enter(c, fr->node);
		return true;
	case K_TRY:
		if (c->setup && depth == 1)
			try_enter(c, fr->node);
		return true;
	case K_LIST:
	case K_TUPLE:
	case K_SET:
		list_enter(c, fr);
		return true;
	default:
		return true;
	}
}

static void node_leave(struct ctx *c, size_t depth)
{
	struct frame *fr = &c->fr[depth];
	switch (fr->kind) {
	case K_FUNCDEF:
		if (c->nscope > 0)
			c->nscope--;
		/* fall through */
	case K_LAMBDA:
		if (c->fn_depth > 0)
			c->fn_depth--;
		break;
	case K_IF:
		if (fr->cls && c->publish_depth > 0)
			c->publish_depth--;
		break;
	case K_CALL:
		call_exit(c, fr);
		note_call(c, depth);
		break;
	case K_RETURN:
		fn_return(c, fr);
		break;
	case K_EXEC_STMT:
		eval_exit(c, fr, field(c, fr->node, FL_CODE), "exec");
		break;
	case K_ASSIGN:
	case K_AUGASSIGN: {
		TSNode left = field(c, fr->node, FL_LEFT);
		unsigned lk = kind_of(c, left);
		bool add = fr->kind == K_AUGASSIGN;
		TSNode right = field(c, fr->node, FL_RIGHT);
		if (lk == K_IDENTIFIER)
			note_modvar(c, left);
		else if (lk == K_PATTERN_LIST || lk == K_TUPLE)
			for (uint32_t i = 0; i < ts_node_named_child_count(left) && i < 16; i++)
				note_modvar(c, ts_node_named_child(left, i));
		if (lk == K_IDENTIFIER && !add && (kind_of(c, right) == K_STRING || kind_of(c, right) == K_CONCAT))
			note_const(c, left, right);
		if (lk == K_IDENTIFIER) {
			set_taint(c, left, fr->flags, add);
			if (!add && !ts_node_is_null(right) && ts_node_eq(right, c->wopen))
				fbind_set(c, left, c->wopen_path);
			if (!add)
				drop_alias(c, left, right);
		} else if (lk == K_PATTERN_LIST || lk == K_TUPLE) {
			uint32_t cnt = ts_node_named_child_count(left);
			for (uint32_t i = 0; i < cnt && i < 16; i++)
				set_taint(c, ts_node_named_child(left, i), fr->flags, add);
			if (!ts_node_is_null(right) && ts_node_eq(right, c->retr_bare))
				add_drop(c, right, ts_node_named_child(left, 0), "urlretrieve");
		}
		if (lk == K_IDENTIFIER && kind_of(c, right) == K_SUBSCRIPT &&
		    ts_node_eq(field(c, right, FL_VALUE), c->retr_bare))
			add_drop(c, right, left, "urlretrieve"); /* name = urlretrieve(url)[0] */
		if (lk == K_ATTRIBUTE && !add)
			set_taint_attr(c, left, fr->flags);
		break;
	}
	case K_AS_PATTERN: {
		TSNode tgt = field(c, fr->node, FL_ALIAS);
		if (kind_of(c, tgt) == K_AS_TARGET)
			tgt = ts_node_named_child(tgt, 0);
		set_taint(c, tgt, fr->flags, false);
		TSNode val = ts_node_named_child(fr->node, 0);
		if (!ts_node_is_null(val) && ts_node_eq(val, c->wopen))
			fbind_set(c, tgt, c->wopen_path);
		/* with requests.Session() as s: s.get(...) is a request */
		char q[QMAX];
		int ql = kind_of(c, tgt) == K_IDENTIFIER ? resolve(c, val, q, sizeof q, 0) : -1;
		if (ql > 0 && kind_of(c, val) == K_CALL) {
			size_t l;
			const char *t = ntext(c, tgt, &l);
			set_alias(c, t, l, q, (size_t)ql);
		}
		break;
	}
	case K_INTERPOLATION:
		sink_check(c, fr);
		break;
	case K_BINOP:
		if ((fr->flags & F_ENVWHOLE) && text_is(c, field(c, fr->node, FL_OPERATOR), "%")) {
			unsigned lk = kind_of(c, field(c, fr->node, FL_LEFT));
			if (lk == K_STRING || lk == K_CONCAT)
				sink_check(c, fr);
		}
		break;
	default:
		break;
	}
	if (depth == 0)
		return;
	struct frame *p = &c->fr[depth - 1];
	if (fr->kind != K_COMMENT && ts_node_is_named(fr->node) && p->nnamed < 2 && p->nnamed++ == 0 &&
	    fr->kind != K_KWARG && fr->kind != K_LIST_SPLAT && fr->kind != K_DICT_SPLAT)
		p->f0flags = (fr->kind == K_LIST || fr->kind == K_TUPLE) ? fr->f0flags : fr->flags;
	if (p->kind == K_ARGLIST && ts_node_is_named(fr->node) && fr->kind != K_COMMENT &&
	    fr->kind != K_KWARG && fr->kind != K_LIST_SPLAT && fr->kind != K_DICT_SPLAT &&
	    p->npos < CARGS) {
		p->argn[p->npos] = fr->node;
		p->argf[p->npos++] = fr->flags;
	}
	if (p->kind == K_CALL && fr->field == c->fid[FL_ARGUMENTS]) {
		p->aflags = fr->flags;
		p->a0flags = fr->kind == K_ARGLIST ? fr->f0flags : fr->flags;
		if (fr->kind == K_ARGLIST) {
			memcpy(p->argf, fr->argf, sizeof p->argf);
			memcpy(p->argn, fr->argn, sizeof p->argn);
			p->npos = fr->npos;
		} else {
			p->argf[0] = fr->flags; /* f(x for x in y) */
			p->argn[0] = fr->node;
			p->npos = 1;
		}
	}
	if (p->kind == K_FOR && fr->field == c->fid[FL_RIGHT]) {
		/* for chunk in resp.iter_content(): the loop variable carries the data */
		TSNode left = field(c, p->node, FL_LEFT);
		unsigned lk = kind_of(c, left);
		if (lk == K_IDENTIFIER)
			set_taint(c, left, fr->flags, false);
		else if (lk == K_PATTERN_LIST || lk == K_TUPLE)
			for (uint32_t i = 0; i < ts_node_named_child_count(left) && i < 16; i++)
				set_taint(c, ts_node_named_child(left, i), fr->flags, false);
	}
	unsigned up = fr->flags & ~(unsigned)F_ENVARG; /* F_ENVARG stays with its call */
	if (p->kind == K_CALL && fr->field == c->fid[FL_ARGUMENTS] && (up & F_ENVWHOLE)) {
		/* the whole environment given to a call: that call's sink check
		 * sees it; its result carries it on only for plain conversions
		 * (dict(os.environ)), not for Popen(env=...) and the like */
		up &= ~(unsigned)F_ENVWHOLE;
		p->flags |= F_ENVARG;
		if (p->cls == C_PASS)
			up |= F_ENVWHOLE;
	}
	p->flags |= up;
}

static void walk(struct ctx *c, TSNode root)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	size_t depth = 0;
	if (!frame_set(c, 0, root, 0)) {
		ts_tree_cursor_delete(&cur);
		return;
	}
	for (;;) {
		bool down = node_enter(c, depth);
		if (down && ts_tree_cursor_goto_first_child(&cur)) {
			if (frame_set(c, depth + 1, ts_tree_cursor_current_node(&cur),
			              ts_tree_cursor_current_field_id(&cur))) {
				depth++;
				continue;
			}
			ts_tree_cursor_goto_parent(&cur); /* out of memory: do not descend */
		}
		bool done = true;
		for (;;) {
			node_leave(c, depth);
			if (depth == 0)
				break;
			if (ts_tree_cursor_goto_next_sibling(&cur)) {
				/* the slot exists: it held the previous sibling */
				frame_set(c, depth, ts_tree_cursor_current_node(&cur),
				          ts_tree_cursor_current_field_id(&cur));
				done = false;
				break;
			}
			ts_tree_cursor_goto_parent(&cur);
			depth--;
		}
		if (done)
			break;
	}
	ts_tree_cursor_delete(&cur);
}

/* Parse text/len and walk it. Positions are relative to base_off/base_row
 * (or all pinned there when fixed). */
static void analyse_buffer(struct ctx *c, const char *text, size_t len, size_t base_off,
                           uint32_t base_row, bool fixed, int level)
{
	if (len > UINT32_MAX)
		return;
	c->d = text;
	c->dlen = len;
	c->base_off = base_off;
	c->base_row = base_row;
	c->fixed = fixed;
	c->level = level;
	c->fn_depth = 0;
	c->nscope = 0;
	c->publish_depth = 0;
	c->wopen = c->wopen_path = c->retr_bare = null_node();
	/* about 1 s plus 2 µs per byte: a 10 MB module gets ~20 s */
	ts_parser_set_timeout_micros(c->parser, 1000000u + (uint64_t)len * 2u);
	/* The grammar's scanner takes a NUL byte for the end of input. Python
	 * refuses such source anyway; parse a copy with NULs as spaces (same
	 * offsets) so the rest of the file is still seen. */
	char *copy = NULL;
	if (memchr(text, 0, len)) {
		copy = malloc(len);
		if (copy) {
			memcpy(copy, text, len);
			for (char *z = memchr(copy, 0, len); z; z = memchr(z, 0, len - (size_t)(z - copy)))
				*z = ' ';
			text = copy;
			c->d = copy;
		}
	}
	TSTree *tree = ts_parser_parse_string(c->parser, NULL, text, (uint32_t)len);
	if (!tree) {
		ts_parser_reset(c->parser);
		free(copy);
		return;
	}
	TSNode root = ts_tree_root_node(tree);
	prepass(c, root);
	walk(c, root);
	keep_calls(c);
	ts_tree_delete(tree);
	free(copy);
	c->d = NULL;
	c->dlen = 0;
}

/* ------------------------------------------------------------ entry */

/* 1: "setup.py" at the root; 2: a setup.py below a directory (the package
 * root of an sdist is "name-1.0/": the caller's install_time says which);
 * 0: not a setup.py. */
static int path_is_setup(const char *p)
{
	if (!p)
		return 0;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/')
		p++;
	if (strcmp(p, "setup.py") == 0)
		return 1;
	const char *slash = strrchr(p, '/');
	return slash && strcmp(slash + 1, "setup.py") == 0 ? 2 : 0;
}

static bool path_is_pth(const char *p)
{
	size_t l = p ? strlen(p) : 0;
	return l >= 4 && strcmp(p + l - 4, ".pth") == 0;
}

static void finish(struct ctx *c)
{
	c->fixed = false;
	c->base_off = 0;
	c->base_row = 0;
	/* install-hook evidence: strongest reasons first, then in file order */
	for (int i = 1; i < c->nhooks; i++) {
		struct hook h = c->hooks[i];
		int j = i;
		while (j > 0 && (c->hooks[j - 1].prio > h.prio ||
		                 (c->hooks[j - 1].prio == h.prio && c->hooks[j - 1].row > h.row))) {
			c->hooks[j] = c->hooks[j - 1];
			j--;
		}
		c->hooks[j] = h;
	}
	for (int i = 0; i < c->nhooks; i++)
		emit_off(c, pv_perm_attr(PV_PERM_INSTALL_HOOK), c->hooks[i].off, c->hooks[i].row,
		         c->hooks[i].detail, true);
	if (c->native_import && !c->native_call)
		emit_off(c, pv_perm_attr(PV_PERM_NATIVE), c->native_off, c->native_row, c->native_det,
		         false);
	bool esc = c->escaped >= 2 || c->escaped_long, mang = c->mangled >= MANGLED_MIN;
	if (esc && mang && c->escaped_row == c->mangled_row) {
		snprintf(c->det, sizeof c->det,
		         "%u mangled identifiers (_0x..., O0O0, ____ or random non-ASCII names); "
		         "%u strings spell letters with \\x/octal escapes",
		         (unsigned)c->mangled, (unsigned)c->escaped);
		emit_off(c, "obfuscation", c->mangled_off, c->mangled_row, c->det, false);
	} else {
		if (mang) {
			snprintf(c->det, sizeof c->det,
			         "%u mangled identifiers (_0x..., O0O0, ____ or random non-ASCII names)",
			         (unsigned)c->mangled);
			emit_off(c, "obfuscation", c->mangled_off, c->mangled_row, c->det, false);
		}
		if (esc) {
			snprintf(c->det, sizeof c->det, "%u strings spell letters with \\x/octal escapes",
			         (unsigned)c->escaped);
			emit_off(c, "obfuscation", c->escaped_off, c->escaped_row, c->det, false);
		}
	}
	/* download-exec: across calls of the file's functions, then run sites
	 * seen before the drop they run */
	dx_calls(c);
	for (int i = 0; i < c->nx; i++)
		for (int k = 0; k < c->ndrops; k++)
			if (drop_used(&c->drops[k], &c->xs[i].u)) {
				dx_emit(c, &c->xs[i], &c->drops[k]);
				break;
			}
}

static void analyse_pth(struct ctx *c)
{
	const char *d = c->src.data;
	size_t len = c->src.len, i = 0;
	uint32_t row = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && d[e] != '\n')
			e++;
		size_t p = i;
		while (p < e && (d[p] == ' ' || d[p] == '\t'))
			p++;
		if (e - p > 6 && memcmp(d + p, "import", 6) == 0 && (d[p + 6] == ' ' || d[p + 6] == '\t')) {
			size_t le = e;
			if (le > p && d[le - 1] == '\r')
				le--;
			c->d = d;
			c->dlen = len;
			c->fixed = false;
			c->base_off = 0;
			c->base_row = 0;
			add_hook(c, p, row, HP_PTH, "executable .pth line runs at every Python start-up");
			analyse_buffer(c, d + p, le - p, p, row, false, 0);
		}
		i = e + 1;
		row++;
	}
}

/* Node kinds by symbol id and field ids: looked up by name once per
 * process (the grammar is static data), shared read-only by all threads. */
#define KMAP_MAX 1024
static unsigned char g_kmap[KMAP_MAX];
static uint32_t g_nsym;
static TSFieldId g_fid[FL__COUNT];
static pthread_once_t grammar_once = PTHREAD_ONCE_INIT;

static void grammar_init(void)
{
	const TSLanguage *lang = tree_sitter_python();
	uint32_t n = ts_language_symbol_count(lang);
	g_nsym = n < KMAP_MAX ? n : KMAP_MAX; /* symbols beyond: K_NONE */
	for (uint32_t s = 0; s < g_nsym; s++) {
		if (ts_language_symbol_type(lang, (TSSymbol)s) != TSSymbolTypeRegular)
			continue;
		const char *name = ts_language_symbol_name(lang, (TSSymbol)s);
		if (!name)
			continue;
		for (unsigned k = 1; k < K__COUNT; k++)
			if (kind_names[k] && strcmp(name, kind_names[k]) == 0) {
				g_kmap[s] = (unsigned char)k;
				break;
			}
	}
	for (unsigned f = 0; f < FL__COUNT; f++)
		g_fid[f] = ts_language_field_id_for_name(lang, field_names[f],
		                                         (uint32_t)strlen(field_names[f]));
}

int pv_analyze_py(const struct pv_source *src, struct pv_findings *out)
{
	if (!src || !out || (!src->data && src->len))
		return -1;
	struct ctx *c = calloc(1, sizeof *c);
	if (!c)
		return -1;
	int rc = -1;
	c->src = *src;
	c->out = out;
	/* setup.py is judged for install hooks; other install-time Python (the
	 * code of an npm lifecycle script, say) only has its findings marked. */
	int sp = path_is_setup(src->path);
	c->pth = path_is_pth(src->path);
	c->setup = !c->pth && (sp == 1 || (sp == 2 && src->install_time));
	c->install = src->install_time || c->pth || c->setup;
	c->src.install_time = c->install;
	pthread_once(&grammar_once, grammar_init);
	c->lang = tree_sitter_python();
	c->nsym = g_nsym;
	c->kmap = g_kmap;
	memcpy(c->fid, g_fid, sizeof c->fid);
	c->tab = calloc(TAB_SLOTS, sizeof *c->tab);
	c->lit.grow = true;
	c->lit.max = LIT_MAX;
	c->parser = ts_parser_new();
	if (!c->tab || !c->parser || !ts_parser_set_language(c->parser, c->lang))
		goto out;

	if (c->pth)
		analyse_pth(c);
	else if (src->len)
		analyse_buffer(c, src->data, src->len, 0, 0, false, 0);

	/* exec("...") strings, reported at their exec call */
	bool setup = c->setup;
	for (int i = 0; i < c->npend; i++) {
		struct pending *p = &c->pend[i];
		c->dropped = p->dropped;
		c->setup = setup && !p->dropped;
		analyse_buffer(c, p->text, p->len, p->off, p->row, true, p->level);
	}
	c->setup = setup;
	c->dropped = false;
	finish(c);
	rc = 0;
out:
	for (int i = 0; i < c->npend; i++)
		free(c->pend[i].text);
	for (int i = 0; i < POOL_MAX; i++)
		if (c->pool_init[i])
			ts_tree_cursor_delete(&c->pool[i]);
	if (c->parser)
		ts_parser_delete(c->parser);
	free(c->lit.p);
	free(c->spine);
	free(c->fr);
	free(c->xs);
	free(c->calls);
	free(c->raw);
	free(c->drops);
	free(c->ws);
	free(c->sums);
	free(c->tab);
	if (c->oom)
		out->oom = true;
	free(c);
	return rc;
}
