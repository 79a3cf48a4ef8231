var _0x4f2a = ["log", "hello"]; function _0x1b3c(_0x2d4e) { return _0x4f2a[_0x2d4e]; } // expect: obfuscation
console[_0x1b3c(0)](_0x1b3c(1));
