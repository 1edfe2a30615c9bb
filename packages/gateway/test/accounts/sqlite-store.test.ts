import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { SqliteStore } from '../../src/accounts/store/sqlite-store.js';
import { runStoreConformance } from './store-conformance.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-acct-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreConformance({ name: 'sqlite', open: async () => new SqliteStore(path.join(dir, 'conformance.db')) });
