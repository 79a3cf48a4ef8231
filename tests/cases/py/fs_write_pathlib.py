# pathlib writes, shutil.move
import shutil
from pathlib import Path

Path("p.txt").write_text("hello")  # expect: perm-fs-write
(Path.home() / ".cfg").write_bytes(b"x")  # expect: perm-fs-write
shutil.move("a", "b")  # expect: perm-fs-write
