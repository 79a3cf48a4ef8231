# hex and binascii
import binascii

g = bytes.fromhex(s7)  # expect: perm-decode
h = binascii.unhexlify(s8)  # expect: perm-decode
i = binascii.a2b_base64(s9)  # expect: perm-decode
