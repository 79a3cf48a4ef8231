// The registry the user configured (npm_config_registry), or npm's.
const fs = require("fs");
const { execFileSync } = require("child_process");
const registry = process.env.npm_config_registry || "https://registry.npmjs.org/"; // expect: perm-env-read
async function main(name, version) {
  const res = await fetch(`${registry}${name}/-/${name}-${version}.tgz`); // expect: perm-network
  fs.writeFileSync("pkg.tgz", Buffer.from(await res.arrayBuffer()));
  execFileSync("tar", ["xzf", "pkg.tgz"]);
  const r2 = await fetch(new URL(`/${name}`, "https://registry.yarnpkg.com"));
  const r3 = await fetch({ url: registry + name });
}
main("x", "1.0.0");
// expect-none: download-exec
