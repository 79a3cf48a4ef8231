# loading a shared object as an extension module
import importlib.util

spec = importlib.util.spec_from_file_location("fast", "./_fast.cpython-311-x86_64-linux-gnu.so")  # expect: perm-native
