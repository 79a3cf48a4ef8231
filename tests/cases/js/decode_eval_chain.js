// Decoded data executed: obfuscation, codegen and decode together.
eval(atob(process.argv[2])); // expect: obfuscation, perm-codegen, perm-decode
eval(Buffer.from(payload, "base64").toString("utf8")); // expect: obfuscation, perm-codegen
