// vm runs code.
const vm = require("vm");
vm.runInNewContext("x + 1", { x: 1 }); // expect: perm-codegen
const script = new vm.Script(process.argv[2]); // expect: perm-codegen
const { runInThisContext } = require("node:vm");
runInThisContext("1"); // expect: perm-codegen
