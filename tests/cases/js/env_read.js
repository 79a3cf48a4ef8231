// Reading one variable: env-read, not a credential.
const home = process.env.HOME; // expect: perm-env-read
const p = process.env["PATH"]; // expect: perm-env-read
// expect-none: sensitive-read, perm-env-write
