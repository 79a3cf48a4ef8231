// Computed keys on the global object.
const e = global["proc" + "ess"]["env"];
const t = e["NPM_" + "TOKEN"]; // expect: perm-env-read, sensitive-read
