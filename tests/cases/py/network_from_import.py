# network via from-imports and a session object
from urllib.request import urlopen, Request
from requests import Session
import urllib.parse

urlopen(Request("https://example.org/x"))  # expect: perm-network
sess = Session()  # expect: perm-network
sess.post("https://example.org/y", json={})  # expect: perm-network
urllib.parse.quote("a b")
