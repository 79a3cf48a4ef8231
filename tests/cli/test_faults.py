"""Fault injection through the real CLI: `pkgvet audit npm:... pypi:...`
against ONE tests/fixtures/registry_server.py (npm registry, PyPI index, OSV
and the download-count services behind one port) with its fault switches
(ROOT/faults.json): timeouts, retries (503/429/reset/truncate; no retry on
500), malformed answers, wrong digests, bad input, a corrupt or missing OSV
offline zip, and that nothing from a failed or tampered fetch is cached.

Every run is checked for the exit status (0 allowed, 1 blocked, 3 could not
vet), for one clear "pkgvet: SPEC: reason" line per failed input on stderr
(no crash, no stack trace), and --json runs for nothing on stdout but the
report. PKGVET_TIMEOUT=2 keeps the timeout cases short: a request that never
answers costs 3 attempts (1 + the 2 retries of core/http.h) of 2 s plus the
backoff, about 7 s. Findings labelled [BUG: ...] assert the documented
behaviour that pkgvet does not have (yet)."""
import json, os, re, subprocess, sys, time, urllib.parse, urllib.request
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), 'fixtures')

d = tmpdir()
root = os.path.join(d, 'root')
os.makedirs(root)
work = os.path.join(d, 'work')
os.makedirs(work)
T = 2  # PKGVET_TIMEOUT, seconds


def publish_npm(name, version):
    dd = os.path.join(root, 'npm', 'tarballs', name.replace('/', '%2f'))
    os.makedirs(dd, exist_ok=True)
    pj = {"name": name, "version": version, "description": "test package"}
    make_tgz(os.path.join(dd, version + '.tgz'),
             {'package/package.json': json.dumps(pj), 'package/index.js': 'module.exports = 1;\n'})


def publish_pypi(name, version):
    dd = os.path.join(root, 'pypi', 'files', name)
    os.makedirs(dd, exist_ok=True)
    mod = name.replace('-', '_')
    make_wheel(os.path.join(dd, f'{mod}-{version}-py3-none-any.whl'), mod, version,
               {f'{mod}/__init__.py': 'VALUE = 1\n'})


publish_npm('zz-a', '1.0.0')
publish_npm('zz-a', '1.1.0')
publish_npm('zz-b', '2.0.0')
publish_npm('zz-c', '1.0.0')
publish_pypi('zz-py', '1.0.0')
ALL = ['npm:zz-a', 'npm:zz-b', 'npm:zz-c', 'pypi:zz-py']
with open(os.path.join(root, 'downloads.json'), 'w') as f:
    json.dump({"npm": {"zz-a": 100000, "zz-b": 100000, "zz-c": 100000}, "pypi": {"zz-py": 100000}}, f)

srv = subprocess.Popen([sys.executable, os.path.join(FIX, 'registry_server.py'), root],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
port = int(srv.stdout.readline())
B = f'http://127.0.0.1:{port}'
env = {'HOME': d, 'XDG_CONFIG_HOME': os.path.join(d, 'cfg'), 'XDG_STATE_HOME': os.path.join(d, 'state'),
       'PKGVET_NPM_REGISTRY': B + '/npm/',
       'PKGVET_PYPI_INDEX': B + '/pypi/simple',
       'PKGVET_OSV_URL': B + '/osv/v1/querybatch',
       'PKGVET_NPM_DOWNLOADS_URL': B + '/downloads/npm/point/last-week/{name}',
       'PKGVET_PYPI_DOWNLOADS_URL': B + '/downloads/pypi/api/packages/{name}/recent',
       'PKGVET_DNS_SERVER': 'off', 'PKGVET_TIMEOUT': str(T),
       'NPM_CONFIG_REGISTRY': '', 'npm_config_registry': '',
       'PIP_INDEX_URL': '', 'PIP_EXTRA_INDEX_URL': '', 'PIP_CONFIG_FILE': os.devnull, 'VIRTUAL_ENV': ''}
caches = []  # every XDG_CACHE_HOME a fault run used: all get the final clean audit


def cache(name):
    c = os.path.join(d, 'cache-' + name)
    if c not in caches:
        caches.append(c)
    return c


def set_faults(rules):
    # Rewritten on every run, so the "times" counts of the fixture restart.
    with open(os.path.join(root, 'faults.json'), 'w') as f:
        json.dump(rules or [], f)


def count(rx):
    """Requests so far whose path matches rx (the fixture's /_count)."""
    with urllib.request.urlopen(B + '/_count?match=' + urllib.parse.quote(rx), timeout=10) as r:
        return json.load(r)


def audit(cachename, *specs, faults=None, extra=None, text=False):
    set_faults(faults)
    e = dict(env, XDG_CACHE_HOME=cache(cachename))
    e.update(extra or {})
    if text:
        p = run('audit', *specs, env=e, cwd=work, timeout=120)
        p.doc = None
    else:
        p, p.doc = audit_json(*specs, env=e, cwd=work, timeout=120)
    p.err = p.stderr.decode(errors='replace')
    p.lines = [l for l in p.err.splitlines() if l.strip()]
    return p


def pkg(p, prefix):
    """The report entry whose input starts with prefix (first one)."""
    for x in (p.doc or {}).get('packages', []):
        if x.get('input', '').startswith(prefix):
            return x
    return {}


def no_crash(p, what):
    bad = [s for s in ('Segmentation', 'Abort', 'AddressSanitizer', 'runtime error', 'Traceback',
                       'core dumped') if s in p.err]
    check(p.returncode in (0, 1, 2, 3) and not bad,
          f'{what}: no crash (rc {p.returncode}{", " + str(bad) if bad else ""})')


def report_only(p, what):
    """--json: stdout is exactly the report, even when inputs failed."""
    check(p.doc is not None and isinstance(p.doc.get('packages'), list),
          f'{what}: stdout is the JSON report and nothing else ({p.stdout[:120]!r})')


def one_line(p, spec, what, *words):
    """Exactly one stderr line for spec, "pkgvet: SPEC: ..." with every word in it."""
    mine = [l for l in p.lines if l.startswith(f'pkgvet: {spec}:')]
    ok = len(mine) == 1 and all(w.lower() in mine[0].lower() for w in words)
    check(ok, f'{what}: one line "pkgvet: {spec}: ..." naming {words} ({p.lines})')
    return mine[0] if mine else ''


def vetted(x):
    return bool(x) and x.get('error') is None and x.get('verdict') is not None and bool(x.get('digest'))


def unknowns(x, start):
    return [u for u in x.get('unknowns', []) if u.startswith(start)]


def no_unknowns_but_dns(x):
    return [u for u in x.get('unknowns', []) if not u.startswith('bad-email:')]


t_all = time.time()
try:
    # ---------------------------------------------------------------- 1. timeouts
    # A packument that never answers, and OSV that never answers; vetted one
    # package at a time so that the OSV breaker is what keeps it short: the
    # first OSV question pays the timeout (3 attempts), the other packages
    # are "unknown" at once. Without the breaker: 7 + 3 * 7 s.
    o0, a0 = count('^/osv/'), count('^/npm/zz-a$')
    p = audit('timeout', *ALL, extra={'PKGVET_FETCH_JOBS': '1'},
              faults=[{"match": "^/npm/zz-a$", "fault": "timeout"}, {"match": "^/osv/", "fault": "timeout"}])
    no_crash(p, 'timeouts')
    report_only(p, 'timeouts')
    check(p.returncode == 3, f'packument timeout: exit 3 (rc {p.returncode})')
    one_line(p, 'npm:zz-a', 'packument timeout', 'timeout')
    check(len(p.lines) == 1, f'packument timeout: the only stderr line ({p.lines})')
    check(p.elapsed < 20, f'packument + OSV timeouts with PKGVET_TIMEOUT={T}: bounded time ({p.elapsed:.1f}s < 20s)')
    check(count('^/npm/zz-a$') - a0 == 3, f'the timed-out packument was tried 3 times (1 + 2 retries): {count("^/npm/zz-a$") - a0}')
    pa = pkg(p, 'npm:zz-a')
    check(pa.get('error') and pa.get('verdict') is None, f'the timed-out package is "could not vet" ({pa.get("error")})')
    for s in ('npm:zz-b', 'npm:zz-c', 'pypi:zz-py'):
        x = pkg(p, s)
        check(vetted(x), f'{s} is still vetted in the same audit ({x.get("error")}, {x.get("verdict")})')
        check(unknowns(x, 'OSV unreachable ('), f'{s}: "OSV unreachable (...)" unknown ({x.get("unknowns")})')
    check(count('^/osv/') - o0 == 3,
          f'OSV down: asked once (3 attempts), not once per package ({count("^/osv/") - o0} requests)')
    check(any('not asked again' in u for u in unknowns(pkg(p, 'pypi:zz-py'), 'OSV unreachable (')),
          'later packages: "not asked again in this run"')
    check(p.elapsed < 2 * (3 * T + 1) + 4,
          f'breaker: the audit waits for the OSV timeout once, not per package ({p.elapsed:.1f}s)')

    # OSV timing out: the text report shows "unknown:".
    # (Packages vetted in parallel, the default: the questions already in
    # flight each wait, but the audit as a whole waits about one timeout.)
    p = audit('timeout-text', 'npm:zz-b', 'npm:zz-c', 'pypi:zz-py', text=True,
              faults=[{"match": "^/osv/", "fault": "timeout"}])
    no_crash(p, 'OSV timeout (text)')
    check(p.returncode == 0 and p.stdout.count(b'unknown: OSV unreachable (') == 3,
          f'OSV timeout: audit completes (rc {p.returncode}), the text report has '
          f'"unknown: OSV unreachable (" for each package')
    check(not p.lines, f'OSV timeout: nothing on stderr ({p.lines})')
    check(p.elapsed < 2 * (3 * T + 1) + 4, f'OSV timeout, packages in parallel: bounded ({p.elapsed:.1f}s)')

    # The download-count services timing out: few-downloads is unknown.
    p = audit('timeout-dl', 'npm:zz-b', 'pypi:zz-py', faults=[{"match": "^/downloads/", "fault": "timeout"}])
    no_crash(p, 'downloads timeout')
    check(p.returncode == 0 and not p.lines, f'downloads timeout: audit completes (rc {p.returncode}, {p.lines})')
    for s in ('npm:zz-b', 'pypi:zz-py'):
        x = pkg(p, s)
        check(vetted(x) and unknowns(x, 'few-downloads not evaluated: '),
              f'downloads timeout: {s} has "few-downloads not evaluated: ..." ({x.get("unknowns")})')
        check(not [f for f in x.get('findings', []) if f['attribute'] == 'few-downloads'],
              f'downloads timeout: {s} has no few-downloads finding')
    check(p.elapsed < 20, f'downloads timeout: bounded ({p.elapsed:.1f}s)')

    # ---------------------------------------------------------------- 2. retries
    paths = {'a': '^/npm/zz-a$', 'b': '^/npm/zz-b$', 'c': '^/npm/zz-c$', 'py': '^/pypi/pypi/zz-py/json$'}
    paths_s = dict(paths, osv='^/osv/', dl='^/downloads/')
    before = {k: count(v) for k, v in paths_s.items()}
    p = audit('retry-ok', *ALL, faults=[
        {"match": paths['a'], "fault": "503", "times": 1},
        {"match": paths['b'], "fault": "429", "times": 1},
        {"match": paths['c'], "fault": "reset", "times": 1},
        {"match": paths['py'], "fault": "truncate", "times": 1},
        {"match": "^/osv/", "fault": "reset", "times": 1},
        {"match": "^/downloads/", "fault": "503", "times": 1}])
    got = {k: count(v) - before[k] for k, v in paths_s.items()}
    # One OSV question and one download count per package, plus one retry each.
    check(got['osv'] == len(ALL) + 1 and got['dl'] == len(ALL) + 1,
          f'OSV reset once, downloads 503 once: retried ({got["osv"]} OSV, {got["dl"]} downloads requests)')
    check(all(not no_unknowns_but_dns(pkg(p, s)) for s in ALL),
          f'after the retries, no unknowns ({[no_unknowns_but_dns(pkg(p, s)) for s in ALL]})')
    no_crash(p, 'retries')
    check(p.returncode == 0 and not p.lines, f'503 / 429 / reset / truncate once: audit succeeds (rc {p.returncode}, {p.lines})')
    for k, s, f in (('a', 'npm:zz-a', '503'), ('b', 'npm:zz-b', '429'), ('c', 'npm:zz-c', 'reset'),
                    ('py', 'pypi:zz-py', 'truncate')):
        check(vetted(pkg(p, s)), f'{f} once: {s} vetted')
        check(got[k] == 2, f'{f} once: retried, the path was requested twice ({got[k]})')
    check(p.elapsed >= 1.0, f'429 with Retry-After: 1 is honoured ({p.elapsed:.1f}s)')

    before = {k: count(v) for k, v in paths.items()}
    p = audit('retry-fail', 'npm:zz-a', 'npm:zz-b', 'npm:zz-c', 'pypi:zz-py', faults=[
        {"match": paths['a'], "fault": "500"},
        {"match": paths['b'], "fault": "truncate"},
        {"match": paths['c'], "fault": "503"},
        {"match": paths['py'], "fault": "500"}])
    got = {k: count(v) - before[k] for k, v in paths.items()}
    no_crash(p, 'failed retries')
    report_only(p, 'failed retries')
    check(p.returncode == 3, f'500 / truncate always / 503 always: exit 3 (rc {p.returncode})')
    check(got['a'] == 1, f'500 on the packument: not retried, one request ({got["a"]})')
    one_line(p, 'npm:zz-a', '500', '500')
    check(got['py'] == 1, f'500 on the PyPI JSON API: not retried, and no PEP 691 fallback ({got["py"]}, '
                          f'simple: {count("^/pypi/simple/zz-py")})')
    one_line(p, 'pypi:zz-py', 'PyPI 500', '500')
    check(got['b'] == 3, f'truncate always: 3 attempts then give up ({got["b"]})')
    one_line(p, 'npm:zz-b', 'truncate always')
    check(got['c'] == 3, f'503 always: 3 attempts then give up ({got["c"]})')
    one_line(p, 'npm:zz-c', '503 always', '503')
    check(len(p.lines) == 4, f'one line per failed input, nothing else ({len(p.lines)} lines)')

    # OSV: 503 once is retried (no unknown); 500 is not retried.
    o0 = count('^/osv/')
    p = audit('retry-osv', 'npm:zz-b', faults=[{"match": "^/osv/", "fault": "503", "times": 1}])
    x = pkg(p, 'npm:zz-b')
    check(p.returncode == 0 and vetted(x) and not unknowns(x, 'OSV') and count('^/osv/') - o0 == 2,
          f'OSV 503 once: retried, answered, no unknown ({x.get("unknowns")}, {count("^/osv/") - o0} requests)')
    o0, dl0 = count('^/osv/'), count('^/downloads/')
    p = audit('osv-500', 'npm:zz-b', 'npm:zz-c', extra={'PKGVET_FETCH_JOBS': '1'},
              faults=[{"match": "^/osv/", "fault": "500"}, {"match": "^/downloads/", "fault": "500"}])
    ndl = count('^/downloads/') - dl0
    check(ndl == 2 and all(unknowns(pkg(p, s), 'few-downloads not evaluated: HTTP 500') for s in ('npm:zz-b', 'npm:zz-c')),
          f'downloads 500: not retried, does not trip the breaker (asked once per package: {ndl})')
    no_crash(p, 'OSV 500')
    xb, xc = pkg(p, 'npm:zz-b'), pkg(p, 'npm:zz-c')
    check(p.returncode == 0 and vetted(xb) and vetted(xc) and unknowns(xb, 'OSV unreachable (')
          and unknowns(xc, 'OSV unreachable ('), f'OSV 500: audit completes with the OSV unknown ({xb.get("unknowns")})')
    n500 = count('^/osv/') - o0
    check(n500 >= 1 and not any('not asked again' in u for u in unknowns(xb, 'OSV')),
          'OSV 500: the first question is not retried')
    # breaker.h: "Only failures of the service as a whole trip it"; a 500 is
    # not one (pv_breaker_trips: "5xx other than 500"). osv.c keeps its own
    # memo and takes any failure, a 500 too, as "service down".
    check(n500 == 2 and not any('not asked again' in u for u in unknowns(xc, 'OSV')),
          f'[BUG: OSV 500 trips the "not asked again" memo, unlike breaker.h] each package asks OSV once '
          f'({n500} requests; {xc.get("unknowns")})')

    # ---------------------------------------------------------------- 3. malformed answers
    before = {k: count(v) for k, v in paths.items()}
    simple0 = count('^/pypi/simple/zz-py')
    p = audit('malformed', *ALL, faults=[
        {"match": paths['a'], "fault": "malformed"},
        {"match": paths['b'], "fault": "html"},
        {"match": paths['c'], "fault": "empty"},
        {"match": paths['py'], "fault": "malformed"}])
    no_crash(p, 'malformed')
    report_only(p, 'malformed')
    check(p.returncode == 3, f'malformed / html / empty packument, malformed PyPI JSON: exit 3 (rc {p.returncode})')
    for s, f in (('npm:zz-a', 'malformed'), ('npm:zz-b', 'html'), ('npm:zz-c', 'empty')):
        one_line(p, s, f'packument {f}', 'not', 'JSON')
        check(pkg(p, s).get('error') and pkg(p, s).get('verdict') is None, f'packument {f}: {s} could not be vetted')
    one_line(p, 'pypi:zz-py', 'PyPI JSON API malformed', 'not', 'JSON')
    check(len(p.lines) == 4, f'malformed: one line per input ({len(p.lines)})')
    # registry_pypi.c falls back to the PEP 691 simple API only when the JSON
    # API answers 404; a malformed JSON answer is an error (no fallback), and
    # not retried (it was a complete 200).
    check(count('^/pypi/simple/zz-py') == simple0 and count(paths['py']) - before['py'] == 1,
          'malformed PyPI JSON API: one request, no fallback to the simple API (fallback is for 404 only)')

    # With no JSON API (404) the client falls back to the PEP 691 simple page;
    # a garbage simple page is then the error, again one line.
    with open(os.path.join(root, 'pypi', 'config.json'), 'w') as f:
        json.dump({"no_json_api": True}, f)
    try:
        p = audit('malformed-simple', 'pypi:zz-py', faults=[{"match": "^/pypi/simple/", "fault": "html"}])
    finally:
        os.remove(os.path.join(root, 'pypi', 'config.json'))
    no_crash(p, 'simple page html')
    report_only(p, 'simple page html')
    check(p.returncode == 3, f'JSON API 404 + simple page html: exit 3 (rc {p.returncode})')
    one_line(p, 'pypi:zz-py', 'JSON API 404 + simple page html', '/pypi/simple/zz-py/', 'not', 'JSON')
    check(len(p.lines) == 1, f'simple page html: nothing else on stderr ({p.lines})')

    p = audit('malformed-services', 'npm:zz-b', 'pypi:zz-py',
              faults=[{"match": "^/osv/", "fault": "malformed"}, {"match": "^/downloads/", "fault": "malformed"}])
    no_crash(p, 'malformed OSV / downloads')
    check(p.returncode == 0 and not p.lines, f'OSV and downloads malformed: audit completes (rc {p.returncode}, {p.lines})')
    for s in ('npm:zz-b', 'pypi:zz-py'):
        x = pkg(p, s)
        check(vetted(x) and unknowns(x, 'OSV unreachable (') and unknowns(x, 'few-downloads not evaluated: '),
              f'malformed OSV / downloads: {s} has both unknown notes ({x.get("unknowns")})')

    # ---------------------------------------------------------------- 4. wrong digests, nothing cached
    p = audit('digest', 'npm:zz-b', 'pypi:zz-py',
              faults=[{"match": "^/npm/tarballs/", "fault": "wrong-digest"},
                      {"match": "^/pypi/files/", "fault": "wrong-digest"}])
    no_crash(p, 'wrong digest')
    check(p.returncode == 1 and not p.lines, f'wrong digests: exit 1, a verdict not an error (rc {p.returncode}, {p.lines})')
    for s in ('npm:zz-b', 'pypi:zz-py'):
        x = pkg(p, s)
        dm = [f for f in x.get('findings', []) if f['attribute'] == 'digest-mismatch']
        check(dm and dm[0]['action'] == 'block' and x.get('verdict') == 'block',
              f'wrong digest: {s} has digest-mismatch with action block, verdict block ({dm}, {x.get("verdict")})')
    p = audit('digest', 'npm:zz-b', 'pypi:zz-py')
    check(p.returncode == 0 and not p.lines, f'after the tampered fetch, a clean audit succeeds (rc {p.returncode})')
    for s in ('npm:zz-b', 'pypi:zz-py'):
        x = pkg(p, s)
        check(vetted(x) and x.get('cached') is False
              and not [f for f in x.get('findings', []) if f['attribute'] == 'digest-mismatch'],
              f'nothing cached from the tampered fetch: {s} vetted afresh (cached {x.get("cached")})')
    p = audit('digest', 'npm:zz-b', 'pypi:zz-py')
    check(all(pkg(p, s).get('cached') is True for s in ('npm:zz-b', 'pypi:zz-py')),
          'the good fetch is cached (so "cached: false" above meant something)')

    # A failed fetch (500 on packument, tarball and wheel) leaves no stale error.
    p = audit('failed', *ALL, faults=[{"match": paths['a'], "fault": "500"},
                                      {"match": "^/npm/tarballs/|^/pypi/files/", "fault": "500"}])
    no_crash(p, '500 on artifacts')
    check(p.returncode == 3 and len(p.lines) == 4, f'500 on packument / tarballs / wheel: exit 3, 4 lines ({p.lines})')
    p = audit('failed', *ALL)
    check(p.returncode == 0 and not p.lines, f'after the failed fetches a clean audit works (rc {p.returncode}, {p.lines})')
    for s in ALL:
        x = pkg(p, s)
        check(vetted(x) and x.get('cached') is False, f'after 500: {s} vetted, not served a stale error')

    # The packument answered with garbage once: the next audit is not served it.
    p = audit('malformed', *ALL)
    check(p.returncode == 0 and all(vetted(pkg(p, s)) for s in ALL),
          f'after malformed answers, the same cache gives a clean audit (rc {p.returncode}, {p.lines})')

    # ---------------------------------------------------------------- 5. bad input
    set_faults([])
    bad = [
        ('npm:no-such-pkg', 3, ('not found',)),
        ('npm:zz-a@9.9.9', 3, ('9.9.9',)),
        ('npm:zz-a@^7', 3, ('^7', 'satisf')),
        ('pypi:no-such-pkg', 3, ('no such project',)),
        ('pypi:zz-py==9.9.9', 3, ('9.9.9', 'no release')),
        ('pypi:zz-py>=7', 3, ('>=7', 'no release')),
        ('npm:Bad Name', None, ('not a valid',)),
        ('pypi:zz-py==', None, ('specifier',)),
    ]
    for spec, rc, words in bad:
        p = audit('bad', spec)
        no_crash(p, spec)
        check(p.returncode in (1, 2, 3) and (rc is None or p.returncode == rc),
              f'{spec}: exit {rc or "non-zero"} (rc {p.returncode})')
        one_line(p, spec, spec, *words)
        check(len(p.lines) == 1, f'{spec}: nothing else on stderr ({p.lines})')
    # An invalid PEP 440 specifier: the line names the input as given.
    p = audit('bad', 'pypi:zz-py garbage!')
    no_crash(p, 'invalid specifier')
    line = one_line(p, 'pypi:zz-py garbage!', 'invalid PyPI specifier', 'specifier')
    check(p.returncode == 3 and 'zz-pygarbage' not in line,
          f'[BUG: the name and the specifier are run together in the message] invalid specifier: '
          f'the line does not invent "pypi:zz-pygarbage!" ({line!r})')

    # OSV offline: a corrupt zip, a missing zip.
    off = os.path.join(d, 'osv-offline')
    os.makedirs(os.path.join(off, 'npm'))
    zp = os.path.join(off, 'npm', 'all.zip')
    with open(zp, 'wb') as f:
        f.write(b'PK\x03\x04 this is not a zip archive \x00\xff' * 64)
    p = audit('offline', 'npm:zz-b', extra={'PKGVET_OSV_OFFLINE': off})
    no_crash(p, 'corrupt OSV zip')
    report_only(p, 'corrupt OSV zip')
    check(p.returncode == 3, f'corrupt OSV zip: exit 3 (rc {p.returncode})')
    check(len(p.lines) == 1 and zp in p.lines[0] and 'corrupt' in p.lines[0],
          f'corrupt OSV zip: one line naming the zip and saying it is corrupt ({p.lines})')
    off2 = os.path.join(d, 'osv-offline-empty')
    os.makedirs(off2)
    p = audit('offline', 'npm:zz-b', extra={'PKGVET_OSV_OFFLINE': off2})
    no_crash(p, 'missing OSV zip')
    check(p.returncode == 3, f'missing OSV zip: exit 3 (rc {p.returncode})')
    check(len(p.lines) == 1 and os.path.join(off2, 'npm', 'all.zip') in p.lines[0] and 'missing' in p.lines[0],
          f'missing OSV zip: one line naming it ({p.lines})')

    # ---------------------------------------------------------------- 6. afterwards
    set_faults([])
    for c in caches:
        e = dict(env, XDG_CACHE_HOME=c)
        s = run('cache', 'stats', env=e, cwd=work)
        check(s.returncode == 0 and re.fullmatch(rb'analyses: \d+ \(\d+ findings\)\nmetadata: \d+ entries\n', s.stdout)
              and not s.stderr.strip(),
              f'cache stats works after the faults ({os.path.basename(c)}: {s.stdout!r} {s.stderr!r})')
        p = audit(os.path.basename(c)[len('cache-'):], *ALL)
        ok = p.returncode == 0 and not p.lines and all(
            vetted(pkg(p, x)) and not no_unknowns_but_dns(pkg(p, x)) for x in ALL)
        check(ok, f'final clean audit of every package ({os.path.basename(c)}): exit 0, complete reports '
                  f'(rc {p.returncode}, {p.lines}, {[no_unknowns_but_dns(pkg(p, x)) for x in ALL]})')
finally:
    srv.stdin.close()
    try:
        srv.wait(timeout=10)
    except subprocess.TimeoutExpired:
        srv.kill()
print(f'total {time.time() - t_all:.1f}s')
done()
