// Through the global object.
const t = globalThis.process.env.GH_TOKEN; // expect: perm-env-read, sensitive-read
