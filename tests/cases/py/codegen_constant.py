# eval/exec of a constant string is not dynamic code
# expect-none: perm-codegen
x = eval("1 + 2")
exec("y = 3")
