# path: setup.py
import requests
from distutils.core import setup

requests.post("https://collect.example/i", data={"pkg": "z"})  # expect-install: install-hook, perm-network
setup(name="z", version="0.1")
