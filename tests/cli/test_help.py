"""--help on every pkgvet command, one-line errors for unknown options,
audit's --quiet / --verbose, and colour only on a terminal without
NO_COLOR (the output on a pseudo-terminal)."""
import os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pvtest
from pvtest import check, run

ESC = '\x1b['
NPM_SHIM = os.environ.get('PKGVET_NPM_SHIM') or os.path.join(os.path.dirname(pvtest.PKGVET), 'pkgvet-npm')
PIP_SHIM = os.environ.get('PKGVET_PIP_SHIM') or os.path.join(os.path.dirname(pvtest.PKGVET), 'pkgvet-pip')

# ---- every subcommand: --help and -h print its usage on stdout, exit 0 ----
for sub in ('audit', 'explain', 'policy', 'approve', 'cache', 'npm', 'pip', 'help', 'version'):
    for flag in ('--help', '-h'):
        p = run(sub, flag)
        out = p.stdout.decode()
        check(p.returncode == 0 and out.startswith('usage: pkgvet') and p.stderr == b'',
              f'pkgvet {sub} {flag}: usage on stdout, exit 0 (rc {p.returncode}, {out[:40]!r}, {p.stderr[:80]!r})')
        check(f'pkgvet {sub}' in out.splitlines()[0] or sub == 'help',
              f'pkgvet {sub} {flag}: the usage is that of {sub} ({out.splitlines()[0] if out else ""!r})')
for args in (('--help',), ('-h',), ('help',), ('policy', 'show', '--help'), ('policy', 'check', '-h'),
             ('cache', 'clear', '--help')):
    p = run(*args)
    check(p.returncode == 0 and p.stdout.startswith(b'usage: pkgvet'), f'pkgvet {" ".join(args)}: usage, exit 0')

p = run('version')
check(p.returncode == 0 and p.stdout.startswith(b'pkgvet '), 'pkgvet version prints the version')

# ---- unknown options: one line on stderr, nothing on stdout, exit 2 ----
for args, word in ((('audit', '--bogus', 'x.tgz'), "'--bogus'"), (('audit', '-Z', 'x.tgz'), "'-Z'"),
                   (('audit', '-vZ', 'x.tgz'), "'-Z'"), (('audit', '--json=1', 'x.tgz'), "'--json'"),
                   (('audit', '--lockfile'), "'--lockfile'"), (('audit', '-j'), "'-j'"),
                   (('explain', '--bogus'), "'--bogus'"), (('policy', 'show', '--bogus'), "'--bogus'"),
                   (('policy', 'check', '--bogus', 'f.ini'), "'--bogus'"), (('approve', '--bogus', 'x.tgz'), "'--bogus'"),
                   (('cache', '--bogus'), "'--bogus'"), (('cache', 'stats', '--bogus'), "'--bogus'"),
                   (('version', '--bogus'), None), (('--bogus',), "'--bogus'"), (('nosuchcommand',), "'nosuchcommand'")):
    p = run(*args)
    err = p.stderr.decode()
    check(p.returncode == 2 and p.stdout == b'' and err.count('\n') == 1 and err.startswith('pkgvet: ')
          and (word is None or word in err),
          f'pkgvet {" ".join(args)}: one line naming {word}, exit 2 (rc {p.returncode}, {err!r})')

# ---- the shims' --help stays the real tool's own help ----
t = pvtest.tmpdir()
fake = os.path.join(t, 'fake-tool')
with open(fake, 'w') as f:
    f.write('#!/bin/sh\necho "REAL TOOL: $*"\n')
os.chmod(fake, 0o755)
for shim, var in ((NPM_SHIM, 'PKGVET_REAL_NPM'), (PIP_SHIM, 'PKGVET_REAL_PIP')):
    for args in (('--help',), ('install', '--help'), ('-h',)):
        e = dict(os.environ, **{var: fake, 'NO_COLOR': '1'})
        q = subprocess.run([shim, *args], capture_output=True, env=e, timeout=60)
        check(q.returncode == 0 and q.stdout.decode() == 'REAL TOOL: ' + ' '.join(args) + '\n',
              f'{os.path.basename(shim)} {" ".join(args)}: passed to the real tool unchanged ({q.stdout[:60]!r})')

# ---- audit --quiet / --verbose on a small local package ----
pkg = os.path.join(t, 'netpkg-1.0.0.tgz')
pvtest.make_tgz(pkg, {
    'package/package.json': '{"name": "netpkg", "version": "1.0.0", "main": "index.js"}',
    'package/index.js': "const https = require('https');\nconst fs = require('fs');\n"
                        "https.get('https://example.com/x', r => r.pipe(fs.createWriteStream('x')));\n"
                        "module.exports = fs.readFileSync(__filename, 'utf8');\n",
})
normal = run('audit', pkg)
quiet = run('audit', '--quiet', pkg)
q2 = run('audit', '-q', pkg)
verbose = run('audit', '-v', pkg)
last = run('audit', '-v', '-q', pkg)
nout = normal.stdout.decode()
check(normal.returncode == 0 and 'netpkg 1.0.0' in nout and '1 package:' in nout, f'audit: the report ({nout!r})')
check(quiet.returncode == normal.returncode and quiet.stdout.decode().strip().startswith('1 package:')
      and quiet.stdout.decode().strip().count('\n') == 0,
      f'audit --quiet: only the summary line ({quiet.stdout!r})')
check(q2.stdout == quiet.stdout and last.stdout == quiet.stdout, 'audit -q = --quiet; the last of -v/-q wins')
# allow-level findings are listed only with -v: an install hook the project allows
proj = os.path.join(t, 'proj')
os.makedirs(os.path.join(proj, '.git'))
with open(os.path.join(proj, '.pkgvet.ini'), 'w') as f:
    f.write('[attributes]\ninstall-hook = allow\n')
hook = os.path.join(t, 'hookpkg-1.0.0.tgz')
pvtest.make_tgz(hook, {'package/package.json': '{"name": "hookpkg", "version": "1.0.0", '
                                               '"scripts": {"postinstall": "echo hi"}}'})
hn = run('audit', hook, cwd=proj).stdout.decode()
hv = run('audit', '--verbose', hook, cwd=proj).stdout.decode()
check('findings: none' in hn and 'install-hook' in hv.split('findings:')[1],
      f'audit --verbose: also allow-level findings ({hn!r} / {hv!r})')
check(verbose.returncode == normal.returncode, 'audit -v: same exit status')
missing = run('audit', '-q', pkg, os.path.join(t, 'nope.tgz'))
check(missing.returncode == 2 and b'nope.tgz' in missing.stderr, 'audit -q: errors are still reported')

# ---- colour: only on a terminal, never with NO_COLOR ----
def on_pty(args, env):
    """Run pkgvet with stdout and stderr on a pseudo-terminal; what it wrote."""
    r = pvtest.run_pty([pvtest.PKGVET, *args], None, env, timeout=120, output_on_tty=True)
    return r.rc, r.tty


h = pvtest.private_home()
base = {k: v for k, v in os.environ.items() if not k.startswith('PKGVET_') and k != 'NO_COLOR'}
base.update({'HOME': h, 'XDG_CACHE_HOME': os.path.join(h, 'cache'), 'XDG_CONFIG_HOME': os.path.join(h, 'config'),
             'XDG_STATE_HOME': os.path.join(h, 'state'), 'TERM': 'xterm'})
rc, tty = on_pty(['audit', pkg], base)
check(rc == 0 and ESC in tty and 'netpkg' in tty, f'audit on a terminal: colour ({tty[:120]!r})')
rc, tty = on_pty(['audit', pkg], dict(base, NO_COLOR='1'))
check(rc == 0 and ESC not in tty and 'netpkg' in tty, 'audit on a terminal with NO_COLOR: no colour')
rc, tty = on_pty(['audit', pkg], dict(base, TERM='dumb'))
check(rc == 0 and ESC not in tty, 'audit on a terminal with TERM=dumb: no colour')
rc, tty = on_pty(['audit', '--color', 'never', pkg], base)
check(rc == 0 and ESC not in tty, 'audit --color never on a terminal: no colour')
piped = subprocess.run([pvtest.PKGVET, 'audit', pkg], capture_output=True, env=base, timeout=120)
check(piped.returncode == 0 and ESC.encode() not in piped.stdout + piped.stderr,
      'audit piped, NO_COLOR unset: no colour')
rc, tty = on_pty(['audit', '--json', pkg], base)
check(rc == 0 and ESC not in tty, 'audit --json on a terminal: no colour')

pvtest.done()
