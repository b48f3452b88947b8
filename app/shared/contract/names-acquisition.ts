/** The acquisition area's method and event names, dependency-free for the preload (see names.ts). */
export const ACQUISITION_METHOD_NAMES = ['acquisition.registerMap', 'certificates.list', 'certificates.trust', 'certificates.reject', 'acquisition.plan'] as const;
export const ACQUISITION_EVENT_NAMES = ['certificate.untrusted'] as const;
