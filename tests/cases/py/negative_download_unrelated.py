# fetch, write and run within a few lines, but unrelated: the fetched data
# goes to a cache file and the process run is something else
# expect-none: download-exec
import json
import os
import subprocess
import urllib.request

with urllib.request.urlopen("https://pypi.org/pypi/pkgvet/json") as r:
    data = r.read()
with open("cache.json", "wb") as f:
    f.write(data)
os.chmod("run.sh", 0o755)
subprocess.call(["git", "status"])
subprocess.call(["./run.sh", json.loads(data)["info"]["version"]])
