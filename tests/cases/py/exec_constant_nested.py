# exec of a constant string: the string is analysed as code, reported at the exec
exec("import os; os.system('id')")  # expect: perm-process
exec("import base64; exec(base64.b64decode('cHJpbnQoMSk='))")  # expect: obfuscation, perm-decode
