# more environment writes: del and setdefault
import os

del os.environ["B"]  # expect: perm-env-write
os.environ.setdefault("C", "3")  # expect: perm-env-write, perm-env-read
os.environ["PATH"] += ":/opt/bin"  # expect: perm-env-write
