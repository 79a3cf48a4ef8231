// fs.open: the flags decide read or write.
const fs = require("fs");
fs.openSync("a.txt", "r"); // expect: perm-fs-read
fs.openSync("b.txt", "w"); // expect: perm-fs-write
