// require("./server.node") loads server.node.js: a Node build, not an addon.
module.exports = require("./server.node");
// expect-none: perm-native
