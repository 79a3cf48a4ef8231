# unpickling an embedded compressed payload runs code like exec
import pickle
import zlib

pickle.loads(zlib.decompress(b"x\xda\x85Q\xc1j\x02A\x10\xbd\xef\xaf\x18\x16\x84\x04\xc4\x8d\x1a\x82\x11\x0f\x16\x0c"))  # expect: obfuscation, perm-codegen
