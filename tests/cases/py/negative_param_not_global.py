# a parameter is not the variable of the same name in another function
# expect-none: sensitive-read
import os


def query(env=None):
    env = os.environ if env is None else env
    return env.get("PATH")


class LogCmd:
    def __init__(self, cmd, env=None):
        self.cmd = cmd
        self.env = env

    def __repr__(self):
        return f"{self.cmd} env of {self.env!r}"
