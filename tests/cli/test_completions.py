"""The completion files in hooks/completions/ with the real shells: bash
(complete -p, and the function driven through COMP_WORDS / COMP_CWORD),
fish (complete -C) and zsh (compinit loads _pkgvet without errors). The
attribute ids come from the pkgvet binary under test."""
import os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pvtest
from pvtest import check

SRC = os.environ.get('PKGVET_SRC') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
COMP = os.path.join(SRC, 'hooks', 'completions')
BIN = os.path.dirname(os.path.abspath(pvtest.PKGVET))
work = tempfile.mkdtemp(prefix='pvtest-comp-')
for name in ('pkg-1.0.0.tgz', 'requirements.txt', 'policy.ini'):
    open(os.path.join(work, name), 'w').close()
os.mkdir(os.path.join(work, 'pkgdir'))
env = {k: v for k, v in os.environ.items() if not k.startswith('PKGVET_')}
h = pvtest.private_home()
env.update({'PATH': BIN + os.pathsep + os.environ.get('PATH', ''), 'HOME': h,
            'XDG_CONFIG_HOME': os.path.join(h, 'config'), 'XDG_CACHE_HOME': os.path.join(h, 'cache')})

ids = [line.split()[0] for line in pvtest.run('explain').stdout.decode().splitlines() if line.strip()]
check(len(ids) > 30 and 'typosquat' in ids, f'pkgvet explain lists the attribute ids ({len(ids)})')


def sh(argv, script):
    p = subprocess.run(argv + [script], capture_output=True, text=True, cwd=work, env=env, timeout=60)
    return p.returncode, p.stdout, p.stderr


# ---------------------------------------------------------------- bash
def bash_complete(*words):
    """Candidates of _pkgvet for the command line `words` (the last one is
    being completed), as bash would call it."""
    arr = ' '.join("'" + w.replace("'", "'\\''") + "'" for w in words)
    rc, out, err = sh(['bash', '--norc', '--noprofile', '-c'],
                      f'source {COMP}/pkgvet.bash || exit 9\n'
                      f'COMP_WORDS=({arr}); COMP_CWORD={len(words) - 1}\n'
                      'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}\n'
                      '_pkgvet pkgvet "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" || exit 8\n'
                      'printf "%s\\n" "${COMPREPLY[@]}"')
    check(rc == 0 and err == '', f'bash: completing {words} runs cleanly ({rc}, {err!r})')
    return set(out.split('\n')) - {''}


rc, out, err = sh(['bash', '--norc', '--noprofile', '-c'], f'source {COMP}/pkgvet.bash && complete -p pkgvet')
check(rc == 0 and out.strip() == 'complete -F _pkgvet pkgvet', f'bash: complete -p pkgvet ({out!r} {err!r})')

c = bash_complete('pkgvet', '')
check({'audit', 'explain', 'policy', 'approve', 'cache', 'npm', 'pip', 'init', 'doctor', 'help', 'version'} <= c,
      f'bash: pkgvet <TAB> lists the commands ({sorted(c)})')
check(bash_complete('pkgvet', 'ex') == {'explain'}, 'bash: pkgvet ex<TAB> -> explain')
c = bash_complete('pkgvet', 'explain', '')
check(c == set(ids), f'bash: pkgvet explain <TAB> -> every attribute id from the binary ({len(c)})')
check(bash_complete('pkgvet', 'explain', 'typo') == {'typosquat'}, 'bash: pkgvet explain typo<TAB> -> typosquat')
check(bash_complete('pkgvet', 'explain', 'perm-n') == {'perm-network', 'perm-native'},
      'bash: pkgvet explain perm-n<TAB>')
check(bash_complete('pkgvet', 'init', '') >= {'bash', 'zsh', 'fish'} and
      bash_complete('pkgvet', 'init', 'z') == {'zsh'}, 'bash: pkgvet init <TAB> -> bash zsh fish')
c = bash_complete('pkgvet', 'audit', '--')
check({'--lockfile', '--requirement', '--json', '--fail-on', '--jobs', '--color', '--quiet', '--verbose',
       '--no-cache', '--help'} <= c, f'bash: pkgvet audit --<TAB> lists its options ({sorted(c)})')
check(bash_complete('pkgvet', 'audit', '--fail-on', '') == {'warn', 'prompt', 'block'}, 'bash: --fail-on actions')
check(bash_complete('pkgvet', 'audit', '--color', '=', 'a') == {'auto', 'always'}, 'bash: --color=a<TAB>')
c = bash_complete('pkgvet', 'audit', '')
check({'npm:', 'pypi:', 'pkg-1.0.0.tgz', 'pkgdir', 'requirements.txt'} <= c,
      f'bash: pkgvet audit <TAB> -> npm: pypi: and files ({sorted(c)})')
check(bash_complete('pkgvet', 'audit', 'np') == {'npm:'}, 'bash: pkgvet audit np<TAB> -> npm:')
check(bash_complete('pkgvet', 'audit', 'pk') == {'pkg-1.0.0.tgz', 'pkgdir'}, 'bash: pkgvet audit pk<TAB> -> files')
check(bash_complete('pkgvet', 'audit', '-r', 're') == {'requirements.txt'}, 'bash: audit -r <file>')
check(bash_complete('pkgvet', 'policy', '') >= {'show', 'check'}, 'bash: policy <TAB> -> show check')
check(bash_complete('pkgvet', 'policy', 'check', '--') >= {'--org'}, 'bash: policy check --<TAB> -> --org')
check(bash_complete('pkgvet', 'policy', 'check', 'pol') == {'policy.ini'}, 'bash: policy check <file>')
check(bash_complete('pkgvet', 'policy', 'show', '--') >= {'--json'}, 'bash: policy show --json')
check(bash_complete('pkgvet', 'cache', '') >= {'path', 'stats', 'clear'}, 'bash: cache <TAB>')
check(bash_complete('pkgvet', 'cache', 'clear', '') == {'--metadata'}, 'bash: cache clear --metadata')
check(bash_complete('pkgvet', 'approve', '--') >= {'--project'}, 'bash: approve --project')
check(bash_complete('pkgvet', 'doctor', '--') >= {'--help'}, 'bash: doctor --help')

# ---------------------------------------------------------------- fish
if shutil.which('fish'):
    def fish_complete(line):
        rc, out, err = sh(['fish', '--no-config', '-c'], f'source {COMP}/pkgvet.fish; complete -C "{line}"')
        check(rc == 0 and err == '', f'fish: completing {line!r} runs cleanly ({err!r})')
        return {l.split('\t')[0] for l in out.splitlines() if l}
    check(fish_complete('pkgvet ex') == {'explain'}, 'fish: pkgvet ex<TAB> -> explain')
    check(fish_complete('pkgvet explain ') == set(ids), 'fish: pkgvet explain <TAB> -> the ids from the binary')
    check(fish_complete('pkgvet explain typo') == {'typosquat'}, 'fish: explain typo<TAB>')
    check(fish_complete('pkgvet init ') == {'bash', 'zsh', 'fish'}, 'fish: init <TAB> -> bash zsh fish')
    check(fish_complete('pkgvet audit --fail-on ') == {'warn', 'prompt', 'block'}, 'fish: --fail-on actions')
    c = fish_complete('pkgvet audit ')
    check({'npm:', 'pypi:', 'pkg-1.0.0.tgz'} <= c, f'fish: audit <TAB> -> npm: pypi: and files ({sorted(c)})')
    check({'--quiet', '--verbose', '--lockfile', '--json'} <= fish_complete('pkgvet audit --'), 'fish: audit options')
    check(fish_complete('pkgvet policy ') >= {'show', 'check'}, 'fish: policy <TAB>')
    check(fish_complete('pkgvet cache ') >= {'path', 'stats', 'clear'}, 'fish: cache <TAB>')
else:
    print('skip fish: not installed')

# ---------------------------------------------------------------- zsh
if shutil.which('zsh'):
    zd = tempfile.mkdtemp(prefix='pvtest-zsh-')
    rc, out, err = sh(['zsh', '-f', '-c'],
                      f'fpath=({COMP} $fpath); autoload -U compinit; compinit -u -d {zd}/zcompdump || exit 7\n'
                      'print -r -- "comp=$_comps[pkgvet]"; autoload +X _pkgvet || exit 6; whence -w _pkgvet')
    check(rc == 0 and 'comp=_pkgvet' in out and '_pkgvet: function' in out and err == '',
          f'zsh: compinit registers _pkgvet for pkgvet and it loads ({out!r} {err!r})')
    rc, out, err = sh(['zsh', '-n'], os.path.join(COMP, '_pkgvet'))
    check(rc == 0 and err == '', f'zsh -n _pkgvet ({err!r})')
    # A real interactive zsh on a pseudo-terminal (zsh/zpty) completing a
    # line with TAB; a compadd wrapper reports what the completion offers.
    driver = os.path.join(zd, 'drive.zsh')
    with open(driver, 'w') as f:
        f.write(f"""zmodload zsh/zpty || exit 5
zpty z 'zsh -f -i'
zpty -w z 'PS1="> "; fpath=({COMP} $fpath); autoload -U compinit; compinit -u -d {zd}/zcompdump2'
zpty -w z 'compadd () {{ local -a _o; builtin compadd -O _o "$@"; print -rn -- "@@""CANDS:${{(j:,:)_o}}:""END@@" >/dev/tty; builtin compadd "$@" }}'
zpty -wn z "pkgvet $1"$'\\t'
local out='' line i
for i in {{1..50}}; do
  if zpty -rt z line; then out+=$line; [[ $out == *'@@CANDS:'*':END@@'* ]] && break; else sleep 0.2; fi
done
print -r -- ${{(M)${{(s:@@:)out}}:#CANDS:*}}
zpty -d z
""")

    def zsh_complete(line):
        p = subprocess.run(['zsh', '-f', driver, line], capture_output=True, text=True, cwd=work, env=env,
                           timeout=60)
        got = set()
        for group in p.stdout.split():
            if group.startswith('CANDS:') and group.endswith(':END'):
                got |= set(group[len('CANDS:'):-len(':END')].split(',')) - {''}
        return got

    check(zsh_complete('ex') == {'explain'}, 'zsh: pkgvet ex<TAB> -> explain')
    check(zsh_complete('explain typ') == {'typosquat'}, 'zsh: pkgvet explain typ<TAB> -> typosquat (from the binary)')
    check(zsh_complete('explain perm-n') == {'perm-network', 'perm-native'}, 'zsh: explain perm-n<TAB>')
    check(zsh_complete('init ') == {'bash', 'zsh', 'fish'}, 'zsh: init <TAB> -> bash zsh fish')
    check(zsh_complete('audit --fail-on ') == {'warn', 'prompt', 'block'}, 'zsh: audit --fail-on <TAB>')
    check(zsh_complete('audit --q') == {'--quiet'}, 'zsh: audit --q<TAB> -> --quiet')
    check(zsh_complete('audit np') == {'npm:'}, 'zsh: audit np<TAB> -> npm:')
    check(zsh_complete('policy ') == {'show', 'check'}, 'zsh: policy <TAB> -> show check')
    check('--org' in zsh_complete('policy check --o'), 'zsh: policy check --o<TAB> -> --org')
    check('--metadata' in zsh_complete('cache clear --m'), 'zsh: cache clear --m<TAB> -> --metadata')
else:
    print('skip zsh: not installed')

pvtest.done()
