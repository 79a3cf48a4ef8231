# decompression counts as decoding; a text codec does not
import codecs
import zlib

j = zlib.decompress(s10)  # expect: perm-decode
t = codecs.decode(raw, "utf-8")
u = raw.decode("utf-8")
