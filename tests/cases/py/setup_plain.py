# path: setup.py
# expect-none: install-hook
import io
import os
import re
from setuptools import setup, find_packages

here = os.path.abspath(os.path.dirname(__file__))
with io.open(os.path.join(here, "README.md"), encoding="utf-8") as f:
    long_description = f.read()

about = {}
with open(os.path.join(here, "pkg", "__version__.py")) as f:
    exec(f.read(), about)

setup(
    name="pkg",
    version=about["__version__"],
    long_description=long_description,
    packages=find_packages(exclude=["tests"]),
    install_requires=["requests>=2"],
)
