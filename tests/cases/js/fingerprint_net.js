// Network interfaces and DNS servers.
import { networkInterfaces } from "node:os";
import dns from "dns";
const ifs = networkInterfaces(); // expect: host-fingerprint
const servers = dns.getServers(); // expect: host-fingerprint
