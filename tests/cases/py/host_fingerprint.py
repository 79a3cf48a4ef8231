# host identity collection
import getpass
import platform
import socket

info = {
    "user": getpass.getuser(),  # expect: host-fingerprint
    "host": socket.gethostname(),  # expect: host-fingerprint
    "node": platform.node(),  # expect: host-fingerprint
}
