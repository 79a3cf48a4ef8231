# a ctypes attribute chain ending in a Windows API call
import ctypes

ctypes.windll.kernel32.VirtualAlloc(0, 4096, 0x3000, 0x40)  # expect: perm-native
