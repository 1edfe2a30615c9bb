// Defaults for the optional collaborators: everyone admitted (no keys, no limits), no telemetry.
import type { Admission, AdmissionTicket, GatewayObserver } from './seams.js';

const openTicket: AdmissionTicket = { headers: {}, settle() {}, release() {} };

export const openAdmission: Admission = {
  async admit(_req, _plan, opts) {
    await opts?.beforeReserve?.({}); // no keys: one tenant
    return openTicket;
  },
};

export const noopObserver: GatewayObserver = {
  requestStarted() {},
  attemptFinished() {},
  requestFinished() {},
};
