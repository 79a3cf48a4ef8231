"""The man pages in docs/man/: each renders without a warning, and they
name what the binary has: every command of `pkgvet help`, every [settings]
key and attribute id of the effective policy, every option of `pkgvet audit
--help`."""
import os, re, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pvtest
from pvtest import check, run

SRC = os.environ.get('PKGVET_SRC') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
MAN = os.path.join(SRC, 'docs', 'man')
pages = ['pkgvet.1', 'pkgvet-npm.1', 'pkgvet-pip.1', 'pkgvet-policy.5']

if not shutil.which('groff'):
    print('skip: groff is not installed')
    sys.exit(77)


def text(page):
    """The page as a reader sees it: rendered, hyphenation and adjustment off."""
    p = subprocess.run(['groff', '-man', '-Tutf8', '-ww', '-rLL=200n', '-rHY=0', '-P-cbou',
                        os.path.join(MAN, page)], capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(errors='replace'), p.stderr.decode(errors='replace')


rendered = {}
for page in pages:
    rc, out, err = text(page)
    check(rc == 0 and err == '' and len(out) > 1000, f'{page}: renders without warnings ({err[:200]!r})')
    rendered[page] = out

# pkgvet(1): every command pkgvet help lists, and the ones being added.
helptext = run('help').stdout.decode()
cmds = re.findall(r'^  ([a-z]+)\b', helptext, re.M) + ['init', 'doctor']
for c in cmds:
    check(f'pkgvet {c}' in rendered['pkgvet.1'], f'pkgvet.1 describes pkgvet {c}')
for opt in sorted(set(re.findall(r'(--[a-z-]+)', run('audit', '--help').stdout.decode()))):
    check(opt in rendered['pkgvet.1'], f'pkgvet.1 describes audit {opt}')

# pkgvet-policy(5): every setting and every attribute id.
show = run('policy', 'show').stdout.decode()
settings = re.findall(r'^settings\.([a-z_]+) =', show, re.M)
check(len(settings) >= 13, f'policy show lists the settings ({settings})')
for k in settings:
    # a .TP tag: the key alone on its line, or a short one followed by its text
    check(re.search(r'^\s+' + k + r'(\s*$|\s\s)', rendered['pkgvet-policy.5'], re.M) is not None,
          f'pkgvet-policy.5 has an entry for settings.{k}')
    env = 'PKGVET_' + k.upper()
    check(env in rendered['pkgvet-policy.5'], f'pkgvet-policy.5 names {env}')
ids = [l.split()[0] for l in run('explain').stdout.decode().splitlines() if l.strip()]
for i in ids:
    check(i in rendered['pkgvet-policy.5'], f'pkgvet-policy.5 names attribute {i}')

# the shims' pages: the prompt keys and the pkgvet-specific variables.
for page, names in (('pkgvet-npm.1', ['PKGVET_YES', 'PKGVET_REAL_NPM', 'PKGVET_REAL_NPX', 'PKGVET_ENGINE', '--yes']),
                    ('pkgvet-pip.1', ['PKGVET_YES', 'PKGVET_REAL_PIP', 'PKGVET_PIP_PYTHON', 'PKGVET_ENGINE', '--yes',
                                     'VIRTUAL_ENV'])):
    for n in names:
        check(n in rendered[page], f'{page} names {n}')
check(all(re.search(r'^\s+' + k + r'\s', rendered['pkgvet-npm.1'], re.M) for k in 'yasnd'),
      'pkgvet-npm.1 lists the prompt keys y a s n d')

pvtest.done()
