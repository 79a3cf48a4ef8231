# file changes through shutil and os.chmod
import os
import shutil

shutil.copy("a", "b")  # expect: perm-fs-write
shutil.rmtree("d")  # expect: perm-fs-write
os.chmod("f", 0o644)  # expect: perm-fs-write
