# dynamic code: eval/exec/compile of non-constant data
def run(src):
    eval(src)  # expect: perm-codegen
    exec(compile(src, "<x>", "exec"))  # expect: perm-codegen
    __import__(src)  # expect: perm-codegen
