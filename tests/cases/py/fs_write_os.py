# file changes through os
import os

os.remove("x")  # expect: perm-fs-write
os.rename("a", "b")  # expect: perm-fs-write
os.makedirs("d", exist_ok=True)  # expect: perm-fs-write
