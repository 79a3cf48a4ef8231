# token-like env var names are a sensitive read
import os

tok = os.environ["NPM_TOKEN"]  # expect: sensitive-read, perm-env-read
aws = os.getenv("AWS_SECRET_ACCESS_KEY")  # expect: sensitive-read, perm-env-read
gh = os.environ.get("GITHUB_TOKEN")  # expect: sensitive-read, perm-env-read
