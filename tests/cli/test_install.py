"""install.sh: the real script, run with --no-deps --no-build from the
test's build directory into temp prefixes, temp HOMEs and a temp --root.
Never the real / or the real HOME.

The login-shell cases (profile.d, zsh, fish picking the shims up) need a
private mount namespace (root) to put the temp root's files where the shells
look; without one they are skipped: the script says why and exits 77 after
the other cases passed."""
import os, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pvtest import check, done, snapshot, changed, tmpdir, failures  # noqa: E402

SRC = os.environ['PKGVET_SRC']
BUILD = os.environ['PKGVET_BUILD']
PKGVET = os.environ['PKGVET']
INSTALL = os.path.join(SRC, 'install.sh')
SKIP = 77
BEGIN, END = '# >>> pkgvet >>>', '# <<< pkgvet <<<'


def install(*args, home, shell='/bin/bash', env=None, umask=None):
    e = {'PATH': os.environ['PATH'], 'HOME': home, 'SHELL': shell, 'NO_COLOR': '1', 'LANG': 'C.UTF-8'}
    if env:
        e.update(env)
    argv = [INSTALL, '--no-deps', '--no-build', '--build-dir', BUILD, *args]
    p = subprocess.run(argv, capture_output=True, text=True, env=e, timeout=300, cwd=home,
                       preexec_fn=None if umask is None else (lambda: os.umask(umask)))
    if p.returncode != 0:
        print(f'  $ {" ".join(args)}\n  stdout: {p.stdout[-1500:]}\n  stderr: {p.stderr[-1500:]}')
    return p


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def build_state():
    """What install.sh must not touch in the shared build directory."""
    out = {}
    for n in ('CMakeCache.txt', 'pkgvet', 'pkgvet-npm', 'pkgvet-pip', 'Makefile', 'build.ninja'):
        p = os.path.join(BUILD, n)
        if os.path.exists(p):
            st = os.stat(p)
            out[n] = (st.st_mtime_ns, st.st_size)
    return out


def rc_line(out):
    """The line install.sh prints for the rc file (after 'add this line')."""
    lines = out.splitlines()
    for i, l in enumerate(lines):
        if l.startswith('add this line to') or l.startswith('pkgvet block') or 'already has the pkgvet block' in l:
            return lines[i + 1].strip()
    return None


build_before = build_state()
base = tmpdir()

# ---------------------------------------------------------------- default install
t = os.path.join(base, 'user')
home = os.path.join(t, 'home')
prefix = os.path.join(t, 'my prefix')          # a space: every path must be quoted
os.makedirs(home)
write(os.path.join(home, '.bashrc'), b'# my bashrc\nalias ll="ls -l"\n')
before = snapshot(t)
p = install('--prefix', prefix, home=home)
check(p.returncode == 0, 'default install exits 0')
for b in ('pkgvet', 'pkgvet-npm', 'pkgvet-pip'):
    check(os.access(os.path.join(prefix, 'bin', b), os.X_OK), f'bin/{b} installed')
shims = os.path.join(prefix, 'lib', 'pkgvet', 'shims')
for tool, target in (('npm', 'pkgvet-npm'), ('npx', 'pkgvet-npm'), ('pip', 'pkgvet-pip'), ('pip3', 'pkgvet-pip')):
    link = os.path.join(shims, tool)
    check(os.path.islink(link) and not os.path.isabs(os.readlink(link))
          and os.path.realpath(link) == os.path.realpath(os.path.join(prefix, 'bin', target)),
          f'shims/{tool} is a relative link to bin/{target}')
check(os.path.isfile(os.path.join(prefix, 'share', 'pkgvet', 'install-manifest')), 'install manifest written')
line = rc_line(p.stdout)
want = (f'export PATH="{shims}:$PATH"; eval "$("{prefix}/bin/pkgvet" init bash)"')
check(line == want, f'prints the bash rc line: {line!r}')
check(f'{home}/.bashrc' in p.stdout, 'names ~/.bashrc')
check(read(os.path.join(home, '.bashrc')) == b'# my bashrc\nalias ll="ls -l"\n', 'without --shell the rc file is untouched')
# The line works in bash: the shims come first on PATH (type -P: the init's npm function aside).
scratch_home = os.path.join(base, 'scratch-home')   # fish writes its own files into HOME
r = subprocess.run(['bash', '--norc', '--noprofile', '-c', line + ' 2>/dev/null; printf "%s\\n" "$PATH"; type -P npm'],
                   capture_output=True, text=True, env={'PATH': '/usr/bin:/bin', 'HOME': scratch_home})
check(r.stdout.splitlines()[:1] == [f'{shims}:/usr/bin:/bin'] and r.stdout.splitlines()[1:2] == [f'{shims}/npm'],
      f'the bash line puts the shims first on PATH: {r.stdout!r}')

# zsh and fish lines, by $SHELL
p = install('--prefix', prefix, home=home, shell='/usr/bin/zsh')
check(rc_line(p.stdout) == f'export PATH="{shims}:$PATH"; eval "$("{prefix}/bin/pkgvet" init zsh)"'
      and f'{home}/.zshrc' in p.stdout, 'SHELL=zsh: the zsh line for ~/.zshrc')
p = install('--prefix', prefix, home=home, shell='/usr/bin/fish')
fline = rc_line(p.stdout)
check(fline == f'set -gx PATH "{shims}" $PATH; "{prefix}/bin/pkgvet" init fish | source'
      and f'{home}/.config/fish/config.fish' in p.stdout, f'SHELL=fish: the fish line for config.fish: {fline!r}')
if shutil.which('fish'):
    r = subprocess.run(['fish', '--no-config', '-c', fline + ' 2>/dev/null; echo $PATH[1]; command -v npm'],
                       capture_output=True, text=True, env={'PATH': '/usr/bin:/bin', 'HOME': scratch_home})
    check(r.stdout.splitlines()[:2] == [shims, f'{shims}/npm'], f'the fish line puts the shims first: {r.stdout!r}')

# Again: idempotent (same manifest, same files)
m1 = read(os.path.join(prefix, 'share', 'pkgvet', 'install-manifest'))
s1 = snapshot(t)
p = install('--prefix', prefix, home=home)
check(p.returncode == 0 and read(os.path.join(prefix, 'share', 'pkgvet', 'install-manifest')) == m1
      and snapshot(t) == s1, 'a second install changes nothing')

# ---------------------------------------------------------------- --shell, twice
p = install('--prefix', prefix, '--shell', home=home)
p2 = install('--prefix', prefix, '--shell', home=home)
rc = read(os.path.join(home, '.bashrc')).decode()
check(p.returncode == 0 and p2.returncode == 0, '--shell twice exits 0')
check(rc.count(BEGIN) == 1 and rc.count(END) == 1 and rc.count(want) == 1, '--shell twice leaves exactly one block')
check(rc.startswith('# my bashrc\nalias ll="ls -l"\n' + BEGIN + '\n') and rc.endswith(want + '\n' + END + '\n'),
      'the block is appended after what was there')
check('already has the pkgvet block' in p2.stdout, 'the second --shell says the block is there already')

# An outdated block (another prefix) is replaced in place.
old = rc.replace(want, 'export PATH="/old/lib/pkgvet/shims:$PATH"') + '# after the block\n'
write(os.path.join(home, '.bashrc'), old.encode())
os.chmod(os.path.join(home, '.bashrc'), 0o600)
p = install('--prefix', prefix, '--shell', home=home)
rc = read(os.path.join(home, '.bashrc')).decode()
check(rc == old.replace('export PATH="/old/lib/pkgvet/shims:$PATH"', want), 'an outdated block is replaced in place')
check(os.stat(os.path.join(home, '.bashrc')).st_mode & 0o777 == 0o600, 'the rc file keeps its mode')
check(not [n for n in os.listdir(home) if 'pkgvet' in n], 'no temporary file left next to the rc file')
write(os.path.join(home, '.bashrc'), old.replace('export PATH="/old/lib/pkgvet/shims:$PATH"', want)
      .replace('# after the block\n', '').encode())

# --shell alone on an existing install: no build directory at all
p = install('--prefix', prefix, '--shell', '--build-dir', os.path.join(t, 'no-such-build'), home=home)
check(p.returncode == 0 and 'using the existing install' in p.stdout, '--no-build --shell works without a build directory')

# ---------------------------------------------------------------- --uninstall: everything, nothing else
write(os.path.join(prefix, 'bin', 'mine'), b'a file the person put there\n')
write(os.path.join(home, '.cache', 'pkgvet', 'cache.sqlite3'), b'user data\n')
p = install('--prefix', prefix, '--uninstall', home=home)
check(p.returncode == 0, '--uninstall exits 0')
after = snapshot(t)
extra = {'my prefix/': 'dir', 'my prefix/bin/': 'dir', 'my prefix/bin/mine': None,
         'home/.cache/': 'dir', 'home/.cache/pkgvet/': 'dir', 'home/.cache/pkgvet/cache.sqlite3': None}
left = {k: v for k, v in after.items() if k not in extra}
check(left == before, f'uninstall removed every installed file and restored ~/.bashrc: {changed(before, left)}')
check(all(k in after for k in extra), 'files the person added (in the prefix, the cache) stay')
p = install('--prefix', prefix, '--uninstall', home=home)
check(p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and 'no install manifest' in p.stderr,
      'a second --uninstall: one line, exit 1')

# ---------------------------------------------------------------- rc files restored byte for byte
cases = [('ends in a newline', b'export A=1\n'), ('no trailing newline', b'export A=1\nexport B=2'),
         ('empty', b''), ('absent', None)]
for what, content in cases:
    for shell, rel in (('/bin/bash', '.bashrc'), ('/usr/bin/zsh', '.zshrc'), ('/usr/bin/fish', '.config/fish/config.fish')):
        t2 = tmpdir()
        h2 = os.path.join(t2, 'home')
        os.makedirs(h2)
        if content is not None:
            write(os.path.join(h2, rel), content)
            os.chmod(os.path.join(h2, rel), 0o640)
        snap = snapshot(t2)
        pre = os.path.join(t2, 'prefix')
        p = install('--prefix', pre, '--shell', home=h2, shell=shell)
        rcf = os.path.join(h2, rel)
        got = read(rcf) if os.path.exists(rcf) else b''
        ok = p.returncode == 0 and got.count(BEGIN.encode()) == 1
        if content:
            ok = ok and got.startswith(content)
        p = install('--prefix', pre, '--uninstall', home=h2, shell=shell)
        check(ok and p.returncode == 0 and snapshot(t2) == snap,
              f'{rel} ({what}): --shell then --uninstall leaves it byte for byte as it was: {changed(snap, snapshot(t2))}')
        if content is not None:
            check(os.stat(rcf).st_mode & 0o777 == 0o640, f'{rel} ({what}): mode kept')
        shutil.rmtree(t2)

# A dotfiles link: the file it points to is edited, the link stays a link.
t2 = tmpdir()
h2 = os.path.join(t2, 'home')
write(os.path.join(t2, 'dotfiles', 'bashrc'), b'# dotfiles\n')
os.makedirs(h2)
os.symlink('../dotfiles/bashrc', os.path.join(h2, '.bashrc'))
snap = snapshot(t2)
p = install('--prefix', os.path.join(t2, 'prefix'), '--shell', home=h2)
check(p.returncode == 0 and os.path.islink(os.path.join(h2, '.bashrc'))
      and BEGIN in read(os.path.join(t2, 'dotfiles', 'bashrc')).decode(), 'an rc link: its target gets the block')
p = install('--prefix', os.path.join(t2, 'prefix'), '--uninstall', home=h2)
check(snapshot(t2) == snap, 'an rc link: uninstall restores its target')
shutil.rmtree(t2)

# ---------------------------------------------------------------- --system --root
T = os.path.join(base, 'root')
sys_home = os.path.join(base, 'syshome')
os.makedirs(sys_home)
os.makedirs(os.path.join(T, 'etc', 'zsh'))
zprofile = os.path.join(T, 'etc', 'zsh', 'zprofile')
real_zprofile = read('/etc/zsh/zprofile') if os.path.isfile('/etc/zsh/zprofile') else b'# zprofile\n'
write(zprofile, real_zprofile)
write(os.path.join(T, 'etc', 'hostname'), b'laptop\n')
sys_before = snapshot(T)
p = install('--system', '--root', T, home=sys_home, umask=0o077)
check(p.returncode == 0, '--system --root exits 0')
profile_d = os.path.join(T, 'etc', 'profile.d', 'pkgvet.sh')
fish_d = os.path.join(T, 'etc', 'fish', 'conf.d', 'pkgvet.fish')
policy = os.path.join(T, 'etc', 'pkgvet', 'policy.ini')
check(os.path.isfile(profile_d) and '/usr/local/lib/pkgvet/shims' in read(profile_d).decode()
      and T not in read(profile_d).decode(), 'profile.d/pkgvet.sh names the shims as the installed system sees them')
check(os.path.isfile(fish_d), 'fish conf.d/pkgvet.fish written')
zp = read(zprofile).decode()
check(zp.startswith(real_zprofile.decode()) and zp.count(BEGIN) == 1 and '/etc/profile.d/pkgvet.sh' in zp,
      '/etc/zsh/zprofile gets a block sourcing the profile.d snippet')
check(os.path.isfile(os.path.join(T, 'usr', 'local', 'bin', 'pkgvet'))
      and os.path.islink(os.path.join(T, 'usr', 'local', 'lib', 'pkgvet', 'shims', 'npm')), 'installed under ROOT/usr/local')
check(os.path.isfile(policy) and '[locked]' in read(policy).decode(), 'policy.ini template written, with [locked]')
modes = {rel: os.stat(os.path.join(T, rel)).st_mode & 0o777
         for rel in ('etc/pkgvet', 'etc/pkgvet/policy.ini', 'etc/profile.d/pkgvet.sh', 'etc/fish/conf.d/pkgvet.fish',
                     'usr/local/lib/pkgvet/shims', 'usr/local/share/pkgvet/catalogue.ini')}
check(all(m & 0o005 == 0o005 if os.path.isdir(os.path.join(T, r)) else m & 0o004 for r, m in modes.items()),
      f'with umask 077 what --system installs is still readable by every user: {modes}')
r = subprocess.run([PKGVET, 'policy', 'check', '--org', policy], capture_output=True, text=True)
check(r.returncode == 0, f'the template passes pkgvet policy check --org: {r.stderr.strip()}')
r = subprocess.run(['sh', '-n', profile_d], capture_output=True, text=True)
check(r.returncode == 0, 'profile.d snippet is valid sh')
if shutil.which('fish'):
    r = subprocess.run(['fish', '--no-execute', fish_d], capture_output=True, text=True)
    check(r.returncode == 0, f'fish snippet is valid fish: {r.stderr.strip()}')
# Every key the template explains, uncommented, is a valid policy too.
lines = [l[2:] if l.startswith('# ') and not l.startswith('#  ') and (' = ' in l or l.startswith('# [')) else l
         for l in read(policy).decode().splitlines()]
t3 = os.path.join(base, 'uncommented.ini')
write(t3, ('\n'.join(lines) + '\n').encode())
r = subprocess.run([PKGVET, 'policy', 'check', '--org', t3], capture_output=True, text=True)
check(r.returncode == 0, f'the template with its examples uncommented passes too: {r.stderr.strip()}')

# Again: idempotent; the template is kept, and so is an edited one.
p = install('--system', '--root', T, home=sys_home)
check(p.returncode == 0 and read(zprofile).decode() == zp, 'a second --system leaves one zprofile block')
with open(policy, 'ab') as f:
    f.write(b'\n[deny npm:event-stream@3.3.6]\nreason = SEC-101\n')
edited = read(policy)
p = install('--system', '--root', T, home=sys_home)
check(p.returncode == 0 and read(policy) == edited and 'kept' in p.stdout, 'an existing policy.ini is kept, and it says so')

# Login shells on the installed system: in a private mount namespace, the
# temp root's /usr/local, /etc/profile.d, /etc/zsh and /etc/fish/conf.d are
# where the shells look.
skip_reason = None
if os.geteuid() != 0 or not shutil.which('unshare') or not shutil.which('mount'):
    skip_reason = 'login-shell cases need root, unshare(1) and mount(8)'
else:
    mounts = [(os.path.join(T, 'usr', 'local'), '/usr/local'), (os.path.join(T, 'etc', 'profile.d'), '/etc/profile.d')]
    if os.path.isdir('/etc/zsh'):
        mounts.append((os.path.join(T, 'etc', 'zsh'), '/etc/zsh'))
    if os.path.isdir('/etc/fish/conf.d'):
        mounts.append((os.path.join(T, 'etc', 'fish', 'conf.d'), '/etc/fish/conf.d'))
    script = 'set -e\n' + ''.join(f'mount --bind "{a}" "{b}"\n' for a, b in mounts)
    script += ('env -i HOME="$H" PATH=/usr/bin:/bin bash -c \'. /etc/profile.d/pkgvet.sh; echo "bash-c $PATH"; '
               'echo "bash-c-npm $(command -v npm)"\'\n'
               'env -i HOME="$H" PATH=/usr/bin:/bin bash -c \'. /etc/profile.d/pkgvet.sh; . /etc/profile.d/pkgvet.sh; '
               'echo "twice $PATH"\'\n'
               'env -i HOME="$H" TERM=dumb bash -l -c \'echo "bash-l $(command -v npm)"\'\n')
    if os.path.isdir('/etc/zsh') and shutil.which('zsh'):
        script += 'env -i HOME="$H" TERM=dumb zsh -l -c \'echo "zsh-l $(command -v npm)"\'\n'
    if os.path.isdir('/etc/fish/conf.d') and shutil.which('fish'):
        script += 'env -i HOME="$H" TERM=dumb PATH=/usr/bin:/bin fish -c \'echo "fish $(command -v npm)"\'\n'
    r = subprocess.run(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script],
                       capture_output=True, text=True, env={'PATH': os.environ['PATH'], 'H': sys_home}, timeout=120)
    if r.returncode != 0 and not r.stdout:
        skip_reason = f'no private mount namespace: {r.stderr.strip()[:200]}'
    else:
        got = dict(l.split(' ', 1) for l in r.stdout.splitlines() if ' ' in l)
        sh = '/usr/local/lib/pkgvet/shims'
        check(got.get('bash-c', '').startswith(sh + ':'), f'bash -c with the snippet sourced: shims first on PATH: {got.get("bash-c")!r}')
        check(got.get('bash-c-npm') == sh + '/npm', 'bash -c with the snippet sourced: npm is the shim')
        check(got.get('twice') == f'{sh}:/usr/bin:/bin', 'sourcing the snippet twice adds the shims once')
        check(got.get('bash-l') == sh + '/npm', f'a bash login shell finds the npm shim: {got.get("bash-l")!r} {r.stderr[-300:]}')
        if 'zsh-l' in r.stdout or os.path.isdir('/etc/zsh') and shutil.which('zsh'):
            check(got.get('zsh-l') == sh + '/npm', f'a zsh login shell finds the npm shim: {got.get("zsh-l")!r}')
        if os.path.isdir('/etc/fish/conf.d') and shutil.which('fish'):
            check(got.get('fish') == sh + '/npm', f'fish finds the npm shim: {got.get("fish")!r}')

# --uninstall --system --root: everything but the edited policy.ini goes.
p = install('--uninstall', '--system', '--root', T, home=sys_home)
check(p.returncode == 0 and 'kept' in p.stdout and read(policy) == edited, 'uninstall keeps the edited policy.ini, and says so')
after = snapshot(T)
check({k: v for k, v in after.items() if not k.startswith('etc/pkgvet/')} == sys_before,
      f'uninstall --system removed everything else and restored zprofile: {changed(sys_before, after)}')
# An unedited template goes with the rest (and the directory, created again).
os.remove(policy)
os.rmdir(os.path.dirname(policy))
p = install('--system', '--root', T, home=sys_home)
p = install('--uninstall', '--system', '--root', T, home=sys_home)
check(p.returncode == 0 and snapshot(T) == {k: v for k, v in sys_before.items()},
      f'an unedited template is removed by uninstall: {changed(sys_before, snapshot(T))}')
# An organisation's own policy.ini, there before install.sh: never written, never removed.
write(policy, b'[settings]\nfail_closed = yes\n')
p = install('--system', '--root', T, home=sys_home)
check(p.returncode == 0 and read(policy) == b'[settings]\nfail_closed = yes\n' and "organisation's own file" in p.stdout,
      "an organisation's existing policy.ini is not overwritten")
p = install('--uninstall', '--system', '--root', T, home=sys_home)
check(read(policy) == b'[settings]\nfail_closed = yes\n', "uninstall leaves the organisation's policy.ini")

# ---------------------------------------------------------------- errors: one line, exit 2 (usage) or 1
for args, code, what in ((['--bogus'], 2, 'an unknown option'), (['--prefix'], 2, '--prefix without a directory'),
                         (['--shell=tcsh'], 2, 'an unknown shell'),
                         (['--root', os.path.join(base, 'nope')], 2, '--root that does not exist'),
                         (['--root', T, '--shell'], 2, '--shell with --root'),
                         (['--uninstall', '--shell'], 2, '--uninstall with --shell')):
    p = install(*args, home=sys_home)
    check(p.returncode == code and len(p.stderr.strip().splitlines()) == 1 and p.stderr.startswith('install.sh: '),
          f'{what}: one line, exit {code}: {p.stderr.strip()!r}')
p = install('--prefix', os.path.join(base, 'p'), '--shell', home=sys_home, shell='/bin/tcsh')
check(p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and 'SHELL' in p.stderr
      and not os.path.exists(os.path.join(base, 'p')),
      f'--shell with an unknown $SHELL: one line, exit 1, nothing installed: {p.stderr.strip()!r}')
p = install('--prefix', os.path.join(base, 'q'), '--build-dir', os.path.join(base, 'nobuild'), home=sys_home)
check(p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and 'no build' in p.stderr,
      '--no-build without a build or an install: one line, exit 1')
p = subprocess.run([INSTALL, '--help'], capture_output=True, text=True)
check(p.returncode == 0 and '--uninstall' in p.stdout and '--root DIR' in p.stdout and '--no-build' in p.stdout
      and not p.stdout.startswith('#'), '--help prints the header')

check(build_state() == build_before, 'the build directory was not reconfigured or rebuilt')
shutil.rmtree(base)
if skip_reason and not failures:
    print(f'skip (after the other cases passed): {skip_reason}')
    sys.exit(SKIP)
done()
