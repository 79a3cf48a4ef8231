# from-import with an alias, os.exec*
from os import system as s
from os import execvp

s("id")  # expect: perm-process
execvp("sh", ["sh"])  # expect: perm-process
