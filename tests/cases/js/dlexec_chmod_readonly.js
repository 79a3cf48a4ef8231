// A non-executable mode is not the execution end.
const fs = require("fs");
const http = require("http");
http.get("http://example.com/data.json", (res) => res.pipe(fs.createWriteStream("data.json")));
fs.chmodSync("data.json", 0o644);
// expect-none: download-exec
