"""Bad input: each gets one clear line naming the input and a non-zero exit
status, or a finding when the package itself is hostile; never a crash or
a hang, and hostile strings never reach the terminal raw."""
import json, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

d = tmpdir()


def one_line_error(p, name, code, what):
    err = p.stderr.decode(errors='replace')
    check(p.returncode == code and err.count('\n') == 1 and name in err,
          f'{what}: exit {code}, one line naming the input (exit {p.returncode}, stderr {err!r})')


missing = os.path.join(d, 'nope.tgz')
one_line_error(run('audit', missing), 'nope.tgz', 2, 'missing file')

unreadable = os.path.join(d, 'locked.tgz')
make_tgz(unreadable, {'package/package.json': '{}'})
os.chmod(unreadable, 0)
if os.geteuid() != 0:
    one_line_error(run('audit', unreadable), 'locked.tgz', 2, 'unreadable file')

notarc = os.path.join(d, 'notes.tgz')
with open(notarc, 'w') as f:
    f.write('this is just text, not an archive\n' * 10)
one_line_error(run('audit', notarc), 'notes.tgz', 3, 'not an archive')

nul = os.path.join(d, 'zeros.tgz')
with open(nul, 'wb') as f:
    f.write(b'\0' * 65536)
one_line_error(run('audit', nul), 'zeros.tgz', 3, 'file of NUL bytes')

badjson = make_tgz(os.path.join(d, 'badjson.tgz'), {'package/package.json': '{"name": "x", "version": '})
p = run('audit', badjson)
one_line_error(p, 'badjson.tgz', 3, 'package.json that is not JSON')
check(b'package.json' in p.stderr, 'the error names package.json')

nodir = os.path.join(d, 'empty-dir')
os.makedirs(os.path.join(nodir, 'src'))
with open(os.path.join(nodir, 'src', 'a.js'), 'w') as f:
    f.write('1\n')
p = run('audit', nodir)
one_line_error(p, 'empty-dir', 3, 'directory with no manifest')

# a 10 MB single-line minified file: finishes, with short excerpts
big = 'var a=' + '+'.join(f'b{i}(c{i})' for i in range(900000)) + ';require("child_process").exec(x);'
bigtgz = make_tgz(os.path.join(d, 'minified-1.0.0.tgz'), {
    'package/package.json': json.dumps({"name": "zz-minified", "version": "1.0.0"}),
    'package/dist/bundle.min.js': big,
})
p, doc = audit_json(bigtgz, timeout=300)
check(doc is not None and p.returncode in (0, 1), f'10 MB single-line file: audited (exit {p.returncode}, {p.elapsed:.1f}s)')
if doc:
    ex = [f['excerpt'] for f in doc['packages'][0]['findings'] if f['excerpt']]
    check(all(len(x.encode()) <= 120 for x in ex), 'excerpts stay short on a single-line file')
    check(any(f['attribute'] == 'perm-process' for f in doc['packages'][0]['findings']),
          'the exec at the end of the 10 MB line is found')

# code that makes the parser abort (Debian's tree-sitter 0.20.7 frees an
# invalid pointer after very many syntax errors): pkgvet must not crash,
# it reports the package as not vetted (or vets it, with a fixed parser)
crash = make_tgz(os.path.join(d, 'parser-crash-1.0.0.tgz'), {
    'package/package.json': json.dumps({"name": "zz-parser-crash", "version": "1.0.0"}),
    'package/index.js': '(' * 70000 + '\n',
})
p = run('audit', crash)
err = p.stderr.decode(errors='replace')
check(p.returncode in (0, 3) and err.count('\n') <= 1 and (p.returncode == 0 or 'parser-crash' in err),
      f'parser abort is contained: exit {p.returncode}, stderr {err!r}')

# invalid UTF-8 in names and code; terminal escapes in the package name
evil_name = 'zz-\x1b]0;pwned\x07\x1b[2J-pkg'
hostile = make_tgz(os.path.join(d, 'utf8.tgz'), {
    'package/package.json': json.dumps({"name": evil_name, "version": "1.0.0\u202e"}),
    'package/lib/\udcff\udcfe.js': b'const cp = require("child_process"); cp.exec("\xff\xfe id");\n',
    'package/index.js': b'// \xc3\x28 invalid\nmodule.exports = process.env.HOME;\n',
})
p, doc = audit_json(hostile)
check(doc is not None, 'invalid UTF-8: JSON still parses')
if doc:
    check(doc['packages'][0]['name'] == evil_name, 'JSON keeps the name (escaped by JSON itself)')
p = run('audit', hostile)
out = p.stdout
check(p.returncode in (0, 1) and b'\x1b' not in out and b'\x07' not in out and '\u202e'.encode() not in out,
      'text report: no raw ESC, BEL or bidi override reaches the terminal')
check(b'\\x1B' in out or b'\\x1b' in out, 'text report shows the escape visibly')
done()
