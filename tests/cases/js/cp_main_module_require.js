// process.mainModule.require and an aliased require.
process.mainModule.require("child_process").execSync("id"); // expect: perm-process
const r = require;
r("child_process").spawn("ls"); // expect: perm-process
