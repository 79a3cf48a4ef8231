// Literals reach the literal scanner decoded: escapes and template fragments.
const hook = "\x68\x74\x74\x70\x73://discord.com/api/webhooks/123456/abcdef"; // expect: shady-url
const paste = `https://pastebin.com/raw/${id}`; // expect: shady-url
const key = require("fs").readFileSync(`${process.env.HOME}/.ssh/id_rsa`); // expect: sensitive-read, perm-fs-read
