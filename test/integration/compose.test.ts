/**
 * docker-compose.yml, validated without a Docker engine: Debian's docker-compose parses and resolves it,
 * every file it mounts exists, images are pinned, services have health checks, and ports and names match
 * what the local scripts use.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundleScenarios } from '../../src/node/build/bundle.js';
import { DEFAULT_INFLUX_PORT } from '../../src/node/influx/server.js';
import { ROOT } from '../helpers/cli.js';
import { k6Env, runTags } from '../../src/shared/k6-contract.js';
import { DEFAULT_SWEEP } from '../../src/shared/sweep.js';
import { K6_PROCESS_ENV } from '../../src/node/k6/binary.js';

interface Service {
  image: string;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  environment?: Record<string, string>;
  command?: string[];
}
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

beforeAll(async () => {
  await bundleScenarios(); // k6 mounts dist/
});

describe('docker-compose.yml', () => {
  it("gives k6 the environment and run tags offerload's own runs give it (k6Env, runTags, K6_PROCESS_ENV)", () => {
    const k6 = compose.services.k6!;
    const testid = '${OFFERLOAD_TESTID:-compose-offer-burst}';
    const env = k6Env({
      target: 'http://sim:8080',
      testid,
      profile: 'burst',
      params: { rate: 10, durationSec: 90 },
      poolPath: '/work/pool.json',
      summaryPath: '/work/k6-summary.json',
      scenario: 'offer-burst',
      sweep: DEFAULT_SWEEP,
      requestTimeoutSec: 60,
      sessions: 'reuse',
      insecureSkipTlsVerify: false,
    });
    expect(k6.environment).toMatchObject({ ...env, ...K6_PROCESS_ENV });
    const tagged = (k6.command ?? []).flatMap((arg, i, all) => (all[i - 1] === '--tag' ? [arg.split('=')[0]!] : []));
    const tags = Object.keys(
      runTags({ testid, profile: 'burst', targetLabel: 'sim', versionLabel: 'unknown', extraTags: {} }),
    );
    expect(tagged.sort()).toEqual(tags.sort());
    expect(k6.command).toContain(`testid=${testid}`);
  });

  it('is valid for docker-compose, with and without the load profile', () => {
    for (const args of [
      ['config', '-q'],
      ['--profile', 'load', 'config', '-q'],
    ]) {
      const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(r.error, 'docker-compose is not installed (scripts/setup.sh installs it)').toBeUndefined();
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('mounts only files and folders that exist', () => {
    const binds = Object.values(compose.services).flatMap((s) =>
      (s.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]!),
    );
    expect(binds.length).toBeGreaterThan(8);
    for (const b of binds) expect(existsSync(path.join(ROOT, b)), b).toBe(true);
    expect(readdirSync(path.join(ROOT, 'dashboards')).filter((f) => f.endsWith('.json')).length).toBe(5);
    expect(existsSync(path.join(ROOT, 'dist', 'offer-burst.js'))).toBe(true);
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(compose.services))
      expect(s.image, name).toMatch(/^[\w./-]+:\d+(\.\d+)+[\w.-]*$/);
    expect(compose.services.k6!.image).toBe('grafana/k6:2.2.0');
    expect(compose.services.influxdb!.image).toMatch(/^influxdb:1\./);
  });

  it('gives the long-running services health checks and named volumes', () => {
    for (const name of ['influxdb', 'grafana', 'sim'])
      expect(compose.services[name]!.healthcheck?.test.length, name).toBeGreaterThan(1);
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['influxdb-data', 'grafana-data']));
  });

  it('uses the ports and names the local scripts use, on loopback', () => {
    expect(compose.services.influxdb!.ports).toEqual([`127.0.0.1:${DEFAULT_INFLUX_PORT}:8086`]);
    expect(compose.services.influxdb!.environment!.INFLUXDB_DB).toBe('offerload');
    const datasource = readFileSync(path.join(ROOT, 'deploy/grafana/provisioning/datasources/influxdb.yml'), 'utf8');
    expect(datasource).toContain('uid: offerload-influxdb');
    expect(datasource).toContain('dbName: offerload');
    expect(compose.services.grafana!.environment!.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
  });
});
