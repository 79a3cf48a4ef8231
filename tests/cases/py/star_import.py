# names from a star import of a known module
from os import *
from subprocess import *

system("id")  # expect: perm-process
check_output(["ls"])  # expect: perm-process
environ["X"] = "1"  # expect: perm-env-write
