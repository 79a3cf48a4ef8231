# importlib.import_module: constant names resolve, computed names are codegen
import importlib

sp = importlib.import_module("subprocess")
sp.run(["true"])  # expect: perm-process
importlib.import_module("o" + "s").popen("date")  # expect: perm-process


def load(name):
    return importlib.import_module(name)  # expect: perm-codegen
