# copying the environment to run a child process is not a leak
# expect-none: sensitive-read
import os
import subprocess

env = os.environ.copy()
env["LC_ALL"] = "C"
subprocess.run(["make"], env=env)  # expect: perm-process
child = dict(os.environ, PYTHONPATH="src")
subprocess.call(["pytest"], env=child)
