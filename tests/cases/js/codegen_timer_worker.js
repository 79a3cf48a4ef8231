// setTimeout with a string, a Worker evaluating a string.
const { Worker } = require("worker_threads");
setTimeout("doWork()", 100); // expect: perm-codegen
new Worker("require('./x')", { eval: true }); // expect: perm-codegen
