"""LIVE (needs the real npm registry): `pkgvet audit npm:left-pad@1.3.0`
fetches, verifies and vets the package from https://registry.npmjs.org.
Exits 77 (skip) when the registry cannot be reached within 10 s."""
import os, sys, tempfile, urllib.request
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

REGISTRY = 'https://registry.npmjs.org/'
try:
    urllib.request.urlopen(REGISTRY + 'left-pad', timeout=10).read(1)
except Exception as e:  # any failure to reach it: skip, not fail
    print(f'skip: {REGISTRY} not reachable ({e})')
    sys.exit(77)

d = tmpdir()
env = {'XDG_CACHE_HOME': os.path.join(d, 'cache'), 'XDG_CONFIG_HOME': os.path.join(d, 'cfg'),
       'XDG_STATE_HOME': os.path.join(d, 'state'), 'HOME': d,
       'PKGVET_NPM_REGISTRY': REGISTRY, 'NPM_CONFIG_REGISTRY': '', 'npm_config_registry': ''}
p, doc = audit_json('npm:left-pad@1.3.0', env=env, cwd=d, timeout=180)
pk = doc['packages'][0] if doc else {}
check(p.returncode == 0, f'audit succeeds (rc {p.returncode}, stderr {p.stderr[-300:]!r})')
check(pk.get('name') == 'left-pad' and pk.get('version') == '1.3.0' and pk.get('ecosystem') == 'npm',
      'name, version, ecosystem')
check((pk.get('digest') or '').startswith('sha256:') and pk.get('verdict') is not None, 'digest and verdict')
done()
