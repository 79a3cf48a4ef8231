"""`pkgvet doctor` through the real CLI.

A healthy setup: fake real npm/npx/pip/pip3 scripts (printing versions) on
PATH after the build's shims directory, every endpoint on ONE
tests/fixtures/registry_server.py, a valid user policy -> exit 0, only
✔ and – lines. Then one broken thing at a time, each a ✖ line and exit 1:
npm too old, PKGVET_REAL_NPM pointing at a shim, the shims directory not
first on PATH, a project policy with a syntax error, a cache directory
under a regular file (unwritable for root too), an endpoint on a closed
port. A tool that is not installed is informational (–, exit 0);
PKGVET_HOOK_SHELL=bash reports the hooks active; all endpoints hanging
(fixture "timeout" fault) or the fixture stopped still finish in seconds;
a `--version` that hangs is cut off; tool output reaches the terminal
escaped. --json and --quiet."""
import json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pvtest import *

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), 'fixtures')
SHIMS = os.path.join(os.path.dirname(os.path.abspath(PKGVET)), 'shims')

d = tmpdir()
ROOT = os.path.join(d, 'root')
for p_ in ('npm', 'pypi', 'osv'):
    os.makedirs(os.path.join(ROOT, p_))
work = os.path.join(d, 'work')
os.makedirs(work)
open(os.path.join(work, '.git'), 'w').close()  # the project-file search stops here


def fake_tools(name, versions):
    """A directory of fake real tools: {tool: shell body}."""
    bdir = os.path.join(d, name)
    os.makedirs(bdir)
    for tool, body in versions.items():
        path = os.path.join(bdir, tool)
        with open(path, 'w') as f:
            f.write('#!/bin/sh\n' + body + '\n')
        os.chmod(path, 0o755)
    return bdir


GOOD = fake_tools('good', {'npm': 'echo 10.8.2', 'npx': 'echo 10.8.2',
                           'pip': 'echo "pip 24.0 from /nowhere/pip (python 3.12)"',
                           'pip3': 'echo "pip 24.0 from /nowhere/pip (python 3.12)"'})
OLD = fake_tools('old', {'npm': 'echo 6.14.0'})
ONLY_NPM = fake_tools('only-npm', {'npm': 'echo 9.0.0', 'npx': 'echo 9.0.0'})
HOSTILE = fake_tools('hostile', {'npm': r"printf '\033]0;owned\007\033[31mnot-a-version\n'"})
HANGS = fake_tools('hangs', {'npm': 'sleep 60; echo 10.0.0'})

srv = subprocess.Popen([sys.executable, os.path.join(FIX, 'registry_server.py'), ROOT],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
port = int(srv.stdout.readline())
BASE = f'http://127.0.0.1:{port}'


empty_npmrc = os.path.join(d, 'empty-npmrc')
open(empty_npmrc, 'w').close()
home = private_home()
os.makedirs(os.path.join(home, 'config', 'pkgvet'), exist_ok=True)
with open(os.path.join(home, 'config', 'pkgvet', 'policy.ini'), 'w') as f:
    f.write(f"""[settings]
npm_registry = {BASE}/npm/
pypi_index = {BASE}/pypi/simple/
osv_url = {BASE}/osv/v1/querybatch
npm_downloads_url = {BASE}/downloads/npm/point/last-week/{{name}}
pypi_downloads_url = {BASE}/downloads/pypi/api/packages/{{name}}/recent
""")

PATH_OK = os.pathsep.join([SHIMS, GOOD, '/usr/bin', '/bin'])
ENV = {'PATH': PATH_OK, 'NPM_CONFIG_GLOBALCONFIG': empty_npmrc, 'NPM_CONFIG_USERCONFIG': empty_npmrc,
       'NPM_CONFIG_REGISTRY': f'{BASE}/npm/', 'PIP_INDEX_URL': f'{BASE}/pypi/simple/',
       'PIP_EXTRA_INDEX_URL': '', 'VIRTUAL_ENV': '', 'PKGVET_LOG': 'off', 'SHELL': '/bin/bash'}
for k in ('PKGVET_HOOK_SHELL', 'PKGVET_SHIMS_DIR', 'http_proxy', 'https_proxy', 'HTTPS_PROXY', 'ALL_PROXY',
          'all_proxy'):
    os.environ.pop(k, None)


def doctor(*args, cwd=work, **env):
    e = dict(ENV)
    e.update(env)
    p = run('doctor', *args, cwd=cwd, env=e, timeout=60)
    p.out = p.stdout.decode('utf-8', 'replace')
    p.lines = p.out.splitlines()
    return p


def line(p, prefix):
    """The first report line whose text (after the symbol) starts with prefix."""
    for ln in p.lines:
        s = ln.strip()
        if s[2:].startswith(prefix):
            return s
    return ''


def show(p):
    print(p.out + p.stderr.decode('utf-8', 'replace'))


# ------------------------------------------------------------------ healthy
p = doctor()
ok = check(p.returncode == 0, f'healthy setup: exit 0 (got {p.returncode})')
check(not any(ln.strip().startswith('✖') for ln in p.lines), 'healthy setup: no ✖ line')
for tool, ver in (('npm', '10.8.2'), ('npx', '10.8.2'), ('pip', '24.0'), ('pip3', '24.0')):
    check(line(p, f'{tool}: ') == f'✔ {tool}: {GOOD}/{tool} {ver} (supported)', f'{tool}: real tool, version, supported')
    check(line(p, f'{tool}: ').startswith('✔') and f'{SHIMS}/{tool} is the shim' in p.out,
          f'PATH: {tool} reaches the shim')
check(line(p, 'directory: ') == f'✔ directory: {SHIMS}', 'shims directory found')
check(line(p, 'links: ').startswith('✔'), 'shim links lead to this pkgvet')
check(line(p, 'shell hooks: ').startswith('–') and 'eval "$(pkgvet init bash)"' in p.out,
      'hooks not active: informational, with the hint')
check(line(p, 'user policy: ').startswith('✔') and 'valid' in line(p, 'user policy: '), 'user policy valid')
check(line(p, 'project policy: ').startswith('–'), 'no project policy: informational')
check('✔ directory: ' + os.path.join(home, 'cache', 'pkgvet') + ' (writable)' in p.out, 'cache directory writable')
check(line(p, 'database: ').startswith('✔'), 'cache database opens')
for label, url in (('npm registry (policy)', f'{BASE}/npm/'), ('PyPI index (policy)', f'{BASE}/pypi/simple/'),
                   ('OSV', f'{BASE}/osv/v1/querybatch'),
                   ('npm downloads', f'{BASE}/downloads/npm/point/last-week/npm'),
                   ('PyPI downloads', f'{BASE}/downloads/pypi/api/packages/pip/recent')):
    ln = line(p, f'{label}: ')
    check(ln.startswith(f'✔ {label}: {url}: reachable, HTTP ') and ' ms' in ln, f'endpoint {label}: reachable ({ln})')
if not ok:
    show(p)

# --quiet: nothing broken, nothing printed
p = doctor('--quiet')
check(p.returncode == 0 and p.out == '', '--quiet on a healthy setup prints nothing, exit 0')

# credentials in an index URL are not shown
p = doctor(PIP_INDEX_URL=f'http://alice:s3cret@127.0.0.1:{port}/pypi/simple/')
ln = line(p, 'PyPI index (pip config): ')
check(p.returncode == 0 and ln.startswith(f'✔ PyPI index (pip config): http://***@127.0.0.1:{port}/pypi/simple/: reachable')
      and 's3cret' not in p.out and 'alice' not in p.out, f'an index URL with credentials is shown redacted ({ln})')

# offline OSV: the export zips are checked instead of the API
osv_dir = os.path.join(d, 'osv-offline')
os.makedirs(os.path.join(osv_dir, 'npm'))
open(os.path.join(osv_dir, 'npm', 'all.zip'), 'w').close()
p = doctor(PKGVET_OSV_OFFLINE=osv_dir, PKGVET_OSV_URL=f'http://127.0.0.1:{closed_port()}/v1/querybatch')
check(line(p, 'OSV offline (npm): ').startswith('✔') and line(p, 'OSV offline (PyPI): ').startswith('✖')
      and not line(p, 'OSV: ') and p.returncode == 1,
      'osv_offline: the zips are checked (npm there, PyPI missing), the API is not')

# --json
p = doctor('--json')
try:
    doc = json.loads(p.out)
except ValueError:
    doc = None
check(doc is not None and doc.get('schema') == 'pkgvet.doctor/1' and doc.get('ok') is True,
      '--json: schema pkgvet.doctor/1, ok true')
check(doc is not None and all({'group', 'check', 'ok', 'status', 'detail'} <= set(c) for c in doc['checks'])
      and any(c['check'] == 'npm' and c['group'] == 'tools' and c['ok'] for c in doc['checks']),
      '--json: every check has group, check, ok, status, detail')

# --help, bad argument
p = run('doctor', '--help')
check(p.returncode == 0 and b'exit status: 0 nothing is broken, 1 something is' in p.stdout, 'doctor --help')
p = run('doctor', 'extra')
check(p.returncode == 2, 'doctor with an argument: usage error')
p = run('help')
check(b'doctor' in p.stdout, 'pkgvet help lists doctor')

# hooks active
p = doctor(PKGVET_HOOK_SHELL='bash')
check(line(p, 'shell hooks: ') == '✔ shell hooks: active in this shell (bash)' and p.returncode == 0,
      'PKGVET_HOOK_SHELL=bash: hooks active')

# a tool that is not installed is not broken
p = doctor(PATH=os.pathsep.join([SHIMS, ONLY_NPM]))
check(p.returncode == 0 and line(p, 'pip: ').startswith('– pip: not found'),
      f'no pip installed: informational, exit 0 ({line(p, "pip: ")})')


# ------------------------------------------------------------------ broken, one at a time
def broken(what, p, prefix, *needles):
    ln = line(p, prefix)
    good = p.returncode == 1 and ln.startswith('✖') and all(n in ln for n in needles)
    check(good, f'{what}: ✖ and exit 1 ({ln or "no line " + prefix})')
    if not good:
        show(p)
    return p


p = broken('npm too old', doctor(PATH=os.pathsep.join([SHIMS, OLD, GOOD, '/bin'])), 'npm: ',
           f'{OLD}/npm 6.14.0', 'unsupported: needs npm >= 7')
q = doctor('--quiet', PATH=os.pathsep.join([SHIMS, OLD, GOOD, '/bin']))
check(q.returncode == 1 and q.lines and all(ln.startswith('✖') for ln in q.lines)
      and any('6.14.0' in ln for ln in q.lines), '--quiet: only the ✖ lines')

broken('PKGVET_REAL_NPM pointing at a shim', doctor(PKGVET_REAL_NPM=os.path.join(SHIMS, 'npm')), 'npm: ',
       'points back at a pkgvet shim')

p = broken('shims directory not first on PATH', doctor(PATH=os.pathsep.join([GOOD, SHIMS, '/bin'])),
           'npm: PATH finds', f'PATH finds {GOOD}/npm, not the shim', f'put {SHIMS} before {GOOD}')
check(line(p, 'pip3: PATH finds').startswith('✖'), 'shims not first: pip3 too')
p = doctor(PATH=os.pathsep.join([GOOD, SHIMS, '/bin']), PKGVET_HOOK_SHELL='bash')
check(p.returncode == 0 and line(p, 'npm: PATH finds').startswith('–'),
      'shims not first but hooks active: informational, exit 0')

proj = os.path.join(d, 'proj')
os.makedirs(proj)
open(os.path.join(proj, '.git'), 'w').close()
with open(os.path.join(proj, '.pkgvet.ini'), 'w') as f:
    f.write('[attributes]\ntyposquat = block\nthis line is not ini\n')
p = broken('project policy with a syntax error', doctor(cwd=proj), 'project policy: ', '.pkgvet.ini:3:')
check(p.out.count('.pkgvet.ini:3:') == 1 and line(p, 'effective policy: the invalid file above is left out').startswith('–'),
      'the syntax error is reported once; the effective policy leaves that file out')
check(line(p, 'OSV: ').startswith('✔'), 'policy invalid: the other checks still run')

blocker = os.path.join(d, 'a-regular-file')
open(blocker, 'w').close()
p = broken('cache directory under a regular file', doctor(PKGVET_CACHE_DIR=os.path.join(blocker, 'cache')),
           'directory: cannot create ' + os.path.join(blocker, 'cache'), 'Not a directory')
check(line(p, 'database: ').startswith('✖'), 'unwritable cache: the database is not opened either')

broken('an endpoint on a closed port', doctor(PKGVET_OSV_URL=f'http://127.0.0.1:{closed_port()}/v1/querybatch'),
       'OSV: ', 'unreachable: connection refused or no route', "Couldn't connect")
p = doctor('--json', PKGVET_OSV_URL=f'http://127.0.0.1:{closed_port()}/v1/querybatch')
try:
    doc = json.loads(p.out)
except ValueError:
    doc = None
check(p.returncode == 1 and doc is not None and doc['ok'] is False
      and [c['check'] for c in doc['checks'] if not c['ok']] == ['OSV'],
      '--json on a broken setup: ok false, the one failing check ok false')
broken('PKGVET_SHIMS_DIR naming no directory', doctor(PKGVET_SHIMS_DIR=os.path.join(d, 'no-such-dir')),
       'directory: ', 'no-such-dir does not exist')
broken('an invalid PKGVET_ variable', doctor(PKGVET_TIMEOUT='soon'), 'effective policy: ', 'PKGVET_TIMEOUT')

p = broken('npm --version printing escapes', doctor(PATH=os.pathsep.join([SHIMS, HOSTILE, GOOD, '/bin'])),
           'npm: ', 'no version number', '\\x1B]0;owned\\x07')
check('\x1b' not in p.out and '\x07' not in p.out, 'tool output reaches the terminal escaped')

# ------------------------------------------------------------------ the installed layout
# bin/pkgvet, bin/pkgvet-npm, bin/pkgvet-pip and lib/pkgvet/shims/* -> ../../../bin/pkgvet-*
import pvtest, shutil
prefix = os.path.join(d, 'prefix')
os.makedirs(os.path.join(prefix, 'bin'))
inst_shims = os.path.join(prefix, 'lib', 'pkgvet', 'shims')
os.makedirs(inst_shims)
build_dir = os.path.dirname(os.path.abspath(PKGVET))
for prog in ('pkgvet', 'pkgvet-npm', 'pkgvet-pip'):
    shutil.copy2(os.path.join(build_dir, prog), os.path.join(prefix, 'bin', prog))
for tool, prog in (('npm', 'pkgvet-npm'), ('npx', 'pkgvet-npm'), ('pip', 'pkgvet-pip'), ('pip3', 'pkgvet-pip')):
    os.symlink(f'../../../bin/{prog}', os.path.join(inst_shims, tool))
build_pkgvet, pvtest.PKGVET = pvtest.PKGVET, os.path.join(prefix, 'bin', 'pkgvet')
p = doctor(PATH=os.pathsep.join([inst_shims, GOOD, '/bin']))
check(p.returncode == 0 and line(p, 'directory: ') == f'✔ directory: {inst_shims}'
      and line(p, 'links: ').startswith('✔') and f'{inst_shims}/npm is the shim' in p.out,
      'installed layout: lib/pkgvet/shims found, its links lead to this pkgvet, first on PATH')
os.unlink(os.path.join(inst_shims, 'pip'))
os.symlink(os.path.join(GOOD, 'pip'), os.path.join(inst_shims, 'pip'))
broken('a shims-directory link leading elsewhere', doctor(PATH=os.pathsep.join([inst_shims, GOOD, '/bin'])),
       'links: ', f'{inst_shims}/pip leads to {GOOD}/pip')
pvtest.PKGVET = build_pkgvet

# ------------------------------------------------------------------ nothing hangs
with open(os.path.join(ROOT, 'faults.json'), 'w') as f:
    json.dump([{'match': '.*', 'fault': 'timeout'}], f)
p = doctor(PATH=os.pathsep.join([SHIMS, HANGS, GOOD, '/bin']))
n_timeout = sum(1 for ln in p.lines if ln.strip().startswith('✖') and ': timeout after' in ln)
check(p.returncode == 1 and n_timeout >= 5, f'every endpoint hanging: each ✖ timeout ({n_timeout} lines)')
check(p.elapsed < 20, f'every endpoint and npm --version hanging: done in {p.elapsed:.1f} s (< 20 s)')
broken('npm --version hanging', p, 'npm: ', 'did not finish within 10 s')
os.unlink(os.path.join(ROOT, 'faults.json'))

srv.stdin.close()
srv.terminate()
srv.wait(timeout=10)
p = doctor()
n_down = sum(1 for ln in p.lines if ln.strip().startswith('✖') and ': unreachable: ' in ln)
check(p.returncode == 1 and n_down >= 5, f'fixture stopped: every endpoint ✖ unreachable ({n_down} lines)')
check(p.elapsed < 20, f'fixture stopped: done in {p.elapsed:.1f} s')

done()
