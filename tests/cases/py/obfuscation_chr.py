# code hidden in char codes
exec("".join(chr(c) for c in codes))  # expect: obfuscation, perm-codegen, perm-decode
s = "".join(map(chr, [105, 109, 112, 111, 114, 116, 32, 111, 115, 59, 111, 115, 46, 115, 121, 115, 116, 101, 109, 40, 39, 105, 100, 39, 41]))  # expect: obfuscation
b = bytes([112, 114, 105, 110, 116, 40, 49, 41, 10, 112, 114, 105, 110, 116, 40, 50, 41, 10, 112, 114, 105, 110, 116])  # expect: obfuscation
