"""The analysis cache: a second audit of the same artifact reuses the
findings (and says so), --no-cache analyses again, a damaged cache is a
warning (the audit still runs) and `pkgvet cache clear` recovers it."""
import json, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

d = tmpdir()
env = {'XDG_CACHE_HOME': os.path.join(d, 'cache'), 'XDG_CONFIG_HOME': os.path.join(d, 'cfg'),
       'XDG_STATE_HOME': os.path.join(d, 'state')}
tgz = make_tgz(os.path.join(d, 'cached-1.0.0.tgz'), {
    'package/package.json': json.dumps({"name": "zz-cached", "version": "1.0.0",
                                        "scripts": {"postinstall": "node x.js"}}),
    'package/x.js': 'require("child_process").execSync("id");\n',
})
p1, d1 = audit_json(tgz, env=env)
p2, d2 = audit_json(tgz, env=env)
a, b = d1['packages'][0], d2['packages'][0]
check(a['cached'] is False and b['cached'] is True, 'second audit comes from the cache')
strip = lambda pk: {k: v for k, v in pk.items() if k != 'cached'}
check(strip(a) == strip(b) and p1.returncode == p2.returncode, 'cached report is identical to the first')
p3, d3 = audit_json('--no-cache', tgz, env=env)
check(d3['packages'][0]['cached'] is False, '--no-cache analyses again')

# another artifact with the same name and version is not served from the cache
other = make_tgz(os.path.join(d, 'cached-1.0.0-b.tgz'), {
    'package/package.json': json.dumps({"name": "zz-cached", "version": "1.0.0"}),
    'package/x.js': 'module.exports = 1;\n',
})
p, doc = audit_json(other, env=env)
check(doc['packages'][0]['cached'] is False and doc['packages'][0]['verdict'] == 'allow', 'cache is keyed by digest')

p = run('cache', 'stats', env=env)
check(p.returncode == 0 and b'analyses: 2' in p.stdout, f'cache stats ({p.stdout!r})')
path = run('cache', 'path', env=env).stdout.decode().strip()
check(path == os.path.join(d, 'cache', 'pkgvet', 'cache.sqlite3'), f'cache path honours XDG_CACHE_HOME ({path})')
with open(path, 'wb') as f:
    f.write(b'this is not a database' * 100)
for suffix in ('-wal', '-shm'):
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
p, doc = audit_json(tgz, env=env)
err = p.stderr.decode()
check(doc is not None and doc['packages'][0]['verdict'] == 'prompt' and 'cache' in err and err.count('\n') == 1,
      f'damaged cache: one warning, audit still runs ({err!r})')
p = run('cache', 'clear', env=env)
check(p.returncode == 0, 'cache clear removes a damaged cache')
p, doc = audit_json(tgz, env=env)
check(p.stderr == b'' and doc['packages'][0]['cached'] is False, 'fresh cache after clear')
p = run('cache', 'bogus', env=env)
check(p.returncode == 2, 'cache with an unknown subcommand: exit 2')
done()
