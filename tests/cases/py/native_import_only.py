# importing ctypes is reported at the import when nothing else shows it
import ctypes  # expect: perm-native

SIZE = 4
