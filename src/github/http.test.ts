// githubFetch against a real HTTP server: what Octokit relies on from fetch (redirects, headers, bodies, failures
// shaped as fetch's) holds, and responseText reads its bodies and anyone else's.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Secret } from "../core/secret.js";
import { createGitHubClient } from "./client.js";
import { githubFetch, responseText } from "./http.js";

describe("githubFetch", () => {
  let server: Server;
  let base: string;
  // Another origin (another port), recording what reaches it.
  let other: Server;
  let elsewhere: string;
  const landed: Record<string, unknown>[] = [];
  const received: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        switch (req.url) {
          case "/moved":
            res.writeHead(301, { location: "/target" }).end();
            return;
          case "/target":
            res.writeHead(200, { "content-type": "application/json; charset=utf-8", etag: 'W/"abc"' }).end('{"at":"target","ü":"✓"}');
            return;
          case "/repeated":
            res.setHeader("x-many", ["one", "two"]);
            res.writeHead(200, { "content-type": "text/plain" }).end("ok");
            return;
          case "/empty":
            res.writeHead(204).end();
            return;
          case "/cut":
            // Promises 1000 bytes, sends 10, then drops the connection.
            res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
            res.write('[{"a":1},{');
            setTimeout(() => res.socket?.destroy(), 20);
            return;
          case "/slow":
            return; // never answers
          case "/gzip":
          case "/deflate":
          case "/deflate-raw":
          case "/br": {
            const json = Buffer.from(JSON.stringify({ coded: req.url, accept: req.headers["accept-encoding"] ?? null }));
            const coded = { "/gzip": gzipSync, "/deflate": deflateSync, "/deflate-raw": deflateRawSync, "/br": brotliCompressSync }[req.url](json);
            res.writeHead(200, { "content-type": "application/json", "content-encoding": req.url === "/deflate-raw" ? "deflate" : req.url.slice(1) });
            res.end(coded);
            return;
          }
          case "/orgs/zipped": {
            const json = JSON.stringify({ login: "zipped", accept: req.headers["accept-encoding"] ?? null, auth: req.headers["authorization"] ?? null });
            res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-encoding": "gzip" }).end(gzipSync(json));
            return;
          }
          case "/plain":
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ accept: req.headers["accept-encoding"] ?? null }));
            return;
          case "/bom":
            res.writeHead(200, { "content-type": "application/json" }).end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"bom":true}')]));
            return;
          case "/post-found":
            res.writeHead(302, { location: "/echo" }).end();
            return;
          case "/post-temporary":
            res.writeHead(307, { location: "/echo" }).end();
            return;
          case "/echo":
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, body, type: req.headers["content-type"] ?? null }));
            return;
          case "/loop":
            res.writeHead(301, { location: "/loop" }).end();
            return;
          case "/away":
            res.writeHead(302, { location: `${elsewhere}/landing` }).end();
            return;
          default:
            res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    other = createServer((req, res) => {
      landed.push(req.headers);
      res.writeHead(200, { "content-type": "text/plain" }).end("landed");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of [server, other]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it("follows redirects and reads status, headers and body as fetch does", async () => {
    const res = await githubFetch(`${base}/moved`, { headers: { accept: "application/json", "x-one": "1" } });
    assert.equal(res.status, 200);
    assert.equal(res.ok, true);
    assert.equal(res.statusText, "OK");
    assert.equal(res.headers.get("etag"), 'W/"abc"');
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(await res.json(), { at: "target", ü: "✓" });
    const hops = received.slice(-2);
    assert.deepEqual(hops.map((r) => r.url), ["/moved", "/target"]);
    assert.equal(hops[1]!.headers["x-one"], "1");
  });

  it("keeps the token on a same-origin redirect and drops it on a redirect to another origin, as fetch does", async () => {
    await githubFetch(`${base}/moved`, { headers: { authorization: "token same-origin" } });
    assert.equal(received.at(-1)!.url, "/target");
    assert.equal(received.at(-1)!.headers["authorization"], "token same-origin");
    const res = await githubFetch(`${base}/away`, { headers: { authorization: "token secret", "x-kept": "yes" } });
    assert.equal(await res.text(), "landed");
    assert.equal(landed.length, 1);
    assert.equal(landed[0]!["authorization"], undefined, "the token never reaches another origin");
    assert.equal(landed[0]!["x-kept"], "yes");
  });

  it("says where the answer came from after redirects", async () => {
    const direct = await githubFetch(`${base}/target`);
    assert.equal(direct.url, `${base}/target`);
    assert.equal(direct.redirected, false);
    const moved = await githubFetch(`${base}/moved`);
    assert.equal(moved.url, `${base}/target`);
    assert.equal(moved.redirected, true);
  });

  it("turns a POST answered 301/302 into a GET without its body, and repeats it on 307, as fetch does", async () => {
    const init = { method: "post", headers: { "content-type": "application/json" }, body: '{"x":1}' };
    assert.deepEqual(await (await githubFetch(`${base}/post-found`, init)).json(), { method: "GET", body: "", type: null });
    assert.deepEqual(await (await githubFetch(`${base}/post-temporary`, init)).json(), { method: "POST", body: '{"x":1}', type: "application/json" });
  });

  it("fails on a redirect loop, and on any redirect with redirect: error", async () => {
    await assert.rejects(githubFetch(`${base}/loop`), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.match(String((err.cause as Error).message), /redirect count exceeded/);
      return true;
    });
    await assert.rejects(githubFetch(`${base}/moved`, { redirect: "error" }), /fetch failed/);
  });

  it("asks for compressed answers and decodes gzip, deflate (zlib or raw) and brotli", async () => {
    for (const coding of ["gzip", "deflate", "deflate-raw", "br"]) {
      const res = await githubFetch(`${base}/${coding}`);
      assert.deepEqual(await res.json(), { coded: `/${coding}`, accept: "gzip, deflate, br" }, coding);
      // What Octokit hands on with parseSuccessResponseBody: false is decoded too.
      assert.match(await responseText(res.body), /"coded"/);
    }
    const own = await githubFetch(`${base}/plain`, { headers: { "Accept-Encoding": "identity" } });
    assert.deepEqual(await own.json(), { accept: "identity" }, "a caller's own accept-encoding is kept");
  });

  it("is what ghaudit's Octokit sends through: a gzipped answer is read, parsed or as list text", async () => {
    const client = createGitHubClient({ apiUrl: base, auth: { kind: "token", token: new Secret("ghp_zippedzippedzippedzipped") } });
    const parsed = await client.request("GET /orgs/{org}", { org: "zipped" });
    assert.deepEqual(parsed.data, { login: "zipped", accept: "gzip, deflate, br", auth: "token ghp_zippedzippedzippedzipped" });
    const raw = await client.request("GET /orgs/{org}", { org: "zipped", request: { parseSuccessResponseBody: false } });
    assert.equal(JSON.parse(await responseText(raw.data)).login, "zipped");
  });

  it("drops a UTF-8 byte-order mark, as fetch's text() does", async () => {
    const res = await githubFetch(`${base}/bom`);
    assert.deepEqual(await res.json(), { bom: true });
    const again = await githubFetch(`${base}/bom`);
    assert.equal(await responseText(again.body), '{"bom":true}');
  });

  it("refuses a GET with a body, as fetch does", async () => {
    await assert.rejects(githubFetch(`${base}/target`, { body: "x" }), TypeError);
  });

  it("leaves a redirect alone when asked to (redirect: manual)", async () => {
    const res = await githubFetch(`${base}/moved`, { redirect: "manual" });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get("location"), "/target");
  });

  it("joins a repeated header as fetch's Headers does", async () => {
    const res = await githubFetch(`${base}/repeated`);
    assert.equal(res.headers.get("x-many"), "one, two");
    assert.equal(await res.text(), "ok");
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), new TextEncoder().encode("ok"));
  });

  it("sends the method, headers and body it is given", async () => {
    const res = await githubFetch(`${base}/nowhere`, { method: "POST", headers: new Headers({ "content-type": "application/json" }), body: '{"x":1}' });
    assert.equal(res.status, 404);
    assert.equal(res.ok, false);
    assert.deepEqual(await res.json(), { message: "Not Found" });
    const last = received.at(-1)!;
    assert.equal(last.method, "POST");
    assert.equal(last.body, '{"x":1}');
    assert.equal(last.headers["content-type"], "application/json");
  });

  it("answers an empty body as empty", async () => {
    const res = await githubFetch(`${base}/empty`);
    assert.equal(res.status, 204);
    assert.equal(await res.text(), "");
    assert.equal(await responseText(res.body), "");
  });

  it("fails as fetch does (TypeError with the cause) when the connection drops mid-body", async () => {
    await assert.rejects(githubFetch(`${base}/cut`), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.equal(err.message, "fetch failed");
      assert.ok(err.cause instanceof Error);
      return true;
    });
  });

  it("fails as fetch does when nothing listens", async () => {
    const idle = createServer();
    await new Promise<void>((resolve) => idle.listen(0, "127.0.0.1", resolve));
    const port = (idle.address() as AddressInfo).port;
    await new Promise((resolve) => idle.close(resolve));
    await assert.rejects(githubFetch(`http://127.0.0.1:${port}/`), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.match(String((err.cause as Error).message), /ECONNREFUSED/);
      return true;
    });
  });

  it("rejects with the abort signal's reason, as fetch does", async () => {
    const signal = AbortSignal.timeout(50);
    await assert.rejects(githubFetch(`${base}/slow`, { signal }), (err: unknown) => {
      assert.equal((err as Error).name, "TimeoutError");
      assert.match((err as Error).message, /aborted due to timeout/);
      return true;
    });
  });

  it("responseText decodes its bodies directly and reads any other stream", async () => {
    const res = await githubFetch(`${base}/target`);
    assert.equal(await responseText(res.body), '{"at":"target","ü":"✓"}');
    // The stream handed out is a real one over the same bytes.
    assert.equal(await new Response(res.body).text(), '{"at":"target","ü":"✓"}');
    assert.equal(await responseText(new Response("from elsewhere ✓").body), "from elsewhere ✓");
    assert.equal(await responseText(null), "");
  });
});
