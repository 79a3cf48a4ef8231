// A computed module name is itself code generation, and is still resolved.
const m = require("child" + "_" + "process"); // expect: perm-codegen
m.execFile("ls"); // expect: perm-process
