# expanding a template with the environment is not serialising it
# expect-none: sensitive-read
import os


def expand(s):
    return s.format(**os.environ)  # expect: perm-env-read
