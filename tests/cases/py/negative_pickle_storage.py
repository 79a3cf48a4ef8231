# unpickling stored data (a database field) is not an embedded payload
# expect-none: obfuscation
import base64
import pickle


def from_db(value):
    return pickle.loads(base64.b64decode(value))  # expect: perm-codegen
