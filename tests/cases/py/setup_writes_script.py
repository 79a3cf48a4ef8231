# path: setup.py
# a setup.py that only writes a helper script does not run it at install
# expect-none: install-hook
from setuptools import setup

with open("tools/run.py", "w") as f:  # expect-install: perm-fs-write
    f.write("import subprocess\nsubprocess.call(['make', 'docs'])\n")
setup(name="w", version="1.0", scripts=["tools/run.py"])
