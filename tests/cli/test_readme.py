"""The README stays true: its attribute table is the catalogue's (as
docs/catalogue-table.py prints it), its first commands are the ones CI runs,
and the doctor / init / install.sh options it names exist."""
import os, re, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pvtest import *

SRC = os.environ.get('PKGVET_SRC') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
readme = open(os.path.join(SRC, 'README.md'), encoding='utf-8').read()

table = subprocess.run([sys.executable, os.path.join(SRC, 'docs', 'catalogue-table.py')], capture_output=True,
                       text=True, check=True).stdout
check(table.strip() in readme, 'the README has the catalogue table exactly as docs/catalogue-table.py prints it')
ids = re.findall(r'^\| `([a-z0-9-]+)` \|', table, re.M)
r = run('explain')
for i in ids:
    check(i in r.stdout.decode(), f'{i} (README table) is an attribute pkgvet explain knows')

first = readme.split('```')[1]
ci = open(os.path.join(SRC, '.ci', 'run')).read()
check('./install.sh' in first and './install.sh' in ci, 'the README starts with ./install.sh, and CI runs it')
test_cmd = next((l.split('#')[0].strip() for l in first.splitlines() if l.startswith('ctest')), '')
check(test_cmd and test_cmd in ci, f'the README\'s test command is the one CI runs ({test_cmd!r})')

help_text = subprocess.run(['bash', os.path.join(SRC, 'install.sh'), '--help'], capture_output=True, text=True).stdout
for opt in re.findall(r'\./install\.sh (--[a-z-]+)', readme):
    check(opt in help_text, f'install.sh {opt} (named in the README) exists')
for sub in ('doctor', 'init bash', 'audit', 'explain', 'policy check'):
    if f'pkgvet {sub}' in readme:
        r = run(*sub.split()[:1], '--help')
        check(r.returncode == 0, f'pkgvet {sub.split()[0]} (named in the README) has --help')
done()
