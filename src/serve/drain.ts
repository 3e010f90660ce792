// Shutdown draining: once the server starts stopping, new requests are refused (503 shutting_down) while the ones
// in flight, counted here, finish.

import type { ServiceApp } from "./app.js";
import { shuttingDown } from "./errors.js";
import type { SendError } from "./observation.js";

/** What shutdown needs from the app: new requests are refused while these finish. */
export interface Drain {
  draining: boolean;
  inflight: number;
}

/** Answers every request 503 shutting_down once `drain.draining` is set. */
export function refuseWhileDraining(app: ServiceApp, drain: Drain, sendError: SendError): void {
  app.addHook("onRequest", (_request, reply, done) => {
    if (drain.draining) {
      sendError(reply, shuttingDown());
      return;
    }
    done();
  });
}

/** Counts the requests being answered in `drain.inflight`, from this hook until their response is over. */
export function countInflight(app: ServiceApp, drain: Drain): void {
  app.addHook("onRequest", (request, reply, done) => {
    drain.inflight++;
    // "close" comes for every response that was started, finished or aborted; a request pipelined behind one whose
    // answer closed the connection (a refused body) never gets a response, so its socket's close counts too. Once:
    // when a client drops the connection, the response's close is emitted while the socket's is being delivered, so
    // the socket's listener runs although release took it off (an emitter calls the listeners it had), and without
    // the flag each upload given up on would count a request out twice and let shutdown stop under a live one.
    const socket = request.raw.socket;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      reply.raw.off("close", release);
      socket?.off("close", release);
      drain.inflight--;
    };
    reply.raw.once("close", release);
    socket?.once("close", release);
    done();
  });
}
