# a network library's helper (paramiko.util.retry_on_signal) wrapping a
# connect is not a download; a private dir chmod'ed and a file written
# nearby do not make a dropper
# expect-none: download-exec
import os
import socket
import stat
import tempfile

from paramiko.util import retry_on_signal


def get_agent_connection():
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    retry_on_signal(lambda: conn.connect(os.environ["SSH_AUTH_SOCK"]))  # expect: perm-network
    return conn


class AgentServerProxy:
    def __init__(self, t):
        self._dir = tempfile.mkdtemp("sshproxy")
        os.chmod(self._dir, stat.S_IRWXU)
        self._file = self._dir + "/sshproxy.ssh"
        with open(self._file, "w") as f:
            f.write(t.banner())
