# look-alikes that must not fire
# expect-none: perm-codegen, perm-process, perm-fs-write, perm-network, obfuscation
import re
import sqlite3
import zipfile

"""Docs: never call eval() or os.system() on user input."""
# eval(x) and exec(y) in a comment
NOTE = "exec(base64.b64decode(x)) is what malware does"
pat = re.compile(r"\d+")
conn = sqlite3.connect("db.sqlite")
cursor = conn.cursor()
cursor.execute("SELECT 1")


class Runner:
    def system(self):
        return 1

    def exec(self):
        return self.system()


zf = zipfile.ZipFile("a.zip")
member = zf.open("inner.txt")
model.eval()
Runner().exec()
