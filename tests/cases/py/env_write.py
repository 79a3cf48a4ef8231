# environment writes
import os

os.environ["PATH"] = "/opt/bin"  # expect: perm-env-write
os.putenv("LD_PRELOAD", "/tmp/x.so")  # expect: perm-env-write
os.environ.update({"A": "1"})  # expect: perm-env-write
