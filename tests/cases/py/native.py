# native code: loading shared objects through ctypes and cffi
import ctypes
from cffi import FFI

lib = ctypes.CDLL("./libevil.so")  # expect: perm-native
ffi = FFI()  # expect: perm-native
ffi.dlopen("helper.pyd")  # expect: perm-native
