"""Shared helpers for the CLI tests: build real package artifacts (npm
tarballs, wheels, sdists) in a temp dir and run the real pkgvet binary."""
import io, json, os, subprocess, sys, tarfile, tempfile, time, zipfile

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


def make_wheel(path, name, version, files):
    dist = f'{name}-{version}.dist-info'
    allf = dict(files)
    allf[f'{dist}/METADATA'] = f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: test\n\nA test wheel.\n'
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
