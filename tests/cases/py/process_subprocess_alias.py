# subprocess through an import alias, and a direct os.system call
import subprocess as sp
import os


def run(cmd):
    sp.Popen(cmd, shell=True)  # expect: perm-process
    os.system("ls -l")  # expect: perm-process
    return sp.check_output(["git", "describe"])  # expect: perm-process
