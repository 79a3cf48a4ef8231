// Writing, removing, creating.
const fs = require("node:fs");
fs.writeFileSync("out.txt", "data"); // expect: perm-fs-write
fs.mkdirSync("dir", { recursive: true }); // expect: perm-fs-write
const w = fs.createWriteStream("log.txt"); // expect: perm-fs-write
// expect-none: perm-fs-read
