// A request too malformed for Node's HTTP parser never reaches a route: it is answered here, on the socket, in the
// API's error shape and without a stack.

import { randomUUID } from "node:crypto";
import { maxHeaderSize } from "node:http";
import type { Socket } from "node:net";
import { EXPOSED_HEADERS } from "./cross-origin.js";
import { ApiError } from "./errors.js";

/**
 * Any origin may read these answers, as the widget's routes' refusals: the request is refused before it is read, so
 * which route it was for is unknown (the parser may hold only the middle of a long URL), and the answer holds nothing
 * of the service's (a message and a fresh id). A widget on another site then reads a 431 and its advice, not
 * "failed to fetch".
 */
const CROSS_ORIGIN = `Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: ${EXPOSED_HEADERS.join(", ")}\r\n`;

/** Answers Node's parser error on the socket; returns the error answered, or undefined when none could be. */
export function answerClientError(error: Error, socket: Socket): ApiError | undefined {
  const { code, reason } = error as { code?: string; reason?: string };
  // A socket this handler does not close stays open: Node leaves that to whoever listens for clientError.
  if (code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return undefined;
  }
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return answerTimeout(socket);
  // Node's parser says what it found (reason), which is what the client needs to fix; headers over Node's
  // limit (maxHeaderSize, 16 kB unless --max-http-header-size) are the likeliest, from a long query string.
  const overflow = code === "HPE_HEADER_OVERFLOW";
  const status = overflow ? "431 Request Header Fields Too Large" : "400 Bad Request";
  const answer = overflow
    ? new ApiError(
        "headers_too_large",
        `the request line and headers are over ${maxHeaderSize / 1024} kB: shorten the URL (send long text in a POST body) or the headers`,
        { field: "request" },
      )
    : new ApiError(
        "invalid_request",
        `malformed HTTP request${reason ? ` (${reason})` : ""}: send one well-formed HTTP/1.1 request${/content-length|transfer-encoding|chunk/i.test(reason ?? "") ? ", with one Content-Length or chunked encoding, not both" : ""}`,
        { field: "request" },
      );
  const body = JSON.stringify(answer.body());
  // The answer to a HEAD request has headers only: a body would be read by the client as a second response.
  const rawPacket = (error as unknown as { rawPacket?: Uint8Array }).rawPacket;
  const head = rawPacket
    ? Buffer.from(rawPacket.subarray(0, 5)).toString("latin1") === "HEAD "
    : false;
  socket.end(rawAnswer(status, head ? "" : body));
  return answer;
}

/** An HTTP answer written on the socket itself, with `body` (the API's error shape, or none for HEAD). */
function rawAnswer(status: string, body: string): string {
  // An id, as every response has one, though no request was parsed to log it under: a client reporting the error
  // still has something to quote.
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\nX-Request-Id: ${randomUUID()}\r\n${CROSS_ORIGIN}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/**
 * Headers or a whole request that did not arrive in time (connections.ts): 408, and the connection is destroyed once
 * the answer is written, not half-closed, so a client that never reads or closes does not keep it.
 */
function answerTimeout(socket: Socket): ApiError {
  const answer = new ApiError(
    "request_timeout",
    "the request did not arrive in time (its headers, or all of it with its body): the connection is closed; send it again at once, not byte by byte",
    { field: "request" },
  );
  socket.end(rawAnswer("408 Request Timeout", JSON.stringify(answer.body())));
  socket.destroySoon();
  return answer;
}
