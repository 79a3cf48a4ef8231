# a test helper: a server socket receives a pid, and a code string of its
# own is written to a file and run; nothing received is written or run
# expect-none: download-exec
import os
import socket
import subprocess
import sys

PYTHON_EXE = sys.executable


def pyrun(src, **kwds):
    srcfile = "test-%d.py" % os.getpid()
    with open(srcfile, "wt") as f:
        f.write(src)
    subp = subprocess.Popen([PYTHON_EXE, f.name], **kwds)
    return subp, srcfile


def spawn_zombie(unix_file):
    src = "import os, socket; s = socket.socket(socket.AF_UNIX); s.connect(%r)" % unix_file
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(unix_file)
    sock.listen(1)
    parent, tfile = pyrun(src)
    conn, _ = sock.accept()
    zpid = int(conn.recv(1024))
    return parent, zpid
