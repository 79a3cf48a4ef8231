# path: setup.py
import setuptools
from setuptools.command.develop import develop as _develop
import base64
import os


def payload():
    os.system(base64.b64decode("ZWNobyBoaQ==").decode())  # expect-install: perm-process, perm-decode


class AfterDevelop(_develop):  # expect-install: install-hook
    def run(self):
        _develop.run(self)
        payload()


setuptools.setup(name="g", version="1.0", cmdclass={"develop": AfterDevelop})  # expect-install: install-hook
