# mangled identifiers, reported once per file with a count
_0x1a2b = 1  # expect: obfuscation
_0x3c4d = _0x1a2b + 2
O0O0O0O = _0x3c4d
OO00OO0 = O0O0O0O
print(OO00OO0)
