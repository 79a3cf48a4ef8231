// A binding chosen by a condition; a JSDoc cast around a literal is no computed name.
const http = secure ? require("https") : require("http");
http.get("https://example.com/"); // expect: perm-network
const webpack = require(/** @type {string} */ ("webpack"));
// expect-none: perm-codegen
