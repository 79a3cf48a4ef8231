// exec/spawn methods of unrelated objects are not child_process.
const re = /(\d+)-(\d+)/;
const m = re.exec("10-20");
const db = require("./db");
db.exec("CREATE TABLE t (x)");
const { exec, spawn } = require("./my-task-runner");
exec("build");
spawn("worker");
const text = "child_process.exec('rm -rf /')";
// require("child_process").exec("id") in a comment
// expect-none: perm-process
