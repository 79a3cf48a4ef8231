// A module name spelled as char codes, resolved and rewritten.
const target = require.resolve(Buffer.from([100, 108, 45, 116, 97, 114]).toString()); // expect: perm-decode
const magic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
