// require() of a name computed at run time.
const plugin = process.argv[2];
require(plugin); // expect: perm-codegen
require("./lib/" + plugin); // expect: perm-codegen
