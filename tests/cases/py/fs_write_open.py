# file writes through open modes
import io

with open("out.txt", "w") as f:  # expect: perm-fs-write
    f.write("x")
open("log.txt", mode="a").close()  # expect: perm-fs-write
io.open("o.bin", "r+b")  # expect: perm-fs-write
