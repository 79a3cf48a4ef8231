# os.spawn* and pty.spawn
import pty
from os import spawnl

spawnl(0, "/bin/true", "true")  # expect: perm-process
pty.spawn("/bin/bash")  # expect: perm-process
