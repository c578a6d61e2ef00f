// Bundles one scenario the way offerload does (src/node/build/bundle.ts), to a file of your choice, for bench/ab-bundles.ts:
//   node --import tsx bench/build-bundle.mjs scenarios/offer-burst.ts /tmp/ab/a.js
import { build } from 'esbuild';
import { K6_BUILD_OPTIONS } from '../src/node/build/bundle.ts';
const [entry, out] = process.argv.slice(2);
await build({
  ...K6_BUILD_OPTIONS,
  plugins: [...K6_BUILD_OPTIONS.plugins],
  external: [...K6_BUILD_OPTIONS.external],
  entryPoints: [entry],
  outfile: out,
  logLevel: 'warning',
});
