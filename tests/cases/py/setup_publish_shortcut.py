# path: setup.py
# the release shortcut runs on `setup.py publish`, not at install
# expect-none: install-hook
import os
import sys
from setuptools import setup

if sys.argv[-1] == "publish":
    os.system("python setup.py sdist bdist_wheel")  # expect-install: perm-process
    os.system("twine upload dist/*")
    sys.exit()

setup(name="p", version="1.0", packages=["p"])
