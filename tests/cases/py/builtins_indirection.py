# builtins reached through __builtins__ / builtins / sys.modules
import builtins
import sys

builtins.exec(code)  # expect: perm-codegen
__builtins__.__dict__["eval"](code)  # expect: perm-codegen
sys.modules["os"].system("id")  # expect: perm-process
globals()["__builtins__"].eval(code)  # expect: perm-codegen
