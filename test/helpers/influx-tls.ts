/**
 * The real InfluxDB (the pinned 1.8.10) with `auth-enabled = true` (an admin and a read-write user created here) behind a
 * loopback HTTPS proxy that serves it under a path prefix, with a self-signed certificate made by openssl:
 * what a shared monitoring stack looks like, on one machine. The proxy only strips the prefix; every answer
 * (headers included) is InfluxDB's own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, startInflux, stopInflux } from '../../src/node/influx/server.js';

export const PREFIX = '/metrics/influx';
/** The same server under a second prefix, whose answers lose the X-Influxdb-* headers, as some proxies do. */
export const STRIPPED_PREFIX = '/stripped/influx';

export interface SecuredInflux {
  /** https://127.0.0.1:PORT/metrics/influx */
  readonly url: string;
  /** the same, through a proxy that strips InfluxDB's version headers */
  readonly strippedUrl: string;
  /** the plain loopback URL of InfluxDB itself, for assertions */
  readonly directUrl: string;
  readonly caFile: string;
  readonly admin: { readonly username: string; readonly password: string };
  readonly writer: { readonly username: string; readonly password: string };
  readonly dir: string;
  /** requests the proxy forwarded, by path without the prefix */
  readonly forwarded: string[];
  /** the next `count` v2 writes are answered `status` by the proxy itself (a busy or restarting server), then pass */
  refuseWrites(count: number, status: number): void;
  /** v2 writes the proxy answered itself so far */
  readonly refusedWrites: number;
  stop(): Promise<void>;
}

/** One InfluxQL statement as `user` straight to InfluxDB (POST, as DDL needs). */
async function direct(port: number, q: string, user?: { username: string; password: string }): Promise<void> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (user) headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  const res = await fetch(`http://127.0.0.1:${port}/query`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ q }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  if (res.status !== 200 || body.includes('"error"'))
    throw new Error(`${q.split(' WITH PASSWORD')[0]}: ${res.status} ${body}`);
}

function selfSignedCert(dir: string): { key: string; cert: string } {
  const key = path.join(dir, 'proxy.key');
  const cert = path.join(dir, 'proxy.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key, cert };
}

export async function startSecuredInflux(name: string): Promise<SecuredInflux> {
  const dir = mkdtempSync(path.join(tmpdir(), `offerload-${name}-`));
  const opts = { port: await freePort(), dir: path.join(dir, 'influxdb'), authEnabled: true };
  await startInflux(opts);
  const admin = { username: 'admin', password: randomBytes(12).toString('hex') };
  const writer = { username: 'loadwriter', password: randomBytes(12).toString('hex') };
  // with no user yet, InfluxDB takes exactly one statement unauthenticated: creating the admin
  await direct(opts.port, `CREATE USER "${admin.username}" WITH PASSWORD '${admin.password}' WITH ALL PRIVILEGES`);
  await direct(opts.port, 'CREATE DATABASE "offerload"', admin);
  await direct(opts.port, `CREATE USER "${writer.username}" WITH PASSWORD '${writer.password}'`, admin);
  await direct(opts.port, `GRANT ALL ON "offerload" TO "${writer.username}"`, admin);

  const { key, cert } = selfSignedCert(dir);
  const forwarded: string[] = [];
  let toRefuse = { count: 0, status: 503 };
  let refusedWrites = 0;
  const proxy = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const prefix = [PREFIX, STRIPPED_PREFIX].find((p) => req.url?.startsWith(`${p}/`));
    if (!prefix) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no route ${req.url}`);
      return;
    }
    const rest = req.url!.slice(prefix.length);
    if (rest.startsWith('/api/v2/write') && toRefuse.count > 0) {
      toRefuse.count--;
      refusedWrites++;
      req.resume();
      res
        .writeHead(toRefuse.status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ code: 'unavailable', message: `refused by the test proxy (${toRefuse.status})` }));
      return;
    }
    forwarded.push(rest.split('?')[0]!);
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: opts.port,
        method: req.method,
        path: rest,
        headers: { ...req.headers, host: `127.0.0.1:${opts.port}` },
      },
      (up) => {
        const headers = { ...up.headers };
        if (prefix === STRIPPED_PREFIX)
          for (const h of Object.keys(headers)) if (h.startsWith('x-influxdb-')) delete headers[h];
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => res.writeHead(502).end(e.message));
    req.pipe(upstream);
  });
  const proxyPort = await freePort();
  await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${proxyPort}${PREFIX}`,
    strippedUrl: `https://127.0.0.1:${proxyPort}${STRIPPED_PREFIX}`,
    directUrl: `http://127.0.0.1:${opts.port}`,
    caFile: cert,
    admin,
    writer,
    dir,
    forwarded,
    refuseWrites: (count, status) => {
      toRefuse = { count, status };
    },
    get refusedWrites() {
      return refusedWrites;
    },
    stop: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await stopInflux(opts);
    },
  };
}
