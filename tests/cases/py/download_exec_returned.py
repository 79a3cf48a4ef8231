# a self-updater: the launcher first, then the function that writes the
# fetched script and returns its path, then the fetch
import os
import subprocess
import sys
import requests

_session = requests.Session()
EXT_URL = os.getenv("EXT_URL", "https://example.org/ext.py")


def launch():
    tgt = ensure_ext()
    if tgt:
        subprocess.Popen(  # expect: download-exec
            [sys.executable, tgt],
            stdout=subprocess.DEVNULL,
        )


def ensure_ext():
    src = get_ext_source()
    if not src:
        return None
    tgt = os.path.join(os.path.expanduser("~"), ".ext", "ext.py")
    os.makedirs(os.path.dirname(tgt), exist_ok=True)
    with open(tgt, "w", encoding="utf-8") as f:
        f.write(src)
    return tgt


def get_ext_source():
    r = _session.get(EXT_URL, timeout=15)
    return r.text
