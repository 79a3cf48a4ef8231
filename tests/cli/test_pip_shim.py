"""pkgvet-pip end to end, with the REAL pip (in fresh virtual environments)
against the fixture PyPI index (tests/fixtures/registry_server.py): allowed,
blocked and prompted installs (the prompt driven through a pseudo-terminal),
the canary sdist whose setup.py must never run unless allowed, an artifact
swapped on the index between vetting and install, requirements files
(nested -r, -c, extras, markers), dependency confusion across two indexes,
download / wheel, pass-through commands and bad input (issue 6, "Tests" and
"Bad input").

Every scenario runs with a private HOME/XDG (so the pkgvet cache, approvals
and the decision log are the scenario's own), pip's configuration cleared
(PIP_FIND_LINKS etc.), and TMPDIR pointed at a private directory that is
checked for leftover pkgvet work directories. Skips (77) when there is no
shim or python3 cannot make a venv with pip."""
import json, os, re, shutil, signal, subprocess, sys, tempfile, time
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import (changed, check, decision_log, done, make_built_project, make_built_sdist, make_project, make_venv,
                    make_wheel, new_home, ours, pip_env, pip_list, pip_shim_or_skip, run_detached, run_pty,
                    start_registry, uninstall_all, venv_site, venv_state)

SHIM, PY, FIXTURES = pip_shim_or_skip()
T0 = time.time()

WORK = tempfile.mkdtemp(prefix='pvtest-pipshim-')
ROOT = os.path.join(WORK, 'registry')
ROOT2 = os.path.join(WORK, 'registry2')
TMP = os.path.join(WORK, 'tmp')  # TMPDIR of every run
os.makedirs(TMP)
MARKER = os.path.join(WORK, 'canary-marker')
RUNID = os.path.basename(WORK)  # in every fixture wheel's Summary: tells this run's pip reports from others'

# ---------------------------------------------------------------- fixtures


def wheel(root, name, ver, requires=(), extras=(), files=None):
    d = os.path.join(root, 'pypi', 'files', name)
    os.makedirs(d, exist_ok=True)
    return make_wheel(os.path.join(d, f'{name}-{ver}-py3-none-any.whl'), name, ver,
                      {f'{name}/__init__.py': f'VERSION = {ver!r}\n', **(files or {})}, requires, extras,
                      f'fixture {name} {RUNID}', 'A test wheel used by the pkgvet pip shim tests.')


def setup_py(marker, name):
    """A setup.py that leaves marker when it runs (the canary), and would build name with setuptools."""
    return ('import os\n'
            f'open({marker!r}, "w").write("setup.py ran\\n")\n'
            "if __name__ == '__main__':\n"
            '    from setuptools import setup\n'
            f"    setup(name={name!r}, version='1.0', packages=[{name!r}])\n")


wheel(ROOT, 'pvleaf', '1.0')
wheel(ROOT, 'pvtop', '1.0', ['pvleaf'])
wheel(ROOT, 'pvdeny', '1.0')
wheel(ROOT, 'pvask', '1.0')
wheel(ROOT, 'pvask2', '1.0')
wheel(ROOT, 'pvswap', '1.0')
wheel(ROOT, 'pvfast', '1.0')
wheel(ROOT, 'pvextra', '1.0', ['pvfast ; extra == "fast"'], extras=['fast'])
wheel(ROOT, 'pvpy2', '1.0')
wheel(ROOT, 'pvcons', '1.0')
wheel(ROOT, 'pvcons', '2.0')
wheel(ROOT, 'pvnested', '1.0')
wheel(ROOT, 'pvshadowzq', '1.0')
wheel(ROOT2, 'pvshadowzq', '9.0')  # the same name on the extra index: dependency confusion
# The canary: an sdist whose setup.py leaves MARKER. Its build backend lives in the sdist itself (pvtest's
# make_built_sdist), so pip can build it with build isolation and no index access.
SETUP_PY = setup_py(MARKER, 'pvcanary')
make_built_sdist(os.path.join(ROOT, 'pypi', 'files', 'pvcanary'), 'pvcanary', '1.0', SETUP_PY)

srv, PORT = start_registry(ROOT, FIXTURES)
srv2, PORT2 = start_registry(ROOT2, FIXTURES)
INDEX = f'http://127.0.0.1:{PORT}/pypi/simple'
INDEX2 = f'http://127.0.0.1:{PORT2}/pypi/simple'
IX = ['--index-url', INDEX]

# The fixture packages are brand new: release-fresh asks. CLEAN lowers the
# metadata attributes so that a plain wheel is allowed outright.
CLEAN = ('[attributes]\nrelease-fresh.threshold = 0\nfew-versions = allow\nno-repo = allow\n'
         'bad-email = allow\nfew-downloads = allow\nno-readme = allow\n')


def deny(name):
    return f'[deny pypi:{name}]\nreason = test: {name} is denied\n'


def allow(name):
    return f'[allow pypi:{name}]\nreason = test: {name} is allowed\n'


# ---------------------------------------------------------------- helpers

def base_env(home, venv, extra=None):
    """pvtest's pip_env (pip's configuration cleared), with PIP_FIND_LINKS set and empty."""
    return pip_env(home, venv, TMP, PORT, {'PIP_FIND_LINKS': '', **(extra or {})})


def project(policy=None, files=None):
    return make_project(WORK, policy, files)


def leftovers():
    return [n for n in os.listdir(TMP) if 'pkgvet' in n]


def tmp_pkgvet():
    # pip_shim.c makes its work directory as /tmp/pkgvet-pip-XXXXXX whatever TMPDIR says (see [3]). /tmp is
    # shared with whatever else runs on this machine, so a directory that appears there during one of our
    # runs is only a candidate; it counts as left behind by us when it is still there at the end.
    return set(n for n in os.listdir('/tmp') if re.fullmatch(r'pkgvet-pip-[A-Za-z0-9]{6}', n))


CANDIDATES = set()


def note_tmp(t_before):
    CANDIDATES.update(tmp_pkgvet() - t_before)


def shim(*args, cwd, env, timeout=240):
    return run_detached([SHIM, *args], cwd, env, timeout)


def shim_pty(*args, cwd, env, script=(), timeout=240):
    return run_pty([SHIM, *args], cwd, env, script, None, timeout, tmp=WORK)


def show(r):
    return f'rc {r.rc}, {r.elapsed:.1f} s; stderr: {r.err[-900:]!r}; tty: {r.tty[-600:]!r}'


def last_line(s):
    lines = [l for l in s.splitlines() if l.strip()]
    return lines[-1] if lines else ''


Q_ONE = 'Allow? [y]es once'
Q_END = '\u203a '  # the question ends with "› "

V = make_venv(WORK, PY)
HOME = new_home(WORK)
ENV = base_env(HOME, V)
SP = venv_site(V)
BASE_LIST = pip_list(V, ENV)
check(BASE_LIST.get('pip') and 'setuptools' in BASE_LIST and not ours(BASE_LIST),
      f'[0] fresh venv: pip and setuptools, no fixture package ({BASE_LIST})')
tmp_before_all = tmp_pkgvet()

# ---------------------------------------------------------------- 1. allowed install
print('# 1. allowed install')
d1 = project(CLEAN)
r = shim('install', *IX, 'pvtop', cwd=d1, env=ENV)
check(r.rc == 0, f'[1] allowed (CLEAN policy): exit 0 ({show(r)})')
check(ours(pip_list(V, ENV)) == {'pvtop': '1.0', 'pvleaf': '1.0'}, f'[1] pip list: pvtop 1.0 and pvleaf 1.0 ({ours(pip_list(V, ENV))})')
check(os.path.exists(os.path.join(SP, 'pvtop', '__init__.py')), '[1] the package files are in site-packages')
uninstall_all(V, ENV)
# noninteractive = allow, no policy file: the fresh packages would be asked about, nobody can be asked
d1b = project()
r = shim('install', *IX, 'pvtop', cwd=d1b, env=base_env(HOME, V, {'PKGVET_NONINTERACTIVE': 'allow'}))
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvtop': '1.0', 'pvleaf': '1.0'},
      f'[1] PKGVET_NONINTERACTIVE=allow: exit 0, pvtop and pvleaf 1.0 installed ({show(r)})')
check('noninteractive = allow' in r.err, '[1] it says the noninteractive setting allowed them')
uninstall_all(V, ENV)
# an [allow] entry for each
d1c = project(allow('pvtop') + allow('pvleaf'))
r = shim('install', *IX, 'pvtop==1.0', cwd=d1c, env=ENV)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvtop': '1.0', 'pvleaf': '1.0'},
      f'[1] [allow pypi:...] entries: exit 0, installed ({show(r)})')
uninstall_all(V, ENV)
check(leftovers() == [], f'[1] no pkgvet temp directory left in TMPDIR ({leftovers()})')
# One pip run, held between resolving and installing (shim/pip_hold.py), is the usual route; the two-pip
# route (a dry-run resolution, then the pins from the vetted bytes) is what a pip that cannot be held gets.
r = shim('install', *IX, 'pvtop==1.0', cwd=d1c, env=dict(ENV, PKGVET_PIP_TWO_RUNS='1'))
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvtop': '1.0', 'pvleaf': '1.0'}
      and re.search(r'Processing /\S*/pkgvet-pip-\w+/files/pvtop-1\.0-py3-none-any\.whl', r.out + r.err) is not None,
      f'[1] PKGVET_PIP_TWO_RUNS=1: resolved, then installed from the vetted bytes kept by the gate ({show(r)})')
uninstall_all(V, ENV)
rp = os.path.join(d1c, 'my-report.json')
r = shim('install', *IX, '--report', rp, 'pvtop==1.0', cwd=d1c, env=ENV)
got = json.load(open(rp)) if os.path.exists(rp) else {}
check(r.rc == 0 and sorted(x['metadata']['name'] for x in got.get('install', [])) == ['pvleaf', 'pvtop'],
      f'[1] the person\'s own --report FILE is written as pip writes it ({show(r)}; {list(got)})')
uninstall_all(V, ENV)
before = venv_state(V)
r = shim('install', *IX, 'pvtop==1.0', cwd=project(CLEAN + deny('pvleaf')), env=dict(ENV, PKGVET_PIP_TWO_RUNS='1'))
check(r.rc == 1 and venv_state(V) == before, f'[1] two-pip route, a denied dependency: nothing installed ({show(r)})')
check(leftovers() == [], f'[1] two-pip route: no pkgvet temp directory left ({leftovers()})')

# ---------------------------------------------------------------- 2. blocked install
print('# 2. blocked install')
shim('install', *IX, 'pvleaf', cwd=d1, env=ENV)  # something already there, to be left alone
d2 = project(CLEAN + deny('pvdeny'))
before_list, before = pip_list(V, ENV), venv_state(V)
r = shim('install', *IX, 'pvdeny', 'pvtop', cwd=d2, env=ENV)
check(r.rc == 1, f'[2] [deny pypi:pvdeny]: exit 1 ({show(r)})')
check('blocked' in r.err and 'pvdeny' in r.err and 'is denied' in r.err, '[2] "blocked", the package and the deny reason are printed')
check(pip_list(V, ENV) == before_list, '[2] pip list unchanged (pvtop, allowed, not installed either)')
check(venv_state(V) == before, f'[2] site-packages and bin/ byte-for-byte unchanged (diff {changed(before, venv_state(V))})')
check(last_line(r.err) == 'pkgvet-pip: nothing was installed', f'[2] ends with "nothing was installed" ({last_line(r.err)!r})')
# the deny applies to a dependency too
d2b = project(CLEAN + deny('pvleaf'))
uninstall_all(V, ENV)
before = venv_state(V)
r = shim('install', *IX, 'pvtop', cwd=d2b, env=ENV)
check(r.rc == 1 and venv_state(V) == before and 'pvleaf' in r.err,
      f'[2] a denied dependency: the whole install refused, unchanged ({show(r)})')
# --yes does not override a block
# PKGVET_YES=1 does not override a block (pkgvet-pip has no --yes option of its own: pip would reject it)
r = shim('install', *IX, 'pvdeny', cwd=d2, env=base_env(HOME, V, {'PKGVET_NONINTERACTIVE': 'allow', 'PKGVET_YES': '1'}))
check(r.rc == 1 and venv_state(V) == before and 'blocked' in r.err,
      f'[2] PKGVET_YES=1 and noninteractive=allow do not override a deny ({show(r)})')
# ... while it does accept a prompt-level package without a terminal
r = shim('install', *IX, 'pvask', cwd=project(), env=base_env(HOME, V, {'PKGVET_YES': '1'}))
check(r.rc == 0 and ours(pip_list(V, ENV)).get('pvask') == '1.0' and '--yes' in r.err,
      f'[2] PKGVET_YES=1: a prompt-level package is allowed without a terminal, and it says so ({show(r)})')
uninstall_all(V, ENV)
before = venv_state(V)

# ---------------------------------------------------------------- 3. prompt through a pty
print('# 3. prompt through a pseudo-terminal')
home3 = new_home(WORK)
env3 = base_env(home3, V)
d3 = project()
before_list, before = pip_list(V, env3), venv_state(V)
seen_tmp = {}


def at_prompt():
    seen_tmp['tmpdir'] = leftovers()
    seen_tmp['/tmp'] = tmp_pkgvet() - tmp_before_all
    CANDIDATES.update(seen_tmp['/tmp'])


r = shim_pty('install', *IX, 'pvask', cwd=d3, env=env3, script=[(Q_END, b'n\n', at_prompt)])
check(Q_ONE in r.tty and 'pvask 1.0' in r.tty and 'release-fresh' in r.tty,
      f'[3n] the prompt shows the package, its findings and the question on the terminal ({show(r)})')
check(Q_ONE not in r.out and Q_ONE not in r.err, '[3n] the question goes to the terminal, not to stdout/stderr')
check(r.rc == 1, f'[3n] answered n: exit 1 ({show(r)})')
check(pip_list(V, env3) == before_list and venv_state(V) == before, f'[3n] answered n: nothing installed (diff {changed(before, venv_state(V))})')
check('nothing was installed' in r.err, '[3n] stderr says nothing was installed')
check(seen_tmp.get('tmpdir'),
      '[3] [BUG: pip_shim.c makes its work directory with a fixed "/tmp/pkgvet-pip-XXXXXX", ignoring TMPDIR '
      '(the npm shim honours it)] while the person is asked, the pkgvet work directory is under TMPDIR '
      f'(TMPDIR: {seen_tmp.get("tmpdir")}, new in /tmp: {sorted(seen_tmp.get("/tmp") or [])})')
r = shim_pty('install', *IX, 'pvask', cwd=d3, env=env3, script=[(Q_END, b'y\n')])
check(r.rc == 0 and ours(pip_list(V, env3)).get('pvask') == '1.0', f'[3y] answered y: installed ({show(r)})')
log = decision_log(home3)
check(any(e.get('name') == 'pvask' and e.get('action') == 'block' and e.get('decided_by') == 'user' for e in log)
      and any(e.get('name') == 'pvask' and e.get('action') == 'allow' and e.get('decided_by') == 'user' for e in log),
      f'[3] both answers are in the decision log, decided_by user ({[(e.get("name"), e.get("action"), e.get("decided_by")) for e in log]})')
uninstall_all(V, env3)

# ---------------------------------------------------------------- 4. the canary
print('# 4. the canary sdist')
# (the canary builds with build isolation: in-tree backend, no build requirements)
# a) blocked by policy
d4 = project(CLEAN + deny('pvcanary'))
before = venv_state(V)
r = shim('install', *IX, 'pvcanary', cwd=d4, env=ENV)
check(r.rc == 1 and 'pvcanary' in r.err and 'blocked' in r.err, f'[4a] denied canary: exit 1, "blocked" ({show(r)})')
check(not os.path.exists(MARKER), '[4a] THE CANARY: setup.py never ran (no marker)')
check(venv_state(V) == before, '[4a] nothing installed')
# a') no terminal, default noninteractive = block (the canary is fresh: prompt -> block)
r = shim('install', *IX, 'pvcanary', cwd=project(), env=ENV)
check(r.rc == 1 and not os.path.exists(MARKER) and venv_state(V) == before,
      f'[4a] noninteractive = block, no terminal: refused, no marker, nothing installed ({show(r)})')
# b) the person denies at the prompt
before = venv_state(V)
h4 = new_home(WORK)
r = shim_pty('install', *IX, 'pvcanary', cwd=project(), env=base_env(h4, V), script=[(Q_END, b'n\n')])
r.home = h4
check(r.steps == 1 and 'pvcanary' in r.tty and Q_ONE in r.tty, f'[4b] the person is asked about the canary on the terminal ({show(r)})')
check('setup.py' in r.err + r.tty, '[4b] the question says pip must run its setup.py')
check('must run' in r.tty,
      '[4b] [BUG: decide.c prints the context ("pip must run X\'s build (setup.py) ...") to stderr (o->out), '
      'not to the terminal where the question is asked, so with stderr redirected the person never sees why] '
      f'"pip must run ... setup.py" is said on the terminal ({r.tty[-500:]!r})')
check(r.rc == 1, f'[4b] denied: exit 1 ({show(r)})')
check(not os.path.exists(MARKER), '[4b] THE CANARY: setup.py never ran (no marker)')
check(venv_state(V) == before, '[4b] nothing installed')
log = decision_log(r.home)
check(any(e.get('name') == 'pvcanary' and e.get('action') == 'block' and e.get('decided_by') == 'user' for e in log),
      f'[4b] the denial is in the decision log, decided_by user ({[(e.get("name"), e.get("action"), e.get("decided_by")) for e in log]})')
# b') the question offers "[s]kip its install scripts": for an sdist the build IS the code that would
# be skipped, so answering s must not let pip run setup.py
if '[s]kip' in r.tty:
    before = venv_state(V)
    r = shim_pty('install', *IX, 'pvcanary', cwd=project(), env=base_env(new_home(WORK), V), script=[(Q_END, b's\n')])
    check(r.steps == 1 and not os.path.exists(MARKER),
          '[4s] [BUG: the resolution-time question about an sdist offers "[s]kip its install scripts"; pip_shim.c '
          'gate_vet() treats that answer as allowed and serves the sdist, so pip runs its setup.py anyway] '
          f'answered s: setup.py never ran (no marker) ({show(r)})')
    if os.path.exists(MARKER):
        os.remove(MARKER)
    uninstall_all(V, ENV)
# c) allowed: pip builds it, setup.py runs
r = shim('install', *IX, 'pvcanary', cwd=project(), env=base_env(new_home(WORK), V, {'PKGVET_NONINTERACTIVE': 'allow'}))
check(os.path.exists(MARKER), f'[4c] allowed (noninteractive = allow): pip ran setup.py, the marker exists ({show(r)})')
check(r.rc == 0 and ours(pip_list(V, ENV)).get('pvcanary') == '1.0', f'[4c] allowed: pvcanary 1.0 installed ({show(r)})')
uninstall_all(V, ENV)
if os.path.exists(MARKER):
    os.remove(MARKER)

# ---------------------------------------------------------------- 5. swapped artifact
print('# 5. artifact swapped between vetting and install')
SWAP = os.path.join(ROOT, 'pypi', 'files', 'pvswap', 'pvswap-1.0-py3-none-any.whl')
orig = open(SWAP, 'rb').read()


def swap():
    wheel(ROOT, 'pvswap', '1.0', files={'pvswap/evil.py': 'import os\nos.system("echo pwned")\n'})


before_list, before = pip_list(V, ENV), venv_state(V)
r = shim_pty('install', *IX, 'pvswap', cwd=project(), env=base_env(new_home(WORK), V), script=[(Q_END, b'y\n', swap)])
check(r.steps == 1, f'[5a] asked about pvswap; the file was rewritten on the index before answering y ({show(r)})')
check(r.rc != 0, f'[5a] swapped file: the install fails ({show(r)})')
check(pip_list(V, ENV) == before_list and venv_state(V) == before and not os.path.exists(os.path.join(SP, 'pvswap')),
      f'[5a] nothing installed (diff {changed(before, venv_state(V))})')
check('changed on the index after it was vetted' in r.err and 'pvswap-1.0-py3-none-any.whl' in r.err,
      f"[5a] pkgvet names the file that changed on the index after it was vetted ({r.err[-400:]!r})")
check('nothing was installed' in last_line(r.err), f'[5a] then "nothing was installed" ({last_line(r.err)!r})')
with open(SWAP, 'wb') as f:
    f.write(orig)
# b) the index serves the file with a byte appended (its listed sha256 stays the true one)
CFG = os.path.join(ROOT, 'pypi', 'config.json')


def tamper():
    with open(CFG, 'w') as f:
        json.dump({'tampered': ['pvswap-1.0-py3-none-any.whl']}, f)


r = shim_pty('install', *IX, 'pvswap', cwd=project(), env=base_env(new_home(WORK), V), script=[(Q_END, b'y\n', tamper)])
os.remove(CFG)
# pip installs the bytes that were vetted (downloaded through the gate while it resolved, or kept by the gate),
# never a second download: the tampered file (one byte more, another sha256) cannot get in.
check(r.steps == 1 and r.rc == 0 and ours(pip_list(V, ENV)) == {'pvswap': '1.0'},
      f'[5b] tampered on the index while asked: pvswap 1.0 is installed from the vetted bytes ({show(r)})')
uninstall_all(V, ENV)

# c) the bytes of a vetted file are kept by digest (blobcache.h): a second install needs no download of it,
#    and a kept file that does not hash to its name is never used
h5 = new_home(WORK)
env5 = base_env(h5, V, {'PKGVET_NONINTERACTIVE': 'allow'})
r = shim('install', *IX, 'pvtop', cwd=project(CLEAN), env=env5)
check(r.rc == 0, f'[5c] first install ({show(r)})')
uninstall_all(V, ENV)
kept = [os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(h5, 'cache')) for f in fs
        if re.fullmatch(r'[0-9a-f]{64}', f)]
check(len(kept) == 2, f'[5c] the two wheels are kept under the cache directory, by digest ({kept})')
FAULTS = os.path.join(ROOT, 'faults.json')
with open(FAULTS, 'w') as f:
    json.dump([{'match': r'^/pypi/files/.*\.whl$', 'fault': '500'}], f)
r = shim('install', *IX, 'pvtop', cwd=project(CLEAN), env=env5)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvtop': '1.0', 'pvleaf': '1.0'},
      f'[5c] with the index\'s files failing (500), the second install uses the kept bytes ({show(r)})')
uninstall_all(V, ENV)
for k in kept:
    with open(k, 'wb') as f:
        f.write(b'planted')
r = shim('install', *IX, 'pvtop', cwd=project(CLEAN), env=env5)
check(r.rc != 0 and not ours(pip_list(V, ENV)),
      f'[5c] kept files that do not hash to their names are not used (the index fails: nothing installed) ({show(r)})')
os.remove(FAULTS)
r = shim('install', *IX, 'pvtop', cwd=project(CLEAN), env=env5)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvtop': '1.0', 'pvleaf': '1.0'},
      f'[5c] the index back: fetched afresh and installed ({show(r)})')
uninstall_all(V, ENV)

# ---------------------------------------------------------------- 6. requirements files
print('# 6. requirements files')
d6 = project(CLEAN, files={
    'requirements.txt': '# top\n-r nested/more.txt\n-c constraints.txt\npvextra[fast]\npvcons\npvpy2 ; python_version < "3"\n',
    'constraints.txt': 'pvcons<2\n',
})
os.makedirs(os.path.join(d6, 'nested'))
with open(os.path.join(d6, 'nested', 'more.txt'), 'w') as f:
    f.write('pvnested==1.0\n')
r = shim('install', *IX, '-r', 'requirements.txt', cwd=d6, env=ENV)
got = ours(pip_list(V, ENV))
check(r.rc == 0, f'[6] -r with nested -r, -c, extras, markers: exit 0 ({show(r)})')
check(got == {'pvnested': '1.0', 'pvextra': '1.0', 'pvfast': '1.0', 'pvcons': '1.0'},
      f'[6] installed exactly: pvnested (nested -r), pvextra + pvfast (extra), pvcons 1.0 (constraint), not pvpy2 (marker) ({got})')
# the real pip in a twin venv, same command: same set
V2 = make_venv(WORK, PY)
env_v2 = base_env(HOME, V2)
p = subprocess.run([os.path.join(V2, 'bin', 'pip'), 'install', *IX, '-r', 'requirements.txt'], cwd=d6, env=env_v2,
                   capture_output=True, timeout=240)
check(p.returncode == 0 and ours(pip_list(V2, env_v2)) == got, f'[6] the same set as the real pip installs ({ours(pip_list(V2, env_v2))})')
uninstall_all(V, ENV)
# a denied package reached only through the nested file: refused
with open(os.path.join(d6, '.pkgvet.ini'), 'a') as f:
    f.write(deny('pvnested'))
before = venv_state(V)
r = shim('install', *IX, '-r', 'requirements.txt', cwd=d6, env=ENV)
check(r.rc == 1 and venv_state(V) == before and 'pvnested' in r.err, f'[6] a denied package in the nested file: refused, unchanged ({show(r)})')

# --upgrade from a pin, and --target DIR (the venv untouched)
r = shim('install', *IX, 'pvcons==1.0', cwd=d1, env=ENV)
r = shim('install', *IX, '-U', 'pvcons', cwd=d1, env=ENV)
check(r.rc == 0 and ours(pip_list(V, ENV)).get('pvcons') == '2.0', f'[6] install -U: pvcons upgraded 1.0 -> 2.0 ({show(r)})')
uninstall_all(V, ENV)
tgt = os.path.join(WORK, 'target')
before = venv_state(V)
r = shim('install', *IX, '--target', tgt, 'pvtop', cwd=d1, env=ENV)
check(r.rc == 0 and os.path.exists(os.path.join(tgt, 'pvtop', '__init__.py')) and os.path.exists(os.path.join(tgt, 'pvleaf', '__init__.py'))
      and venv_state(V) == before, f'[6] install --target DIR: both packages land in DIR, the venv is untouched ({show(r)})')

# ---------------------------------------------------------------- 7. dependency confusion
print('# 7. dependency confusion')
home7 = new_home(WORK)
d7 = project(CLEAN)
before = venv_state(V)
r = shim('install', *IX, '--extra-index-url', INDEX2, 'pvshadowzq', cwd=d7, env=base_env(home7, V))
check(r.rc == 1 and venv_state(V) == before, f'[7] a name on both indexes, noninteractive = block: refused, unchanged ({show(r)})')
check('dependency-confusion' in r.err, '[7] the dependency-confusion finding is shown')
log = decision_log(home7)
check(any(e.get('name') == 'pvshadowzq' and 'dependency-confusion' in json.dumps(e) for e in log),
      f'[7] the decision log has the finding for pvshadowzq ({json.dumps(log)[:400]})')
# without the extra index, the same package is allowed
r = shim('install', *IX, 'pvshadowzq', cwd=d7, env=base_env(home7, V))
check(r.rc == 0 and ours(pip_list(V, ENV)).get('pvshadowzq') == '1.0' and 'dependency-confusion' not in r.err,
      f'[7] one index: no finding, installed ({show(r)})')
# the prompt shows it too
uninstall_all(V, ENV)
r = shim_pty('install', *IX, '--extra-index-url', INDEX2, 'pvshadowzq', cwd=d7, env=base_env(new_home(WORK), V),
             script=[(Q_END, b'n\n')])
check(r.steps == 1 and 'dependency-confusion' in r.tty and r.rc == 1, f'[7] the prompt names dependency-confusion ({show(r)})')

# ---------------------------------------------------------------- 8. download and wheel
print('# 8. download and wheel')
for verb, opt in (('download', '-d'), ('wheel', '-w')):
    out = tempfile.mkdtemp(prefix=verb + '-', dir=WORK)
    before = venv_state(V)
    r = shim(verb, *IX, opt, out, 'pvtop', cwd=d1, env=ENV)
    check(r.rc == 0 and sorted(os.listdir(out)) == ['pvleaf-1.0-py3-none-any.whl', 'pvtop-1.0-py3-none-any.whl'],
          f'[8] {verb} {opt} DIR of an allowed package: its files land in DIR ({sorted(os.listdir(out))}; {show(r)})')
    if r.rc == 0 and os.listdir(out):
        same = all(open(os.path.join(out, n), 'rb').read() ==
                   open(os.path.join(ROOT, 'pypi', 'files', n.split('-')[0], n), 'rb').read() for n in os.listdir(out))
        check(same, f'[8] {verb}: the files are the index\'s bytes')
    check(venv_state(V) == before, f'[8] {verb}: the venv is untouched')
    out2 = tempfile.mkdtemp(prefix=verb + '-', dir=WORK)
    r = shim(verb, *IX, opt, out2, 'pvdeny', cwd=d2, env=ENV)
    check(r.rc == 1 and os.listdir(out2) == [], f'[8] {verb} of a denied package: exit 1, nothing in DIR ({os.listdir(out2)}; {show(r)})')
    out3 = os.path.join(WORK, f'{verb}-new')
    r = shim(verb, *IX, opt, out3, 'pvcanary', cwd=d4, env=ENV)
    check(r.rc == 1 and not os.path.exists(MARKER) and not (os.path.isdir(out3) and os.listdir(out3)),
          f'[8] {verb} of the denied canary: exit 1, no marker, nothing in DIR ({show(r)})')

# pkgvet's own messages follow pip's verbosity: -q drops the summary, -v lists each package
outq = tempfile.mkdtemp(prefix='quiet-', dir=WORK)
r = shim('download', '-q', *IX, '-d', outq, 'pvtop', cwd=d1, env=ENV)
check(r.rc == 0 and len(os.listdir(outq)) == 2 and '\u2714' not in r.err,
      f'[8] download -q: the files, and no summary line from pkgvet ({show(r)})')
outv = tempfile.mkdtemp(prefix='verbose-', dir=WORK)
r = shim('download', '-v', *IX, '-d', outv, 'pvtop', cwd=d1, env=ENV)
check(r.rc == 0 and len(os.listdir(outv)) == 2 and '\u2714' in r.err and 'pvtop 1.0' in r.err
      and 'vetted 2 packages in ' in r.err, f'[8] download -v: each package with its verdict, and the time taken ({show(r)})')

# ---------------------------------------------------------------- 9. pass-through
print('# 9. pass-through')
VPIP = os.path.join(V, 'bin', 'pip')
for args in (['list'], ['show', 'pip'], ['freeze'], ['--version'], ['help'], ['show', 'no-such-pv-package']):
    r = shim(*args, cwd=d1, env=ENV)
    p = subprocess.run([VPIP, *args], cwd=d1, env=ENV, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    check(r.rc == p.returncode and r.out == p.stdout.decode(errors='replace'),
          f'[9] pkgvet-pip {" ".join(args)}: same stdout and status as the venv\'s pip (rc {r.rc}/{p.returncode}; '
          f'{r.out[:100]!r} vs {p.stdout[:100]!r})')
check(leftovers() == [], f'[9] pass-through leaves nothing in TMPDIR ({leftovers()})')

# ---------------------------------------------------------------- 9b. outside a virtual environment
print('# 9b. outside a virtual environment (the pip on PATH), --target')
SYS_PATH = '/usr/local/bin:/usr/bin:/bin'
sys_pip = shutil.which('pip', path=SYS_PATH)
if sys_pip:
    envs = base_env(new_home(WORK), V)
    envs.pop('VIRTUAL_ENV')
    envs['PATH'] = SYS_PATH
    tgt = os.path.join(WORK, 'target-sys')
    r = shim('install', *IX, '--target', tgt, 'pvtop', cwd=d1, env=envs)
    check(r.rc == 0 and os.path.exists(os.path.join(tgt, 'pvtop', '__init__.py')) and os.path.exists(os.path.join(tgt, 'pvleaf', '__init__.py')),
          f'[9b] no venv: the pip on PATH ({sys_pip}) installs the vetted set into --target DIR ({show(r)})')
    r = shim('--version', cwd=d1, env=envs)
    p = subprocess.run([sys_pip, '--version'], env=envs, capture_output=True, timeout=60)
    check(r.rc == p.returncode == 0 and r.out == p.stdout.decode(), f'[9b] no venv: --version is the PATH pip\'s ({r.out!r} vs {p.stdout!r})')
    tgt2 = os.path.join(WORK, 'target-sys2')
    r = shim('install', *IX, '--target', tgt2, 'pvdeny', cwd=d2, env=envs)
    check(r.rc == 1 and not os.path.exists(os.path.join(tgt2, 'pvdeny')), f'[9b] no venv: a denied package is refused ({show(r)})')
else:
    print('skip: [9b] no pip on PATH outside the venv')

# ---------------------------------------------------------------- 9c. python -m pip
print('# 9c. python -m pip (PKGVET_PIP_PYTHON, what the shell hooks set)')
# The venv is not activated and its bin is not on PATH: only the interpreter named says whose pip runs.
envp = base_env(new_home(WORK), V, {'PKGVET_PIP_PYTHON': os.path.join(V, 'bin', 'python')})
envp.pop('VIRTUAL_ENV')
envp['PATH'] = '/usr/bin:/bin'
r = shim('--version', cwd=d1, env=envp)
check(r.rc == 0 and venv_site(V) in r.out, f'[9c] --version is the venv interpreter\'s pip ({r.out!r})')
uninstall_all(V, ENV)
r = shim('install', *IX, 'pvtop', cwd=d1, env=envp)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvtop': '1.0', 'pvleaf': '1.0'},
      f'[9c] install through `python -m pip` lands in that python\'s venv ({show(r)})')
uninstall_all(V, ENV)
before = venv_state(V)
r = shim('install', *IX, 'pvdeny', cwd=d2, env=envp)
check(r.rc == 1 and venv_state(V) == before, f'[9c] a denied package is refused, the venv unchanged ({show(r)})')
r = shim('--version', cwd=d1, env=dict(envp, PKGVET_PIP_PYTHON='python3'))
check(r.rc == 3 and 'PKGVET_PIP_PYTHON' in r.err and len(r.err.strip().splitlines()) == 1,
      f'[9c] a relative PKGVET_PIP_PYTHON: one line, exit 3 ({show(r)})')
r = shim('--version', cwd=d1, env=dict(envp, PKGVET_PIP_PYTHON=SHIM))
check(r.rc == 3 and 'shim' in r.err, f'[9c] PKGVET_PIP_PYTHON naming a shim is refused ({show(r)})')

# ---------------------------------------------------------------- 11. local paths and direct URLs
print('# 11. local paths and direct URLs (vetted before pip builds them)')
MARK11 = os.path.join(WORK, 'local-marker')
local_src = make_built_project(os.path.join(WORK, 'src11'), 'pvlocal', '1.0', setup_py(MARK11, 'pvlocal'), ['pvleaf'])
env11 = base_env(new_home(WORK), V, {'PKGVET_NONINTERACTIVE': 'allow'})
# a) a local project the policy denies: refused before pip runs its build
before = venv_state(V)
d11 = project(CLEAN + deny('pvlocal'))
r = shim('install', *IX, local_src, cwd=d11, env=env11)
check(r.rc == 1 and 'pvlocal' in r.err, f'[11a] a denied local project: exit 1 ({show(r)})')
check(not os.path.exists(MARK11), '[11a] its setup.py never ran (no marker): vetted before pip resolved')
check(venv_state(V) == before, '[11a] nothing installed')
# b) allowed: the local project and its index dependency, in one pip run
r = shim('install', *IX, local_src, cwd=project(CLEAN), env=env11)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvlocal': '1.0', 'pvleaf': '1.0'},
      f'[11b] allowed local project: pvlocal and pvleaf installed ({show(r)}; {ours(pip_list(V, ENV))})')
log11 = decision_log(env11['HOME'])
check(any(e.get('name') == 'pvlocal' for e in log11), f'[11b] the local project is in the decision log ({log11[-3:]})')
uninstall_all(V, ENV)
if os.path.exists(MARK11):
    os.remove(MARK11)
# c) a local wheel file and the same wheel by URL from the fixture server
lw = wheel(os.path.join(WORK, 'local11'), 'pvlw', '1.0')
r = shim('install', *IX, lw, cwd=project(CLEAN), env=env11)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvlw': '1.0'}, f'[11c] a local wheel file: installed ({show(r)})')
uninstall_all(V, ENV)
uw = wheel(ROOT, 'pvurlw', '1.0', ['pvleaf'])
URLW = f'http://127.0.0.1:{PORT}/pypi/files/pvurlw/pvurlw-1.0-py3-none-any.whl'
r = shim('install', *IX, URLW, cwd=project(CLEAN), env=env11)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvurlw': '1.0', 'pvleaf': '1.0'},
      f'[11c] a direct URL and its dependency: installed ({show(r)}; {ours(pip_list(V, ENV))})')
uninstall_all(V, ENV)
# d) a direct URL in a requirements file: only with its digest pinned
import hashlib
good = hashlib.sha256(open(uw, 'rb').read()).hexdigest()
before = venv_state(V)
d11d = project(CLEAN, files={'nohash.txt': URLW + '\n', 'hash.txt': f'{URLW}#sha256={good}\n',
                             'badhash.txt': f'pvurlw @ {URLW}#sha256={"0" * 64}\n'})
r = shim('install', *IX, '-r', 'nohash.txt', cwd=d11d, env=env11)
check(r.rc == 2 and 'sha256' in r.err and 'nohash.txt:1' in r.err and venv_state(V) == before,
      f'[11d] unpinned URL in a requirements file: exit 2 naming FILE:LINE, nothing installed ({show(r)})')
r = shim('install', *IX, '-r', 'badhash.txt', cwd=d11d, env=env11)
check(r.rc == 3 and 'does not match' in r.err and venv_state(V) == before,
      f'[11d] a URL whose file is not the pinned digest: exit 3, nothing installed ({show(r)})')
r = shim('install', *IX, '-r', 'hash.txt', cwd=d11d, env=env11)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvurlw': '1.0', 'pvleaf': '1.0'},
      f'[11d] the same URL with #sha256=: installed ({show(r)})')
uninstall_all(V, ENV)

# ---------------------------------------------------------------- 10. bad input
print('# 10. bad input')
env10 = base_env(new_home(WORK), V, {'PKGVET_NONINTERACTIVE': 'allow'})
d10 = project(CLEAN, files={'bad.txt': 'pvleaf\npvtop ===>>> !!\n'})
for tag, args, pipsays in (
        ('syntax error in a requirements file', [*IX, '-r', 'bad.txt'], 'Invalid requirement'),
        ('unsatisfiable requirement', [*IX, 'pvleaf==9.9'], 'No matching distribution found for pvleaf==9.9'),
        ('conflicting requirements', [*IX, 'pvcons==1.0', 'pvcons==2.0'], 'conflict'),
        ('index down (closed port)', ['--index-url', 'http://127.0.0.1:1/simple', 'pvleaf'], 'No matching distribution')):
    for n in leftovers():
        shutil.rmtree(os.path.join(TMP, n), ignore_errors=True)
    before_list, before = pip_list(V, ENV), venv_state(V)
    t_before = tmp_pkgvet()
    r = shim('install', *args, cwd=d10, env=env10, timeout=120)
    check(r.rc != 0, f'[10] {tag}: non-zero exit ({show(r)})')
    check(pipsays in r.err, f"[10] {tag}: pip's own message is shown ({pipsays!r})")
    check(last_line(r.err) == 'pkgvet-pip: nothing was installed', f'[10] {tag}: then the one-line summary ({last_line(r.err)!r})')
    check(pip_list(V, ENV) == before_list and venv_state(V) == before, f'[10] {tag}: nothing installed')
    note_tmp(t_before)
    check(leftovers() == [], f'[10] {tag}: no pkgvet temp directory left in TMPDIR ({leftovers()})')

# Interrupted prompts: about a wheel (after resolution) and about the canary sdist (during resolution,
# pip waiting on the gate).
for what in ('pvask', 'pvcanary'):
    for tag, kw in (('^D', dict(script=[(Q_END, b'\x04')])), ('Ctrl-C', dict(script=[(Q_END, b'\x03')]))):
        before_list, before = pip_list(V, ENV), venv_state(V)
        t_before = tmp_pkgvet()
        r = shim_pty('install', *IX, what, cwd=project(), env=base_env(new_home(WORK), V), **kw)
        time.sleep(0.2)
        check(r.steps == 1 and r.rc in (1, 130), f'[10] {what}, {tag} at the prompt: asked, exit 1 or 130 ({show(r)})')
        check('interrupted' in r.err + r.tty and 'nothing was installed' in r.err,
              f'[10] {what}, {tag}: "interrupted", then "nothing was installed"')
        check(pip_list(V, ENV) == before_list and venv_state(V) == before and not os.path.exists(MARKER),
              f'[10] {what}, {tag}: nothing installed, no marker')
        note_tmp(t_before)
        check(leftovers() == [], f'[10] {what}, {tag}: no pkgvet temp directory left in TMPDIR ({leftovers()})')

# Ctrl-C (SIGINT to the process group, as a terminal sends it) while pip is still resolving.
with open(os.path.join(ROOT, 'faults.json'), 'w') as f:
    json.dump([{'match': r'/simple/pvleaf', 'fault': 'timeout'}], f)
before_list, before = pip_list(V, ENV), venv_state(V)
t_before = tmp_pkgvet()
p = subprocess.Popen([SHIM, 'install', *IX, 'pvtop'], cwd=d1, env=env10, stdin=subprocess.DEVNULL,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
t = time.time()
while time.time() - t < 20 and not json.loads(subprocess.run(
        ['curl', '-s', f'http://127.0.0.1:{PORT}/_count?match=/simple/pvleaf'], capture_output=True).stdout or b'0'):
    time.sleep(0.1)
time.sleep(0.5)
os.killpg(p.pid, signal.SIGINT)
try:
    out, err = p.communicate(timeout=40)
    rc = p.returncode
except subprocess.TimeoutExpired:
    p.kill()
    out, err = p.communicate()
    rc = 'hung'
err = err.decode(errors='replace')
os.remove(os.path.join(ROOT, 'faults.json'))
time.sleep(0.3)
check(rc != 0 and rc != 'hung', f'[10] Ctrl-C during resolution: exit non-zero (rc {rc}, {err[-400:]!r})')
check(pip_list(V, ENV) == before_list and venv_state(V) == before, '[10] Ctrl-C during resolution: nothing installed')
note_tmp(t_before)
check(leftovers() == [], f'[10] Ctrl-C during resolution: no pkgvet temp directory left in TMPDIR ({leftovers()})')
check('nothing was installed' in err or 'interrupted' in err,
      f'[10] Ctrl-C during resolution: pkgvet says nothing was installed / interrupted ({err[-300:]!r})')

# --find-links (an empty directory here) with an index: the gate reads both (test_pip_findlinks.py has the rest).
fl = os.path.join(WORK, 'findlinks')
os.makedirs(fl, exist_ok=True)
r = shim('install', '--index-url', INDEX, '--find-links', fl, 'pvtop', cwd=WORK,
         env=dict(ENV, PKGVET_NONINTERACTIVE='allow'))
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvtop': '1.0', 'pvleaf': '1.0'},
      f'[10] --find-links DIR with --index-url: installed from the index through the gate ({show(r)})')
uninstall_all(V, ENV)

check(leftovers() == [], f'no pkgvet temp directory left in TMPDIR after the whole run ({leftovers()})')


def ours_dir(n):
    d = os.path.join('/tmp', n)
    try:
        return any(RUNID.encode() in open(os.path.join(d, f), 'rb').read() for f in os.listdir(d))
    except OSError:
        return False


time.sleep(1)
left = sorted(n for n in CANDIDATES if ours_dir(n))
check(not left, 'no /tmp/pkgvet-pip-* work directory of this run (its pip report names our fixtures) is left '
      f'after a bad-input or interrupted run ({left})')
print(f'runtime {time.time() - T0:.1f} s')
for s in (srv, srv2):
    s.stdin.close()
    s.terminate()
    s.wait()
shutil.rmtree(WORK, ignore_errors=True)
done()
