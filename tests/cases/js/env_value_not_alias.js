// A value read from the environment is not an alias of process.env: only
// the read itself is reported, not each later use of the local string
// (express: var env = process.env.NODE_ENV || 'development').
var mode = process.env.NODE_ENV || 'development'; // expect: perm-env-read
const home = process.env.HOME; // expect: perm-env-read
mode += '-build';
home += '/x';
// expect-none: perm-env-write, sensitive-read
