# a socket, a file write and a process in one place, but no download
# expect-none: download-exec
import socket
import subprocess

s = socket.socket()
s.sendto(b"ping", ("192.0.2.1", 9))
open("/tmp/state", "w").write("x")
subprocess.Popen(["kfmclient", "openURL", "http://example.org"])
