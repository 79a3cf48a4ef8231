// The bindings package loads a compiled addon.
const b = require("bindings")("fast_thing"); // expect: perm-native
