// The module is used straight off the require() call.
require("child_process").execSync("hostname"); // expect: perm-process
require("child_process")["exec"]("id"); // expect: perm-process
