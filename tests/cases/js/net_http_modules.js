// http/https/http2 requests.
const https = require("https");
const http = require("node:http");
https.get("https://example.com/", (res) => res.resume()); // expect: perm-network
const req = http.request({ host: "example.com", method: "POST" }); // expect: perm-network
