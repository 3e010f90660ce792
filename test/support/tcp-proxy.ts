// A TCP proxy a test can cut and restore, standing between a client and a server (the store and PostgreSQL, a page
// and the service): the server "goes away" for the client (open connections drop, new ones are refused) while the
// real server keeps running.

import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** Drops every connection and refuses new ones, as a stopped server does. */
  cut(): Promise<void>;
  /** Cuts the first time a client sends `text` (say, "COMMIT"), before the server sees it. */
  cutOn(text: string): void;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let trigger: Buffer | undefined;
  let server: Server | undefined;
  let port = 0;
  let cutting: Promise<void> | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  };
  const onConnection = (client: Socket) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.on("data", (chunk: Buffer) => {
      if (trigger && chunk.includes(trigger)) {
        trigger = undefined;
        void cut();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  };
  const listen = async () => {
    server = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      server?.once("error", reject);
      server?.listen(port, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (address && typeof address === "object") port = address.port;
  };
  const cut = () => {
    cutting ??= (async () => {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    })();
    return cutting;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    cut,
    cutOn: (text) => {
      trigger = Buffer.from(text);
    },
    restore: async () => {
      await cutting;
      cutting = undefined;
      if (!server) await listen();
    },
    close: cut,
  };
}
