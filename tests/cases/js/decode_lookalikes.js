// Encoding is not decoding; utf8 buffers are not decoding.
const a = Buffer.from("hello", "utf8");
const b = Buffer.from([1, 2, 3]);
const c = Buffer.from("x").toString("base64");
const d = btoa("hi");
// expect-none: perm-decode
