// Popular HTTP client libraries: called directly or through a method.
const axios = require("axios");
const got = require("got");
const nodeFetch = require("node-fetch");
axios.get("https://example.com/a"); // expect: perm-network
got("https://example.com/b"); // expect: perm-network
nodeFetch("https://example.com/c"); // expect: perm-network
