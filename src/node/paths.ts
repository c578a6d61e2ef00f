/** Where the project's own folders are, wherever the CLI is started from. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Gitignored state: InfluxDB data, pid files, run inputs. */
export const stateDir = path.join(projectRoot, '.state');
/** Project-local tools (the k6 binary). */
export const toolsDir = path.join(projectRoot, '.tools');
