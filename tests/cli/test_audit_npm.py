"""`pkgvet audit npm:NAME[@SPEC]` against the fixture npm registry and the
fixture OSV server (tests/fixtures/): resolution, the JSON report, OSV
malware and advisories, integrity mismatch, unreachable registry and OSV,
metadata attributes and manifest-mismatch."""
import base64, hashlib, json, os, socket, subprocess, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), 'fixtures')

d = tmpdir()
root = os.path.join(d, 'registry')
recs = os.path.join(d, 'osv')
os.makedirs(os.path.join(root, 'tarballs'))
os.makedirs(os.path.join(root, 'packuments'))
os.makedirs(recs)
work = os.path.join(d, 'work')
os.makedirs(work)


def server(script, arg):
    p = subprocess.Popen([sys.executable, os.path.join(FIX, script), arg],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = int(p.stdout.readline())
    return p, port


def enc(name):
    return name.replace('/', '%2f')


def publish(name, version, files=None, pkgjson=None):
    """Put a tarball of name@version under the registry root; returns its path."""
    pj = {"name": name, "version": version, "description": "test package"}
    pj.update(pkgjson or {})
    allf = {'package/package.json': json.dumps(pj), 'package/index.js': 'module.exports = 1;\n'}
    allf.update(files or {})
    dd = os.path.join(root, 'tarballs', enc(name))
    os.makedirs(dd, exist_ok=True)
    return make_tgz(os.path.join(dd, version + '.tgz'), allf)


def sri(path):
    return 'sha512-' + base64.b64encode(hashlib.sha512(open(path, 'rb').read()).digest()).decode()


def osv_record(rid, name, fixed=None, severity=None, summary='test record'):
    ev = [{"introduced": "0"}] + ([{"fixed": fixed}] if fixed else [])
    rec = {"id": rid, "modified": "2026-01-01T00:00:00Z", "summary": summary,
           "aliases": [], "affected": [{"package": {"ecosystem": "npm", "name": name},
                                        "ranges": [{"type": "SEMVER", "events": ev}]}]}
    if severity:
        rec["database_specific"] = {"severity": severity}
    with open(os.path.join(recs, rid + '.json'), 'w') as f:
        json.dump(rec, f)


reg, reg_port = server('npm_registry.py', root)
osv, osv_port = server('osv_server.py', recs)
env = {'XDG_CACHE_HOME': os.path.join(d, 'cache'), 'XDG_CONFIG_HOME': os.path.join(d, 'cfg'),
       'XDG_STATE_HOME': os.path.join(d, 'state'), 'HOME': d,
       'PKGVET_NPM_REGISTRY': f'http://127.0.0.1:{reg_port}/',
       'PKGVET_OSV_URL': f'http://127.0.0.1:{osv_port}/v1/querybatch',
       'NPM_CONFIG_REGISTRY': '', 'npm_config_registry': ''}


def audit(*specs, extra=None, timeout=120):
    e = dict(env)
    e.update(extra or {})
    p, doc = audit_json(*specs, env=e, cwd=work, timeout=timeout)
    return p, doc


try:
    # --- resolution of a range, the JSON report
    for v in ('1.0.0', '1.2.0', '1.10.1', '2.0.0'):
        publish('zz-range', v)
    p, doc = audit('npm:zz-range@^1.2')
    pk = doc['packages'][0] if doc else {}
    check(p.returncode == 0 and pk.get('version') == '1.10.1', f'^1.2 resolves to 1.10.1 ({pk.get("version")}, rc {p.returncode})')
    check(pk.get('name') == 'zz-range' and pk.get('ecosystem') == 'npm', 'name and ecosystem npm')
    want = 'sha256:' + hashlib.sha256(open(os.path.join(root, 'tarballs', 'zz-range', '1.10.1.tgz'), 'rb').read()).hexdigest()
    check(pk.get('digest') == want, 'digest is the sha256 of the tarball')
    check(pk.get('input') == 'npm:zz-range@1.10.1', f'input label ({pk.get("input")})')
    check(isinstance(pk.get('findings'), list) and isinstance(pk.get('unknowns'), list), 'findings and unknowns are lists')
    check(not any('OSV' in u for u in pk.get('unknowns', [])), 'OSV answered: no OSV unknown')
    p, doc = audit('npm:zz-range@~1.0', 'npm:zz-range', 'npm:zz-range@2.0.0')
    vs = [x['version'] for x in doc['packages']]
    check(vs == ['1.0.0', '2.0.0', '2.0.0'], f'~1.0, latest and an exact version ({vs})')
    first = pk
    p, doc = audit('npm:zz-range@^1.2')
    check(doc['packages'][0]['cached'] is True, 'second audit of the same tarball comes from the cache')
    strip = lambda x: {k: v for k, v in x.items() if k != 'cached'}
    check(strip(doc['packages'][0]) == strip(first), 'the cached report equals the first one')
    tb = os.path.join(root, 'tarballs', 'zz-range', '1.10.1.tgz')
    os.rename(tb, tb + '.away')
    p, doc = audit('npm:zz-range@^1.2')
    check(p.returncode in (0, 1) and doc['packages'][0]['cached'] is True,
          'a warm audit does not download the tarball again (its integrity is known)')
    os.rename(tb + '.away', tb)

    # --- metadata: a brand-new package with one version
    publish('zz-fresh', '0.1.0')
    p, doc = audit('npm:zz-fresh')
    pk = doc['packages'][0]
    check(findings(pk, 'release-fresh') and findings(pk, 'few-versions'), 'release-fresh and few-versions for a new one-version package')
    check(findings(pk, 'release-fresh')[0]['action'] == 'prompt', 'release-fresh prompts')

    # --- scoped names
    publish('@zz/scoped', '3.1.4')
    p, doc = audit('npm:@zz/scoped@3')
    pk = doc['packages'][0]
    check(p.returncode == 0 and pk['name'] == '@zz/scoped' and pk['version'] == '3.1.4', 'scoped package with a range')

    # --- OSV: malware record
    publish('zz-evil', '1.0.0')
    osv_record('MAL-2026-0001', 'zz-evil', summary='steals tokens')
    p, doc = audit('npm:zz-evil@1.0.0')
    pk = doc['packages'][0]
    mal = findings(pk, 'known-malware')
    check(p.returncode == 1 and mal and mal[0]['action'] == 'block' and pk['verdict'] == 'block',
          f'MAL- record: known-malware, block, exit 1 (rc {p.returncode})')
    check(mal and 'MAL-2026-0001' in mal[0]['detail'] and 'steals tokens' in mal[0]['detail'], 'malware detail names id and summary')

    # --- OSV: high-severity advisory, and a low one
    publish('zz-vuln', '1.0.0')
    publish('zz-vuln', '1.0.1')
    osv_record('GHSA-aaaa-bbbb-cccc', 'zz-vuln', fixed='1.0.1', severity='HIGH', summary='prototype pollution')
    p, doc = audit('npm:zz-vuln@1.0.0')
    kv = findings(doc['packages'][0], 'known-vuln')
    check(kv and kv[0]['action'] == 'prompt' and kv[0]['detail'].startswith('high:'),
          f'high advisory: known-vuln with prompt ({kv})')
    check(kv and 'GHSA-aaaa-bbbb-cccc' in kv[0]['detail'] and '1.0.1' in kv[0]['detail'], 'advisory detail: id and fixed version')
    p, doc = audit('npm:zz-vuln@1.0.1')
    check(not findings(doc['packages'][0], 'known-vuln'), 'the fixed version has no advisory')
    publish('zz-low', '1.0.0')
    osv_record('GHSA-low-low-low', 'zz-low', severity='LOW')
    p, doc = audit('npm:zz-low@1.0.0')
    kv = findings(doc['packages'][0], 'known-vuln')
    check(kv and kv[0]['action'] == 'warn', 'low advisory: known-vuln with warn')

    # --- integrity mismatch: the packument promises other bytes
    t = publish('zz-tamper', '1.0.0')
    other = make_tgz(os.path.join(d, 'other.tgz'), {'package/package.json': '{"name":"zz-tamper","version":"1.0.0"}'})
    with open(os.path.join(root, 'packuments', 'zz-tamper.json'), 'w') as f:
        json.dump({"name": "zz-tamper", "dist-tags": {"latest": "1.0.0"},
                   "versions": {"1.0.0": {"name": "zz-tamper", "version": "1.0.0",
                                          "dist": {"tarball": "{{BASE}}/tarballs/zz-tamper/1.0.0.tgz",
                                                   "integrity": sri(other)}}},
                   "time": {"1.0.0": "2026-01-01T00:00:00.000Z"}}, f)
    p, doc = audit('npm:zz-tamper@1')
    err = p.stderr.decode()
    lines = [l for l in err.splitlines() if l.strip()]
    dm = findings(doc['packages'][0], 'digest-mismatch')
    check(p.returncode == 1 and doc['packages'][0]['verdict'] == 'block' and dm and 'integrity' in dm[0]['detail'],
          f'integrity mismatch: digest-mismatch, block, exit 1 (rc {p.returncode}, {dm})')
    check(not lines, f'a verdict, not an error ({err!r})')
    check(not doc['packages'][0].get('digest') and doc['packages'][0]['files'] == 0,
          'nothing analysed from a tampered tarball')

    # --- not found, no match
    p, doc = audit('npm:zz-nothere')
    check(p.returncode == 3 and 'npm:zz-nothere' in p.stderr.decode(), 'unknown package: exit 3')
    p, doc = audit('npm:zz-range@^7')
    check(p.returncode == 3 and len(p.stderr.decode().strip().splitlines()) == 1, 'no version matches: exit 3, one line')

    # --- unreachable registry
    t0 = time.time()
    p, doc = audit('npm:zz-range@1', extra={'PKGVET_NPM_REGISTRY': f'http://127.0.0.1:{closed_port()}/',
                                            'XDG_CACHE_HOME': os.path.join(d, 'cache2')})
    el = time.time() - t0
    check(p.returncode == 3 and el < 15, f'unreachable registry: exit 3 quickly ({el:.1f}s)')
    check(len(p.stderr.decode().strip().splitlines()) == 1 and 'npm:zz-range@1' in p.stderr.decode(), 'one-line error')

    # --- unreachable OSV: the audit completes, with the unknown note
    p, doc = audit('npm:zz-range@1', extra={'PKGVET_OSV_URL': f'http://127.0.0.1:{closed_port()}/v1/querybatch'})
    pk = doc['packages'][0]
    check(p.returncode == 0 and pk['verdict'] is not None, 'OSV unreachable: audit completes')
    check(any(u.startswith('OSV unreachable (') for u in pk['unknowns']), f'unknown note ({pk["unknowns"]})')
    pt = run('audit', 'npm:zz-range@1', env=dict(env, PKGVET_OSV_URL=f'http://127.0.0.1:{closed_port()}/v1/querybatch'), cwd=work)
    check(b'unknown: OSV unreachable (' in pt.stdout, 'text report shows the unknown note')

    # --- manifest-mismatch: the registry hides the tarball's postinstall
    t = publish('zz-confused', '1.0.0', pkgjson={"scripts": {"postinstall": "node index.js"},
                                                  "dependencies": {"left-pad": "^1.3.0"}})
    with open(os.path.join(root, 'packuments', 'zz-confused.json'), 'w') as f:
        json.dump({"name": "zz-confused", "dist-tags": {"latest": "1.0.0"},
                   "versions": {"1.0.0": {"name": "zz-confused", "version": "1.0.0",
                                          "dependencies": {"left-pad": "^1.3.0"},
                                          "dist": {"tarball": "{{BASE}}/tarballs/zz-confused/1.0.0.tgz",
                                                   "integrity": sri(t)}}},
                   "time": {"1.0.0": "2026-01-01T00:00:00.000Z"}}, f)
    p, doc = audit('npm:zz-confused')
    mm = findings(doc['packages'][0], 'manifest-mismatch')
    check(len(mm) == 1 and 'scripts.postinstall' in mm[0]['detail'] and mm[0]['action'] == 'prompt',
          f'manifest-mismatch names scripts.postinstall ({mm})')
    p, doc = audit('npm:zz-range@1')
    check(not findings(doc['packages'][0], 'manifest-mismatch'), 'no manifest-mismatch when they agree')

finally:
    for s in (reg, osv):
        s.stdin.close()
        s.wait(timeout=10)
done()
