// Browser-style globals.
const x = new XMLHttpRequest(); // expect: perm-network
const ws = new WebSocket("wss://example.com/socket"); // expect: perm-network
