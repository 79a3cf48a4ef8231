// An alias of the environment object itself is still followed.
const e = process.env;
const ev = global.process.env || {};
const h = e.HOME; // expect: perm-env-read
e.NODE_OPTIONS = "--require ./hook.js"; // expect: perm-env-write
ev.PATH += ":/tmp"; // expect: perm-env-read, perm-env-write
