# environment reads through from-imports, and a membership test
import os
from os import environ, getenv

user = environ["USER"]  # expect: perm-env-read
term = getenv("TERM")  # expect: perm-env-read
if "CI" in os.environ:  # expect: perm-env-read
    pass
