"""Every metadata attribute of design.md §3, firing and not firing, through the
real CLI (`pkgvet audit ... --json`) against the fixture npm registry and the
fixture PyPI index (tests/fixtures/).

Covered: release-fresh, release-old, release-gap, few-versions, no-readme,
no-repo, bad-repo, bad-email (the syntax part; the DNS part is tested
elsewhere), publisher-change, provenance-dropped, manifest-mismatch,
url-dependency, too-many-deps, deprecated, yanked, typosquat — for npm and,
where they apply, PyPI — and a project .pkgvet.ini changing thresholds and an
action. Not covered here: few-downloads, the DNS part of bad-email, OSV.

Each case is its own package (or version). Times are computed relative to
now, so the test never goes stale. All npm and PyPI specs of one policy run
go through a single `pkgvet audit` call (the report keeps input order; PyPI
projects publish one wheel each, so one entry per spec).

Checks labelled [BUG: ...] assert the behaviour design.md asks for and fail
against the current pkgvet: typosquat judged on the name inside the artifact
instead of the name being installed; the npm warm path reusing a cached
package (name, typosquat, manifest-mismatch) keyed by the tarball integrity
alone; fractional thresholds (docs/policy.md allows `0.5`) truncated to an
integer."""
import base64, configparser, hashlib, json, os, re, socket, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pvtest import *

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), 'fixtures')
SRC = os.environ.get('PKGVET_SRC') or os.path.dirname(os.path.dirname(HERE))

T0 = time.time()
NOW = time.time()
HOUR = 3600
DAY = 86400

META = ['typosquat', 'release-fresh', 'release-old', 'release-gap', 'few-versions', 'no-readme',
        'no-repo', 'bad-repo', 'bad-email', 'publisher-change', 'provenance-dropped',
        'manifest-mismatch', 'url-dependency', 'too-many-deps', 'deprecated', 'yanked']

# the catalogue's default actions
_cat = configparser.ConfigParser(interpolation=None, strict=False)
_cat.read(os.path.join(SRC, 'policy', 'catalogue.ini'))
ACTION = {a: _cat.get(a, 'action', fallback=None) for a in META}
check(all(ACTION.values()), f'catalogue actions read ({ACTION})')

d = tmpdir()
npm_root = os.path.join(d, 'registry')
py_root = os.path.join(d, 'index')
recs = os.path.join(d, 'osv')
for p in (os.path.join(npm_root, 'packuments'), os.path.join(npm_root, 'tarballs'),
          os.path.join(py_root, 'files'), recs):
    os.makedirs(p)
work = os.path.join(d, 'work')
os.makedirs(work)
open(os.path.join(work, '.git'), 'w').close()  # the project search stops here


def server(script, arg):
    p = subprocess.Popen([sys.executable, os.path.join(FIX, script), arg],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return p, int(p.stdout.readline())


# ------------------------------------------------------------------ npm fixtures

def enc(name):
    return name.replace('/', '%2f')


def iso(age_s):
    return time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime(NOW - age_s))


def sri(path):
    return 'sha512-' + base64.b64encode(hashlib.sha512(open(path, 'rb').read()).digest()).decode()


LONG_README = '# A package\n\n' + 'This package does one small useful thing, documented at length here. ' * 3
MANIFEST_KEYS = ('dependencies', 'optionalDependencies', 'scripts', 'bin')
ATTEST = {"url": "https://registry.example/-/npm/v1/attestations/x", "provenance": {"predicateType": "https://slsa.dev/provenance/v1"}}
NPM_SPECS = []


def npm_pkg(name, ages=(120 * DAY, 60 * DAY, 20 * DAY), audit=None, users=None, att=None,
            readme=LONG_README, repository="github:zz/thing", maintainers='default',
            ver_fields=None, tar=None, tar_files=None):
    """A packument for name with versions 1.0.0, 1.1.0, ... published ages[i]
    seconds ago. users[i]: _npmUser of version i; att[i]: dist.attestations.
    ver_fields: {index: {field: value}} merged into the registry manifest of
    that version (dependencies, scripts, bin, deprecated, author...).
    tar: {field: value or None} overrides in the audited version's tarball
    package.json (which otherwise has the registry manifest's
    dependencies/optionalDependencies/scripts/bin). Returns the spec."""
    vs = [f'1.{i}.0' for i in range(len(ages))]
    audit = vs[-1] if audit is None else audit
    users = users or ['alice'] * len(vs)
    att = att or [False] * len(vs)
    ver_fields = ver_fields or {}
    if maintainers == 'default':
        maintainers = [{"name": "alice", "email": "alice@example.com"}]
    doc = {"name": name, "dist-tags": {"latest": vs[-1]}, "versions": {},
           "time": {"created": iso(ages[0] + 60), "modified": iso(min(ages))}}
    if maintainers is not None:
        doc["maintainers"] = maintainers
    if readme is not None:
        doc["readme"] = readme
    if repository is not None:
        doc["repository"] = repository
    dd = os.path.join(npm_root, 'tarballs', enc(name))
    os.makedirs(dd, exist_ok=True)
    for i, v in enumerate(vs):
        man = {"name": name, "version": v, "description": "test package"}
        if users[i] is not None:
            u = users[i] if isinstance(users[i], dict) else {"name": users[i], "email": users[i] + "@example.com"}
            man["_npmUser"] = u
        man.update(ver_fields.get(i, {}))
        pj = {"name": name, "version": v, "description": "test package"}
        for k in MANIFEST_KEYS:
            if k in man:
                pj[k] = man[k]
        files = {'package/index.js': 'module.exports = 1;\n'}
        if v == audit:
            for k, val in (tar or {}).items():
                if val is None:
                    pj.pop(k, None)
                else:
                    pj[k] = val
            files.update(tar_files or {})
        files['package/package.json'] = json.dumps(pj)
        t = make_tgz(os.path.join(dd, v + '.tgz'), files)
        man["dist"] = {"tarball": "{{BASE}}/tarballs/%s/%s.tgz" % (enc(name), v), "integrity": sri(t)}
        if att[i]:
            man["dist"]["attestations"] = ATTEST
        doc["versions"][v] = man
        doc["time"][v] = iso(ages[i])
    with open(os.path.join(npm_root, 'packuments', enc(name) + '.json'), 'w') as f:
        json.dump(doc, f)
    spec = f'npm:{name}@{audit}'
    NPM_SPECS.append(spec)
    return (name, audit)


# ------------------------------------------------------------------ PyPI fixtures

def norm(n):
    return re.sub(r'[-_.]+', '-', n).lower()


PY_CFG = {"info": {}, "yanked": {}}
PY_SPECS = []
PY_CLEAN_INFO = {"description": LONG_README, "author_email": "Jane Doe <jane@example.com>",
                 "maintainer_email": None, "home_page": None}


def py_pkg(name, ages=(120 * DAY, 60 * DAY, 20 * DAY), audit=None, info=None, yanked=None, meta_name=None):
    """Releases 1.0, 1.1, ... of name, one wheel each, uploaded ages[i]
    seconds ago (the wheel's mtime is the fixture's upload time). info: merged
    over a clean info{} (long description, a valid email, a GitHub Source URL).
    meta_name: the Name: in the wheel's METADATA (default: the project name)."""
    vs = [f'1.{i}' for i in range(len(ages))]
    audit = vs[-1] if audit is None else audit
    dd = os.path.join(py_root, 'files', name)
    os.makedirs(dd, exist_ok=True)
    mod = name.replace('-', '_')
    for v, age in zip(vs, ages):
        w = make_wheel(os.path.join(dd, f'{mod}-{v}-py3-none-any.whl'), meta_name or mod, v,
                       {f'{mod}/__init__.py': 'VALUE = 1\n'})
        os.utime(w, (NOW - age, NOW - age))
    i = dict(PY_CLEAN_INFO)
    i["project_urls"] = {"Source": f"https://github.com/zz/{name}"}
    i.update(info or {})
    PY_CFG["info"][norm(name)] = i
    if yanked:
        PY_CFG["yanked"][norm(name)] = yanked
    PY_SPECS.append(f'pypi:{name}=={audit}')
    return (norm(name), audit)


# ------------------------------------------------------------------ the cases
# (key, ecosystem) -> package; each case: (label, key, attribute, fires, detail substring or None)
CASES = []


def case(label, key, attr, fires, detail=None):
    CASES.append((label, key, attr, fires, detail))


# --- npm: a clean package: none of the attributes fires
n_clean = npm_pkg('zz-md-clean')
CLEAN = [('npm clean', n_clean)]

# release-fresh (48 h)
k = npm_pkg('zz-md-fresh', ages=(100 * DAY, 50 * DAY, 1 * HOUR))
case('npm version published 1 hour ago', k, 'release-fresh', True, '1 hour ago')
n_72h = npm_pkg('zz-md-fresh-72h', ages=(100 * DAY, 50 * DAY, 72 * HOUR))
case('npm version published 72 hours ago', n_72h, 'release-fresh', False)
k = npm_pkg('zz-md-fresh-future', ages=(100 * DAY, 50 * DAY, -1 * HOUR))
case('npm version time 1 hour in the future', k, 'release-fresh', True, 'in the future')
n_10min = npm_pkg('zz-md-fresh-10min', ages=(100 * DAY, 50 * DAY, 10 * 60))
case('npm version published 10 minutes ago', n_10min, 'release-fresh', True, 'minutes ago')
# release-old (365 d, package-wide: the latest release)
k = npm_pkg('zz-md-old', ages=(500 * DAY, 450 * DAY, 400 * DAY))
case('npm latest release 400 days ago', k, 'release-old', True, '400 days ago')
k = npm_pkg('zz-md-old-no', ages=(500 * DAY, 450 * DAY, 300 * DAY))
case('npm latest release 300 days ago', k, 'release-old', False)
k = npm_pkg('zz-md-old-no2', ages=(700 * DAY, 650 * DAY, 20 * DAY), audit='1.0.0')
case('npm auditing a 700-day-old version of a package released 20 days ago', k, 'release-old', False)
# release-gap (180 d before this version)
k = npm_pkg('zz-md-gap', ages=(500 * DAY, 480 * DAY, 10 * DAY))
case('npm release after 470 days of silence', k, 'release-gap', True, '470 days')
k = npm_pkg('zz-md-gap-no', ages=(600 * DAY, 300 * DAY, 290 * DAY))
case('npm 300-day gap earlier in history, 10 days before this version', k, 'release-gap', False)
k = npm_pkg('zz-md-gap-no2', ages=(400 * DAY, 200 * DAY, 30 * DAY))
case('npm release after 170 days of silence', k, 'release-gap', False)
case('npm first version (no previous release)', ('zz-md-old-no2', '1.0.0'), 'release-gap', False)
# few-versions (<= 2)
k = npm_pkg('zz-md-few', ages=(100 * DAY, 20 * DAY))
case('npm two versions ever', k, 'few-versions', True, '2 versions')
k = npm_pkg('zz-md-few1', ages=(20 * DAY,))
case('npm one version ever', k, 'few-versions', True, '1 version ')
case('npm three versions', n_clean, 'few-versions', False)
# no-readme (< 100 characters)
k = npm_pkg('zz-md-readme-short', readme='Short.')
case('npm readme of 6 characters', k, 'no-readme', True, '6 characters')
k = npm_pkg('zz-md-readme-99', readme='x' * 99)
case('npm readme of 99 characters', k, 'no-readme', True, '99 characters')
k = npm_pkg('zz-md-readme-100', readme='é' * 100)
case('npm readme of 100 characters (200 bytes)', k, 'no-readme', False)
k = npm_pkg('zz-md-readme-none', readme=None)
case('npm no readme in packument or tarball', k, 'no-readme', True, 'no readme')
k = npm_pkg('zz-md-readme-err', readme='ERROR: No README data found!')
case('npm readme is npm\'s "No README data found" placeholder', k, 'no-readme', True)
k = npm_pkg('zz-md-readme-tar', readme=None, tar_files={'package/README.md': LONG_README})
case('npm no readme in packument, README.md in the tarball', k, 'no-readme', False)
# no-repo / bad-repo
k = npm_pkg('zz-md-norepo', repository=None)
case('npm no repository', k, 'no-repo', True)
case('npm no repository is not bad-repo', k, 'bad-repo', False)
k = npm_pkg('zz-md-norepo-url', repository={"type": "git"})
case('npm repository without url', k, 'no-repo', True, 'no url')
case('npm shorthand github:zz/thing', n_clean, 'no-repo', False)
k = npm_pkg('zz-md-badrepo', repository={"type": "git", "url": "https://github.com/onlyuser"})
case('npm repository https://github.com/onlyuser (no repo name)', k, 'bad-repo', True, 'malformed repository')
case('npm malformed repository is not no-repo', k, 'no-repo', False)
k = npm_pkg('zz-md-badrepo2', repository="not a repository")
case('npm repository "not a repository"', k, 'bad-repo', True)
k = npm_pkg('zz-md-badrepo3', repository=42)
case('npm repository is a number', k, 'bad-repo', True, 'not a string or object')
k = npm_pkg('zz-md-goodrepo', repository={"type": "git", "url": "git+https://github.com/zz/thing.git"})
case('npm repository git+https://github.com/zz/thing.git', k, 'bad-repo', False)
k = npm_pkg('zz-md-goodrepo2', repository="git@github.com:zz/thing.git")
case('npm repository git@github.com:zz/thing.git', k, 'bad-repo', False)
# bad-email (syntax only)
k = npm_pkg('zz-md-email-bad', maintainers=[{"name": "m", "email": "not-an-email"}])
case('npm maintainer email "not-an-email"', k, 'bad-email', True, 'malformed email "not-an-email"')
k = npm_pkg('zz-md-email-1label', ver_fields={2: {"author": "Jane <jane@localhost>"}})
case('npm author "Jane <jane@localhost>" (one-label domain)', k, 'bad-email', True, 'jane@localhost')
k = npm_pkg('zz-md-email-none', users=[{"name": "alice"}] * 3, maintainers=[{"name": "alice"}])
case('npm no email anywhere', k, 'bad-email', True, 'no author or maintainer email')
n_email_ok = npm_pkg('zz-md-email-ok', ver_fields={2: {"author": "Jane Doe <jane.doe@example.com> (https://example.com)"}})
EMAIL_OK = [('npm well-formed emails', n_email_ok)]
# publisher-change
k = npm_pkg('zz-md-pub', users=['alice', 'alice', 'mallory'])
case('npm 1.2.0 published by mallory, earlier by alice', k, 'publisher-change', True, 'mallory')
k = npm_pkg('zz-md-pub-no', users=['bob', 'alice', 'alice'])
case('npm 1.2.0 by alice who published 1.1.0 (bob published 1.0.0)', k, 'publisher-change', False)
k = npm_pkg('zz-md-pub-no2', users=['alice', 'mallory', 'alice'], audit='1.0.0')
case('npm first version (no earlier publisher)', k, 'publisher-change', False)
# provenance-dropped
k = npm_pkg('zz-md-prov', att=[True, True, False])
case('npm 1.0.0 and 1.1.0 with attestations, 1.2.0 without', k, 'provenance-dropped', True, '1.1.0')
k = npm_pkg('zz-md-prov-no', att=[True, True, True])
case('npm every version with attestations', k, 'provenance-dropped', False)
k = npm_pkg('zz-md-prov-no2', att=[False, False, True], audit='1.1.0')
case('npm only a later version has attestations', k, 'provenance-dropped', False)
# manifest-mismatch
k = npm_pkg('zz-md-mm-deps', ver_fields={2: {"dependencies": {"left-pad": "^1.3.0"}}},
            tar={"dependencies": {"left-pad": "^1.3.0", "zz-hidden": "^1.0.0"}})
case('npm tarball has a dependency the registry hides', k, 'manifest-mismatch', True, 'zz-hidden only in the tarball')
k = npm_pkg('zz-md-mm-script', tar={"scripts": {"preinstall": "node index.js"}})
case('npm tarball has a preinstall the registry hides', k, 'manifest-mismatch', True, 'scripts.preinstall')
k = npm_pkg('zz-md-mm-bin', ver_fields={2: {"bin": {"tool": "cli.js"}}}, tar={"bin": {"tool": "evil.js"}},
            tar_files={'package/cli.js': '', 'package/evil.js': ''})
case('npm bin tool -> cli.js in the registry, evil.js in the tarball', k, 'manifest-mismatch', True, 'bin')
k = npm_pkg('zz-md-mm-same', ver_fields={2: {"dependencies": {"left-pad": "^1.3.0"},
                                             "scripts": {"postinstall": "node index.js"},
                                             "bin": {"tool": "cli.js"}}},
            tar_files={'package/cli.js': ''})
case('npm registry and tarball agree (deps, scripts, bin)', k, 'manifest-mismatch', False)
k = npm_pkg('zz-md-mm-norm', ver_fields={2: {"bin": {"zz-md-mm-norm": "cli.js"},
                                             "dependencies": {"fsevents": "^2.0.0"},
                                             "optionalDependencies": {"fsevents": "^2.0.0"}}},
            tar={"bin": "./cli.js", "dependencies": None}, tar_files={'package/cli.js': ''})
case('npm only npm publish normalisation differs (bin string, optional deps copied)', k, 'manifest-mismatch', False)
k = npm_pkg('zz-md-mm-gyp', ver_fields={2: {"scripts": {"install": "node-gyp rebuild"}}}, tar={"scripts": None},
            tar_files={'package/binding.gyp': '{"targets": []}'})
case('npm registry install "node-gyp rebuild" added by npm for a binding.gyp', k, 'manifest-mismatch', False)
k = npm_pkg('zz-md-mm-gyp-no', ver_fields={2: {"scripts": {"install": "node-gyp rebuild"}}}, tar={"scripts": None})
case('npm registry install "node-gyp rebuild", no binding.gyp in the tarball', k, 'manifest-mismatch', True, 'scripts.install')
# url-dependency
k = npm_pkg('zz-md-urldep', ver_fields={2: {"dependencies": {
    "zz-a": "git+https://github.com/zz/a.git", "zz-b": "https://example.com/b.tgz",
    "zz-c": "file:../c", "zz-d": "zz/d"}}})
URLDEP_NPM = k
for dep in ('zz-a', 'zz-b', 'zz-c', 'zz-d'):
    case(f'npm dependency {dep} from git/http/file/shorthand', k, 'url-dependency', True, f'"{dep}"')
k = npm_pkg('zz-md-urldep-opt', ver_fields={2: {"optionalDependencies": {"zz-o": "github:zz/o"}}})
case('npm optional dependency github:zz/o', k, 'url-dependency', True, 'optionalDependencies')
k = npm_pkg('zz-md-urldep-no', ver_fields={2: {"dependencies": {
    "zz-a": "^1.2.3", "zz-b": "npm:zz-other@^1", "zz-c": "latest", "zz-d": ">=1.0.0 <2.0.0", "zz-e": "1.x || 2.x"}}})
case('npm registry specs: ranges, tag, npm: alias', k, 'url-dependency', False)
k = npm_pkg('zz-md-urldep-dev', ver_fields={2: {"devDependencies": {"zz-x": "git+https://github.com/zz/x.git"}}})
case('npm git URL only in devDependencies (not installed by users)', k, 'url-dependency', False)
# too-many-deps (> 50)
k = npm_pkg('zz-md-deps51', ver_fields={2: {"dependencies": {f'zz-dep{i}': '^1.0.0' for i in range(51)}}})
case('npm 51 direct dependencies', k, 'too-many-deps', True, '51 direct dependencies')
k = npm_pkg('zz-md-deps50', ver_fields={2: {"dependencies": {f'zz-dep{i}': '^1.0.0' for i in range(50)}}})
case('npm 50 direct dependencies', k, 'too-many-deps', False)
n_deps4 = npm_pkg('zz-md-deps4', ver_fields={2: {"dependencies": {f'zz-dep{i}': '^1.0.0' for i in range(4)}}})
case('npm 4 direct dependencies (default policy)', n_deps4, 'too-many-deps', False)
n_deps3 = npm_pkg('zz-md-deps3', ver_fields={2: {"dependencies": {f'zz-dep{i}': '^1.0.0' for i in range(3)}}})
# deprecated
n_dep = npm_pkg('zz-md-deprecated', ver_fields={2: {"deprecated": "use zz-else instead"}})
case('npm version deprecated with a message', n_dep, 'deprecated', True, 'use zz-else instead')
k = npm_pkg('zz-md-deprecated-old', ver_fields={0: {"deprecated": "old, do not use"}})
case('npm an earlier version is deprecated, this one is not', k, 'deprecated', False)
k = npm_pkg('zz-md-deprecated-empty', ver_fields={2: {"deprecated": ""}})
case('npm deprecated: "" (un-deprecated)', k, 'deprecated', False)
k = npm_pkg('zz-md-deprecated-true', ver_fields={2: {"deprecated": True}})
case('npm deprecated: true (no message)', k, 'deprecated', True, 'no message')
# typosquat
k = npm_pkg('expresss')
case('npm "expresss" (one insert from express)', k, 'typosquat', True, '"express"')
k = npm_pkg('@zzevil/lodash')
case('npm "@zzevil/lodash" (unknown scope around a popular name)', k, 'typosquat', True, '"lodash"')
k = npm_pkg('express')
case('npm "express" itself', k, 'typosquat', False)
k = npm_pkg('@types/zz-md-thing')
case('npm "@types/zz-md-thing" (the established scope)', k, 'typosquat', False)
k = npm_pkg('@zzevil/zz-md-widget')
case('npm "@zzevil/zz-md-widget" (no popular name inside)', k, 'typosquat', False)
case('npm "zz-md-clean"', n_clean, 'typosquat', False)
# BUG probe: the tarball's package.json claims the popular name; the name being installed is the squat
k = npm_pkg('expresz', tar={"name": "express"}, tar_files={'package/extra.js': ''})  # bytes unlike express's
case('npm registry name "expresz", tarball package.json says "express" [BUG: typosquat judged on the tarball name]', k, 'typosquat', True, '"express"')
case('npm registry name "expresz", tarball package.json says "express"', k, 'manifest-mismatch', True, 'differ in name')
# BUG probe (audited in a later, separate run): "expres" serves a tarball byte-identical to express@1.2.0's,
# which the main run vetted and cached; the warm path reuses the cached package (name, typosquat,
# manifest-mismatch) keyed by the tarball integrity alone.
n_twin = npm_pkg('expres', tar={"name": "express"})
NPM_SPECS.remove('npm:expres@1.2.0')

# --- PyPI
p_clean = py_pkg('zz-md-py-clean')
CLEAN.append(('pypi clean', p_clean))
k = py_pkg('zz-md-py-fresh', ages=(100 * DAY, 50 * DAY, 1 * HOUR))
case('pypi release uploaded 1 hour ago', k, 'release-fresh', True, '1 hour ago')
p_72h = py_pkg('zz-md-py-fresh-72h', ages=(100 * DAY, 50 * DAY, 72 * HOUR))
case('pypi release uploaded 72 hours ago', p_72h, 'release-fresh', False)
k = py_pkg('zz-md-py-old', ages=(500 * DAY, 450 * DAY, 400 * DAY))
case('pypi latest release 400 days ago', k, 'release-old', True, '400 days ago')
k = py_pkg('zz-md-py-old-no', ages=(500 * DAY, 450 * DAY, 300 * DAY))
case('pypi latest release 300 days ago', k, 'release-old', False)
k = py_pkg('zz-md-py-old-no2', ages=(700 * DAY, 650 * DAY, 20 * DAY), audit='1.0')
case('pypi auditing a 700-day-old release of a project released 20 days ago', k, 'release-old', False)
k = py_pkg('zz-md-py-gap', ages=(500 * DAY, 480 * DAY, 10 * DAY))
case('pypi release after 470 days of silence', k, 'release-gap', True, '470 days')
k = py_pkg('zz-md-py-gap-no', ages=(600 * DAY, 300 * DAY, 290 * DAY))
case('pypi 300-day gap earlier in history, 10 days before this release', k, 'release-gap', False)
k = py_pkg('zz-md-py-gap-no2', ages=(400 * DAY, 200 * DAY, 30 * DAY))
case('pypi release after 170 days of silence', k, 'release-gap', False)
k = py_pkg('zz-md-py-few', ages=(100 * DAY, 20 * DAY))
case('pypi two releases ever', k, 'few-versions', True, '2 versions')
case('pypi three releases', p_clean, 'few-versions', False)
k = py_pkg('zz-md-py-readme-short', info={"description": "A fixture."})
case('pypi description of 10 characters', k, 'no-readme', True, '10 characters')
k = py_pkg('zz-md-py-readme-unknown', info={"description": "UNKNOWN"})
case('pypi description "UNKNOWN"', k, 'no-readme', True, 'no readme')
k = py_pkg('zz-md-py-readme-none', info={"description": None})
case('pypi description null', k, 'no-readme', True, 'no readme')
case('pypi long description', p_clean, 'no-readme', False)
k = py_pkg('zz-md-py-norepo', info={"project_urls": {"Documentation": "https://docs.example.org/zz"}})
case('pypi only a Documentation URL', k, 'no-repo', True)
k = py_pkg('zz-md-py-norepo2', info={"project_urls": None})
case('pypi no project_urls, no home_page', k, 'no-repo', True)
k = py_pkg('zz-md-py-repo-home', info={"project_urls": {"Homepage": "https://github.com/zz/thing"}})
case('pypi GitHub URL under "Homepage"', k, 'no-repo', False)
k = py_pkg('zz-md-py-repo-hp', info={"project_urls": None, "home_page": "https://gitlab.com/zz/thing"})
case('pypi home_page on GitLab', k, 'no-repo', False)
k = py_pkg('zz-md-py-badrepo', info={"project_urls": {"Source": "https://github.com/onlyuser"}})
case('pypi Source https://github.com/onlyuser', k, 'bad-repo', True, 'malformed repository')
k = py_pkg('zz-md-py-badrepo2', info={"project_urls": {"Source": "github.com/zz/thing"}})
case('pypi Source without a scheme', k, 'bad-repo', True)
k = py_pkg('zz-md-py-goodrepo', info={"project_urls": {"Source Code": "https://github.com/zz/thing"}})
case('pypi Source Code https://github.com/zz/thing', k, 'bad-repo', False)
k = py_pkg('zz-md-py-email-bad', info={"author_email": "not-an-email"})
case('pypi author_email "not-an-email"', k, 'bad-email', True, 'malformed email "not-an-email"')
k = py_pkg('zz-md-py-email-1label', info={"maintainer_email": "Jane <jane@localhost>"})
case('pypi maintainer_email "Jane <jane@localhost>"', k, 'bad-email', True, 'jane@localhost')
k = py_pkg('zz-md-py-email-none', info={"author_email": None, "maintainer_email": None})
case('pypi no author_email, no maintainer_email', k, 'bad-email', True, 'no author or maintainer email')
p_email_ok = py_pkg('zz-md-py-email-ok', info={"author_email": '"Doe, Jane" <jane@example.com>, bob@example.org'})
EMAIL_OK.append(('pypi well-formed emails', p_email_ok))
k = py_pkg('zz-md-py-urldep', info={"requires_dist": [
    "zz-a @ https://example.com/zz_a-1.0-py3-none-any.whl", "zz-b>=1"]})
case('pypi requires_dist "zz-a @ https://..."', k, 'url-dependency', True, 'zz-a @ https://example.com')
k = py_pkg('zz-md-py-urldep2', info={"requires_dist": [
    "zz-c @ git+https://github.com/zz/c.git ; python_version >= '3.8'"]})
case('pypi requires_dist "zz-c @ git+https://... ; marker"', k, 'url-dependency', True, 'zz-c @ git+')
k = py_pkg('zz-md-py-urldep-old', audit='1.0', info={"requires_dist": ["zz-a @ https://example.com/zz_a-1.0-py3-none-any.whl"]})
case('pypi ==1.0 (not the latest) with a URL requirement', k, 'url-dependency', True, 'zz-a @ https://')
k = py_pkg('zz-md-py-urldep-no', info={"requires_dist": [
    "zz-b>=1", "zz-d[extra]>=2; python_version >= '3.8'", "zz-e==1.0; extra == 'test'"]})
case('pypi registry requirements with extras and markers', k, 'url-dependency', False)
k = py_pkg('zz-md-py-deps51', info={"requires_dist": [f'zz-dep{i}>=1' for i in range(51)]})
case('pypi 51 requirements', k, 'too-many-deps', True, '51 direct dependencies')
k = py_pkg('zz-md-py-deps50', info={"requires_dist": [f'zz-dep{i}>=1' for i in range(50)] +
                                    [f"zz-extra{i}>=1; extra == 'dev'" for i in range(5)]})
case('pypi 50 requirements plus 5 extras', k, 'too-many-deps', False)
p_deps4 = py_pkg('zz-md-py-deps4', info={"requires_dist": [f'zz-dep{i}>=1' for i in range(4)]})
case('pypi 4 requirements (default policy)', p_deps4, 'too-many-deps', False)
k = py_pkg('zz-md-py-yanked', audit='1.1', yanked={"1.0": "", "1.1": "broken build"})
case('pypi ==1.1 yanked with a reason', k, 'yanked', True, 'broken build')
k = py_pkg('zz-md-py-yanked0', audit='1.0', yanked={"1.0": ""})
case('pypi ==1.0 yanked without a reason', k, 'yanked', True, 'no reason')
k = py_pkg('zz-md-py-yanked-no', audit='1.2', yanked={"1.0": "", "1.1": "broken build"})
case('pypi ==1.2 of a project with yanked releases', k, 'yanked', False)
case('pypi release never yanked', p_clean, 'yanked', False)
k = py_pkg('reqeusts')
case('pypi "reqeusts" (swap in requests)', k, 'typosquat', True, '"requests"')
k = py_pkg('python-requests')
case('pypi "python-requests" (python- prefix)', k, 'typosquat', True, '"requests"')
k = py_pkg('requests')
case('pypi "requests" itself', k, 'typosquat', False)
k = py_pkg('requests-mock')
case('pypi "requests-mock" (itself popular)', k, 'typosquat', False)
case('pypi "zz-md-py-clean"', p_clean, 'typosquat', False)
# BUG probe: the wheel's METADATA claims the popular name; the project being installed is the squat
k = py_pkg('requestz', meta_name='requests')
case('pypi project "requestz", wheel METADATA Name: requests [BUG: typosquat judged on the artifact name]', k, 'typosquat', True, '"requests"')

with open(os.path.join(py_root, 'config.json'), 'w') as f:
    json.dump(PY_CFG, f)

# ------------------------------------------------------------------ run

reg, reg_port = server('npm_registry.py', npm_root)
idx, idx_port = server('pypi_index.py', py_root)
osv, osv_port = server('osv_server.py', recs)
env = {'XDG_CACHE_HOME': os.path.join(d, 'cache'), 'XDG_CONFIG_HOME': os.path.join(d, 'cfg'),
       'XDG_STATE_HOME': os.path.join(d, 'state'), 'HOME': d,
       'PKGVET_NPM_REGISTRY': f'http://127.0.0.1:{reg_port}/',
       'PKGVET_PYPI_INDEX': f'http://127.0.0.1:{idx_port}/simple/',
       'PKGVET_OSV_URL': f'http://127.0.0.1:{osv_port}/v1/querybatch',
       'NPM_CONFIG_REGISTRY': '', 'npm_config_registry': '',
       'PIP_INDEX_URL': '', 'PIP_EXTRA_INDEX_URL': '', 'VIRTUAL_ENV': ''}
for k_ in ('PKGVET_NONINTERACTIVE', 'PKGVET_FAIL_CLOSED', 'PKGVET_TIMEOUT', 'PKGVET_CACHE_DIR', 'PKGVET_LOG'):
    os.environ.pop(k_, None)


def audit_all(specs, cwd):
    p, doc = audit_json(*specs, env=env, cwd=cwd, timeout=300)
    ok = check(doc is not None and p.returncode in (0, 1),
               f'audit of {len(specs)} specs in {p.elapsed:.1f}s: JSON report, exit 0/1 (rc {p.returncode}, '
               f'stderr {p.stderr.decode(errors="replace")[-500:]!r})')
    if not ok:
        return {}
    pk = doc['packages']
    check(len(pk) == len(specs), f'one report entry per spec ({len(pk)} for {len(specs)})')
    errs = [(x['input'], x['error']) for x in pk if x.get('error')]
    check(not errs, f'every spec was vetted ({errs[:5]})')
    by = {}
    for x in pk:
        key = (norm(x['name']) if x.get('ecosystem') == 'pypi' else x.get('name'), x.get('version'))
        by[key] = x
    return by


def show(pkg, attr):
    return [f['detail'] for f in findings(pkg, attr)]


def verify(by, label, key, attr, fires, detail=None, action=None):
    pkg = by.get(key)
    if not check(pkg is not None, f'{label}: in the report {key}'):
        return
    fs = findings(pkg, attr)
    if fires:
        act = action or ACTION[attr]
        check(fs and all(f['action'] == act and f['kind'] == 'metadata' for f in fs)
              and (detail is None or any(detail in f['detail'] for f in fs)),
              f'{attr} FIRES, {act}: {label} ({[(f["action"], f["detail"]) for f in fs]})')
    else:
        check(not fs, f'{attr} silent: {label} ({show(pkg, attr)})')


def email_ok(by, label, key):
    pkg = by.get(key)
    if not check(pkg is not None, f'{label}: in the report {key}'):
        return
    fs = findings(pkg, 'bad-email')
    syntax = [f['detail'] for f in fs if 'malformed' in f['detail'] or 'not a string' in f['detail']
              or 'no author' in f['detail']]
    check(not syntax, f'bad-email silent on syntax: {label} ({syntax})')
    dns_note = any('bad-email' in u for u in pkg['unknowns'])
    dns_finding = all('resolve' in f['detail'] for f in fs)  # the DNS part, wired elsewhere
    check(not fs or dns_note or dns_finding,
          f'well-formed emails: no bad-email, or only the DNS part ({[f["detail"] for f in fs]}, unknowns {pkg["unknowns"]})')


try:
    specs = NPM_SPECS + PY_SPECS
    by = audit_all(specs, work)
    if by:
        for label, key in CLEAN:
            pkg = by.get(key, {'findings': []})
            got = sorted({f['attribute'] for f in pkg['findings'] if f['attribute'] in META
                          and not (f['attribute'] == 'bad-email' and 'resolve' in f['detail'])})
            check(not got, f'{label}: no metadata attribute fires ({got}: {[f["detail"] for f in pkg["findings"] if f["attribute"] in META]})')
        for label, key in EMAIL_OK:
            email_ok(by, label, key)
        for c in CASES:
            verify(by, *c)

    # --- the twin tarball, audited after express@1.2.0 was cached
    twin_tgz = os.path.join(npm_root, 'tarballs', 'expres', '1.2.0.tgz')
    same = open(twin_tgz, 'rb').read() == open(os.path.join(npm_root, 'tarballs', 'express', '1.2.0.tgz'), 'rb').read()
    check(same, 'expres@1.2.0 and express@1.2.0 tarballs are byte-identical (test setup)')
    p, doc = audit_json('npm:expres@1.2.0', env=env, cwd=work, timeout=120)
    pk = doc['packages'][0] if doc else {}
    tkey = ('expres', '1.2.0')
    check(pk.get('name') == 'expres', f'npm:expres@1.2.0 is reported as "expres" [BUG: the cached "express" is reported] '
          f'(name {pk.get("name")!r}, cached {pk.get("cached")})')
    tw = {tkey: pk}
    verify(tw, 'npm "expres" serving express\'s cached tarball [BUG: warm path reuses the cached name]',
           tkey, 'typosquat', True, '"express"')
    verify(tw, 'npm "expres" serving express\'s cached tarball [BUG: warm path reuses the cached manifest check]',
           tkey, 'manifest-mismatch', True, 'differ in name')

    # --- a project .pkgvet.ini changes thresholds and an action
    proj = os.path.join(d, 'proj')
    os.makedirs(proj)
    open(os.path.join(proj, '.git'), 'w').close()
    with open(os.path.join(proj, '.pkgvet.ini'), 'w') as f:
        f.write('[attributes]\n'
                'too-many-deps.threshold = 3\n'
                'release-fresh.threshold = 100\n'
                'deprecated = block\n')
    pspecs = [f'npm:{n_deps4[0]}@{n_deps4[1]}', f'npm:{n_deps3[0]}@{n_deps3[1]}',
              f'npm:{n_72h[0]}@{n_72h[1]}', f'npm:{n_dep[0]}@{n_dep[1]}',
              f'pypi:{p_deps4[0]}=={p_deps4[1]}', f'pypi:{p_72h[0]}=={p_72h[1]}']
    byp = audit_all(pspecs, proj)
    if byp:
        verify(byp, 'npm 4 deps with too-many-deps.threshold = 3', n_deps4, 'too-many-deps', True, 'more than 3')
        verify(byp, 'npm 3 deps with too-many-deps.threshold = 3', n_deps3, 'too-many-deps', False)
        verify(byp, 'pypi 4 requirements with too-many-deps.threshold = 3', p_deps4, 'too-many-deps', True, 'more than 3')
        verify(byp, 'npm 72 hours old with release-fresh.threshold = 100', n_72h, 'release-fresh', True, '72 hours ago')
        verify(byp, 'pypi 72 hours old with release-fresh.threshold = 100', p_72h, 'release-fresh', True, '72 hours ago')
        verify(byp, 'npm deprecated with deprecated = block', n_dep, 'deprecated', True, action='block')
        check(byp.get(n_dep, {}).get('verdict') == 'block', 'deprecated = block: the verdict is block')

    # --- a fractional threshold (docs/policy.md: "a non-negative number (`72`, `0.5`)")
    # BUG probe: cmd_audit.c meta_thresholds() casts the double to long, so 0.5 hours becomes 0
    # and release-fresh can no longer fire.
    proj2 = os.path.join(d, 'proj2')
    os.makedirs(proj2)
    open(os.path.join(proj2, '.git'), 'w').close()
    with open(os.path.join(proj2, '.pkgvet.ini'), 'w') as f:
        f.write('[attributes]\nrelease-fresh.threshold = 0.5\n')
    byf = audit_all([f'npm:{n_10min[0]}@{n_10min[1]}', f'npm:{n_72h[0]}@{n_72h[1]}'], proj2)
    if byf:
        verify(byf, 'npm 10 minutes old with release-fresh.threshold = 0.5 (30 minutes) '
               '[BUG: fractional threshold truncated to 0]', n_10min, 'release-fresh', True, 'minutes ago')
        verify(byf, 'npm 72 hours old with release-fresh.threshold = 0.5', n_72h, 'release-fresh', False)
finally:
    for s in (reg, idx, osv):
        s.stdin.close()
        s.wait(timeout=10)
print(f'{len(CASES)} cases, {time.time() - T0:.1f}s')
done()
