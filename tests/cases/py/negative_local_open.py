# a module-level function named open shadows the builtin
# expect-none: perm-fs-write
def open(name, mode="r"):
    return name


open("x", "w")
