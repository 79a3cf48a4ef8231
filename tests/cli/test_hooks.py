"""Shell hooks (`pkgvet init bash|zsh|fish`), the shims' defences against
running themselves, and the organisation's lock on PKGVET_REAL_* (issue 7).

Real bash, zsh and fish (a missing shell's cases are skipped with a
message) evaluate the printed code, then:
- the hook contract, against a fake shims directory (PKGVET_SHIMS_DIR) whose
  name has spaces, quotes and a $: npm, npx, pip, pip3 call SHIMS/TOOL by
  absolute path with PKGVET_HOOK_SHELL in that command's environment only;
  `python -m pip` / `-mpip` call SHIMS/pip with PKGVET_PIP_PYTHON = the
  python PATH would have run (the venv's after activation); any other
  python runs untouched; re-evaluation and `set -u` are harmless;
- end to end with the real shims: npm / pip reach a fake real tool through
  the front door (PKGVET_SHIM_DEPTH=1 proves it); after `source
  venv/bin/activate` of a real `python3 -m venv`, `pip list` and `python -m
  pip --version` run the venv's own pip (a .pth file in the venv reports
  which python ran, from which prefix, with which markers);
- `bash -c 'npm --version'` with only the shims directory first on PATH.
Recursion: the shims directory twice on PATH, a symlink loop, copied shims,
PKGVET_REAL_PIP at a shim, a wrapper script that runs the shim again: each
ends with one line and a non-zero status, quickly. The org lock cases run
in a private mount namespace with an overlay over /etc (nothing on the real
/etc changes); without one they are skipped (77)."""
import os, shutil, stat, subprocess, sys, tempfile, time
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import check, done, failures, rerun_in_mount_namespace

SKIP = 77
PKGVET = os.path.abspath(os.environ.get('PKGVET') or os.path.join(os.environ.get('PKGVET_BUILD', 'build'), 'pkgvet'))
BUILD = os.path.dirname(PKGVET)
SHIMS = os.path.join(BUILD, 'shims')
PY = shutil.which('python3') or sys.executable
ORG = '/etc/pkgvet/policy.ini'
SHELLS = {'bash': shutil.which('bash'), 'zsh': shutil.which('zsh'), 'fish': shutil.which('fish')}


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)
    os.chmod(path, mode)
    return path


# A stand-in for a real tool or a shim: prints how it was run, one line.
FAKE = """#!/bin/sh
echo "FAKE name=$(basename "$0") argv0=$0 args=$* hook=${PKGVET_HOOK_SHELL-none} depth=${PKGVET_SHIM_DEPTH-none} py=${PKGVET_PIP_PYTHON-none}"
"""


def env_for(home, path, extra=None):
    e = {k: v for k, v in os.environ.items()
         if not k.startswith('PKGVET_') and not k.startswith('PIP_') and k not in ('VIRTUAL_ENV', 'PYTHONPATH')}
    e.update({'HOME': home, 'XDG_CACHE_HOME': os.path.join(home, 'cache'),
              'XDG_CONFIG_HOME': os.path.join(home, 'config'), 'XDG_STATE_HOME': os.path.join(home, 'state'),
              'NO_COLOR': '1', 'PATH': path, 'PIP_DISABLE_PIP_VERSION_CHECK': '1',
              'PIP_CONFIG_FILE': os.devnull, 'PIP_NO_INPUT': '1'})
    if extra:
        e.update(extra)
    return e


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def init_line(sh, pkgvet=PKGVET):
    """The line a person puts in the shell's rc file."""
    if sh == 'fish':
        return f'{sh_quote(pkgvet)} init fish | source'
    return f'eval "$({sh_quote(pkgvet)} init {sh})"'


def shell(sh, script, env, timeout=60, cwd=None):
    argv = {'bash': ['bash', '--norc', '--noprofile', '-c'], 'zsh': ['zsh', '-f', '-c'],
            'fish': ['fish', '--no-config', '-c']}[sh] + [script]
    argv[0] = SHELLS[sh]
    t = time.time()
    p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                       stdin=subprocess.DEVNULL)
    p.elapsed = time.time() - t
    return p


def is_function(sh, name):
    return {'bash': f'type -t {name}', 'zsh': f'whence -w {name}', 'fish': f'type -t {name}'}[sh]


def show(p):
    return f'rc={p.returncode} out={p.stdout[-600:]!r} err={p.stderr[-600:]!r}'


def fake_lines(out):
    return [l for l in out.splitlines() if l.startswith('FAKE ')]


WORK = tempfile.mkdtemp(prefix='pvtest-hooks-')
HOME = os.path.join(WORK, 'home')
os.makedirs(HOME)
BASE_PATH = os.environ.get('PATH', '/usr/bin:/bin')
FAKEBIN = os.path.join(WORK, 'fakebin')
FAKE_TOOL = write(os.path.join(FAKEBIN, 'realtool'), FAKE, 0o755)


# ---------------------------------------------------------------- pkgvet init itself

def init_cases():
    e = env_for(HOME, BASE_PATH)
    p = subprocess.run([PKGVET, 'init'], env=e, capture_output=True, text=True)
    check(p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and not p.stdout,
          f'init with no shell: exit 2, one line ({show(p)})')
    p = subprocess.run([PKGVET, 'init', 'tcsh'], env=e, capture_output=True, text=True)
    check(p.returncode == 2 and p.stderr.count('\n') == 1 and 'tcsh' in p.stderr and not p.stdout,
          f'init with an unknown shell: exit 2, one line naming it ({show(p)})')
    p = subprocess.run([PKGVET, 'init', '--help'], env=e, capture_output=True, text=True)
    check(p.returncode == 0 and 'bash' in p.stdout and 'fish' in p.stdout, 'init --help')
    p = subprocess.run([PKGVET, 'init', 'bash'], env=dict(e, PKGVET_SHIMS_DIR=os.path.join(WORK, 'nowhere')),
                       capture_output=True, text=True)
    check(p.returncode != 0 and p.stderr.count('\n') == 1 and not p.stdout,
          f'init with a missing shims directory: one line, non-zero ({show(p)})')
    partial = os.path.join(WORK, 'partial-shims')
    os.makedirs(partial)
    os.symlink(os.path.join(BUILD, 'pkgvet-npm'), os.path.join(partial, 'npm'))
    p = subprocess.run([PKGVET, 'init', 'zsh'], env=dict(e, PKGVET_SHIMS_DIR=partial), capture_output=True, text=True)
    check(p.returncode != 0 and 'npx' in p.stderr and p.stderr.count('\n') == 1,
          f'init with a shims directory missing a link: one line naming it ({show(p)})')
    for sh in ('bash', 'zsh', 'fish'):
        p = subprocess.run([PKGVET, 'init', sh], env=e, capture_output=True, text=True)
        check(p.returncode == 0 and f"{SHIMS}'/npm" in p.stdout and 'PATH=' not in p.stdout,
              f'init {sh}: names the build tree\'s shims directory, sets no PATH')


def install_layout_cases():
    """`cmake --install` into a prefix with a space, pkgvet run through a link
    from elsewhere: init finds the shims directory from pkgvet's real path,
    and the hooks reach the installed shims."""
    prefix = os.path.join(WORK, 'pre fix')
    cmake = shutil.which('cmake')
    if not cmake:
        print('skip: installed layout: no cmake')
        return
    r = subprocess.run([cmake, '--install', BUILD, '--prefix', prefix], capture_output=True, text=True, timeout=120)
    if not check(r.returncode == 0, f'cmake --install into a scratch prefix ({r.stderr[-300:]!r})'):
        return
    bindir = os.path.join(prefix, 'bin')
    shimdir = next((os.path.join(root) for root, dirs, files in os.walk(prefix)
                    if root.endswith('/pkgvet/shims')), None)
    if not check(shimdir is not None, 'the install has a pkgvet/shims directory'):
        return
    link = os.path.join(WORK, 'elsewhere', 'pkgvet')
    os.makedirs(os.path.dirname(link))
    os.symlink(os.path.join(bindir, 'pkgvet'), link)
    p = subprocess.run([link, 'init', 'bash'], env=env_for(HOME, BASE_PATH), capture_output=True, text=True)
    check(p.returncode == 0 and f"'{shimdir}'/pip " in p.stdout and f"'{bindir}/pkgvet'" in p.stdout,
          f'installed layout: init names PREFIX/lib/pkgvet/shims and PREFIX/bin/pkgvet ({show(p)})')
    p = shell('bash', f'{init_line("bash", link)}; pip --version', env_for(HOME, BASE_PATH, {'PKGVET_REAL_PIP': FAKE_TOOL}))
    check('depth=1' in p.stdout and 'hook=bash' in p.stdout,
          f'installed layout: the hooks run the installed shims ({show(p)})')


# ---------------------------------------------------------------- the hook contract (fake shims dir)

# A shims directory whose name a careless quote would break.
ODD = os.path.join(WORK, "shims dir 'q' $HOME \\x")


def contract_cases(sh):
    for t in ('npm', 'npx', 'pip', 'pip3'):
        write(os.path.join(ODD, t), FAKE, 0o755)
    py = os.path.realpath(sys.executable)
    pydir = os.path.join(WORK, 'pybin')
    os.makedirs(pydir, exist_ok=True)
    for n in ('python', 'python3'):
        if not os.path.lexists(os.path.join(pydir, n)):
            os.symlink(py, os.path.join(pydir, n))
    e = env_for(HOME, pydir + ':' + BASE_PATH, {'PKGVET_SHIMS_DIR': ODD})
    pre = 'set -u; ' if sh != 'fish' else ''
    init = init_line(sh)
    script = '; '.join([pre + init, init, is_function(sh, 'npm'), is_function(sh, 'python'),
                        'npm install "a b"', 'npx cowsay', 'pip install x', 'pip3 list', 'python -m pip --version',
                        'python3 -mpip list', "python3 -c 'import sys; print(\"PLAIN\", sys.argv[1:])' q",
                        'echo "after=${PKGVET_HOOK_SHELL-unset}"' if sh != 'fish' else
                        'echo after=(set -q PKGVET_HOOK_SHELL; and echo set; or echo unset)'])
    p = shell(sh, script, e)
    lines = fake_lines(p.stdout)
    check(p.returncode == 0 and len(lines) == 6, f'[{sh}] eval twice under set -u, then six hooked commands ({show(p)})')
    out = p.stdout
    check(out.count('function') >= 2, f'[{sh}] npm and python are shell functions')
    want = [('npm', 'install a b', 'none'), ('npx', 'cowsay', 'none'), ('pip', 'install x', 'none'),
            ('pip3', 'list', 'none'), ('pip', '--version', os.path.join(pydir, 'python')),
            ('pip', 'list', os.path.join(pydir, 'python3'))]
    for i, (name, args, pyv) in enumerate(want):
        line = lines[i] if i < len(lines) else ''
        check(f'name={name} argv0={os.path.join(ODD, name)} args={args} hook={sh} depth=none py={pyv}' in line,
              f'[{sh}] {name} {args}: the shims directory\'s {name} by absolute path, '
              f'PKGVET_HOOK_SHELL={sh}, PKGVET_PIP_PYTHON={pyv} ({line!r})')
    check("PLAIN ['q']" in out, f'[{sh}] any other python invocation runs python untouched')
    if sh != 'fish':
        # Interactive (aliases are expanded): an old alias of the same name
        # must not break the eval, and the function is there once it goes.
        flags = ['-i'] if sh == 'bash' else ['-f', '-i']
        p = subprocess.run([SHELLS[sh], *flags, '-c', f'alias pip="echo ALIAS"; {init}; echo "EVAL=$?"; '
                            f'unalias pip; {is_function(sh, "pip")}'], env=e, capture_output=True, text=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        check('EVAL=0' in p.stdout and p.stdout.rstrip().endswith('function'),
              f'[{sh}] interactive, with an alias named pip: the eval works ({show(p)})')
    check('after=unset' in out, f'[{sh}] PKGVET_HOOK_SHELL is not left in the shell\'s own environment')


# ---------------------------------------------------------------- end to end with the real shims

def make_venv():
    v = os.path.join(WORK, 'venv')
    r = subprocess.run([PY, '-m', 'venv', v], capture_output=True, timeout=180)
    if r.returncode != 0 or not os.path.exists(os.path.join(v, 'bin', 'pip')):
        return None, f'python3 -m venv failed: {r.stderr[-300:]!r}'
    lib = os.path.join(v, 'lib')
    site = os.path.join(lib, next(n for n in sorted(os.listdir(lib)) if n.startswith('python')), 'site-packages')
    # Whenever the venv's python starts: who ran it, with which markers
    # (once: site may read the .pth twice, through lib and lib64).
    write(os.path.join(site, 'pvhookmark.pth'),
          "import os, sys; hasattr(sys, '_pvmark') or (setattr(sys, '_pvmark', 1), "
          "sys.stderr.write('PVMARK prefix=%s hook=%s depth=%s\\n' % (sys.prefix, "
          "os.environ.get('PKGVET_HOOK_SHELL', 'none'), os.environ.get('PKGVET_SHIM_DEPTH', 'none'))))\n")
    # A distribution only this venv has, for `pip list`.
    write(os.path.join(site, 'pvhookmark-1.0.dist-info', 'METADATA'),
          'Metadata-Version: 2.1\nName: pvhookmark\nVersion: 1.0\n')
    write(os.path.join(site, 'pvhookmark-1.0.dist-info', 'RECORD'), '')
    write(os.path.join(site, 'pvhookmark-1.0.dist-info', 'INSTALLER'), 'pip\n')
    return v, None


def e2e_cases(sh, venv):
    e = env_for(HOME, BASE_PATH, {'PKGVET_REAL_NPM': FAKE_TOOL})
    p = shell(sh, f'{init_line(sh)}; npm --version', e)
    line = (fake_lines(p.stdout) or [''])[0]
    check(p.returncode == 0 and 'args=--version' in line and f'hook={sh}' in line and 'depth=1' in line,
          f'[{sh}] npm --version goes through the npm shim to the real npm ({show(p)})')
    if not venv:
        return
    act = os.path.join(venv, 'bin', 'activate.fish' if sh == 'fish' else 'activate')
    src = f'source {sh_quote(act)}'
    e = env_for(HOME, BASE_PATH)
    script = '; '.join([init_line(sh), src, is_function(sh, 'pip'), 'pip list', 'python -m pip --version',
                        'python3 -c "import sys; print(\'PLAIN\', sys.prefix)"'])
    p = shell(sh, script, e, timeout=120)
    vreal = os.path.realpath(venv)
    marks = [l for l in p.stderr.splitlines() if l.startswith('PVMARK ')]
    check(p.returncode == 0 and 'function' in p.stdout, f'[{sh}] after activate, pip is still the function ({show(p)})')
    check('pvhookmark' in p.stdout and '1.0' in p.stdout,
          f'[{sh}] after activate, pip list lists the venv\'s own packages ({show(p)})')
    hooked = [m for m in marks if f'hook={sh} depth=1' in m]
    check(len(hooked) == 2 and all(f'prefix={venv}' in m or f'prefix={vreal}' in m for m in hooked),
          f'[{sh}] pip list and python -m pip ran the venv\'s pip, through the shim ({marks})')
    check(f'from {venv}' in p.stdout or f'from {vreal}' in p.stdout,
          f'[{sh}] python -m pip --version: the venv\'s pip')
    check(any('hook=none depth=none' in m for m in marks) and f'PLAIN {venv}' in p.stdout,
          f'[{sh}] python -c after activate: the venv\'s python, untouched')


def noninteractive_cases():
    e = env_for(HOME, SHIMS + ':' + BASE_PATH, {'PKGVET_REAL_NPM': FAKE_TOOL, 'PKGVET_REAL_PIP': FAKE_TOOL})
    p = shell('bash', 'npm --version; pip3 --version', e)
    lines = fake_lines(p.stdout)
    check(p.returncode == 0 and len(lines) == 2 and all('depth=1' in l and 'hook=none' in l for l in lines),
          f'bash -c "npm --version" with the shims directory first on PATH goes through pkgvet ({show(p)})')


# ---------------------------------------------------------------- recursion

def refused(argv, env, what, needle=None):
    t = time.time()
    try:
        p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        check(False, f'{what}: hangs')
        return
    el = time.time() - t
    ok = p.returncode not in (0, None) and p.stderr.count('\n') == 1 and not fake_lines(p.stdout) and el < 10
    if needle:
        ok = ok and needle in p.stderr
    check(ok, f'{what}: one line, non-zero, {el:.2f}s ({show(p)})')


def recursion_cases():
    base = '/usr/bin:/bin'
    npm, pip = os.path.join(SHIMS, 'npm'), os.path.join(SHIMS, 'pip')
    refused([npm, '--version'], env_for(HOME, f'{SHIMS}:{SHIMS}'), 'PATH lists the shims directory twice', 'shim')
    loop = os.path.join(WORK, 'loop')
    os.makedirs(loop)
    os.symlink('npm2', os.path.join(loop, 'npm'))
    os.symlink('npm', os.path.join(loop, 'npm2'))
    refused([npm, '--version'], env_for(HOME, f'{SHIMS}:{loop}:{SHIMS}'), 'a symlink loop (npm -> npm2 -> npm) on PATH')
    copies = []
    for d in ('copy1', 'copy2'):
        c = os.path.join(WORK, d, 'npm')
        os.makedirs(os.path.dirname(c))
        shutil.copy2(os.path.join(BUILD, 'pkgvet-npm'), c)
        copies.append(os.path.dirname(c))
    refused([npm, '--version'], env_for(HOME, f'{SHIMS}:{copies[0]}:{copies[1]}'),
            'two copies (not links) of the shim named npm on PATH')
    renamed = os.path.join(WORK, 'copy1', 'realish-pip')
    shutil.copy2(os.path.join(BUILD, 'pkgvet-pip'), renamed)
    refused([pip, '--version'], env_for(HOME, base, {'PKGVET_REAL_PIP': renamed}),
            'PKGVET_REAL_PIP naming a copy of the shim', 'PKGVET_REAL_PIP')
    refused([pip, '--version'], env_for(HOME, base, {'PKGVET_REAL_PIP': pip}),
            'PKGVET_REAL_PIP pointing back at the shim', 'PKGVET_REAL_PIP')
    refused([npm, '--version'], env_for(HOME, base, {'PKGVET_REAL_NPM': os.path.join(BUILD, 'pkgvet-npm')}),
            'PKGVET_REAL_NPM pointing back at the shim', 'PKGVET_REAL_NPM')
    # A person's wrapper script that runs the shim again: nothing on PATH
    # looks like a shim, only the depth counter can stop it.
    wrap = write(os.path.join(WORK, 'wrap', 'npm'), f'#!/bin/sh\nexec {sh_quote(npm)} "$@"\n', 0o755)
    refused([npm, '--version'], env_for(HOME, f'{SHIMS}:{os.path.dirname(wrap)}:{base}'),
            'a wrapper on PATH that runs the shim again (depth guard)', 'PKGVET_SHIM_DEPTH')
    refused([pip, 'list'], env_for(HOME, base, {'PKGVET_SHIM_DEPTH': '24', 'PKGVET_REAL_PIP': FAKE_TOOL}),
            'PKGVET_SHIM_DEPTH at the limit', 'PKGVET_SHIM_DEPTH')
    p = subprocess.run([pip, 'list'], env=env_for(HOME, base, {'PKGVET_SHIM_DEPTH': '5', 'PKGVET_REAL_PIP': FAKE_TOOL}),
                       capture_output=True, text=True, timeout=20)
    check('depth=6' in p.stdout, f'below the limit the depth counts up for the real tool ({show(p)})')


# ---------------------------------------------------------------- the org lock (namespace)

def org_cases():
    """Runs inside the mount namespace, /etc/pkgvet writable and private."""
    npm, npx, pip = (os.path.join(SHIMS, t) for t in ('npm', 'npx', 'pip'))
    mine = write(os.path.join(WORK, 'mine', 'npm'), FAKE.replace('FAKE ', 'FAKE mine '), 0o755)
    pathdir = os.path.join(WORK, 'pathbin')
    for t in ('npm', 'pip'):
        write(os.path.join(pathdir, t), FAKE.replace('FAKE ', 'FAKE onpath '), 0o755)
    orgdir = os.path.join(WORK, 'org tools')
    for t in ('npm', 'npx', 'pip'):
        write(os.path.join(orgdir, t), FAKE.replace('FAKE ', 'FAKE org '), 0o755)
    e = env_for(HOME, pathdir + ':/usr/bin:/bin', {'PKGVET_REAL_NPM': mine, 'PKGVET_REAL_NPX': mine,
                                                   'PKGVET_REAL_PIP': mine})

    def run(tool, *args, env=e):
        return subprocess.run([tool, *args], env=env, capture_output=True, text=True, timeout=20)

    def org(text):
        if os.path.isdir(ORG):
            os.rmdir(ORG)
        elif os.path.lexists(ORG):
            os.unlink(ORG)
        if text is not None:
            write(ORG, text)

    org(None)
    p = run(npm, '--version')
    check('FAKE mine' in p.stdout and not p.stderr, f'[org] no org policy: PKGVET_REAL_NPM is used ({show(p)})')
    org('[locked]\nsettings.real_npm = yes\n')
    p = run(npm, '--version')
    check('FAKE onpath' in p.stdout and p.stderr.count('\n') == 1 and 'PKGVET_REAL_NPM, PKGVET_REAL_NPX ignored' in p.stderr
          and 'locks real_npm' in p.stderr and ORG in p.stderr,
          f'[org] real_npm locked: PKGVET_REAL_NPM ignored with one warning naming the lock, PATH\'s npm runs ({show(p)})')
    p = run(pip, '--version')
    check('FAKE mine' in p.stdout and not p.stderr, f'[org] locking real_npm leaves PKGVET_REAL_PIP alone ({show(p)})')
    org(f'[settings]\nreal_npm = {orgdir}/npm  ; the org\'s npm\nreal_pip = {orgdir}/pip\n'
        '[locked]\nsettings.real_npm = yes\nsettings.real_pip = true\n')
    p = run(npm, '--version')
    check('FAKE org' in p.stdout and f'using {orgdir}/npm' in p.stderr and p.stderr.count('\n') == 1,
          f'[org] locked with the org\'s own npm: that one runs, the warning names it ({show(p)})')
    p = run(npx, '--version')
    check('FAKE org name=npx' in p.stdout and 'PKGVET_REAL_NPM, PKGVET_REAL_NPX ignored' in p.stderr,
          f'[org] npx: the one next to the org\'s npm ({show(p)})')
    p = run(pip, '--version', env=dict(e, PKGVET_PIP_PYTHON='/usr/bin/python3'))
    check('FAKE org' in p.stdout and 'py=none' in p.stdout and 'PKGVET_REAL_PIP, PKGVET_PIP_PYTHON ignored' in p.stderr
          and p.stderr.count('\n') == 1,
          f'[org] real_pip locked: PKGVET_REAL_PIP and PKGVET_PIP_PYTHON ignored, the org\'s pip runs ({show(p)})')
    for argv in ([PKGVET, 'npm', '--version'], [PKGVET, 'pip', 'list']):
        p = run(*argv)
        check('FAKE org' in p.stdout and p.stderr.startswith('pkgvet: warning: PKGVET_REAL_'),
              f'[org] `{" ".join(argv[1:])}` run directly: the lock holds there too ({show(p)})')
    p = run(npm, '--version', env=dict(e, PKGVET_REAL_NPM=f'{orgdir}/npm', PKGVET_REAL_NPX=''))
    check('FAKE org' in p.stdout and not p.stderr, f'[org] a variable equal to the org\'s value: no warning ({show(p)})')
    p = subprocess.run([PKGVET, 'policy', 'check', '--org', ORG], capture_output=True, text=True)
    check(p.returncode == 0, f'[org] pkgvet policy check --org accepts real_npm / real_pip ({show(p)})')
    org(f'[settings]\nreal_npm = {orgdir}/npm\n')
    p = run(npm, '--version')
    check('FAKE mine' in p.stdout and not p.stderr, f'[org] an unlocked org setting: the variable still wins ({show(p)})')
    p = run(npm, '--version', env=dict(e, PKGVET_REAL_NPM=''))
    check('FAKE org' in p.stdout, f'[org] an unlocked org setting is the default without the variable ({show(p)})')
    org('[locked]\nsettings.* = yes\n')
    p = run(pip, '--version')
    check('FAKE onpath' in p.stdout and 'PKGVET_REAL_PIP ignored' in p.stderr,
          f'[org] settings.* locks real_pip too ({show(p)})')
    org(None)
    os.makedirs(ORG)  # exists, cannot be read as a file: fail closed
    p = run(npm, '--version')
    check('FAKE onpath' in p.stdout and 'cannot be read' in p.stderr and p.stderr.count('\n') == 1,
          f'[org] an unreadable org policy locks (fail closed), one warning ({show(p)})')
    org(None)


def in_namespace():
    """Child, in its own mount namespace: make /etc/pkgvet private and
    writable (an overlay over /etc, or a bind over an existing /etc/pkgvet),
    then run the org cases."""
    d = os.path.dirname(ORG)
    if os.path.isdir(d):
        r = subprocess.run(['mount', '--bind', tempfile.mkdtemp(dir=WORK), d], capture_output=True, text=True)
    else:
        up, wk = os.path.join(WORK, 'etc-upper'), os.path.join(WORK, 'etc-work')
        os.makedirs(up)
        os.makedirs(wk)
        r = subprocess.run(['mount', '-t', 'overlay', 'overlay', '-o', f'lowerdir=/etc,upperdir={up},workdir={wk}', '/etc'],
                           capture_output=True, text=True)
        if r.returncode == 0:
            os.makedirs(d)
    if r.returncode != 0:
        print(f'cannot make {d} private: {r.stderr.strip()}')
        return SKIP
    org_cases()
    return 1 if failures else 0


def run_in_namespace():
    rc = rerun_in_mount_namespace(__file__, ['--org-namespace'])
    if isinstance(rc, str):
        return rc
    if rc == SKIP:
        return 'no private, writable /etc/pkgvet (see above)'
    check(rc == 0, 'org lock cases in a private mount namespace')
    return None


def main():
    if sys.argv[1:2] == ['--org-namespace']:
        try:
            rc = in_namespace()
        finally:
            shutil.rmtree(WORK, ignore_errors=True)
        sys.exit(rc)
    try:
        init_cases()
        install_layout_cases()
        venv, why_no_venv = make_venv()
        for sh in ('bash', 'zsh', 'fish'):
            if not SHELLS[sh]:
                print(f'skip: {sh} is not installed: its cases are not run')
                continue
            contract_cases(sh)
            e2e_cases(sh, venv)
        if why_no_venv:
            print(f'skip: the virtualenv cases: {why_no_venv}')
        noninteractive_cases()
        recursion_cases()
        why = run_in_namespace()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    if failures:
        done()
    if why or why_no_venv:
        print(f'SKIP: {why or why_no_venv}')
        print('all other checks passed')
        sys.exit(SKIP)
    done()


main()
