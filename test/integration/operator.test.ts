/**
 * `offerload operator`: the ConfigMap and TestRun it writes are what the k6-operator and Kubernetes accept
 * (checked against the TestRun CRD's structure and the ConfigMap rules in deploy/k6-operator/), the pack fits
 * the 1 MiB ConfigMap limit, the pool is split so runners never share a document, no credential is written,
 * and bad input is refused with one line and nothing written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath } from '../../src/node/build/bundle.js';
import { DEFAULT_SIM_CONFIG } from '../../src/node/sim/config.js';
import { publicFixtures, seedWorld } from '../../src/node/sim/platform/fixtures.js';
import { poolFileEntries, decodeEntry } from '../../src/shared/pool.js';
import { ROOT, runCli } from '../helpers/cli.js';

const SECRET = 'operator-test-password-7f3a';
const dir = mkdtempSync(path.join(os.tmpdir(), 'offerload-operator-'));
const config = path.join(dir, 'offerload.config.json');
const fixtures = path.join(dir, 'fixtures.json');
const out = path.join(dir, 'manifests');
const ajv = new Ajv({ allErrors: true, strict: true });
const validateTestRun = ajv.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'deploy/k6-operator/testrun.schema.json'), 'utf8')),
);
const validateConfigMap = ajv.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'deploy/k6-operator/configmap.schema.json'), 'utf8')),
);

type Doc = Record<string, any>;
let configMap: Doc;
let testRun: Doc;
let stdout = '';
let fileText = '';

const base = (testid: string, ...extra: string[]) => [
  'operator',
  'offer-burst',
  '--config',
  config,
  '--target',
  'staging',
  '--fixtures',
  fixtures,
  '--influx',
  'http://influxdb.monitoring:8086',
  '--manifests',
  out,
  '--testid',
  testid,
  ...extra,
];

beforeAll(async () => {
  writeFileSync(
    config,
    JSON.stringify({
      targets: { staging: { url: 'https://staging.example.test', allow: true, max_rate: 500, label: 'staging' } },
    }),
  );
  writeFileSync(fixtures, JSON.stringify(publicFixtures(seedWorld(DEFAULT_SIM_CONFIG))));
  const r = await runCli(
    [
      ...base(
        'op-burst-1',
        '--parallelism',
        '4',
        '--profile',
        'burst',
        '--rate',
        '10',
        '--duration',
        '2m',
        '--tag',
        'team=cc',
        '--version-label',
        'xanadu-p3',
      ),
    ],
    { OFFERLOAD_USERNAME: 'op.user', OFFERLOAD_PASSWORD: SECRET },
  );
  expect(r.code, r.stderr).toBe(0);
  stdout = r.stdout;
  fileText = readFileSync(path.join(out, 'offerload-op-burst-1.yaml'), 'utf8');
  const docs = parseAllDocuments(fileText).map((d) => d.toJS() as Doc);
  expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'TestRun']);
  [configMap, testRun] = docs as [Doc, Doc];
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('offerload operator', () => {
  it('writes a TestRun and a ConfigMap that the CRD structure and the ConfigMap rules accept', () => {
    expect(validateTestRun(testRun), JSON.stringify(validateTestRun.errors)).toBe(true);
    expect(validateConfigMap(configMap), JSON.stringify(validateConfigMap.errors)).toBe(true);
  });

  it('would be refused by the same checks with a misspelt field or a wrong value (the check can fail)', () => {
    const { parallelism, ...rest } = testRun.spec;
    expect(validateTestRun({ ...testRun, spec: { ...rest, paralellism: parallelism } })).toBe(false);
    expect(validateTestRun({ ...testRun, spec: { ...testRun.spec, cleanup: 'always' } })).toBe(false);
    expect(validateTestRun({ ...testRun, spec: { ...testRun.spec, parallelism: '4' } })).toBe(false);
    expect(validateConfigMap({ ...configMap, data: { 'bad/key': 'x' } })).toBe(false);
  });

  it('runs the bundle from the ConfigMap on 4 runners, with the run tags and the InfluxDB output as arguments', () => {
    expect(testRun.spec.parallelism).toBe(4);
    expect(testRun.spec.script.configMap).toEqual({ name: configMap.metadata.name, file: 'offer-burst.js' });
    expect(testRun.spec.arguments.split(' ')).toEqual([
      '--tag',
      'team=cc',
      '--tag',
      'testid=op-burst-1',
      '--tag',
      'profile=burst',
      '--tag',
      'target=staging',
      '--tag',
      'version=xanadu-p3',
      '--out',
      'influxdb=http://influxdb.monitoring:8086/offerload',
    ]);
    const env = Object.fromEntries((testRun.spec.runner.env as Doc[]).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      OFFERLOAD_TARGET: 'https://staging.example.test',
      OFFERLOAD_TESTID: 'op-burst-1',
      OFFERLOAD_PROFILE: 'burst',
      OFFERLOAD_RATE: '10',
      OFFERLOAD_DURATION: '120s',
      OFFERLOAD_POOL: '/test/pool.json',
      OFFERLOAD_GENERATOR: { fieldRef: { fieldPath: 'metadata.name' } },
      // runners are often offline: k6 must not try to resolve extensions over the network
      K6_AUTO_EXTENSION_RESOLUTION: 'false',
    });
    expect(testRun.spec.runner.envFrom).toEqual([{ secretRef: { name: 'offerload-target' } }]);
    expect(testRun.spec.runner.image).toBe('grafana/k6:2.2.0');
    // the script is the bundle that runs locally, byte for byte
    expect(configMap.data['offer-burst.js']).toBe(readFileSync(bundlePath('offer-burst'), 'utf8'));
  });

  it('fits the 1 MiB ConfigMap limit and says how full it is', () => {
    const bytes = Object.entries(configMap.data as Record<string, string>).reduce(
      (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(stdout).toContain(`ConfigMap offerload-op-burst-1: ${bytes} of 1048576 bytes`);
  });

  it('splits the pool so that no document is offered by two runners', () => {
    const entries = poolFileEntries(configMap.data['pool.json'], 'pool.json').map(decodeEntry);
    // burst at 10/s for 2 min plans 2,100 iterations: the whole pool (5% more, plus 100) fits, no wrap-around
    expect(entries.length).toBe(2304);
    expect(stdout).not.toContain('wraps around');
    expect(entries.length % 4).toBe(0);
    const runnerOf = new Map<string, number>();
    for (let i = 0; i < entries.length; i++) {
      const doc = entries[i]!.document;
      expect(runnerOf.get(doc) ?? i % 4, doc).toBe(i % 4);
      runnerOf.set(doc, i % 4);
    }
    expect(new Set(runnerOf.values())).toEqual(new Set([0, 1, 2, 3]));
  });

  it('never writes a credential: the runners read them from a Secret', () => {
    expect(fileText).not.toContain(SECRET);
    expect(fileText).not.toContain('op.user');
    expect(stdout).not.toContain(SECRET);
  });

  it('shrinks the pool to what fits, in whole rounds of runners, and warns that k6 wraps around it', async () => {
    const r = await runCli(
      base('op-long', '--parallelism', '3', '--profile', 'average', '--rate', '50', '--duration', '10m'),
    );
    expect(r.code, r.stderr).toBe(0);
    const cm = parseAllDocuments(readFileSync(path.join(out, 'offerload-op-long.yaml'), 'utf8'))[0]!.toJS() as Doc;
    const n = poolFileEntries(cm.data['pool.json'], 'pool.json').length;
    expect(n % 3).toBe(0);
    expect(n).toBeLessThan(30_000);
    expect(r.stdout).toMatch(
      new RegExp(`pool.json with ${n} entries; warning: the run plans 30000 iterations, so k6 wraps around the pool`),
    );
  }, 60_000);

  it('makes valid Kubernetes names and labels from any valid testid', async () => {
    const testid = `Shift_Start.${'x'.repeat(60)}_`;
    const r = await runCli(base(testid, '--parallelism', '2'));
    expect(r.code, r.stderr).toBe(0);
    const file = readdirSync(out).find((f) => f.startsWith('offerload-shift-start-x'))!;
    const [cm, tr] = parseAllDocuments(readFileSync(path.join(out, file), 'utf8')).map((d) => d.toJS() as Doc) as [
      Doc,
      Doc,
    ];
    expect(validateTestRun(tr), JSON.stringify(validateTestRun.errors)).toBe(true);
    expect(validateConfigMap(cm), JSON.stringify(validateConfigMap.errors)).toBe(true);
    expect(tr.metadata.labels['offerload/testid']).toMatch(/^Shift_Start\.x+$/);
    expect(tr.metadata.name.length).toBeLessThanOrEqual(50);
    // the run keeps its testid exactly where it matters: the tags and the environment
    expect(tr.spec.arguments).toContain(`--tag testid=${testid}`);
    expect(validateTestRun({ ...tr, metadata: { ...tr.metadata, labels: { 'offerload/testid': `${testid}` } } })).toBe(
      false,
    );
  }, 60_000);

  it.each([
    ['no --parallelism', base('bad-1'), /^offerload operator needs --parallelism N/],
    [
      'a parallelism of 0',
      base('bad-2', '--parallelism', '0'),
      /^invalid --parallelism: expected a whole number from 1 to 100, got "0"/,
    ],
    [
      'too many runners for the pool that fits',
      base('bad-3', '--parallelism', '100'),
      /^invalid --parallelism: the offer-burst\.js bundle \(\d+ bytes\) leaves room for \d+ pool entries in a 1048576-byte ConfigMap, fewer than 50 per runner/,
    ],
    [
      'no target',
      ['operator', 'offer-burst', '--parallelism', '2', '--manifests', out, '--testid', 'bad-4'],
      /^offerload operator needs --target/,
    ],
    [
      'a loopback target',
      [
        'operator',
        'offer-burst',
        '--target',
        'http://127.0.0.1:8080',
        '--influx',
        'http://influxdb:8086',
        '--parallelism',
        '2',
        '--manifests',
        out,
        '--testid',
        'bad-5',
      ],
      /^invalid --target: 127\.0\.0\.1 is loopback/,
    ],
    [
      'the local InfluxDB',
      [
        'operator',
        'offer-burst',
        '--config',
        config,
        '--target',
        'staging',
        '--fixtures',
        fixtures,
        '--parallelism',
        '2',
        '--manifests',
        out,
        '--testid',
        'bad-6',
      ],
      /^offerload operator needs --influx URL/,
    ],
    [
      'a flag for local runs',
      [...base('bad-7', '--parallelism', '2'), '--dry-run'],
      /^--dry-run does not apply to 'offerload operator'/,
    ],
    [
      'a bad secret name',
      base('bad-8', '--parallelism', '2', '--credentials-secret', 'Not_A_Name'),
      /^invalid --credentials-secret: expected a Kubernetes name/,
    ],
    ['a profile the scenario refuses', base('bad-9', '--parallelism', '2', '--profile', 'soak'), /^invalid --profile/],
  ])(
    'refuses %s with one line, exit 2, nothing written',
    async (_, args, message) => {
      const before = readdirSync(out).sort();
      const r = await runCli(args);
      expect(r.code).toBe(2);
      // progress lines may come first; the error is the last line, and there is no stack
      expect(
        r.stderr
          .trim()
          .split('\n')
          .at(-1)!
          .replace(/^offerload: /, ''),
      ).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(out).sort()).toEqual(before);
    },
    60_000,
  );

  it('matches the committed example TestRun (regenerate with the command in deploy/k6-operator/README.md)', async () => {
    const r = await runCli([
      ...base(
        'example',
        '--parallelism',
        '4',
        '--profile',
        'burst',
        '--rate',
        '10',
        '--duration',
        '2m',
        '--version-label',
        'example',
      ),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const generated = parseAllDocuments(
      readFileSync(path.join(out, 'offerload-example.yaml'), 'utf8'),
    )[1]!.toJS() as Doc;
    const committed = parseAllDocuments(
      readFileSync(path.join(ROOT, 'deploy/k6-operator/testrun.yaml'), 'utf8'),
    )[0]!.toJS() as Doc;
    expect(committed).toEqual(generated);
    expect(existsSync(path.join(out, 'offerload-example.yaml.partial'))).toBe(false);
  }, 60_000);
});
