"""Shared helpers for the CLI tests: build real package artifacts (npm
tarballs, wheels, sdists) in a temp dir and run the real pkgvet binary."""
import fcntl, hashlib, io, json, os, pty, select, shutil, struct, subprocess, sys, tarfile, tempfile, termios, time, zipfile

PKGVET = os.environ.get('PKGVET') or os.path.join(os.environ.get('PKGVET_BUILD', 'build'), 'pkgvet')
failures = []


def check(cond, what):
    if cond:
        print(f'ok   {what}')
    else:
        print(f'FAIL {what}')
        failures.append(what)
    return cond


def done():
    if failures:
        print(f'{len(failures)} check(s) failed', file=sys.stderr)
        sys.exit(1)
    print('all checks passed')


def closed_port():
    """A loopback TCP port nothing listens on (bound, then released)."""
    import socket
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def tmpdir():
    return tempfile.mkdtemp(prefix='pvtest-')


def make_tgz(path, files, mode='w:gz'):
    """files: {archive path: str|bytes}"""
    with tarfile.open(path, mode, format=tarfile.GNU_FORMAT) as t:
        for name, data in files.items():
            if isinstance(data, str):
                data = data.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 1700000000
            t.addfile(info, io.BytesIO(data))
    return path


def make_zip(path, files):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def make_wheel(path, name, version, files, requires=(), extras=(), summary='test', description='A test wheel.'):
    dist = f'{name}-{version}.dist-info'
    allf = dict(files)
    allf[f'{dist}/METADATA'] = (f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {summary}\n'
                                + ''.join(f'Provides-Extra: {e}\n' for e in extras)
                                + ''.join(f'Requires-Dist: {r}\n' for r in requires) + f'\n{description}\n')
    allf[f'{dist}/WHEEL'] = 'Wheel-Version: 1.0\nGenerator: pkgvet-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n'
    allf[f'{dist}/RECORD'] = ''.join(f'{n},,\n' for n in allf) + f'{dist}/RECORD,,\n'
    return make_zip(path, allf)


_HOME = None


def private_home():
    """A HOME (and XDG dirs) of this test's own: pkgvet never reads or
    writes the real user's cache, policy or decision log in a test."""
    global _HOME
    if _HOME is None:
        _HOME = tempfile.mkdtemp(prefix='pvtest-home-')
    return _HOME


def run(*args, cwd=None, env=None, timeout=120):
    e = {k: v for k, v in os.environ.items()
         if not k.startswith('PKGVET_') or k in ('PKGVET_SRC', 'PKGVET_BUILD')}
    h = private_home()
    e.update({'HOME': h, 'XDG_CACHE_HOME': os.path.join(h, 'cache'),
              'XDG_CONFIG_HOME': os.path.join(h, 'config'), 'XDG_STATE_HOME': os.path.join(h, 'state')})
    e['NO_COLOR'] = '1'
    if env:
        e.update(env)
    t0 = time.time()
    p = subprocess.run([PKGVET, *args], capture_output=True, cwd=cwd, env=e, timeout=timeout)
    p.elapsed = time.time() - t0
    return p


def audit_json(*paths, **kw):
    p = run('audit', '--json', *paths, **kw)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = None
    return p, doc


def findings(pkg, attr):
    return [f for f in pkg['findings'] if f['attribute'] == attr]


# ---- driving a shim: with no terminal at all, or through a pseudo-terminal ----

class Result:
    """rc, out, err (text), tty (what the terminal showed), steps, elapsed."""


def snapshot(d, skip=('.git', '__pycache__')):
    """Every file under d -> sha256 (symlinks -> their target, directories
    -> 'dir'): to prove a refused install left d byte for byte as it was."""
    out = {}
    for root, dirs, files in os.walk(d):
        dirs[:] = [x for x in dirs if x not in skip]
        for n in dirs + files:
            p = os.path.join(root, n)
            rel = os.path.relpath(p, d)
            if os.path.islink(p):
                out[rel] = 'link:' + os.readlink(p)
            elif os.path.isfile(p):
                with open(p, 'rb') as f:
                    out[rel] = hashlib.sha256(f.read()).hexdigest()
            elif os.path.isdir(p):
                out[rel + '/'] = 'dir'
    return out


def changed(a, b, limit=8):
    """The first keys whose value differs between two snapshots."""
    return [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)][:limit]


def run_detached(argv, cwd, env, timeout=180):
    """No terminal at all: stdin /dev/null, output piped, a new session (no
    controlling terminal, so /dev/tty cannot be opened)."""
    t = time.time()
    p = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout, start_new_session=True)
    r = Result()
    r.rc, r.out, r.err, r.tty = p.returncode, p.stdout.decode(errors='replace'), p.stderr.decode(errors='replace'), ''
    r.steps, r.elapsed = 0, time.time() - t
    return r


def _ctty():
    # In the child, after setsid() and with the pty slave as fd 0: make it
    # the controlling terminal.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_pty(argv, cwd, env, script=(), close_master_at=None, timeout=180, tmp=None, output_on_tty=False):
    """Run argv with a pseudo-terminal as its controlling terminal (and
    stdin); stdout/stderr are files, not the terminal (prompts must work
    with output piped). script: [(text to wait for on the terminal, bytes to
    send[, a callable run just before sending])]. close_master_at: after that
    many steps, close the master (the terminal goes away) instead.
    output_on_tty: stdout and stderr go to the terminal too (res.tty)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
    of = tempfile.TemporaryFile(dir=tmp)
    ef = tempfile.TemporaryFile(dir=tmp)
    t = time.time()
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=slave, stdout=slave if output_on_tty else of,
                         stderr=slave if output_on_tty else ef,
                         start_new_session=True, preexec_fn=_ctty)
    os.close(slave)
    seen = b''
    steps = list(script)
    step = mark = 0  # answers look only at what came after the previous answer
    deadline = time.time() + timeout
    closed = False
    while time.time() < deadline:
        if close_master_at is not None and step >= close_master_at and not closed:
            os.close(master)
            closed = True
        if closed:
            if p.poll() is not None:
                break
            time.sleep(0.05)
            continue
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                chunk = b''
            if not chunk:
                if p.poll() is not None:
                    break
                time.sleep(0.05)
            seen += chunk
        elif p.poll() is not None:
            break
        while step < len(steps) and seen.find(steps[step][0].encode(), mark) >= 0:
            want = steps[step][0].encode()
            mark = seen.find(want, mark) + len(want)
            time.sleep(0.1)
            if len(steps[step]) > 2 and steps[step][2]:
                steps[step][2]()
            os.write(master, steps[step][1])
            step += 1
            if close_master_at is not None and step >= close_master_at:
                break
    if p.poll() is None:
        p.kill()
    rc = p.wait()
    if not closed:
        os.close(master)
    of.seek(0)
    ef.seek(0)
    res = Result()
    res.rc, res.out, res.err = rc, of.read().decode(errors='replace'), ef.read().decode(errors='replace')
    res.tty = seen.decode(errors='replace')
    res.steps = step
    res.elapsed = time.time() - t
    return res


# ---- a private mount namespace (the organisation policy's directory) ----

def rerun_in_mount_namespace(script, args, timeout=300):
    """Run `python3 script ARGS` in a private mount namespace (`unshare
    --mount` as root, `unshare -rm` otherwise), its output passed through.
    Returns its exit status, or why it could not start (a string)."""
    if not shutil.which('unshare') or not shutil.which('mount'):
        return 'unshare(1) or mount(8) is not installed'
    how = ['--mount'] if os.geteuid() == 0 else ['-rm']
    r = subprocess.run(['unshare', *how, '--propagation', 'private', sys.executable, os.path.abspath(script), *args],
                       capture_output=True, text=True, timeout=timeout)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    if r.returncode != 0 and r.stderr.startswith('unshare:') and not r.stdout:
        return f'unshare failed: {r.stderr.strip()[:200]}'
    return r.returncode


# ---------------------------------------------------------------- pip shim tests: venvs and the fixture index

def pip_shim_or_skip():
    """The pip shim under test (PKGVET_PIP_SHIM, else PKGVET_BUILD/pkgvet-pip; absolute), the python3 that
    makes the venvs, and tests/fixtures: (shim, python, fixtures). Exits 77 (skip) when there is no shim."""
    shim = os.path.abspath(os.environ.get('PKGVET_PIP_SHIM')
                           or os.path.join(os.environ.get('PKGVET_BUILD', 'build'), 'pkgvet-pip'))
    if not os.path.exists(shim):
        print(f'skip: no shim ({shim})')
        sys.exit(77)
    return (shim, shutil.which('python3') or sys.executable,
            os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures'))


def start_registry(root, fixtures):
    """tests/fixtures/registry_server.py serving root: (process, port)."""
    p = subprocess.Popen([sys.executable, os.path.join(fixtures, 'registry_server.py'), root],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return p, int(p.stdout.readline())


def new_home(work):
    """A HOME with cache/, config/ and state/ (the XDG directories) under work."""
    h = tempfile.mkdtemp(prefix='home-', dir=work)
    for s in ('cache', 'config', 'state'):
        os.makedirs(os.path.join(h, s))
    return h


def make_venv(work, python):
    """A fresh virtual environment with pip; exits 77 (skip) when python cannot make one."""
    v = tempfile.mkdtemp(prefix='venv-', dir=work)
    r = subprocess.run([python, '-m', 'venv', v], capture_output=True, timeout=120)
    if r.returncode != 0 or not os.path.exists(os.path.join(v, 'bin', 'pip')):
        print(f'skip: python3 -m venv failed: {r.stderr[-300:]!r}')
        sys.exit(77)
    return v


def venv_site(venv):
    lib = os.path.join(venv, 'lib')
    return os.path.join(lib, next(n for n in sorted(os.listdir(lib)) if n.startswith('python')), 'site-packages')


def venv_state(venv):
    """site-packages and bin/, hashed: the environment, byte for byte."""
    s = {('site/' + k): v for k, v in snapshot(venv_site(venv)).items()}
    s.update({('bin/' + k): v for k, v in snapshot(os.path.join(venv, 'bin')).items()})
    return s


def pip_list(venv, env):
    """{name: version} of what the venv's pip lists."""
    p = subprocess.run([os.path.join(venv, 'bin', 'pip'), 'list', '--format=json'], env=env,
                       capture_output=True, timeout=120)
    try:
        return {x['name'].lower(): x['version'] for x in json.loads(p.stdout)}
    except ValueError:
        return {'<error>': p.stderr.decode(errors='replace')}


def pip_uninstall(venv, env, names):
    if names:
        subprocess.run([os.path.join(venv, 'bin', 'pip'), 'uninstall', '-y', *sorted(names)], env=env,
                       capture_output=True, timeout=120)


def make_project(work, policy=None, files=None):
    """A project directory under work: a .git (the policy search stops there), policy as its .pkgvet.ini,
    and files ({name: text})."""
    d = tempfile.mkdtemp(prefix='proj-', dir=work)
    os.makedirs(os.path.join(d, '.git'))
    if policy:
        with open(os.path.join(d, '.pkgvet.ini'), 'w') as f:
            f.write(policy)
    for k, v in (files or {}).items():
        with open(os.path.join(d, k), 'w') as f:
            f.write(v)
    return d


def ours(listing):
    """The fixture packages (names starting pv) of a pip_list."""
    return {k: v for k, v in listing.items() if k.startswith('pv')}


def uninstall_all(venv, env):
    """pip uninstall every fixture package in venv."""
    pip_uninstall(venv, env, ours(pip_list(venv, env)))


def decision_log(home):
    """The entries of HOME's pkgvet decision log (XDG_STATE_HOME = home/state)."""
    p = os.path.join(home, 'state', 'pkgvet', 'decisions.jsonl')
    return [json.loads(l) for l in open(p)] if os.path.exists(p) else []


def shim_env(home, tmp, drop=('PKGVET_',), extra=None):
    """os.environ without variables starting with drop, with a private HOME and XDG
    directories (new_home), TMPDIR tmp, no colour, OSV and DNS switched off."""
    e = {k: v for k, v in os.environ.items() if not k.startswith(tuple(drop))}
    e.update({
        'HOME': home, 'XDG_CACHE_HOME': os.path.join(home, 'cache'),
        'XDG_CONFIG_HOME': os.path.join(home, 'config'), 'XDG_STATE_HOME': os.path.join(home, 'state'),
        'NO_COLOR': '1', 'TMPDIR': tmp,
        'PKGVET_OSV_URL': 'http://127.0.0.1:1/', 'PKGVET_DNS_SERVER': 'off', 'PKGVET_TIMEOUT': '20',
    })
    e.update(extra or {})
    return e


def pip_env(home, venv, tmp, port, extra=None):
    """shim_env for pkgvet-pip in venv: pip's own configuration cleared (PIP_*,
    PIP_CONFIG_FILE=/dev/null), download counts from the fixture on port."""
    e = shim_env(home, tmp, ('PKGVET_', 'PIP_', 'VIRTUAL_ENV', 'PYTHONPATH'), {
        'VIRTUAL_ENV': venv, 'PATH': os.path.join(venv, 'bin') + ':' + os.environ.get('PATH', '/usr/bin:/bin'),
        'PIP_DISABLE_PIP_VERSION_CHECK': '1', 'PIP_NO_CACHE_DIR': '1',
        'PIP_CONFIG_FILE': os.devnull, 'PIP_RETRIES': '0', 'PIP_NO_INPUT': '1',
        'PKGVET_PYPI_DOWNLOADS_URL': f'http://127.0.0.1:{port}/downloads/pypi/api/packages/{{name}}/recent',
    })
    e.update(extra or {})
    return e


# An in-tree PEP 517 backend (no build requirements, so pip builds the sdist
# with build isolation and no index: the fixture index has no setuptools /
# wheel) that runs setup.py as setuptools' backend would.
_BACKEND = """import os, runpy, zipfile
NAME, VER, REQUIRES = %r, %r, %r
DIST = NAME + '-' + VER + '.dist-info'
META = 'Metadata-Version: 2.1\\nName: ' + NAME + '\\nVersion: ' + VER + '\\n' + ''.join('Requires-Dist: ' + r + '\\n' for r in REQUIRES)
def _setup_py():
    runpy.run_path('setup.py', run_name='pvbuild')
def get_requires_for_build_wheel(config_settings=None):
    return []
def prepare_metadata_for_build_wheel(d, config_settings=None):
    _setup_py()
    os.makedirs(os.path.join(d, DIST))
    open(os.path.join(d, DIST, 'METADATA'), 'w').write(META)
    return DIST
def build_wheel(d, config_settings=None, metadata_directory=None):
    _setup_py()
    fn = NAME + '-' + VER + '-py3-none-any.whl'
    files = {NAME + '/__init__.py': 'X = 1\\n', DIST + '/METADATA': META,
             DIST + '/WHEEL': 'Wheel-Version: 1.0\\nGenerator: pv\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
    files[DIST + '/RECORD'] = ''.join(n + ',,\\n' for n in files) + DIST + '/RECORD,,\\n'
    with zipfile.ZipFile(os.path.join(d, fn), 'w') as z:
        for n, t in files.items():
            z.writestr(n, t)
    return fn
"""


def built_project_files(name, ver, setup_py, requires=()):
    """{path: text} of a project pip can build offline (the in-tree backend above), running setup_py when it
    does; requires: its Requires-Dist lines, in PKG-INFO and in the metadata the backend builds."""
    return {'setup.py': setup_py,
            'PKG-INFO': (f'Metadata-Version: 2.1\nName: {name}\nVersion: {ver}\nSummary: fixture sdist\n'
                         + ''.join(f'Requires-Dist: {r}\n' for r in requires)),
            'pyproject.toml': '[build-system]\nrequires = []\nbuild-backend = "pvbuild"\nbackend-path = ["."]\n',
            'pvbuild.py': _BACKEND % (name, ver, tuple(requires)), f'{name}/__init__.py': 'X = 1\n'}


def make_built_project(d, name, ver, setup_py, requires=()):
    """Directory d: the built_project_files (a local project to install by its path)."""
    for rel, text in built_project_files(name, ver, setup_py, requires).items():
        os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
        with open(os.path.join(d, rel), 'w') as f:
            f.write(text)
    return d


def make_built_sdist(d, name, ver, setup_py, requires=()):
    """d/NAME-VER.tar.gz: an sdist of the built_project_files."""
    os.makedirs(d, exist_ok=True)
    top = f'{name}-{ver}'
    return make_tgz(os.path.join(d, f'{top}.tar.gz'),
                    {f'{top}/{rel}': text for rel, text in built_project_files(name, ver, setup_py, requires).items()})
