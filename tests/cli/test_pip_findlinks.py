"""pkgvet-pip with pip's --find-links, end to end with the REAL pip in a fresh
virtual environment: the find-links locations are read by the gate, never by
pip, so every archive there is vetted before pip may open (or build) it.

--no-index --find-links DIR (installed; a denied package refused with the
venv byte-for-byte unchanged; a canary sdist whose setup.py leaves a marker:
never built unless allowed), -f with a relative path, a file:// URL, an
http(s) flat page, PIP_FIND_LINKS and pip.conf's find-links, --find-links
next to an index serving the same name (dependency confusion), pip download,
and --no-index with nothing to install from. Skips (77) when there is no
shim or python3 cannot make a venv with pip."""
import json, os, shutil, sys, tempfile, time
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import (changed, check, decision_log, done, make_built_sdist, make_project, make_venv, make_wheel, new_home,
                    ours, pip_env, pip_list, pip_shim_or_skip, run_detached, snapshot, start_registry, uninstall_all,
                    venv_state)

SHIM, PY, FIXTURES = pip_shim_or_skip()
T0 = time.time()

WORK = tempfile.mkdtemp(prefix='pvtest-pipfl-')
ROOT = os.path.join(WORK, 'registry')     # the fixture index
WH = os.path.join(WORK, 'wheels')          # the find-links directory
TMP = os.path.join(WORK, 'tmp')
os.makedirs(TMP)
os.makedirs(WH)
MARKER = os.path.join(WORK, 'canary-marker')

# ---------------------------------------------------------------- fixtures


def wheel(d, name, ver, requires=()):
    os.makedirs(d, exist_ok=True)
    return make_wheel(os.path.join(d, f'{name}-{ver}-py3-none-any.whl'), name, ver,
                      {f'{name}/__init__.py': f'VERSION = {ver!r}\n'}, requires)


SETUP_PY = f'open({MARKER!r}, "w").write("setup.py ran\\n")\n'


wheel(WH, 'pvfltop', '1.0', ['pvflleaf'])
wheel(WH, 'pvflleaf', '1.0')
wheel(WH, 'pvfldeny', '1.0')
wheel(WH, 'pvflshadow', '1.0')
make_built_sdist(WH, 'pvflcanary', '1.0', SETUP_PY)
wheel(os.path.join(ROOT, 'pypi', 'files', 'pvflshadow'), 'pvflshadow', '2.0')  # the same name on the index
wheel(os.path.join(ROOT, 'pypi', 'files', 'pvflweb'), 'pvflweb', '1.0')       # served as a flat page
# Junk the gate must pass over: not an archive name, a symlink out of the directory.
open(os.path.join(WH, 'README.txt'), 'w').write('not a package\n')
os.symlink('/etc/hostname', os.path.join(WH, 'pvflleaf-9.0-py3-none-any.whl'))


srv, PORT = start_registry(ROOT, FIXTURES)
INDEX = f'http://127.0.0.1:{PORT}/pypi/simple'

CLEAN = ('[attributes]\nrelease-fresh.threshold = 0\nfew-versions = allow\nno-repo = allow\n'
         'bad-email = allow\nfew-downloads = allow\nno-readme = allow\n')


def deny(name):
    return f'[deny pypi:{name}]\nreason = test: {name} is denied\n'


# ---------------------------------------------------------------- helpers

def base_env(home, venv, extra=None):
    return pip_env(home, venv, TMP, PORT, extra)


def project(policy=None, files=None):
    return make_project(WORK, policy, files)


def shim(*args, cwd, env, timeout=240):
    return run_detached([SHIM, *args], cwd, env, timeout)


def show(r):
    return f'rc {r.rc}, {r.elapsed:.1f} s; stderr: {r.err[-900:]!r}'


V = make_venv(WORK, PY)
HOME = new_home(WORK)
ENV = base_env(HOME, V)
ALLOW = base_env(HOME, V, {'PKGVET_NONINTERACTIVE': 'allow'})
NOIX = ['--no-index', '--find-links', WH]
check(not ours(pip_list(V, ENV)), '[0] fresh venv: no fixture package')

# ---------------------------------------------------------------- 1. --no-index --find-links DIR
print('# 1. --no-index --find-links DIR')
d1 = project(CLEAN)
wh_before = snapshot(WH)
r = shim('install', *NOIX, 'pvfltop', cwd=d1, env=ENV)
check(r.rc == 0, f'[1] allowed (CLEAN policy): exit 0 ({show(r)})')
check(ours(pip_list(V, ENV)) == {'pvfltop': '1.0', 'pvflleaf': '1.0'},
      f'[1] pvfltop and its dependency pvflleaf installed from the find-links directory ({ours(pip_list(V, ENV))})')
check('pvflleaf 9.0' not in r.err and '9.0' not in json.dumps(pip_list(V, ENV)),
      '[1] the symlink pointing out of the directory is not a candidate')
check(snapshot(WH) == wh_before, '[1] the find-links directory is untouched')
uninstall_all(V, ENV)

# ---------------------------------------------------------------- 2. a denied package
print('# 2. denied package in the find-links directory')
shim('install', *NOIX, 'pvflleaf', cwd=d1, env=ENV)  # something already there, left alone
check(ours(pip_list(V, ENV)) == {'pvflleaf': '1.0'}, '[2] setup: pvflleaf installed')
d2 = project(CLEAN + deny('pvfldeny'))
before = venv_state(V)
r = shim('install', *NOIX, 'pvfldeny', 'pvfltop', cwd=d2, env=ENV)
check(r.rc == 1 and 'blocked' in r.err and 'pvfldeny' in r.err, f'[2] [deny pypi:pvfldeny]: exit 1, blocked ({show(r)})')
check(venv_state(V) == before, f'[2] venv byte-for-byte unchanged (diff {changed(before, venv_state(V))})')
check('nothing was installed' in r.err, '[2] says nothing was installed')
uninstall_all(V, ENV)

# ---------------------------------------------------------------- 3. the canary sdist
print('# 3. canary sdist in the find-links directory')
before = venv_state(V)
r = shim('install', *NOIX, 'pvflcanary', cwd=project(CLEAN + deny('pvflcanary')), env=ENV)
check(r.rc == 1 and 'blocked' in r.err, f'[3a] denied canary: exit 1 ({show(r)})')
check(not os.path.exists(MARKER), '[3a] THE CANARY: pip never built it (no marker)')
check(venv_state(V) == before, '[3a] nothing installed')
r = shim('install', *NOIX, 'pvflcanary', cwd=project(), env=base_env(new_home(WORK), V))
check(r.rc == 1 and not os.path.exists(MARKER) and venv_state(V) == before,
      f'[3b] a fresh sdist, no terminal (noninteractive = block): refused, no marker ({show(r)})')
# the control: allowed, pip does build it from the find-links directory (through the gate)
r = shim('install', *NOIX, 'pvflcanary', cwd=project(), env=base_env(new_home(WORK), V, {'PKGVET_NONINTERACTIVE': 'allow'}))
check(r.rc == 0 and os.path.exists(MARKER) and ours(pip_list(V, ENV)).get('pvflcanary') == '1.0',
      f'[3c] allowed: pip built it (marker) and installed it ({show(r)})')
uninstall_all(V, ENV)
if os.path.exists(MARKER):
    os.remove(MARKER)

# ---------------------------------------------------------------- 4. find-links and an index: confusion
print('# 4. the same name in find-links and on the index')
home4 = new_home(WORK)
before = venv_state(V)
r = shim('install', '--index-url', INDEX, '--find-links', WH, 'pvflshadow', cwd=project(CLEAN), env=base_env(home4, V))
check(r.rc == 1 and venv_state(V) == before, f'[4] noninteractive = block: refused, unchanged ({show(r)})')
check('dependency-confusion' in r.err, '[4] the dependency-confusion finding is shown')
check(any(e.get('name') == 'pvflshadow' and 'dependency-confusion' in json.dumps(e) for e in decision_log(home4)),
      f'[4] the decision log has it ({json.dumps(decision_log(home4))[:300]})')
# a name only in find-links, next to the index: no finding, installed
r = shim('install', '--index-url', INDEX, '-f', WH, 'pvflleaf', cwd=project(CLEAN), env=ENV)
check(r.rc == 0 and 'dependency-confusion' not in r.err and ours(pip_list(V, ENV)) == {'pvflleaf': '1.0'},
      f'[4] only in find-links: no finding, installed ({show(r)})')
uninstall_all(V, ENV)

# ---------------------------------------------------------------- 5. spellings and sources
print('# 5. relative path, file:// URL, flat page, PIP_FIND_LINKS, pip.conf')
d5 = project(CLEAN)
shutil.copytree(WH, os.path.join(d5, 'rel-wheels'), symlinks=True)
r = shim('install', '--no-index', '-f', 'rel-wheels', 'pvflleaf', cwd=d5, env=ENV)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvflleaf': '1.0'}, f'[5] -f with a relative path ({show(r)})')
uninstall_all(V, ENV)
r = shim('install', '--no-index', f'--find-links=file://{WH}', 'pvflleaf', cwd=d5, env=ENV)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvflleaf': '1.0'}, f'[5] a file:// URL ({show(r)})')
uninstall_all(V, ENV)
r = shim('install', '--no-index', '-f', f'{INDEX}/pvflweb/', 'pvflweb', cwd=d5, env=ENV)
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvflweb': '1.0'}, f'[5] an http flat page ({show(r)})')
uninstall_all(V, ENV)
r = shim('install', '--no-index', 'pvflleaf', cwd=d5, env=base_env(HOME, V, {'PIP_FIND_LINKS': WH}))
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvflleaf': '1.0'}, f'[5] PIP_FIND_LINKS, through the gate ({show(r)})')
uninstall_all(V, ENV)
conf = os.path.join(WORK, 'pip.conf')
with open(conf, 'w') as f:
    f.write(f'[global]\nfind-links = {WH}\n')
r = shim('install', '--no-index', 'pvflleaf', cwd=d5, env=base_env(HOME, V, {'PIP_CONFIG_FILE': conf}))
check(r.rc == 0 and ours(pip_list(V, ENV)) == {'pvflleaf': '1.0'}, f'[5] pip.conf find-links, through the gate ({show(r)})')
uninstall_all(V, ENV)
# the canary through PIP_FIND_LINKS: still vetted first
before = venv_state(V)
r = shim('install', '--no-index', 'pvflcanary', cwd=project(CLEAN + deny('pvflcanary')),
         env=base_env(HOME, V, {'PIP_FIND_LINKS': WH}))
check(r.rc == 1 and not os.path.exists(MARKER) and venv_state(V) == before,
      f'[5] a denied canary via PIP_FIND_LINKS: refused, never built ({show(r)})')

# ---------------------------------------------------------------- 6. download, and nothing to install from
print('# 6. pip download; --no-index alone')
dest = os.path.join(WORK, 'dl')
r = shim('download', *NOIX, '-d', dest, 'pvfltop', cwd=d1, env=ENV)
got = sorted(os.listdir(dest)) if os.path.isdir(dest) else []
check(r.rc == 0 and got == ['pvflleaf-1.0-py3-none-any.whl', 'pvfltop-1.0-py3-none-any.whl'],
      f'[6] download from find-links: both wheels ({got}; {show(r)})')
before = venv_state(V)
r = shim('install', '--no-index', 'pvflleaf', cwd=d1, env=ENV)
check(r.rc != 0 and venv_state(V) == before and 'nothing was installed' in r.err,
      f'[6] --no-index without find-links: refused, nothing installed ({show(r)})')

# ---------------------------------------------------------------- 7. sources inside requirements files
print('# 7. --find-links / --index-url inside a requirements file')
d7 = project(CLEAN + deny('pvflcanary'))
os.makedirs(os.path.join(d7, 'sub'))
with open(os.path.join(d7, 'requirements.txt'), 'w') as f:
    f.write('pvflleaf\n-r sub/more.txt\n')
with open(os.path.join(d7, 'sub', 'more.txt'), 'w') as f:
    f.write(f'--find-links {WH}\npvflcanary\n')
before = venv_state(V)
r = shim('install', '--index-url', INDEX, '-r', 'requirements.txt', cwd=d7, env=ENV)
check(r.rc == 3 and 'more.txt:1: --find-links' in r.err and 'nothing was installed' in r.err,
      f'[7] a nested requirements file with --find-links: refused, the file and line named ({show(r)})')
check(not os.path.exists(MARKER) and venv_state(V) == before, '[7] THE CANARY: pip never built it, nothing installed')
with open(os.path.join(d7, 'sub', 'more.txt'), 'w') as f:
    f.write(f'--index-url {INDEX}\npvflweb\n')
r = shim('install', '--no-index', '-f', WH, '-r', 'requirements.txt', cwd=d7, env=ENV)
check(r.rc == 3 and '--index-url' in r.err and venv_state(V) == before,
      f'[7] --index-url in a requirements file: refused ({show(r)})')

# a local archive / path named directly (or in a requirements file): pip would build it while resolving,
# so it is vetted first (pip_direct.c): the policy denies the canary, so pip never sees it
r = shim('install', '--index-url', INDEX, os.path.join(WH, 'pvflcanary-1.0.tar.gz'), cwd=d7, env=ALLOW)
check(r.rc == 1 and 'pvflcanary' in r.err and not os.path.exists(MARKER)
      and venv_state(V) == before, f'[7] a denied local sdist path: refused before pip builds it, no marker ({show(r)})')
with open(os.path.join(d7, 'sub', 'more.txt'), 'w') as f:
    f.write(f'{WH}/pvflcanary-1.0.tar.gz\n')
r = shim('install', '--index-url', INDEX, '-r', 'requirements.txt', cwd=d7, env=ALLOW)
check(r.rc == 1 and 'more.txt:1' in r.err and not os.path.exists(MARKER) and venv_state(V) == before,
      f'[7] a denied local sdist path in a requirements file: refused, no marker ({show(r)})')

check(not [n for n in os.listdir(TMP) if 'pkgvet' in n], 'no pkgvet temp directory left in TMPDIR')
print(f'runtime {time.time() - T0:.1f} s')
srv.stdin.close()
srv.terminate()
srv.wait()
shutil.rmtree(WORK, ignore_errors=True)
done()
