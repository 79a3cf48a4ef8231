// An install script fetching its platform binary package from the npm
// registry when the optional dependency is missing (esbuild's install.js
// shape), then running it to check its version. The download is a
// published package, not an unknown second stage: no download-exec.
const fs = require("fs");
const path = require("path");
const https = require("https");
const child_process = require("child_process");
const packageJSON = require(path.join(__dirname, "package.json"));
function fetch(url) {
  return new Promise((resolve, reject) => {
    https.get(url, (res) => { // expect: perm-network
      if (res.statusCode === 302 && res.headers.location)
        return fetch(res.headers.location).then(resolve, reject);
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve(Buffer.concat(chunks)));
    }).on("error", reject);
  });
}
async function download(pkg, binPath) {
  const url = `https://registry.npmjs.org/${pkg}/-/${pkg.replace("@scope/", "")}-${packageJSON.version}.tgz`;
  const bytes = await fetch(url);
  fs.writeFileSync(binPath, bytes);
  fs.chmodSync(binPath, 493);
  child_process.execFileSync(binPath, ["--version"]); // expect: perm-process
}
download("@scope/linux-x64", path.join(__dirname, "bin"));
// expect-none: download-exec, perm-codegen
