/** The Redis version whose behaviour ferrokv reproduces (and reports to clients). */
export const REDIS_COMPAT_VERSION = '7.2.4';
