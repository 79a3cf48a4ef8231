"""The metadata attributes that need a remote service, through the real CLI
(`pkgvet audit ... --json`) against ONE tests/fixtures/registry_server.py
(npm + PyPI + OSV + download counts) and ONE tests/fixtures/dns_server.py:

1. few-downloads (npm and PyPI): a count below the catalogue threshold
   fires with the catalogue action; at / above it does not; a package the
   download service does not know (404) gives no finding but the unknown
   note "few-downloads not evaluated: ..."; a scoped npm name is asked as
   /@scope/name; a PyPI project "My_Pkg" is asked as "my-pkg"; a project
   .pkgvet.ini `few-downloads.threshold` takes effect; a second audit with
   the same cache does not ask the download service again.
2. bad-email, DNS half (npm maintainers / _npmUser / author, PyPI
   author_email / maintainer_email) with PKGVET_DNS_SERVER = the fixture: MX
   or only A -> nothing; NXDOMAIN and null MX -> finding naming the domain;
   no answer -> unknown note; PKGVET_DNS_SERVER=off -> unknown note, no DNS
   finding; an invalid PKGVET_DNS_SERVER -> one-line error, exit 2.
3. OSV online (PKGVET_OSV_URL = the fixture) and offline (PKGVET_OSV_OFFLINE
   = a directory of export zips, PKGVET_OSV_URL = a closed port) give the
   same known-malware / known-vuln findings; a record that does not affect
   the audited version gives nothing; offline answers come from the cache's
   index (the zip overwritten with same-size garbage, mtime put back, still
   answers); online answers are reused within the TTL (no second querybatch).

Checks labelled [BUG: ...] assert the intended behaviour and fail against
the current pkgvet: with dns_server = off the unknown note should say so
(meta_services.c has that text) but cmd_audit.c opens a resolver handle for
"off" too, so the note claims the resolver gave no usable answer."""
import base64, configparser, hashlib, json, os, re, socket, subprocess, sys, time, urllib.parse, urllib.request, zipfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pvtest import *

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), 'fixtures')
SRC = os.environ.get('PKGVET_SRC') or os.path.dirname(os.path.dirname(HERE))

T0 = time.time()
NOW = time.time()
DAY = 86400

_cat = configparser.ConfigParser(interpolation=None, strict=False)
_cat.read(os.path.join(SRC, 'policy', 'catalogue.ini'))
ACTION = {a: _cat.get(a, 'action', fallback=None)
          for a in ('few-downloads', 'bad-email', 'known-malware', 'known-vuln')}
HIGH_ACTION = _cat.get('known-vuln', 'high_action', fallback=None)
TH = int(float(_cat.get('few-downloads', 'threshold', fallback='0')))
check(all(ACTION.values()) and HIGH_ACTION and TH >= 10,
      f'catalogue read: actions {ACTION}, known-vuln high_action {HIGH_ACTION}, few-downloads threshold {TH}')

d = tmpdir()
ROOT = os.path.join(d, 'root')
for p in ('npm/packuments', 'npm/tarballs', 'pypi/files', 'osv'):
    os.makedirs(os.path.join(ROOT, p))
work = os.path.join(d, 'work')
os.makedirs(work)
open(os.path.join(work, '.git'), 'w').close()  # the project-file search stops here
ZONE = os.path.join(d, 'zone.json')


def norm(n):
    return re.sub(r'[-_.]+', '-', n).lower()


def enc(name):
    return name.replace('/', '%2f')


def iso(age_s):
    return time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime(NOW - age_s))


def sri(path):
    return 'sha512-' + base64.b64encode(hashlib.sha512(open(path, 'rb').read()).digest()).decode()


README = '# A package\n\n' + 'This package does one small useful thing, documented at length here. ' * 3
GOOD = 'dev@mx.test'  # a domain with an MX record in the zone
DOWNLOADS = {'npm': {}, 'pypi': {}}
PY_CFG = {'info': {}}


def npm_pkg(name, count=None, maintainers=None, user=None, author=None):
    """Versions 1.0.0, 1.1.0, 1.2.0 (120, 60, 20 days old) of name; 1.2.0 is
    audited. maintainers: list of emails (default [GOOD]); user: the audited
    version's _npmUser email (default GOOD); author: the audited version's
    "author" string or None. count: weekly downloads in downloads.json (None:
    no entry). Returns (name, version)."""
    vs = ['1.0.0', '1.1.0', '1.2.0']
    ages = (120 * DAY, 60 * DAY, 20 * DAY)
    doc = {"name": name, "dist-tags": {"latest": vs[-1]}, "versions": {}, "readme": README,
           "repository": "github:zz/thing",
           "maintainers": [{"name": "m%d" % i, "email": e} for i, e in enumerate(maintainers or [GOOD])],
           "time": {"created": iso(ages[0] + 60), "modified": iso(ages[-1])}}
    dd = os.path.join(ROOT, 'npm', 'tarballs', enc(name))
    os.makedirs(dd, exist_ok=True)
    for v, age in zip(vs, ages):
        man = {"name": name, "version": v, "description": "test package",
               "_npmUser": {"name": "alice", "email": (user or GOOD) if v == vs[-1] else GOOD}}
        if author and v == vs[-1]:
            man["author"] = author
        pj = {"name": name, "version": v, "description": "test package"}
        t = make_tgz(os.path.join(dd, v + '.tgz'),
                     {'package/package.json': json.dumps(pj), 'package/index.js': 'module.exports = 1;\n'})
        man["dist"] = {"tarball": "{{BASE}}/tarballs/%s/%s.tgz" % (enc(name), v), "integrity": sri(t)}
        doc["versions"][v] = man
        doc["time"][v] = iso(age)
    with open(os.path.join(ROOT, 'npm', 'packuments', enc(name) + '.json'), 'w') as f:
        json.dump(doc, f)
    if count is not None:
        DOWNLOADS['npm'][name] = count
    return (name, vs[-1])


def py_pkg(name, count=None, author_email=f'Jane Doe <{GOOD}>', maintainer_email=None, count_as=None):
    """Releases 1.0, 1.1, 1.2 of project name (one wheel each); 1.2 is
    audited. count goes into downloads.json under count_as (default: the
    PEP 503-normalised name). Returns (normalised name, version)."""
    vs = ['1.0', '1.1', '1.2']
    ages = (120 * DAY, 60 * DAY, 20 * DAY)
    dd = os.path.join(ROOT, 'pypi', 'files', name)
    os.makedirs(dd, exist_ok=True)
    mod = norm(name).replace('-', '_')
    for v, age in zip(vs, ages):
        w = make_wheel(os.path.join(dd, f'{mod}-{v}-py3-none-any.whl'), mod, v, {f'{mod}/__init__.py': 'V = 1\n'})
        os.utime(w, (NOW - age, NOW - age))
    PY_CFG['info'][norm(name)] = {"description": README, "author_email": author_email,
                                  "maintainer_email": maintainer_email, "home_page": None,
                                  "project_urls": {"Source": f"https://github.com/zz/{norm(name)}"}}
    if count is not None:
        DOWNLOADS['pypi'][count_as or norm(name)] = count
    return (norm(name), vs[-1])


def spec(key, eco):
    return f'npm:{key[0]}@{key[1]}' if eco == 'npm' else f'pypi:{key[0]}=={key[1]}'


BIG = TH * 10

# ------------------------------------------------------------------ 1. few-downloads packages
n_low = npm_pkg('zz-sv-low', TH - 1)
n_at = npm_pkg('zz-sv-at', TH)
n_high = npm_pkg('zz-sv-high', BIG)
n_none = npm_pkg('zz-sv-none', None)
n_scoped = npm_pkg('@zz-scope/sv-scoped', 5)
p_low = py_pkg('zz-svpy-low', TH - 1)
p_at = py_pkg('zz-svpy-at', TH)
p_high = py_pkg('zz-svpy-high', BIG)
p_none = py_pkg('zz-svpy-none', None)
p_my = py_pkg('My_Pkg', 7)             # counted under "my-pkg" only ...
DOWNLOADS['pypi']['My_Pkg'] = BIG      # ... a client that does not normalise gets this (no finding)
DL_NPM = [n_low, n_at, n_high, n_none, n_scoped]
DL_PY = [p_low, p_at, p_high, p_none, p_my]
DL_SPECS = [spec(k, 'npm') for k in DL_NPM] + [spec(k, 'pypi') for k in DL_PY]

# ------------------------------------------------------------------ 2. bad-email DNS packages
ZONE_DOC = {"mx.test": {"MX": ["mail.mx.test"]},
            "a-only.test": {"A": ["192.0.2.7"]},
            "nullmx.test": "nullmx",
            "slow.test": "timeout"}     # nx-npm.test, nx-py.test: not in the zone -> NXDOMAIN
with open(ZONE, 'w') as f:
    json.dump(ZONE_DOC, f)
e_n_mx = npm_pkg('zz-sv-mail-mx', BIG, maintainers=['ann@mx.test', 'bob@MX.test'])
e_n_a = npm_pkg('zz-sv-mail-a', BIG, user='carl@a-only.test')
e_n_nx = npm_pkg('zz-sv-mail-nx', BIG, maintainers=[GOOD, 'eve@nx-npm.test'])
e_n_null = npm_pkg('zz-sv-mail-null', BIG, author='Nora <nora@nullmx.test> (https://example.org)')
e_n_slow = npm_pkg('zz-sv-mail-slow', BIG, maintainers=['sam@slow.test'])
e_p_mx = py_pkg('zz-svpy-mail-mx', BIG, author_email='Ann <ann@mx.test>', maintainer_email='bob@mx.test')
e_p_a = py_pkg('zz-svpy-mail-a', BIG, author_email=None, maintainer_email='carl@a-only.test')
e_p_nx = py_pkg('zz-svpy-mail-nx', BIG, author_email='Eve <eve@nx-py.test>, dev@mx.test')
e_p_null = py_pkg('zz-svpy-mail-null', BIG, author_email=GOOD, maintainer_email='nora@nullmx.test')
e_p_slow = py_pkg('zz-svpy-mail-slow', BIG, author_email='sam@slow.test')
MAIL = [('npm', e_n_mx), ('npm', e_n_a), ('npm', e_n_nx), ('npm', e_n_null), ('npm', e_n_slow),
        ('pypi', e_p_mx), ('pypi', e_p_a), ('pypi', e_p_nx), ('pypi', e_p_null), ('pypi', e_p_slow)]
MAIL_SPECS = [spec(k, e) for e, k in MAIL]

# ------------------------------------------------------------------ 3. OSV packages and records
o_mal = npm_pkg('zz-sv-osv-mal', BIG)
o_vuln = npm_pkg('zz-sv-osv-vuln', BIG)
o_clean = npm_pkg('zz-sv-osv-clean', BIG)
o_pyvuln = py_pkg('zz-svpy-osv-vuln', BIG)
o_pyclean = py_pkg('zz-svpy-osv-clean', BIG)
OSV_KEYS = [('npm', o_mal), ('npm', o_vuln), ('npm', o_clean), ('pypi', o_pyvuln), ('pypi', o_pyclean)]
OSV_SPECS = [spec(k, e) for e, k in OSV_KEYS]


def rec(rid, eco, name, ranges=None, versions=None, severity=None):
    aff = {"package": {"ecosystem": eco, "name": name}}
    if ranges is not None:
        aff["ranges"] = ranges
    if versions is not None:
        aff["versions"] = versions
    r = {"id": rid, "modified": "2026-01-01T00:00:00Z", "published": "2026-01-01T00:00:00Z",
         "summary": f"test record {rid}", "aliases": [], "affected": [aff]}
    if severity:
        r["database_specific"] = {"severity": severity}
    return r


def evs(*pairs):
    return [{"type": pairs[0], "events": [dict([p]) for p in pairs[1:]]}]


RECORDS = [
    rec('MAL-2026-9001', 'npm', o_mal[0], evs('SEMVER', ('introduced', '0'))),
    rec('GHSA-zz11-hhhh-2222', 'npm', o_vuln[0], evs('SEMVER', ('introduced', '0'), ('fixed', '1.5.0')),
        severity='HIGH'),
    rec('GHSA-zz33-vvvv-4444', 'npm', o_vuln[0], versions=['1.1.0', '1.2.0'], severity='MODERATE'),
    rec('GHSA-zz55-nnnn-6666', 'npm', o_vuln[0], evs('SEMVER', ('introduced', '2.0.0'), ('fixed', '2.1.0')),
        severity='CRITICAL'),
    rec('GHSA-zz77-cccc-8888', 'npm', o_clean[0], evs('SEMVER', ('introduced', '0'), ('fixed', '1.1.0')),
        severity='HIGH'),
    rec('PYSEC-2026-901', 'PyPI', 'zz-svpy-osv-vuln', evs('ECOSYSTEM', ('introduced', '0'), ('fixed', '1.5')),
        severity='HIGH'),
    rec('MAL-2026-9002', 'PyPI', 'zz_svpy_osv_vuln', versions=['1.2']),
    rec('PYSEC-2026-902', 'PyPI', 'zz-svpy-osv-clean', evs('ECOSYSTEM', ('introduced', '0'), ('fixed', '1.2')),
        severity='HIGH'),
    rec('PYSEC-2026-903', 'PyPI', 'zz-svpy-osv-clean', versions=['1.0', '1.1']),
]
for r in RECORDS:
    with open(os.path.join(ROOT, 'osv', r['id'] + '.json'), 'w') as f:
        json.dump(r, f)
OFF = os.path.join(d, 'osv-offline')
for eco in ('npm', 'PyPI'):
    os.makedirs(os.path.join(OFF, eco))
    with zipfile.ZipFile(os.path.join(OFF, eco, 'all.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        for r in RECORDS:
            if r['affected'][0]['package']['ecosystem'] == eco:
                z.writestr(r['id'] + '.json', json.dumps(r))

with open(os.path.join(ROOT, 'downloads.json'), 'w') as f:
    json.dump(DOWNLOADS, f)
with open(os.path.join(ROOT, 'pypi', 'config.json'), 'w') as f:
    json.dump(PY_CFG, f)


# ------------------------------------------------------------------ servers, environment

def server(script, arg):
    p = subprocess.Popen([sys.executable, os.path.join(FIX, script), arg],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return p, int(p.stdout.readline())


srv, port = server('registry_server.py', ROOT)
dns, dns_port = server('dns_server.py', ZONE)
BASE = f'http://127.0.0.1:{port}'
for k_ in list(os.environ):
    if k_.startswith('PKGVET_') and k_ not in ('PKGVET', 'PKGVET_SRC', 'PKGVET_BUILD'):
        os.environ.pop(k_, None)
ENV = {'XDG_CONFIG_HOME': os.path.join(d, 'cfg'), 'XDG_STATE_HOME': os.path.join(d, 'state'), 'HOME': d,
       'PKGVET_NPM_REGISTRY': f'{BASE}/npm/',
       'PKGVET_PYPI_INDEX': f'{BASE}/pypi/simple/',
       'PKGVET_OSV_URL': f'{BASE}/osv/v1/querybatch',
       'PKGVET_NPM_DOWNLOADS_URL': f'{BASE}/downloads/npm/point/last-week/{{name}}',
       'PKGVET_PYPI_DOWNLOADS_URL': f'{BASE}/downloads/pypi/api/packages/{{name}}/recent',
       'PKGVET_DNS_SERVER': f'127.0.0.1:{dns_port}',
       'PKGVET_LOG': 'off',
       'NPM_CONFIG_REGISTRY': '', 'npm_config_registry': '',
       'PIP_INDEX_URL': '', 'PIP_EXTRA_INDEX_URL': '', 'VIRTUAL_ENV': ''}


def count(rx):
    with urllib.request.urlopen(f'{BASE}/_count?' + urllib.parse.urlencode({'match': rx}), timeout=10) as r:
        return int(r.read())


def fixture_log():
    with urllib.request.urlopen(f'{BASE}/_log', timeout=10) as r:
        return json.loads(r.read())


def audit(specs, cache, cwd=work, what='', **extra):
    e = dict(ENV, PKGVET_CACHE_DIR=os.path.join(d, 'cache-' + cache))
    e.update(extra)
    p, doc = audit_json(*specs, env=e, cwd=cwd, timeout=120)
    ok = check(doc is not None and p.returncode in (0, 1),
               f'{what}: audit of {len(specs)} specs in {p.elapsed:.1f}s gives a JSON report, exit 0/1 '
               f'(rc {p.returncode}, stderr {p.stderr.decode(errors="replace")[-400:]!r})')
    if not ok:
        return {}
    pk = doc['packages']
    check(len(pk) == len(specs), f'{what}: one report entry per spec ({len(pk)} for {len(specs)})')
    errs = [(x.get('input'), x.get('error')) for x in pk if x.get('error')]
    check(not errs, f'{what}: every spec was vetted ({errs[:4]})')
    by = {}
    for x in pk:
        key = (norm(x['name']) if x.get('ecosystem') == 'pypi' else x.get('name'), x.get('version'))
        by[key] = x
    return by


def fs(by, key, attr):
    return [f for f in by.get(key, {}).get('findings', []) if f['attribute'] == attr]


def unknowns(by, key, prefix):
    return [u for u in by.get(key, {}).get('unknowns', []) if u.startswith(prefix)]


def fires(by, key, attr, detail, label, action=None):
    got = fs(by, key, attr)
    act = action or ACTION[attr]
    mine = [f for f in got if detail in f['detail']]
    check(key in by and mine and all(f['action'] == act and f.get('kind') for f in mine),
          f'{attr} FIRES ({act}, "{detail}"): {label} ({[(f["action"], f["detail"]) for f in got]})')


def silent(by, key, attr, label, detail_has=None):
    got = [f for f in fs(by, key, attr) if detail_has is None or detail_has in f['detail']]
    check(key in by and not got, f'{attr} silent: {label} ({[f["detail"] for f in got]})')


def dl_rx(names):
    return '^/downloads/.*/(' + '|'.join(re.escape(n) for n in names) + ')(/recent)?$'


try:
    # ============================================================== 1. few-downloads
    t1 = time.time()
    by = audit(DL_SPECS + MAIL_SPECS, 'main', what='downloads + DNS')
    check(time.time() - t1 < 15, f'a DNS domain that never answers costs one bounded wait, not one per package '
          f'({time.time() - t1:.1f}s for the run)')
    if by:
        fires(by, n_low, 'few-downloads', f'{TH - 1} downloads last week', f'npm {TH - 1} downloads')
        silent(by, n_at, 'few-downloads', f'npm {TH} downloads (= threshold)')
        silent(by, n_high, 'few-downloads', f'npm {BIG} downloads')
        silent(by, n_none, 'few-downloads', 'npm package unknown to the download service (404)')
        u = unknowns(by, n_none, 'few-downloads not evaluated: ')
        check(len(u) == 1 and ('404' in u[0] or 'not found' in u[0]),
              f'npm 404 from the download service: unknown note "few-downloads not evaluated: ..." naming the 404 ({u})')
        check(not unknowns(by, n_low, 'few-downloads') and not unknowns(by, n_high, 'few-downloads'),
              'npm packages with a count: no few-downloads unknown note')
        fires(by, n_scoped, 'few-downloads', '5 downloads last week', 'npm scoped @zz-scope/sv-scoped, 5 downloads')
        paths = [e['path'] for e in fixture_log() if e['path'].startswith('/downloads/npm/')]
        check('/downloads/npm/point/last-week/@zz-scope/sv-scoped' in paths,
              f'scoped npm name asked as /@scope/name, "@" and "/" literal '
              f'({[x for x in paths if "scope" in x]})')
        fires(by, p_low, 'few-downloads', f'{TH - 1} downloads last week', f'pypi {TH - 1} downloads')
        silent(by, p_at, 'few-downloads', f'pypi {TH} downloads (= threshold)')
        silent(by, p_high, 'few-downloads', f'pypi {BIG} downloads')
        silent(by, p_none, 'few-downloads', 'pypi project unknown to the download service (404)')
        u = unknowns(by, p_none, 'few-downloads not evaluated: ')
        check(len(u) == 1 and ('404' in u[0] or 'not found' in u[0]),
              f'pypi 404 from the download service: unknown note naming the 404 ({u})')
        fires(by, p_my, 'few-downloads', '7 downloads last week', 'pypi project "My_Pkg" counted under "my-pkg"')
        check(count(r'^/downloads/pypi/api/packages/my-pkg/recent$') >= 1
              and count(r'^/downloads/pypi/api/packages/My_Pkg/') == 0,
              'pypi download count asked for the PEP 503-normalised name only')

    # second audit, same cache: counts come from the cache
    cached = [n for n, _ in (n_low, n_at, n_high, n_scoped)] + [n for n, _ in (p_low, p_at, p_high, p_my)]
    c_known, c_404 = count(dl_rx(cached)), count(dl_rx([n_none[0], p_none[0]]))
    by2 = audit(DL_SPECS, 'main', what='downloads, second run, same cache')
    if by2:
        check(count(dl_rx(cached)) == c_known,
              f'second run: no new download-service request for cached counts ({c_known} -> {count(dl_rx(cached))})')
        check(count(dl_rx([n_none[0], p_none[0]])) > c_404,
              'second run: a 404 (unknown) was not cached and is asked again (downloads.h)')
        fires(by2, n_low, 'few-downloads', f'{TH - 1} downloads last week', 'npm, from the cache')
        fires(by2, p_my, 'few-downloads', '7 downloads last week', 'pypi "My_Pkg", from the cache')
        silent(by2, n_high, 'few-downloads', 'npm high, from the cache')

    # project .pkgvet.ini thresholds
    def proj(name, text):
        p = os.path.join(d, name)
        os.makedirs(p)
        open(os.path.join(p, '.git'), 'w').close()
        with open(os.path.join(p, '.pkgvet.ini'), 'w') as f:
            f.write(text)
        return p

    up = proj('proj-up', f'[attributes]\nfew-downloads.threshold = {TH + 1}\n')
    down = proj('proj-down', '[attributes]\nfew-downloads.threshold = 6\n')
    sp = [spec(k, 'npm') for k in (n_low, n_at, n_high, n_scoped)] + [spec(k, 'pypi') for k in (p_at, p_my)]
    for cache in ('proj-fresh', 'main'):
        b = audit(sp, cache, cwd=up, what=f'threshold {TH + 1} ({cache} cache)')
        if b:
            fires(b, n_at, 'few-downloads', f'{TH} downloads last week', f'npm {TH} downloads, threshold {TH + 1} ({cache} cache)')
            fires(b, p_at, 'few-downloads', f'{TH} downloads last week', f'pypi {TH} downloads, threshold {TH + 1} ({cache} cache)')
            silent(b, n_high, 'few-downloads', f'npm {BIG} downloads, threshold {TH + 1} ({cache} cache)')
        b = audit(sp, cache, cwd=down, what=f'threshold 6 ({cache} cache)')
        if b:
            silent(b, n_low, 'few-downloads', f'npm {TH - 1} downloads, threshold 6 ({cache} cache)')
            silent(b, n_at, 'few-downloads', f'npm {TH} downloads, threshold 6 ({cache} cache)')
            fires(b, n_scoped, 'few-downloads', '5 downloads', f'npm 5 downloads, threshold 6 ({cache} cache)')
            silent(b, p_my, 'few-downloads', f'pypi 7 downloads, threshold 6 ({cache} cache)')

    # ============================================================== 2. bad-email, DNS half
    if by:
        lab = dict((k, f'{e} {k[0]}') for e, k in MAIL)
        for k in (e_n_mx, e_p_mx):
            silent(by, k, 'bad-email', lab[k] + ': domain with MX')
        for k in (e_n_a, e_p_a):
            silent(by, k, 'bad-email', lab[k] + ': domain with only an A record')
        fires(by, e_n_nx, 'bad-email', 'nx-npm.test', lab[e_n_nx] + ': NXDOMAIN maintainer domain')
        fires(by, e_p_nx, 'bad-email', 'nx-py.test', lab[e_p_nx] + ': NXDOMAIN author_email domain')
        fires(by, e_n_null, 'bad-email', 'nullmx.test', lab[e_n_null] + ': author domain with a null MX')
        fires(by, e_p_null, 'bad-email', 'nullmx.test', lab[e_p_null] + ': maintainer_email domain with a null MX')
        for k in (e_n_nx, e_p_nx, e_n_null, e_p_null):
            check(len(fs(by, k, 'bad-email')) == 1 and not any('mx.test' == f['detail'].split()[1]
                                                                for f in fs(by, k, 'bad-email')),
                  f'{lab[k]}: exactly one bad-email, for the bad domain only '
                  f'({[f["detail"] for f in fs(by, k, "bad-email")]})')
        for k in (e_n_slow, e_p_slow):
            silent(by, k, 'bad-email', lab[k] + ': domain that never answers')
            u = unknowns(by, k, 'bad-email')
            check(len(u) == 1 and 'could not be checked in DNS' in u[0],
                  f'{lab[k]}: one unknown note "bad-email: an email domain could not be checked in DNS ..." ({u})')
        for e, k in MAIL:
            if k not in (e_n_slow, e_p_slow):
                check(not unknowns(by, k, 'bad-email'), f'{lab[k]}: no DNS unknown note')
        check(not any(unknowns(by, k, 'bad-email') for k in DL_NPM + DL_PY),
              'packages with only @mx.test emails: no DNS unknown note')
        try:
            counts = json.load(open(ZONE + '.counts.json'))
        except (OSError, ValueError):
            counts = {}
        check(counts.get('mx.test', 0) >= 1 and counts.get('nx-npm.test', 0) >= 1 and counts.get('nullmx.test', 0) >= 1,
              f'the DNS fixture was asked ({counts})')

    # PKGVET_DNS_SERVER=off
    def dns_total():
        try:
            return json.load(open(ZONE + '.counts.json')).get('__total__', 0)
        except (OSError, ValueError):
            return 0

    sp = [spec(k, e) for e, k in MAIL if k in (e_n_nx, e_p_nx, e_n_null, e_n_mx)]
    dns_before = dns_total()
    b = audit(sp, 'dns-off', what='PKGVET_DNS_SERVER=off', PKGVET_DNS_SERVER='off')
    if b:
        notes = {}
        for k in (e_n_nx, e_p_nx, e_n_null, e_n_mx):
            silent(b, k, 'bad-email', f'{k[0]} with dns_server = off', detail_has='resolve')
            u = notes[k[0]] = unknowns(b, k, 'bad-email')
            check(len(u) == 1 and 'DNS' in u[0], f'{k[0]} with dns_server = off: one unknown note about DNS ({u})')
        check(all(len(u) == 1 and 'dns_server = off' in u[0] for u in notes.values()),
              'dns_server = off: the note says DNS checks are switched off (meta_services.c\'s "(dns_server = off)" '
              'text) [BUG: cmd_audit.c always opens a pv_dns handle, also for "off", so the note claims the '
              f'resolver gave no usable answer] ({sorted(set(x for u in notes.values() for x in u))})')
        check(dns_total() == dns_before, f'dns_server = off: no DNS query sent ({dns_before} -> {dns_total()})')

    # an invalid PKGVET_DNS_SERVER: a usage error
    for bad in ('dns.example.com', '127.0.0.1:99999', '300.1.1.1'):
        e = dict(ENV, PKGVET_CACHE_DIR=os.path.join(d, 'cache-bad'), PKGVET_DNS_SERVER=bad)
        p = run('audit', '--json', spec(e_n_mx, 'npm'), env=e, cwd=work, timeout=60)
        err = p.stderr.decode(errors='replace')
        lines = [l for l in err.splitlines() if l.strip()]
        check(p.returncode == 2 and len(lines) == 1 and 'PKGVET_DNS_SERVER' in lines[0] and not p.stdout.strip(),
              f'PKGVET_DNS_SERVER={bad}: exit 2, one line naming the variable, no report '
              f'(rc {p.returncode}, stderr {err[-300:]!r}, stdout {p.stdout[:80]!r})')

    # ============================================================== 3. OSV online vs offline
    VULN_ATTRS = ('known-malware', 'known-vuln')

    def osv_view(b):
        return {k: sorted((f['attribute'], f['action'], f['detail']) for f in b.get(k, {}).get('findings', [])
                          if f['attribute'] in VULN_ATTRS) for _, k in OSV_KEYS}

    qb = r'^/osv/v1/querybatch'
    on = audit(OSV_SPECS, 'osv-online', what='OSV online')
    on_v = osv_view(on)
    if on:
        fires(on, o_mal, 'known-malware', 'MAL-2026-9001', 'online: npm MAL- record, every version')
        fires(on, o_vuln, 'known-vuln', 'GHSA-zz11-hhhh-2222', 'online: npm GHSA SEMVER <1.5.0, HIGH', action=HIGH_ACTION)
        fires(on, o_vuln, 'known-vuln', 'GHSA-zz33-vvvv-4444', 'online: npm GHSA versions[] list, MODERATE')
        fires(on, o_pyvuln, 'known-vuln', 'PYSEC-2026-901', 'online: PyPI ECOSYSTEM range <1.5, HIGH', action=HIGH_ACTION)
        fires(on, o_pyvuln, 'known-malware', 'MAL-2026-9002', 'online: PyPI MAL- versions[] (name not normalised)')
        check(not any('GHSA-zz55' in x[2] for x in on_v[o_vuln]), 'online: npm record for >=2.0.0 <2.1.0 gives nothing')
        check(on_v[o_clean] == [] and on_v[o_pyclean] == [],
              f'online: records that do not affect the audited version give nothing ({on_v[o_clean]}, {on_v[o_pyclean]})')
    n_qb = count(qb)
    check(n_qb >= 1, f'online: querybatch was asked ({n_qb})')
    on2 = audit(OSV_SPECS, 'osv-online', what='OSV online, second run')
    check(count(qb) == n_qb, f'online, same cache, within the TTL: no second querybatch ({n_qb} -> {count(qb)})')
    check(osv_view(on2) == on_v, 'online, second run: the same findings')

    dead = f'http://127.0.0.1:{closed_port()}/v1/querybatch'
    before = len(fixture_log())
    off = audit(OSV_SPECS, 'osv-offline', what='OSV offline', PKGVET_OSV_OFFLINE=OFF, PKGVET_OSV_URL=dead)
    off_v = osv_view(off)
    check(not [x for x in fixture_log()[before:] if x['path'].startswith('/osv')],
          'offline: the OSV fixture was not asked')
    same = all(on_v[k] for k in (o_mal, o_vuln, o_pyvuln)) and off_v == on_v
    check(same, 'offline findings == online findings, non-empty (' +
          (f'{sum(len(v) for v in on_v.values())} findings' if same else f'online {on_v}, offline {off_v}') + ')')
    for k in (o_mal, o_vuln, o_pyvuln, o_clean, o_pyclean):
        check(not unknowns(off, k, 'OSV'), f'offline {k[0]}: no "OSV unreachable" note ({off.get(k, {}).get("unknowns")})')
    off2 = audit(OSV_SPECS, 'osv-offline', what='OSV offline, second run', PKGVET_OSV_OFFLINE=OFF, PKGVET_OSV_URL=dead)
    check(osv_view(off2) == on_v, 'offline, second run, same cache: the same findings')

    # overwrite both zips in place with garbage, same size, mtime put back
    for eco in ('npm', 'PyPI'):
        zp = os.path.join(OFF, eco, 'all.zip')
        st = os.stat(zp)
        with open(zp, 'r+b') as f:
            f.write(b'\xA5' * st.st_size)
        os.utime(zp, ns=(st.st_atime_ns, st.st_mtime_ns))
        st2 = os.stat(zp)
        check(st2.st_size == st.st_size and st2.st_mtime_ns == st.st_mtime_ns and st2.st_ino == st.st_ino
              and not zipfile.is_zipfile(zp), f'{eco}/all.zip is now garbage with the same size, inode and mtime')
    off3 = audit(OSV_SPECS, 'osv-offline', what='OSV offline, zip now garbage', PKGVET_OSV_OFFLINE=OFF, PKGVET_OSV_URL=dead)
    check(osv_view(off3) == on_v, 'offline, garbage zip with the same identity: the same findings (indexed once, '
          'answered from the cache)')
    # control: a fresh cache really reads the garbage and says so
    e = dict(ENV, PKGVET_CACHE_DIR=os.path.join(d, 'cache-osv-fresh'), PKGVET_OSV_OFFLINE=OFF, PKGVET_OSV_URL=dead)
    p, doc = audit_json(spec(o_mal, 'npm'), env=e, cwd=work, timeout=60)
    pk = (doc or {}).get('packages') or [{}]
    txt = json.dumps(pk[0]) + p.stderr.decode(errors='replace')
    check(p.returncode != 0 and os.path.join(OFF, 'npm', 'all.zip') in txt and not fs({o_mal: pk[0]}, o_mal, 'known-malware'),
          f'control: a fresh cache with the garbage zip fails naming the zip (rc {p.returncode}, {txt[:300]!r})')
finally:
    for s in (srv, dns):
        s.stdin.close()
        s.wait(timeout=10)
print(f'{time.time() - T0:.1f}s')
done()
