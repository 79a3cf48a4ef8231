"""LIVE (needs the real npm registry): `pkgvet-npm install express@4` in a
fresh temporary project, with noninteractive = allow (policy through the
environment: PKGVET_NONINTERACTIVE), resolves, vets and installs express
and all its dependencies with the real npm. Exits 77 (skip) when
https://registry.npmjs.org cannot be reached within 10 s, or when there is
no real npm."""
import json, os, shutil, subprocess, sys, tempfile, time, urllib.request
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import check, done

REGISTRY = 'https://registry.npmjs.org/'
SHIM = os.path.abspath(os.environ.get('PKGVET_NPM_SHIM') or
                       os.path.join(os.environ.get('PKGVET_BUILD', 'build'), 'pkgvet-npm'))
REAL_NPM = '/usr/bin/npm' if os.path.exists('/usr/bin/npm') else shutil.which('npm')
if not REAL_NPM or not os.path.exists(SHIM):
    print(f'skip: no real npm ({REAL_NPM}) or no shim ({SHIM})')
    sys.exit(77)
try:
    urllib.request.urlopen(REGISTRY + 'express', timeout=10).read(1)
except Exception as e:  # any failure to reach it: skip, not fail
    print(f'skip: {REGISTRY} not reachable ({e})')
    sys.exit(77)

work = tempfile.mkdtemp(prefix='pvtest-live-npmshim-')
home = os.path.join(work, 'home')
proj = os.path.join(work, 'proj')
tmp = os.path.join(work, 'tmp')
for d in (home, proj, tmp):
    os.makedirs(d)
with open(os.path.join(proj, 'package.json'), 'w') as f:
    json.dump({'name': 'proj', 'version': '1.0.0'}, f)
env = {k: v for k, v in os.environ.items()
       if not k.startswith('PKGVET_') and not k.lower().startswith('npm_config_')}
env.update({'HOME': home, 'XDG_CACHE_HOME': os.path.join(home, 'cache'),
            'XDG_CONFIG_HOME': os.path.join(home, 'config'), 'XDG_STATE_HOME': os.path.join(home, 'state'),
            'TMPDIR': tmp, 'NO_COLOR': '1',
            'npm_config_cache': os.path.join(work, 'npm-cache'), 'npm_config_registry': REGISTRY,
            'npm_config_update_notifier': 'false', 'npm_config_audit': 'false', 'npm_config_fund': 'false',
            'PKGVET_REAL_NPM': REAL_NPM, 'PKGVET_NONINTERACTIVE': 'allow', 'PKGVET_TIMEOUT': '30'})
t0 = time.time()
p = subprocess.run([SHIM, 'install', 'express@4'], cwd=proj, env=env, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=900, start_new_session=True)
elapsed = time.time() - t0
err = p.stderr.decode(errors='replace')
print(f'pkgvet-npm install express@4: rc {p.returncode} in {elapsed:.1f} s')
print(err[-3000:])
check(p.returncode == 0, f'exit 0 (rc {p.returncode})')
check('resolving' in err and 'packages to add' in err, 'the install set was resolved and announced')

pj = os.path.join(proj, 'node_modules', 'express', 'package.json')
ver = json.load(open(pj)).get('version', '') if os.path.exists(pj) else ''
check(ver.startswith('4.'), f'node_modules/express/package.json is express 4.x ({ver!r})')
hidden = os.path.join(proj, 'node_modules', '.package-lock.json')
pk = json.load(open(hidden)).get('packages', {}) if os.path.exists(hidden) else {}
check(len(pk) >= 60, f'node_modules/.package-lock.json lists all of express\'s dependencies ({len(pk)} entries)')
missing = [k for k, e in pk.items() if k.startswith('node_modules/') and not e.get('optional')
           and not os.path.exists(os.path.join(proj, k, 'package.json'))]
check(not missing, f'every listed package is in node_modules (missing: {missing[:5]})')
for dep in ('body-parser', 'accepts', 'debug', 'send', 'qs'):
    check(os.path.exists(os.path.join(proj, 'node_modules', dep, 'package.json')), f'dependency {dep} installed')
deps = json.load(open(os.path.join(proj, 'package.json'))).get('dependencies', {})
check(deps.get('express', '').startswith('^4.'), f'package.json records express ^4 ({deps})')
lk = os.path.join(proj, 'package-lock.json')
check(os.path.exists(lk) and 'node_modules/express' in json.load(open(lk)).get('packages', {}),
      'package-lock.json written with express')
check(not [n for n in os.listdir(tmp) if 'pkgvet' in n], 'no pkgvet temp directory left in TMPDIR')
shutil.rmtree(work, ignore_errors=True)
done()
