# exec of base64-decoded code, direct and through a variable
import base64
import zlib

exec(base64.b64decode("cHJpbnQoImhpIik="))  # expect: obfuscation, perm-codegen, perm-decode
code = zlib.decompress(base64.b64decode(blob))
exec(code)  # expect: obfuscation, perm-codegen
_ = lambda __: __import__("zlib").decompress(__[::-1])
exec((_)(b"..."))  # expect: obfuscation
