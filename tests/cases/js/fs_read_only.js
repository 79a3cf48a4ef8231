// Reading files is fs-read only.
const fs = require("fs");
const cfg = fs.readFileSync("config.json", "utf8"); // expect: perm-fs-read
if (fs.existsSync("x")) console.log(cfg); // expect: perm-fs-read
// expect-none: perm-fs-write
