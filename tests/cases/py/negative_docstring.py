"""Example module.

Usage::

    eval(input())
    exec(open('x').read())
    subprocess.call('rm -rf /', shell=True)
"""
# expect-none: perm-codegen, perm-process, perm-fs-read


def f():
    """os.system('reboot')"""
    return 1
