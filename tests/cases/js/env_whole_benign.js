// Passing the environment on to a child is a read, not a credential read.
const { spawn } = require("child_process");
spawn("node", ["build.js"], { env: { ...process.env, CI: "1" } }); // expect: perm-env-read
const names = Object.keys(process.env); // expect: perm-env-read
// expect-none: sensitive-read
