// fs-extra, and renamed members destructured from fs.
const fse = require("fs-extra");
const { readFileSync: slurp, appendFile } = require("fs");
fse.outputFile("dist/a.js", "x"); // expect: perm-fs-write
slurp("/tmp/a"); // expect: perm-fs-read
appendFile("log", "line\n", () => {}); // expect: perm-fs-write
