# names of underscores only are mangling (reported once, with a count)
____ = 1  # expect: obfuscation
_____ = ____ + 1
______ = _____ * 2
print(______)
