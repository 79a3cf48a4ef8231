# listing directories
import os
import glob

os.listdir(".")  # expect: perm-fs-read
for root, dirs, files in os.walk("/tmp"):  # expect: perm-fs-read
    pass
glob.glob("*.py")  # expect: perm-fs-read
