// Loaded into the `next start` process by scripts/start.ts (node --require): Next.js route handlers
// cannot see the TCP peer, so every incoming request gets its socket address in a header the app
// trusts (lib/auth/client-ip.ts). Whatever a client sent in that header is overwritten, never kept.
"use strict";
const http = require("node:http");

const HEADER = "x-rollcall-client-address";
const emit = http.Server.prototype.emit;

http.Server.prototype.emit = function emitWithClientAddress(event, request, ...rest) {
  if (event === "request" && request && request.headers) {
    request.headers[HEADER] = (request.socket && request.socket.remoteAddress) || "unknown";
  }
  return emit.call(this, event, request, ...rest);
};

process.env.ROLLCALL_CLIENT_ADDRESS_HEADER = HEADER;
