# dynamic code: marshal, pickle, types.FunctionType
import marshal
import pickle
import types


def run(blob, code):
    marshal.loads(blob)  # expect: perm-codegen
    pickle.loads(blob)  # expect: perm-codegen
    types.FunctionType(code, globals())  # expect: perm-codegen
