// A local object named fs, never bound to the fs module.
const fs = createMemoryFs();
fs.readFileSync("/virtual/a");
fs.writeFileSync("/virtual/b", "x");
function createMemoryFs() {
  const files = new Map();
  return { readFileSync: (p) => files.get(p), writeFileSync: (p, d) => files.set(p, d) };
}
// expect-none: perm-fs-read, perm-fs-write
