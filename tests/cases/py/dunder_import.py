# __import__ with a constant name resolves to the module
__import__("os").system("whoami")  # expect: perm-process
m = __import__("subprocess")
m.call(["uname", "-a"])  # expect: perm-process
__import__("socket").create_connection(("example.org", 80))  # expect: perm-network
