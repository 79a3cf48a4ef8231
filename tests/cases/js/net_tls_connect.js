// TLS connection.
const tls = require("tls");
tls.connect(443, "example.com"); // expect: perm-network
