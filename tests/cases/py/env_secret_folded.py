# a secret env var name assembled from pieces is still a secret read
import os

key = os.environ["NPM_" + "TOKEN"]  # expect: sensitive-read, perm-env-read
pw = os.getenv("".join(["DB_", "PASSWORD"]))  # expect: sensitive-read
