// Decoding calls.
const a = Buffer.from(process.argv[2], "base64"); // expect: perm-decode
const b = atob("aGVsbG8="); // expect: perm-decode
const c = String.fromCharCode(104, 105); // expect: perm-decode
