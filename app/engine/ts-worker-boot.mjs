// Boots a TypeScript worker entry through tsx (used when running from source).
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
await import(pathToFileURL(workerData.__entry).href);
