// Long char-code arrays fed to String.fromCharCode.
const s = String.fromCharCode(114, 101, 113, 117, 105, 114, 101, 40, 39, 99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115, 39, 41); // expect: obfuscation, perm-decode
const codes = [99, 117, 114, 108, 32, 104, 116, 116, 112, 58, 47, 47, 101, 120, 97, 109, 112, 108, 101, 46, 99, 111, 109];
const t = String.fromCharCode.apply(null, codes); // expect: obfuscation
