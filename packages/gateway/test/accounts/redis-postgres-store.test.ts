import { describe, it } from 'vitest';
import { openStore } from '../../src/accounts/store/open-store.js';
import { serversMissing, skipReason, useRealServers } from './real-servers.js';
import { runStoreConformance } from './store-conformance.js';

const servers = useRealServers();

if (serversMissing.length) {
  describe('AccountStore conformance: redis+postgres', () => it.skip(skipReason, () => {}));
} else {
  runStoreConformance({ name: 'redis+postgres', open: async () => openStore(await servers.url()) });
}
