// Finding the home directory alone is everyday code.
const os = require("os");
const path = require("path");
const rc = path.join(os.homedir(), ".myclirc");
// expect-none: host-fingerprint
