"""`pkgvet audit -r requirements.txt` against the fixture PyPI index and OSV
server: pinned requirements audited as pypi:NAME==VERSION (every file of
the release), URL requirements as url-dependency, an unpinned line a usage
error naming FILE:LINE."""
import json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), 'fixtures')

d = tmpdir()
root = os.path.join(d, 'index')
recs = os.path.join(d, 'osv')
work = os.path.join(d, 'work')
for x in (os.path.join(root, 'files'), recs, work):
    os.makedirs(x)


def server(script, arg):
    p = subprocess.Popen([sys.executable, os.path.join(FIX, script), arg],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return p, int(p.stdout.readline())


def publish(name, version):
    dd = os.path.join(root, 'files', name)
    os.makedirs(dd, exist_ok=True)
    mod = name.replace('-', '_')
    base = f'{mod}-{version}'
    make_tgz(os.path.join(dd, base + '.tar.gz'),
             {f'{base}/PKG-INFO': f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n',
              f'{base}/setup.py': f'from setuptools import setup\nsetup(name="{name}", version="{version}")\n',
              f'{base}/{mod}/__init__.py': 'VALUE = 1\n'})
    make_wheel(os.path.join(dd, f'{mod}-{version}-py3-none-any.whl'), mod, version,
               {f'{mod}/__init__.py': 'VALUE = 1\n'})


def write(name, text):
    path = os.path.join(work, name)
    with open(path, 'w') as f:
        f.write(text)
    return path


idx, idx_port = server('pypi_index.py', root)
osv, osv_port = server('osv_server.py', recs)
env = {'XDG_CACHE_HOME': os.path.join(d, 'cache'), 'XDG_CONFIG_HOME': os.path.join(d, 'cfg'),
       'XDG_STATE_HOME': os.path.join(d, 'state'), 'HOME': d,
       'PKGVET_PYPI_INDEX': f'http://127.0.0.1:{idx_port}/simple/',
       'PKGVET_OSV_URL': f'http://127.0.0.1:{osv_port}/v1/querybatch',
       'PIP_INDEX_URL': '', 'PIP_EXTRA_INDEX_URL': '', 'VIRTUAL_ENV': ''}

try:
    for v in ('1.0', '1.1'):
        publish('zz-one', v)
    publish('zz-two', '3.0')
    req = write('requirements.txt', '# pinned\nzz-one==1.0\nZZ_Two==3.0  # comment\n'
                'zz-one==1.0\n'
                'zz-remote @ https://example.com/zz_remote-1.0.tar.gz\n')
    p, doc = audit_json('-r', req, env=dict(env), cwd=work, timeout=120)
    pk = doc['packages'] if doc else []
    ins = [x['input'] for x in pk]
    check(p.returncode == 0, f'exit 0 ({p.returncode}, {p.stderr!r})')
    check(sorted(ins[:4]) == ['pypi:zz-one==1.0 (zz_one-1.0-py3-none-any.whl)', 'pypi:zz-one==1.0 (zz_one-1.0.tar.gz)',
                              'pypi:zz-two==3.0 (zz_two-3.0-py3-none-any.whl)', 'pypi:zz-two==3.0 (zz_two-3.0.tar.gz)'],
          f'each pinned release once, every file vetted ({ins})')
    check(all(x['verdict'] is not None for x in pk[:4]), 'all vetted')
    url = pk[4] if len(pk) == 5 else {}
    u = findings(url, 'url-dependency') if url else []
    check(url.get('input') == f'{req}:5 (https://example.com/zz_remote-1.0.tar.gz)' and u and 'example.com' in u[0]['detail'],
          f'URL requirement: url-dependency on its own entry ({url.get("input")}, {u})')

    # --- an unpinned line: usage error naming FILE:LINE, nothing audited
    bad = write('bad.txt', 'zz-one==1.0\n\nzz-two>=3\n')
    p, doc = audit_json('-r', bad, env=dict(env), cwd=work, timeout=120)
    err = p.stderr.decode()
    check(p.returncode == 2 and f'{bad}:3' in err and doc is None, f'unpinned: exit 2 naming file:line ({err!r})')
    p = run('audit', '-r', os.path.join(work, 'nothere.txt'), env=dict(env), cwd=work)
    check(p.returncode == 2 and b'nothere.txt' in p.stderr, 'missing requirements file: exit 2')

    # --- a pin the index does not have: could not vet
    miss = write('miss.txt', 'zz-one==9.9\n')
    p, doc = audit_json('-r', miss, env=dict(env), cwd=work, timeout=120)
    err = p.stderr.decode().strip().splitlines()
    check(p.returncode == 3 and len(err) == 1 and 'pypi:zz-one==9.9' in err[0], f'unknown version: exit 3 ({err})')
finally:
    for s in (idx, osv):
        s.stdin.close()
        s.wait(timeout=10)
done()
