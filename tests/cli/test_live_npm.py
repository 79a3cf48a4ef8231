"""LIVE (needs the real npm registry): `pkgvet audit npm:express@4` resolves
the range, fetches, verifies and vets the package from
https://registry.npmjs.org and prints a complete report: identity, digest,
permissions, findings, a note for every check that could not be made
(download counts, OSV: not reachable from every network), and a verdict.
Exits 77 (skip) when the registry cannot be reached within 10 s."""
import os, sys, urllib.request
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

REGISTRY = 'https://registry.npmjs.org/'
try:
    urllib.request.urlopen(REGISTRY + 'express', timeout=10).read(1)
except Exception as e:  # any failure to reach it: skip, not fail
    print(f'skip: {REGISTRY} not reachable ({e})')
    sys.exit(77)

d = tmpdir()
env = {'PKGVET_NPM_REGISTRY': REGISTRY, 'NPM_CONFIG_REGISTRY': '', 'npm_config_registry': '',
       'PKGVET_TIMEOUT': '20'}
p, doc = audit_json('npm:express@4', env=env, cwd=d, timeout=300)
pk = doc['packages'][0] if doc and doc.get('packages') else {}
check(p.returncode in (0, 1), f'audit completes (rc {p.returncode}, stderr {p.stderr[-300:]!r})')
check(pk.get('name') == 'express' and (pk.get('version') or '').startswith('4.') and pk.get('ecosystem') == 'npm',
      f'express 4.x resolved ({pk.get("name")} {pk.get("version")})')
check((pk.get('digest') or '').startswith('sha256:') and not pk.get('error'),
      f'vetted with a digest ({pk.get("digest")}, {pk.get("error")})')
check(pk.get('files', 0) > 5 and pk.get('bytes', 0) > 10000, f'the tarball was analysed ({pk.get("files")} files)')
check(isinstance(pk.get('permissions'), list) and any(x.get('name') == 'network' for x in pk['permissions']),
      f'permissions listed, network among them ({pk.get("permissions")})')
check(isinstance(pk.get('findings'), list) and isinstance(pk.get('unknowns'), list), 'findings and unknowns')
# Every check either ran or says why it could not: OSV and download counts.
osv_ran = not any(u.startswith('OSV') for u in pk['unknowns'])
check(osv_ran or any('OSV unreachable' in u for u in pk['unknowns']), 'OSV answered or is reported as unknown')
# express has millions of weekly downloads: no few-downloads finding, either
# way; and release-fresh / few-versions cannot fire for it.
check(not any(f['attribute'] in ('few-downloads', 'few-versions', 'release-fresh', 'typosquat')
              for f in pk['findings']), 'no false metadata alarms for express')
check(all(isinstance(f.get('attribute'), str) and f.get('action') for f in pk['findings']),
      'every finding has an attribute and an action')
check(pk.get('verdict') in ('allow', 'warn', 'prompt', 'block'), f'a verdict ({pk.get("verdict")})')
# The text report of the same package (now from the cache) is complete too.
t = run('audit', 'npm:express@4', env=env, cwd=d, timeout=300)
out = t.stdout.decode()
check(t.returncode == p.returncode and out.startswith('express 4.') and 'digest: sha256:' in out and
      'permissions:' in out and 'verdict:' in out and '1 package' in out, f'text report complete:\n{out}')
done()
