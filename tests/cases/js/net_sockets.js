// Raw sockets and DNS.
const net = require("net");
const dgram = require("dgram");
const dns = require("dns");
const s = new net.Socket(); // expect: perm-network
const u = dgram.createSocket("udp4"); // expect: perm-network
dns.resolveTxt("x.example.com", () => {}); // expect: perm-network
