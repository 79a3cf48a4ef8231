// Destructuring process.env reads each key; process destructured too.
const { GITHUB_TOKEN, HOME } = process.env; // expect: perm-env-read, sensitive-read
const { env } = process;
console.log(env.LANG); // expect: perm-env-read
