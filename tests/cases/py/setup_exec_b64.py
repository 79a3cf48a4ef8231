# path: setup.py
import setuptools
exec(__import__('base64').b64decode(__import__('codecs').getencoder('utf-8')('cHJpbnQoMSk=')[0]))  # expect-install: install-hook, obfuscation, perm-codegen
setuptools.setup(name="d", version="1.0")
