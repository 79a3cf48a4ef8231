// Destructuring from the node: scheme, with a renamed member.
const { exec, execFileSync: run } = require("node:child_process");
exec("whoami"); // expect: perm-process
run("uname", ["-a"]); // expect: perm-process
