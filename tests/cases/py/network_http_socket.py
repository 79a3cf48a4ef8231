# http.client and raw sockets (methods of a socket object)
import http.client
import socket

http.client.HTTPSConnection("example.org")  # expect: perm-network
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # expect: perm-network
s.connect(("example.org", 443))  # expect: perm-network
