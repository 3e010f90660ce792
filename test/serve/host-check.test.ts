// DNS rebinding over real HTTP: a service on a loopback address answers only requests naming a loopback host; one on
// another address answers any.

import { describe, expect, it } from "vitest";
import { send, serveForTest, useSampleServer } from "../support/serve.js";

const service = useSampleServer();

const withHost = (host: string, path: string) =>
  send(service.server().url, { path, headers: { host } });

describe("a service on 127.0.0.1", () => {
  it("refuses a request naming another host with 421 misdirected_request, before any route", async () => {
    const { port } = service.server();
    for (const path of ["/v1/content", "/v1/suggest", "/", "/healthz", "/no-such-route"]) {
      const res = await withHost(`rebind.example:${port}`, path);
      expect(res.status, path).toBe(421);
      expect(res.json.error.code, path).toBe("misdirected_request");
      expect(res.json.error.details.field).toBe("host");
      expect(res.json.error.message).toContain("rebind.example");
    }
    for (const host of ["127.0.0.1.rebind.example", "localhost.rebind.example:80", "192.168.1.10"])
      expect((await withHost(host, "/healthz")).status, host).toBe(421);
  });

  it("answers localhost, 127.0.0.0/8 and [::1], with any port: the editor, widget, docs and probes", async () => {
    const { port } = service.server();
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      "LocalHost",
      "127.1.2.3:9",
      `[::1]:${port}`,
    ])
      for (const path of ["/", "/widget.js", "/docs", "/healthz", "/v1/tags?query=nlp"])
        expect((await withHost(host, path)).status, `${host} ${path}`).toBe(200);
  });
});

describe("a service on another address", () => {
  it("answers any Host (behind an ingress, the names are the ingress's)", async () => {
    const open = await serveForTest({ kind: "directory", dir: service.dir() }, { host: "0.0.0.0" });
    try {
      const res = await send(`http://127.0.0.1:${open.port}`, {
        path: "/healthz",
        headers: { host: "tagsmith.example" },
      });
      expect(res.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
