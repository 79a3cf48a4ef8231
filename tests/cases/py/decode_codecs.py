# a85, codecs.decode with a decoding codec (not a text encoding)
import base64
import codecs

d = base64.a85decode(s4)  # expect: perm-decode
e = codecs.decode(s5, "rot13")  # expect: perm-decode
f = codecs.decode(s6, "hex")  # expect: perm-decode
k = codecs.decode(s11, "utf-8")
