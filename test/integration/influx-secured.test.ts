/**
 * The user's own monitoring stack: the real InfluxDB (the pinned 1.8.10) with auth-enabled (an admin and a read-write user
 * made here), reached over HTTPS through a loopback proxy under a path prefix, its self-signed certificate
 * trusted through a CA file. Setup, doctor, a run (k6's output included), compare and the forced 2.x/3.x path
 * all go through it; the credentials appear in no argv, output or results file. No 2.x or 3.x server can run
 * on this machine: their path is driven against the 1.x server by forcing the flavour.
 */
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { startSecuredInflux, type SecuredInflux } from '../helpers/influx-tls.js';
import type { RunSummary } from '../../src/node/results/model.js';
import { influxRequest, query, queryAll } from '../../src/node/influx/client.js';
import { writePoints } from '../../src/node/influx/writer.js';
import { influxTarget } from '../../src/node/influx/connection.js';
import { serverInfo } from '../../src/node/influx/detect.js';
import { INFLUXD_VERSION } from '../../src/node/influx/server.js';

let influx: SecuredInflux;
const tmp = mkdtempSync(path.join(tmpdir(), 'offerload-secured-'));
const results = path.join(tmp, 'results');
const stamp = Date.now().toString(36);

const as = (user: { username: string; password: string }, more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  OFFERLOAD_INFLUX_USERNAME: user.username,
  OFFERLOAD_INFLUX_PASSWORD: user.password,
  OFFERLOAD_INFLUX_CA_FILE: influx.caFile,
  ...more,
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Runs the CLI while reading every process's argv from /proc, so what k6 was started with can be checked. */
function runWatchingArgv(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult & { argvs: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const argvs = new Set<string>();
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const poll = setInterval(() => {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
          if (argv.includes('k6') || argv.includes('offerload')) argvs.add(argv);
        } catch {
          // gone
        }
      }
    }, 100);
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, argvs: [...argvs] });
    });
  });
}

beforeAll(async () => {
  influx = await startSecuredInflux('secured');
}, 120_000);

afterAll(async () => {
  await influx?.stop();
});

describe('an authenticated InfluxDB over TLS behind a path prefix', () => {
  it('is set up by its admin through the proxy, and a read-write user finds it set up', async () => {
    const admin = await runCli(['influx', 'setup', '--influx', influx.url], as(influx.admin));
    expect(admin.stderr).toBe('');
    expect(admin.code).toBe(0);
    expect(admin.stdout.trim()).toBe(
      `InfluxDB 1.x ${INFLUXD_VERSION} at ${influx.url}, database offerload: created retention policy raw (30d), retention policy long (INF), continuous query offerload_latency_1m, continuous query offerload_outcomes_1m`,
    );
    const writer = await runCli(['influx', 'setup', '--influx', influx.url], as(influx.writer));
    expect(writer.stdout.trim()).toBe(
      `InfluxDB 1.x ${INFLUXD_VERSION} at ${influx.url}, database offerload: already set up`,
    );
    expect(influx.forwarded).toContain('/ping');
  });

  it('doctor names the server and what it means for a soak, and says what is wrong with bad credentials or an untrusted certificate', async () => {
    const ok = await runCli(['doctor', '--influx', influx.url, '--json'], as(influx.writer));
    const row = (JSON.parse(ok.stdout) as { name: string; ok: boolean; detail: string }[]).find(
      (c) => c.name === 'influxdb',
    )!;
    expect(row).toEqual({
      name: 'influxdb',
      ok: true,
      detail: expect.stringMatching(
        /^https:\/\/127\.0\.0\.1:\d+\/metrics\/influx \(InfluxDB 1\.x 1\.8\.10 OSS\), database offerload; for a soak: retention policies/,
      ),
    });

    const wrong = await runCli(
      ['doctor', '--influx', influx.url],
      as(influx.writer, { OFFERLOAD_INFLUX_PASSWORD: 'not-the-password' }),
    );
    expect(wrong.code).toBe(3);
    expect(wrong.stdout).toMatch(
      /^FIX {2}influxdb .*refused "SHOW MEASUREMENTS LIMIT 1": authorization failed \(check the InfluxDB credentials/m,
    );

    const untrusted = await runCli(
      ['doctor', '--influx', influx.url],
      as(influx.writer, { OFFERLOAD_INFLUX_CA_FILE: '' }),
    );
    expect(untrusted.code).toBe(3);
    expect(untrusted.stdout).toMatch(
      /^FIX {2}influxdb .*could not be reached: self-signed certificate; point influx\.ca_file or OFFERLOAD_INFLUX_CA_FILE at the CA/m,
    );
    const skipped = await runCli(
      ['doctor', '--influx', influx.url, '--insecure-skip-tls-verify'],
      as(influx.writer, { OFFERLOAD_INFLUX_CA_FILE: '' }),
    );
    expect(skipped.stdout).toMatch(/^ok {3}influxdb /m);
  });

  it('refuses a URL with credentials in it and a CA file that is not there, naming the input', async () => {
    const inUrl = await runCli(
      ['doctor', '--influx', influx.url.replace('https://', 'https://u:p@')],
      as(influx.writer),
    );
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr.trim()).toBe(
      'offerload: invalid --influx: credentials do not belong in URLs; set OFFERLOAD_INFLUX_USERNAME/OFFERLOAD_INFLUX_PASSWORD or OFFERLOAD_INFLUX_TOKEN',
    );
    const noCa = await runCli(
      ['doctor', '--influx', influx.url],
      as(influx.writer, { OFFERLOAD_INFLUX_CA_FILE: path.join(tmp, 'missing.pem') }),
    );
    expect(noCa.code).toBe(2);
    expect(noCa.stderr.trim()).toBe(
      `offerload: invalid OFFERLOAD_INFLUX_CA_FILE: expected a PEM file of CA certificates, file not found: ${path.join(tmp, 'missing.pem')}`,
    );
  });

  it('the client sends long queries as POST (the proxy refuses a URL that long), and names the statement a server refused', async () => {
    const t = influxTarget({ url: influx.url, database: 'offerload', env: as(influx.writer) });
    const long = `SELECT count("value") FROM "http_reqs" WHERE ${Array.from({ length: 600 }, (_, i) => `"testid" = 'nope-${i}-padding-padding'`).join(' OR ')}`;
    expect(long.length).toBeGreaterThan(20_000);
    const asGet = await influxRequest(t, 'GET', '/query', { db: 'offerload', q: long });
    expect(asGet.status).toBe(431);
    expect(await query(t, long)).toEqual([]);
    const refused = await queryAll(t, [
      'SHOW MEASUREMENTS LIMIT 1',
      'SELECT * FROM nowhere WHERE',
      'SHOW MEASUREMENTS',
    ]).catch((e: Error & { statement?: string }) => e);
    expect((refused as Error).message).toMatch(
      /^InfluxDB at https:\/\/127\.0\.0\.1:\d+\/metrics\/influx refused "SELECT \* FROM nowhere WHERE": error parsing query/,
    );
    const failed = await queryAll(t, [
      'SHOW MEASUREMENTS LIMIT 1',
      'SELECT "value" FROM "http_reqs" GROUP BY time(1s)',
    ]).catch((e: Error & { statement?: string }) => e);
    expect((failed as Error & { statement?: string }).statement).toBe(
      'SELECT "value" FROM "http_reqs" GROUP BY time(1s)',
    );
    expect((failed as Error).message).toMatch(
      /refused "SELECT "value" FROM "http_reqs" GROUP BY time\(1s\)": GROUP BY requires at least one aggregate function/,
    );
    await writePoints(t, [{ measurement: 'offerload_it_types', fields: { v: 1 } }]);
    const conflict = await writePoints(t, [{ measurement: 'offerload_it_types', fields: { v: 'text' } }]).catch(
      (e: Error) => e,
    );
    expect((conflict as Error).message).toMatch(
      /refused a write of 1 point\(s\) to offerload_it_types: .*field type conflict/,
    );
  });

  it('writes through the v2 compatibility API with a token ("user:password" on 1.8), into a retention policy too, and reads the points back in Flux and InfluxQL', async () => {
    const token = (value: string) =>
      influxTarget({
        url: influx.url,
        database: 'offerload',
        env: { OFFERLOAD_INFLUX_TOKEN: value, OFFERLOAD_INFLUX_CA_FILE: influx.caFile },
      });
    const t = token(`${influx.writer.username}:${influx.writer.password}`);
    const testid = `v2-${stamp}`;
    const at = Date.now() - 60_000;
    const points = [0, 1, 2].map((i) => ({
      measurement: 'offerload_it_v2',
      tags: { testid, kind: i === 2 ? 'with space' : 'plain' },
      fields: { n: i + 0.5, note: `say "${i}"` },
      timestamp: new Date(at + i * 1000),
    }));
    const before = influx.forwarded.filter((p) => p === '/api/v2/write').length;
    await writePoints(t, points);
    await writePoints(t, [{ ...points[0]!, measurement: 'offerload_it_v2_long' }], 'long');
    expect(influx.forwarded.filter((p) => p === '/api/v2/write').length - before).toBe(2);
    // Flux on /api/v2/query, with the same token (the database's default policy is setup's raw)
    const flux = await influxRequest(
      t,
      'POST',
      '/api/v2/query',
      {},
      {
        type: 'application/vnd.flux',
        text: `from(bucket: "offerload/raw") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "offerload_it_v2" and r.testid == "${testid}" and r._field == "n") |> sum()`,
      },
    );
    expect(flux.status, flux.body).toBe(200);
    // annotated CSV: a header row after the # rows, then one row per table (here one per kind)
    const [header, ...tables] = flux.body.split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('#'));
    const col = (name: string): number => header!.split(',').indexOf(name);
    expect(
      Object.fromEntries(tables.map((l) => [l.split(',')[col('kind')], Number(l.split(',')[col('_value')])])),
    ).toEqual({
      plain: 0.5 + 1.5,
      'with space': 2.5,
    });
    // InfluxQL on /query, with the token too: every point, tag and field as written, the policy's point in it
    const rows = await query(t, `SELECT * FROM "offerload_it_v2" WHERE "testid" = '${testid}'`);
    expect(rows.map((r) => [r.time!.getTime(), r.kind, r.n, r.note])).toEqual(
      points.map((p) => [p.timestamp.getTime(), p.tags.kind, p.fields.n, p.fields.note]),
    );
    expect(await query(t, `SELECT count("n") FROM "long"."offerload_it_v2_long" WHERE "testid" = '${testid}'`)).toEqual(
      [expect.objectContaining({ count: 1 })],
    );
    // a wrong token is refused and named, not retried
    const wrong = await writePoints(token(`${influx.writer.username}:nope`), points).catch((e: Error) => e);
    expect((wrong as Error).message).toMatch(
      /^InfluxDB at https:\/\/127\.0\.0\.1:\d+\/metrics\/influx refused a write of 3 point\(s\) to offerload_it_v2: .*authorization failed.* \(check the InfluxDB credentials/,
    );
  });

  it('retries a write the server answers 503 or 429 with backoff until it lands, and gives up after three retries naming the reason', async () => {
    const t = influxTarget({ url: influx.url, database: 'offerload', env: as(influx.writer) });
    const testid = `retry-${stamp}`;
    const point = (i: number) => ({
      measurement: 'offerload_it_retry',
      tags: { testid },
      fields: { n: i },
      timestamp: new Date(Date.now() - 10_000 + i),
    });
    const refusedBefore = influx.refusedWrites;
    influx.refuseWrites(2, 503);
    const started = Date.now();
    await writePoints(t, [point(1)]);
    // randomised backoff: the first retry waits 0.5 to 1 s, the second 1 to 2 s (writer.ts), so 1.5 s at least
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    influx.refuseWrites(1, 429);
    await writePoints(t, [point(2)]);
    expect(influx.refusedWrites - refusedBefore).toBe(3);
    expect(
      (await query(t, `SELECT "n" FROM "offerload_it_retry" WHERE "testid" = '${testid}'`)).map((r) => r.n),
    ).toEqual([1, 2]);
    // four refusals in a row: the first try and three retries, then the point is lost and the error says why
    influx.refuseWrites(4, 503);
    const lost = await writePoints(t, [point(3)]).catch((e: Error) => e);
    expect((lost as Error).message).toMatch(
      /refused a write of 1 point\(s\) to offerload_it_retry: refused by the test proxy \(503\)$/,
    );
    expect(influx.refusedWrites - refusedBefore).toBe(7);
  });

  it('knows the server from /health when a proxy strips the version headers from /ping, and from the headers otherwise', async () => {
    const env = as(influx.writer);
    const plain = await serverInfo(influxTarget({ url: influx.url, database: 'offerload', env }));
    expect(plain).toMatchObject({ version: INFLUXD_VERSION, build: 'OSS', versionFrom: 'ping header', v2Write: true });
    const stripped = await serverInfo(influxTarget({ url: influx.strippedUrl, database: 'offerload', env }));
    expect(stripped).toMatchObject({
      version: INFLUXD_VERSION,
      build: undefined,
      versionFrom: 'health',
      forced: false,
    });
    expect(stripped.flavour.name).toBe('1');
    const doctor = await runCli(['doctor', '--influx', influx.strippedUrl, '--json'], env);
    expect(
      (JSON.parse(doctor.stdout) as { name: string; detail: string }[]).find((c) => c.name === 'influxdb')?.detail,
    ).toMatch(/\(InfluxDB 1\.x 1\.8\.10\), database offerload;/);
    const forced = await runCli(['doctor', '--influx', influx.strippedUrl, '--influx-flavour', '2', '--json'], env);
    expect(
      (JSON.parse(forced.stdout) as { name: string; detail: string }[]).find((c) => c.name === 'influxdb')?.detail,
    ).toMatch(/\(InfluxDB 2\.x \(v1 compatibility API\) 1\.8\.10, flavour forced\)/);
  });

  describe('a run as the read-write user', () => {
    const testid = `secured-${stamp}`;
    let run: CliResult & { argvs: string[] };
    let summary: RunSummary;

    beforeAll(async () => {
      run = await runWatchingArgv(
        [
          'run',
          'offer-burst',
          '--profile',
          'smoke',
          '--duration',
          '10s',
          '--influx',
          influx.url,
          '--out',
          results,
          '--testid',
          testid,
          '--quiet',
        ],
        as(influx.writer),
      );
      if (run.code === 0)
        summary = JSON.parse(readFileSync(path.join(results, testid, 'summary.json'), 'utf8')) as RunSummary;
    }, 200_000);

    it('stores every request k6 sent, through the proxy, with the generator health beside them', () => {
      expect(run.stderr.split('\n').filter((l) => !l.startsWith('offerload: ') && l !== '')).toEqual([]);
      expect(run.code).toBe(0);
      expect(summary.accounting.sent).toBeGreaterThanOrEqual(15);
      expect(summary.accounting.stored_in_influx).toBe(summary.accounting.sent);
      expect(summary.influx).toEqual({ url: influx.url, database: 'offerload' });
      expect(influx.forwarded).toContain('/write');
      // the Node side's own points (the generator's health) through the official client's v2 write
      expect(influx.forwarded).toContain('/api/v2/write');
      expect(summary.generator!.samples).toBeGreaterThanOrEqual(5);
      expect(summary.generator!.max_rss_mb).toBeGreaterThan(10);
      expect(summary.generator!.max_cpu_share).toBeGreaterThan(0);
      expect(summary.generator!.max_cpu_share).toBeLessThanOrEqual(1);
      expect(run.stdout).toContain(
        `curl -G '${influx.url}/query' -u "$OFFERLOAD_INFLUX_USERNAME:$OFFERLOAD_INFLUX_PASSWORD"`,
      );
    });

    it('puts neither password in any argv (k6 included), output or results file', () => {
      expect(run.argvs.some((a) => a.includes(' run ') && a.includes('--out influxdb'))).toBe(true);
      for (const secret of [influx.writer.password, influx.admin.password]) {
        for (const argv of run.argvs) expect(argv).not.toContain(secret);
        expect(run.stdout + run.stderr).not.toContain(secret);
        for (const file of filesUnder(path.join(results, testid)))
          expect(readFileSync(file, 'utf8')).not.toContain(secret);
      }
    });

    it('compares against itself from InfluxDB alone (no results folder), and finds no regression', async () => {
      const c = await runCli(
        ['compare', testid, testid, '--influx', influx.url, '--results', path.join(tmp, 'none')],
        as(influx.writer),
      );
      expect(c.code).toBe(0);
      expect(c.stdout).toContain(`no regression: ${testid} against ${testid}`);
    });
  });

  describe('the 2.x/3.x path, forced against the real 1.x server', () => {
    it('runs a soak with no DDL and computes its one-minute rollups by query', async () => {
      const testid = `secured-soak3-${stamp}`;
      const r = await runCli(
        [
          'run',
          'soak',
          '--profile',
          'smoke',
          '--duration',
          '10s',
          '--influx',
          influx.url,
          '--out',
          results,
          '--testid',
          testid,
          '--quiet',
        ],
        as(influx.writer, { OFFERLOAD_INFLUX_FLAVOUR: '3' }),
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        `offerload: InfluxDB: InfluxDB 3 (v1 compatibility API) ${INFLUXD_VERSION} (flavour forced)`,
      );
      const s = JSON.parse(readFileSync(path.join(results, testid, 'summary.json'), 'utf8')) as RunSummary;
      expect(s.accounting.stored_in_influx).toBe(s.accounting.sent);
      // the rollups' outcome counts, written back as points into the default policy, add up to what k6 sent
      const res = await fetch(
        `${influx.directUrl}/query?${new URLSearchParams({ db: 'offerload', q: `SELECT sum("count") AS n FROM "offerload_outcomes_1m" WHERE "testid" = '${testid}'` })}`,
        {
          headers: {
            Authorization: `Basic ${Buffer.from(`${influx.admin.username}:${influx.admin.password}`).toString('base64')}`,
          },
        },
      );
      const body = (await res.json()) as { results: { series?: { values: [string, number][] }[] }[] };
      expect(body.results[0]!.series![0]!.values[0]![1]).toBe(s.accounting.sent);
      // InfluxQL DELETE is 1.x only: --replace says so before any load
      const again = await runCli(
        [
          'run',
          'offer-burst',
          '--profile',
          'smoke',
          '--duration',
          '5s',
          '--influx',
          influx.url,
          '--out',
          path.join(tmp, 'again'),
          '--testid',
          testid,
          '--replace',
          '--quiet',
        ],
        as(influx.writer, { OFFERLOAD_INFLUX_FLAVOUR: '3' }),
      );
      expect(again.code).toBe(2);
      expect(again.stderr.trim().split('\n').pop()).toBe(
        `offerload: --replace cannot delete run ${testid} on InfluxDB 3 (v1 compatibility API): InfluxQL DELETE is 1.x only; choose another --testid`,
      );
    }, 120_000);

    it('doctor says what a forced 3.x means for a soak', async () => {
      const d = await runCli(['doctor', '--influx', influx.url], as(influx.writer, { OFFERLOAD_INFLUX_FLAVOUR: '3' }));
      expect(d.stdout).toMatch(
        /^ok {3}influxdb .*\(InfluxDB 3 \(v1 compatibility API\) 1\.8\.10 OSS, flavour forced\), database offerload; for a soak: no continuous queries: per-minute soak rollups are computed by queries/m,
      );
      const bad = await runCli(
        ['doctor', '--influx', influx.url],
        as(influx.writer, { OFFERLOAD_INFLUX_FLAVOUR: '4' }),
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim()).toBe('offerload: invalid OFFERLOAD_INFLUX_FLAVOUR: expected one of 1, 2, 3, got "4"');
    });
  });
});
