// A token-like variable is a credential read.
const token = process.env.NPM_TOKEN; // expect: perm-env-read, sensitive-read
const aws = process.env.AWS_SECRET_ACCESS_KEY; // expect: sensitive-read
