// Versions Restash reports: its own, and the Redis version whose behaviour it implements
// (clients and INFO consumers read redis_version to pick features).

export const RESTASH_VERSION = "0.1.0";
export const REDIS_VERSION = "7.0.15";
