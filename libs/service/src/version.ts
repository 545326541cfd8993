/** Reported by every service's health answer. */
export const SERVICE_VERSION = '0.1.0';
