// Native code: process.binding/dlopen, .node files, loader packages.
process.binding("spawn_sync"); // expect: perm-native
process.dlopen(module, "/tmp/x.node"); // expect: perm-native
const addon = require("./build/Release/addon.node"); // expect: perm-native
