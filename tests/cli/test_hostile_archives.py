"""Hostile archives: bombs, escapes, links out of the package, too many
entries, deep nesting, encrypted and device entries, and broken input.

Every hostile artifact must give exit 1 and a "malformed-archive" finding
whose detail names the problem; every broken one exit 2 or 3 and one line on
stderr naming the input; none may crash, hang, or create a file anywhere:
pkgvet runs in an empty working directory with TMPDIR, HOME and the XDG
directories pointing at fresh empty ones, and all of them are checked
afterwards, as are /tmp and the places an escaping entry would land.

The artifacts are built here, cheaply: the bombs' compressed streams are
assembled from one compressed block repeated, so the test never holds or
compresses a gigabyte itself."""
import gzip, io, json, os, re, shutil, struct, sys, tarfile, tempfile, time, zlib
sys.path.insert(0, os.path.dirname(__file__))
from pvtest import *

MiB = 1 << 20
PKG_JSON = json.dumps({"name": "zz-hostile-fixture", "version": "1.0.0",
                       "description": "a fixture for pkgvet's archive tests"}).encode()
INDEX_JS = b'module.exports = function add(a, b) { return a + b; };\n'
d = tmpdir()
inputs = os.path.join(d, 'in')
os.makedirs(inputs)


# ------------------------------------------------------------ deflate

def zeros_block():
    """Raw deflate of 1 MiB of zeros ending on a full flush: the compressor
    is reset after it, so the block can be repeated back to back."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    a = c.compress(bytes(MiB)) + c.flush(zlib.Z_FULL_FLUSH)
    b = c.compress(bytes(MiB)) + c.flush(zlib.Z_FULL_FLUSH)
    assert a == b, 'zlib does not repeat a block after a full flush'
    return a


ZBLOCK = zeros_block()


def crc_zeros(mib, crc=0):
    z = bytes(MiB)
    for _ in range(mib):
        crc = zlib.crc32(z, crc)
    return crc


def raw_deflate(data):
    """Raw deflate of data, ending on a full flush (so blocks may follow)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


FINAL = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block

# Check the assembly once on a small scale: prefix, 3 MiB of zeros, suffix.
_probe = raw_deflate(b'head') + ZBLOCK * 3 + raw_deflate(b'tail') + FINAL
assert zlib.decompress(_probe, -15) == b'head' + bytes(3 * MiB) + b'tail'


# ------------------------------------------------------------ zip, by hand

def dos_time():
    return 0, (2024 - 1980) << 9 | 1 << 5 | 1


def write_zip(path, entries):
    """entries: dicts with name (bytes), data (stored bytes), method,
    crc, usize, flags, mode. Sizes are taken as given: they may lie."""
    t, dt = dos_time()
    out, central = bytearray(), bytearray()
    for e in entries:
        name, data = e['name'], e['data']
        off = len(out)
        hdr = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, e.get('flags', 0), e.get('method', 0), t, dt,
                          e['crc'], len(data), e['usize'], len(name), 0)
        out += hdr + name + data
        central += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 0x031e, 20, e.get('flags', 0),
                               e.get('method', 0), t, dt, e['crc'], len(data), e['usize'], len(name),
                               0, 0, 0, 0, (0o100000 | e.get('mode', 0o644)) << 16, off) + name
    cd_off = len(out)
    out += central
    out += struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, len(entries), len(entries), len(central), cd_off, 0)
    with open(path, 'wb') as f:
        f.write(out)
    return path


def stored(name, data, **kw):
    return dict(name=name.encode() if isinstance(name, str) else name, data=data, method=0,
                crc=zlib.crc32(data), usize=len(data), **kw)


def deflated_zeros(name, mib, declared=None):
    data = ZBLOCK * mib + FINAL
    return dict(name=name.encode(), data=data, method=8, crc=crc_zeros(mib),
                usize=mib * MiB if declared is None else declared)


# ------------------------------------------------------------ tar

def info(name, kind=tarfile.REGTYPE, size=0, link='', mode=0o644):
    ti = tarfile.TarInfo(name)
    ti.type, ti.size, ti.linkname, ti.mode, ti.mtime = kind, size, link, mode, 1700000000
    return ti


def write_tar(path, members, mode='w:gz'):
    """members: (TarInfo, bytes or None) in order."""
    with tarfile.open(path, mode, format=tarfile.PAX_FORMAT) as t:
        for ti, data in members:
            if data is not None:
                ti.size = len(data)
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    return path


def package(*extra, js=True):
    base = [(info('package/package.json'), PKG_JSON)]
    if js:
        base.append((info('package/index.js'), INDEX_JS))
    return base + list(extra)


def gzip_member(deflate, crc, size):
    return (b'\x1f\x8b\x08\x00' + struct.pack('<I', 1700000000) + b'\x00\x03' + deflate +
            struct.pack('<II', crc & 0xffffffff, size & 0xffffffff))


def tgz_zero_files(path, count, mib_each):
    """A tar.gz holding package.json and `count` files of mib_each MiB of
    zeros, assembled from repeated compressed blocks."""
    def header(name, size):
        return info(name, size=size).tobuf(tarfile.USTAR_FORMAT)
    pj = header('package/package.json', len(PKG_JSON)) + PKG_JSON
    pj += bytes(-len(pj) % 512)
    parts, crc, total = [raw_deflate(pj)], zlib.crc32(pj), len(pj)
    for i in range(count):
        h = header(f'package/data/zeros{i:03d}.bin', mib_each * MiB)
        parts += [raw_deflate(h), ZBLOCK * mib_each]
        crc = crc_zeros(mib_each, zlib.crc32(h, crc))
        total += len(h) + mib_each * MiB
    trailer = bytes(1024)
    parts += [raw_deflate(trailer), FINAL]
    crc, total = zlib.crc32(trailer, crc), total + len(trailer)
    with open(path, 'wb') as f:
        f.write(gzip_member(b''.join(parts), crc, total))
    return path


def tgz_many_entries(path, count):
    """A tar.gz of package.json and `count` empty files, headers by hand."""
    tmpl = bytearray(info('package/f0000000.js').tobuf(tarfile.USTAR_FORMAT))
    tmpl[148:156] = b' ' * 8
    base = sum(tmpl) - sum(b'package/f0000000.js')
    out = bytearray(info('package/package.json', size=len(PKG_JSON)).tobuf(tarfile.USTAR_FORMAT))
    out += PKG_JSON + bytes(-len(PKG_JSON) % 512)
    for i in range(count):
        name = b'package/f%07d.js' % i
        h = bytearray(tmpl)
        h[0:len(name)] = name
        h[148:156] = b'%06o\0 ' % (base + sum(name))
        out += h
    out += bytes(1024)
    with open(path, 'wb') as f:
        f.write(gzip.compress(bytes(out), compresslevel=1, mtime=0))
    return path


# ------------------------------------------------------------ running

ESCAPE_SPOTS = ['/tmp/evil', '/abs/evil', '/abs', os.path.join(d, 'evil'), os.path.join(inputs, 'evil'),
                os.path.join(os.path.dirname(d), 'evil'), os.path.expanduser('~/evil')]
before = {p for p in ESCAPE_SPOTS if os.path.lexists(p)}


def tree_listing(root):
    out = []
    for dp, dns, fns in os.walk(root):
        out += [os.path.relpath(os.path.join(dp, n), root) for n in dns + fns]
    return sorted(out)


def vet(path, what, timeout=120):
    """Runs `pkgvet audit --json path` sealed off; checks nothing was
    written anywhere. Returns (process, JSON document or None)."""
    box = tempfile.mkdtemp(prefix='pvbox-', dir=d)
    cwd, tmp, home = (os.path.join(box, n) for n in ('cwd', 'tmp', 'home'))
    for p in (cwd, tmp, home):
        os.makedirs(p)
    inputs_before = tree_listing(inputs)
    env = {'TMPDIR': tmp, 'HOME': home, 'XDG_CACHE_HOME': os.path.join(home, 'cache'),
           'XDG_CONFIG_HOME': os.path.join(home, 'config'), 'XDG_DATA_HOME': os.path.join(home, 'data'),
           'NO_COLOR': '1'}
    try:
        p, doc = audit_json(path, cwd=cwd, env=env, timeout=timeout)
    except Exception as e:  # a hang (TimeoutExpired) is a failure like any other
        check(False, f'{what}: pkgvet ran to completion ({e})')
        return None, None
    check(p.returncode >= 0, f'{what}: no crash (exit {p.returncode})')
    check(os.listdir(cwd) == [], f'{what}: working directory left empty ({os.listdir(cwd)})')
    check(os.listdir(tmp) == [], f'{what}: TMPDIR left empty ({os.listdir(tmp)})')
    # pkgvet may keep a cache under XDG_CACHE_HOME: only nothing of the package may be there.
    stray = [n for n in tree_listing(home) if 'evil' in n or 'passwd' in n]
    check(stray == [], f'{what}: nothing of the package under HOME ({stray})')
    check(tree_listing(inputs) == inputs_before, f'{what}: nothing written beside the input')
    new = [s for s in ESCAPE_SPOTS if os.path.lexists(s) and s not in before]
    check(new == [], f'{what}: no file escaped ({new})')
    shutil.rmtree(box, ignore_errors=True)
    return p, doc


def expect_hostile(path, what, pattern, max_seconds=60):
    p, doc = vet(path, what)
    if p is None:
        return
    check(p.returncode == 1, f'{what}: exit 1 (got {p.returncode}; stderr {p.stderr[:300]!r})')
    check(p.elapsed < max_seconds, f'{what}: done in {p.elapsed:.1f}s (< {max_seconds}s)')
    if not check(doc is not None and len(doc.get('packages', [])) == 1, f'{what}: one package in the JSON'):
        return
    mal = findings(doc['packages'][0], 'malformed-archive')
    details = [f.get('detail') or '' for f in mal]
    check(any(re.search(pattern, x) for x in details),
          f'{what}: malformed-archive finding matching /{pattern}/ (got {details})')
    check(all(f.get('action') == 'block' for f in mal), f'{what}: malformed-archive blocks')


def expect_error(path, what, shown=None):
    p, doc = vet(path, what)
    if p is None:
        return
    err = p.stderr.decode(errors='replace')
    shown = shown or os.path.basename(path)
    check(p.returncode in (2, 3), f'{what}: exit 2 or 3 (got {p.returncode})')
    check(err.count('\n') == 1 and shown in err and err.startswith('pkgvet: '),
          f'{what}: one line on stderr naming the input ({err!r})')
    if doc is not None and doc.get('packages'):
        check(bool(doc['packages'][0].get('error')), f'{what}: the JSON carries the error')


def expect_clean(path, what, fmt):
    p, doc = vet(path, what)
    if p is None:
        return
    check(p.returncode in (0, 1) and doc is not None,
          f'{what}: audited (exit {p.returncode}, stderr {p.stderr[:300]!r})')
    if doc:
        pkg = doc['packages'][0]
        check(not findings(pkg, 'malformed-archive'), f'{what}: no malformed-archive finding')
        check(pkg.get('format') == fmt, f'{what}: format {fmt} (got {pkg.get("format")})')


def at(name):
    return os.path.join(inputs, name)


# ------------------------------------------------------------ controls: the harness sees a good package as good

expect_clean(write_tar(at('good-1.0.0.tgz'), package()), 'control tar.gz', 'tar.gz')
expect_clean(write_tar(at('good-1.0.0.tar.bz2'), package(), 'w:bz2'), 'control tar.bz2', 'tar.bz2')
expect_clean(write_tar(at('good-link-1.0.0.tgz'), package(
    (info('package/lib', tarfile.DIRTYPE, mode=0o755), None),
    (info('package/lib/main.js', tarfile.SYMTYPE, link='../index.js'), None))),
    'control: a symlink inside the package', 'tar.gz')
expect_clean(write_zip(at('good.zip'), [stored('package/package.json', PKG_JSON),
                                        stored('package/index.js', INDEX_JS)]), 'control zip', 'zip')

# ------------------------------------------------------------ bombs

t0 = time.time()
bomb = write_zip(at('bomb.zip'), [stored('package/package.json', PKG_JSON),
                                  deflated_zeros('package/zeros.bin', 1024)])
lying = write_zip(at('bomb-lying.zip'), [stored('package/package.json', PKG_JSON),
                                         deflated_zeros('package/zeros.bin', 1024, declared=1000)])
tbomb = tgz_zero_files(at('bomb-1.0.0.tgz'), 32, 32)
print(f'(bombs built in {time.time() - t0:.1f}s: {os.path.getsize(bomb)} and {os.path.getsize(tbomb)} bytes)')
expect_hostile(bomb, 'zip bomb (1 GiB of zeros, sizes declared)', r'limit|ratio', max_seconds=20)
expect_hostile(lying, 'zip bomb (1 GiB of zeros, declared 1000 bytes)', r'ratio|limit', max_seconds=20)
expect_hostile(tbomb, 'tar.gz bomb (32 x 32 MiB of zeros)', r'ratio|limit', max_seconds=20)

# ------------------------------------------------------------ escapes

expect_hostile(write_tar(at('dotdot-1.0.0.tgz'), package((info('../evil'), b'pwned\n'))),
               'tar entry ../evil', r'\.\./evil escapes the package root')
expect_hostile(write_tar(at('deep-dotdot-1.0.0.tgz'), package((info('package/../../evil'), b'pwned\n'))),
               'tar entry package/../../evil', r'escapes the package root')
expect_hostile(write_tar(at('abs-1.0.0.tgz'), package((info('/abs/evil'), b'pwned\n'))),
               'tar entry /abs/evil', r'/abs/evil has an absolute path')
expect_hostile(write_zip(at('backslash.zip'), [stored('package/package.json', PKG_JSON),
                                               stored('..\\evil', b'pwned\n')]),
               'zip entry ..\\evil', r'evil escapes the package root')
expect_hostile(write_zip(at('abs.zip'), [stored('package/package.json', PKG_JSON),
                                         stored('/abs/evil', b'pwned\n')]),
               'zip entry /abs/evil', r'absolute path')
expect_hostile(write_zip(at('drive.zip'), [stored('package/package.json', PKG_JSON),
                                           stored('C:\\evil', b'pwned\n')]),
               'zip entry C:\\evil', r'absolute path')

# ------------------------------------------------------------ links

expect_hostile(write_tar(at('symlink-1.0.0.tgz'), package((info('package/evil', tarfile.SYMTYPE, link='/etc/passwd'), None))),
               'symlink to /etc/passwd', r'symbolic link package/evil .*/etc/passwd')
expect_hostile(write_tar(at('symlink-rel-1.0.0.tgz'), package(
    (info('package/lib/evil', tarfile.SYMTYPE, link='../../../../../etc/passwd'), None))),
    'symlink climbing out with ..', r'symbolic link package/lib/evil points outside')
expect_hostile(write_tar(at('hardlink-1.0.0.tgz'), package((info('package/evil', tarfile.LNKTYPE, link='/etc/passwd'), None))),
               'hard link to /etc/passwd', r'hard link package/evil .*/etc/passwd')
expect_hostile(write_tar(at('hardlink-rel-1.0.0.tgz'), package((info('package/evil', tarfile.LNKTYPE, link='../evil'), None))),
               'hard link to ../evil', r'hard link package/evil points outside')

# ------------------------------------------------------------ shape

many = tgz_many_entries(at('many-1.0.0.tgz'), 200000)
expect_hostile(many, '200 000 entries', r'more than \d+ entries', max_seconds=20)
deep = 'package/' + '/'.join(['d'] * 100) + '/x.js'
expect_hostile(write_tar(at('deep-1.0.0.tgz'), package((info(deep), b'1;\n'))),
               '100 levels of nesting', r'nested \d+ levels deep')
expect_hostile(write_tar(at('longname-1.0.0.tgz'), package((info('package/' + 'n' * 3000 + '.js'), b'1;\n'))),
               'a 3000-byte entry name', r'bytes long')
expect_hostile(write_tar(at('dup-1.0.0.tgz'), package((info('package/index.js'), b'require("child_process");\n'))),
               'the same file twice', r'more than once')
expect_hostile(write_tar(at('device-1.0.0.tgz'), package((info('package/null', tarfile.CHRTYPE), None))),
               'a character device', r'device')
expect_hostile(write_tar(at('fifo-1.0.0.tgz'), package((info('package/pipe', tarfile.FIFOTYPE), None))),
               'a named pipe', r'pipe')

# ------------------------------------------------------------ encryption

secret = b'\x8a\x11\x02\x93' * 3 + b'\x17\x42\x99\xf0' * 8  # a 12-byte ZipCrypto header, then ciphertext
expect_hostile(write_zip(at('encrypted.zip'), [stored('package/package.json', PKG_JSON),
                                               dict(stored('package/index.js', secret), flags=1,
                                                    crc=0x12345678, usize=40)]),
               'encrypted zip entry', r'encrypted entry package/index\.js')

# ------------------------------------------------------------ directories

pkgdir = os.path.join(inputs, 'dir-symlink')
os.makedirs(pkgdir)
with open(os.path.join(pkgdir, 'package.json'), 'wb') as f:
    f.write(PKG_JSON)
os.symlink('/etc/passwd', os.path.join(pkgdir, 'evil'))
expect_hostile(pkgdir, 'directory with a symlink to /etc/passwd', r'symbolic link evil .*/etc/passwd')

fifodir = os.path.join(inputs, 'dir-fifo')
os.makedirs(fifodir)
with open(os.path.join(fifodir, 'package.json'), 'wb') as f:
    f.write(PKG_JSON)
os.mkfifo(os.path.join(fifodir, 'pipe'))
expect_hostile(fifodir, 'directory with a named pipe (never opened, never waited on)', r'named pipe',
               max_seconds=20)

# ------------------------------------------------------------ broken input

full = write_tar(at('whole-1.0.0.tgz'), package(
    (info('package/lib/big.js'), ''.join(f'exports.f{i} = () => {i * 7919 % 10007};\n' for i in range(4000)).encode())))
data = open(full, 'rb').read()
with open(at('truncated-1.0.0.tgz'), 'wb') as f:
    f.write(data[:len(data) * 6 // 10])
os.unlink(full)
expect_error(at('truncated-1.0.0.tgz'), 'truncated .tgz')
with open(at('notes.tgz'), 'w') as f:
    f.write('this is just text, not an archive\n' * 10)
expect_error(at('notes.tgz'), 'not an archive')
with open(at('gzipped-text.tgz'), 'wb') as f:
    f.write(gzip.compress(b'just some text, gzipped, but no tar inside\n' * 20))
expect_error(at('gzipped-text.tgz'), 'gzip of a non-tar file')
with open(at('zeros.tgz'), 'wb') as f:
    f.write(bytes(65536))
expect_error(at('zeros.tgz'), 'file of NUL bytes')
with open(at('empty.tgz'), 'wb') as f:
    pass
expect_error(at('empty.tgz'), 'empty file')
zipdata = open(at('good.zip'), 'rb').read()
with open(at('truncated.zip'), 'wb') as f:
    f.write(zipdata[:len(zipdata) // 2])
expect_error(at('truncated.zip'), 'truncated zip')
expect_error(at('missing-1.0.0.tgz'), 'missing path')

if not failures:
    shutil.rmtree(d, ignore_errors=True)
done()
