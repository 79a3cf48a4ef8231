# requests, urllib.request, urllib3
import requests
import urllib.request
import urllib3

requests.get("https://example.org")  # expect: perm-network
urllib.request.urlopen("https://example.org")  # expect: perm-network
urllib3.PoolManager().request("GET", "https://example.org")  # expect: perm-network
