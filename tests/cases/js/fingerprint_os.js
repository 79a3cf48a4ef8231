// Host identifiers; homedir counts once other identifiers are read.
const os = require("os");
const info = { h: os.hostname(), u: os.userInfo().username }; // expect: host-fingerprint
const home = os.homedir(); // expect: host-fingerprint
