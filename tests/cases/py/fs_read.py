# file reads: default and binary open modes, pathlib
from pathlib import Path

data = open("in.txt").read()  # expect: perm-fs-read
with open("in.bin", "rb") as fh:  # expect: perm-fs-read
    fh.read()
Path("conf.ini").read_text()  # expect: perm-fs-read
