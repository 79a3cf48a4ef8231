// The module is only passed on: its import is the evidence.
module.exports = { cp: require("child_process") }; // expect: perm-process
