# getattr with a constant-folded name
import os
import builtins

getattr(os, "sys" + "tem")("echo hi")  # expect: perm-process
fn = getattr(os, "po" "pen")
fn("uptime")  # expect: perm-process
getattr(builtins, "ex" + "ec")(compile_me)  # expect: perm-codegen
getattr(__builtins__, "".join(["e", "v", "a", "l"]))(payload)  # expect: perm-codegen
getattr(os, "metsys"[::-1])("reboot")  # expect: perm-process
