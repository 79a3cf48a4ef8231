# path: setup.py
# the usual setuptools/distutils fallback is not a hook
# expect-none: install-hook
try:
    from setuptools import setup
except ImportError:
    from distutils.core import setup

exec(open("pkg/version.py").read())
setup(name="pkg", version=__version__, py_modules=["pkg"])
