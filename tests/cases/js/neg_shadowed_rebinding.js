// A name rebound to something else stops meaning the module.
let fs = require("fs");
fs.readFileSync("a.txt"); // expect: perm-fs-read
fs = makeMemoryFs();
fs.unlinkSync("x");
fs.writeFileSync("y", "z");
// expect-none: perm-fs-write
