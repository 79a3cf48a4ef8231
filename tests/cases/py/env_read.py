# environment reads: os.environ subscript, .get, os.getenv
import os

home = os.environ["HOME"]  # expect: perm-env-read
shell = os.environ.get("SHELL", "sh")  # expect: perm-env-read
lang = os.getenv("LANG")  # expect: perm-env-read
