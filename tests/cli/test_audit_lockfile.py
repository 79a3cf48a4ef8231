"""`pkgvet audit --lockfile package-lock.json` against the fixture npm
registry and OSV server: registry entries audited as npm:NAME@VERSION, the
lockfile's integrity checked, git / link / tarball-URL entries reported as
url-dependency, unreadable and malformed lockfiles."""
import base64, hashlib, json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), 'fixtures')

d = tmpdir()
root = os.path.join(d, 'registry')
recs = os.path.join(d, 'osv')
work = os.path.join(d, 'work')
for x in (os.path.join(root, 'tarballs'), os.path.join(root, 'packuments'), recs, work):
    os.makedirs(x)


def server(script, arg):
    p = subprocess.Popen([sys.executable, os.path.join(FIX, script), arg],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return p, int(p.stdout.readline())


def publish(name, version):
    pj = {"name": name, "version": version, "description": "test package"}
    dd = os.path.join(root, 'tarballs', name)
    os.makedirs(dd, exist_ok=True)
    return make_tgz(os.path.join(dd, version + '.tgz'),
                    {'package/package.json': json.dumps(pj), 'package/index.js': 'module.exports = 1;\n'})


def sri(path):
    return 'sha512-' + base64.b64encode(hashlib.sha512(open(path, 'rb').read()).digest()).decode()


def write_lock(name, packages, version=3):
    pk = {"": {"name": "proj", "version": "1.0.0"}}
    pk.update(packages)
    path = os.path.join(work, name)
    with open(path, 'w') as f:
        json.dump({"name": "proj", "version": "1.0.0", "lockfileVersion": version, "requires": True,
                   "packages": pk}, f)
    return path


reg, reg_port = server('npm_registry.py', root)
osv, osv_port = server('osv_server.py', recs)
base = f'http://127.0.0.1:{reg_port}'
env = {'XDG_CACHE_HOME': os.path.join(d, 'cache'), 'XDG_CONFIG_HOME': os.path.join(d, 'cfg'),
       'XDG_STATE_HOME': os.path.join(d, 'state'), 'HOME': d,
       'PKGVET_NPM_REGISTRY': base + '/',
       'PKGVET_OSV_URL': f'http://127.0.0.1:{osv_port}/v1/querybatch',
       'NPM_CONFIG_REGISTRY': '', 'npm_config_registry': ''}


def audit(*args):
    return audit_json(*args, env=dict(env), cwd=work, timeout=120)


try:
    a = publish('zz-a', '1.0.0')
    b = publish('zz-b', '2.1.0')
    other = make_tgz(os.path.join(d, 'other.tgz'), {'package/package.json': '{"name":"zz-b","version":"2.1.0"}'})
    good = {
        "node_modules/zz-a": {"version": "1.0.0", "resolved": f"{base}/tarballs/zz-a/1.0.0.tgz", "integrity": sri(a)},
        "node_modules/zz-b": {"version": "2.1.0", "resolved": f"{base}/tarballs/zz-b/2.1.0.tgz", "integrity": sri(b), "dev": True},
        "node_modules/zz-b/node_modules/zz-a": {"version": "1.0.0", "resolved": f"{base}/tarballs/zz-a/1.0.0.tgz", "integrity": sri(a)},
    }
    lock = write_lock('package-lock.json', good)
    p, doc = audit('--lockfile', lock)
    pk = doc['packages'] if doc else []
    ins = [x['input'] for x in pk]
    check(p.returncode == 0 and ins == ['npm:zz-a@1.0.0', 'npm:zz-b@2.1.0'],
          f'registry entries audited once each as npm:NAME@VERSION (rc {p.returncode}, {ins})')
    check(all(x['verdict'] is not None and x['digest'] for x in pk), 'each vetted from its tarball')

    # --- the lockfile's integrity must match the registry's tarball
    bad = dict(good)
    bad["node_modules/zz-b"] = dict(good["node_modules/zz-b"], integrity=sri(other))
    lock2 = write_lock('bad-lock.json', bad)
    p, doc = audit('--lockfile', lock2)
    err = [l for l in p.stderr.decode().splitlines() if l.strip()]
    byin = {x['input']: x for x in doc['packages']}
    zb = byin.get('npm:zz-b@2.1.0', {})
    check(p.returncode == 1 and zb.get('verdict') == 'block' and findings(zb, 'digest-mismatch')
          and 'lockfile' in findings(zb, 'digest-mismatch')[0]['detail'],
          f'integrity mismatch with the lockfile: digest-mismatch, block, exit 1 (rc {p.returncode})')
    check(not err, f'a verdict, not an error ({err})')
    check(byin.get('npm:zz-a@1.0.0', {}).get('verdict') is not None, 'the other entries are still vetted')

    # --- git, link and tarball-URL entries: url-dependency
    urls = dict(good)
    urls["node_modules/zz-git"] = {"version": "1.0.0", "resolved": "git+ssh://git@github.com/example/zz-git.git#0123456789abcdef0123456789abcdef01234567"}
    urls["node_modules/zz-url"] = {"version": "1.0.0", "resolved": "https://example.com/zz-url-1.0.0.tgz", "integrity": sri(a)}
    urls["node_modules/zz-local"] = {"resolved": "packages/zz-local", "link": True}
    lock3 = write_lock('url-lock.json', urls)
    p, doc = audit('--lockfile', lock3)
    byin = {x['input']: x for x in doc['packages']}
    for path, what in (('node_modules/zz-git', 'git'), ('node_modules/zz-url', 'example.com'),
                       ('node_modules/zz-local', 'zz-local')):
        e = byin.get(f'{lock3} ({path})', {})
        u = findings(e, 'url-dependency') if e else []
        check(u and what in u[0]['detail'] and e.get('verdict') is not None,
              f'{path}: url-dependency on its own entry ({u})')
    check(len(doc['packages']) == 5, f'five entries ({list(byin)})')
    check(p.returncode in (0, 1), f'url entries are judged, not errors (rc {p.returncode})')

    # --- lockfile and specs together; bad lockfiles
    p, doc = audit('--lockfile', lock, 'npm:zz-a@1.0.0')
    check(p.returncode == 0 and len(doc['packages']) == 3, 'a lockfile and a spec in one run')
    p = run('audit', '--lockfile', os.path.join(work, 'nothere.json'), env=dict(env), cwd=work)
    check(p.returncode == 2 and b'nothere.json' in p.stderr, 'missing lockfile: usage error naming it')
    garbage = os.path.join(work, 'garbage.json')
    with open(garbage, 'w') as f:
        f.write('<html>not json</html>')
    p, doc = audit('--lockfile', garbage)
    err = p.stderr.decode().strip().splitlines()
    check(p.returncode == 3 and len(err) == 1 and 'garbage.json' in err[0], f'malformed lockfile: exit 3, one line ({err})')
finally:
    for s in (reg, osv):
        s.stdin.close()
        s.wait(timeout=10)
done()
