// child_process bound by require(), used through the binding.
const cp = require("child_process");
cp.exec("ls -la", (err, out) => console.log(out)); // expect: perm-process
cp.spawnSync("git", ["status"]); // expect: perm-process
