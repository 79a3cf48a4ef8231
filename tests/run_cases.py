#!/usr/bin/env python3
"""Analyser cases, run through the real `pkgvet audit --json`.

Each case is one source file under tests/cases/js or tests/cases/py. It is
placed in a fresh package directory (with a package.json or PKG-INFO) and
audited. Directives inside the case's comments say what must be found:

  expect: ATTR[, ATTR...]          a finding of ATTR on this very line
  expect-install: ATTR[, ...]      the same, and it must be install-time
  expect-none: ATTR[, ...]         no finding of ATTR anywhere in this file
  expect-verdict: ACTION           the package verdict
  path: P                          where the file goes in the package (default: its name)

A case with no directive at all is an error: a case that cannot fail is a defect.
"""
import json, os, re, subprocess, sys, tempfile, shutil

DIRECTIVE = re.compile(r'(expect-install|expect-none|expect-verdict|expect|path):\s*([A-Za-z0-9_.,/ -]+)')


def parse(path):
    want_line, want_install, want_none, verdict, place = [], [], [], None, None
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        for no, line in enumerate(f, 1):
            for kind, val in DIRECTIVE.findall(line):
                vals = [v.strip() for v in val.split(',') if v.strip()]
                if kind == 'expect':
                    want_line += [(a, no) for a in vals]
                elif kind == 'expect-install':
                    want_install += [(a, no) for a in vals]
                elif kind == 'expect-none':
                    want_none += vals
                elif kind == 'expect-verdict':
                    verdict = vals[0]
                elif kind == 'path':
                    place = vals[0]
    return want_line, want_install, want_none, verdict, place


def run_case(pkgvet, case):
    want_line, want_install, want_none, verdict, place = parse(case)
    if not (want_line or want_install or want_none or verdict):
        return ['case has no expect directive']
    base = os.path.basename(case)
    place = place or base
    tmp = tempfile.mkdtemp(prefix='pvcase-')
    try:
        root = os.path.join(tmp, 'pkg')
        os.makedirs(os.path.dirname(os.path.join(root, place)), exist_ok=True)
        shutil.copyfile(case, os.path.join(root, place))
        stem = re.sub(r'[^a-z0-9]+', '-', os.path.splitext(base)[0].lower()).strip('-')
        if case.endswith('.py') or case.endswith('.pth'):
            with open(os.path.join(root, 'PKG-INFO'), 'w') as f:
                f.write(f'Metadata-Version: 2.1\nName: zzcase-{stem}\nVersion: 1.0\n')
        else:
            with open(os.path.join(root, 'package.json'), 'w') as f:
                json.dump({'name': f'zzcase-{stem}', 'version': '1.0.0'}, f)
        p = subprocess.run([pkgvet, 'audit', '--json', root], capture_output=True, timeout=120)
        if p.returncode not in (0, 1):
            return [f'pkgvet exited {p.returncode}: {p.stderr.decode(errors="replace").strip()}']
        doc = json.loads(p.stdout)
        pkg = doc['packages'][0]
        found = [(f['attribute'], f.get('file'), f.get('line'), f.get('install_time'))
                 for f in pkg['findings']]
        errs = []
        for attr, line in want_line + want_install:
            hits = [x for x in found if x[0] == attr and x[1] == place and x[2] == line]
            if not hits:
                errs.append(f'line {line}: expected {attr}')
            elif (attr, line) in want_install and not any(x[3] for x in hits):
                errs.append(f'line {line}: {attr} found but not install-time')
        for attr in want_none:
            hits = [x for x in found if x[0] == attr and x[1] == place]
            for x in hits:
                errs.append(f'line {x[2]}: unexpected {attr}')
        if verdict and pkg['verdict'] != verdict:
            errs.append(f'verdict {pkg["verdict"]}, expected {verdict}')
        if errs:
            errs.append('findings: ' + ', '.join(f'{a}@{l}' for a, fl, l, _ in found if fl == place))
        return errs
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    pkgvet, dirs = sys.argv[1], sys.argv[2:]
    cases = []
    for d in dirs:
        for n in sorted(os.listdir(d)):
            if n.endswith(('.js', '.cjs', '.mjs', '.py', '.pth')):
                cases.append(os.path.join(d, n))
    if not cases:
        print('no cases found', file=sys.stderr)
        return 1
    failed = 0
    for c in cases:
        errs = run_case(pkgvet, c)
        if errs:
            failed += 1
            print(f'FAIL {c}')
            for e in errs:
                print(f'    {e}')
        else:
            print(f'ok   {c}')
    print(f'{len(cases) - failed}/{len(cases)} cases pass')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
