// A local IPC socket, log files and a helper process: no download.
const net = require("net");
const fs = require("fs");
const { execFileSync } = require("child_process");
const s = net.connect({ port: 9000 });
fs.writeSync(fd, "log line\n");
execFileSync(process.execPath, ["--version"]);
// expect-none: download-exec
