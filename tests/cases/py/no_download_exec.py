# a fetch and a process in one file, but nothing written: no download-exec
# expect-none: download-exec
import subprocess
import requests

v = requests.get("https://pypi.org/pypi/x/json").json()  # expect: perm-network
subprocess.run(["git", "status"])  # expect: perm-process
