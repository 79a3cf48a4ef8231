// The decoded text goes through a variable first.
const payload = "Y29uc29sZS5sb2coMSk=";
const src = Buffer.from(payload, "hex").toString();
new Function(src)(); // expect: obfuscation, perm-codegen
const vm = require("vm");
vm.runInThisContext(unescape("%63%6f%6e%73%6f%6c%65")); // expect: obfuscation, perm-decode
