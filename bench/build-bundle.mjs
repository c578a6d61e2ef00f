// Bundles one scenario the way offerload does (src/node/build/bundle.ts), to a file of your choice, for bench/ab-bundles.ts.
import { build } from 'esbuild';
const [entry, out] = process.argv.slice(2);
await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'neutral', external: ['k6', 'k6/*'], logLevel: 'warning', target: 'es2020' });
