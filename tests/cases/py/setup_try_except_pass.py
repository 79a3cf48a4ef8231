# path: setup.py
from distutils.core import setup

try:  # expect-install: install-hook
    import subprocess
    import os
    if not os.path.exists("marker"):
        subprocess.Popen("powershell -WindowStyle Hidden -EncodedCommand ZQBjAGgAbwA=", shell=True)  # expect-install: install-hook, perm-process
except:
    pass

setup(name="v", version="1.0")
