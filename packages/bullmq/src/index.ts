// @anyjob/bullmq: anyjob beyond one process, on Redis. This first part is the request budget
// shared by every worker on a provider account; queued runs (BullMQ) build on it.
export {
  createRedisRateBudget,
  type RedisRateBudget,
  type RedisRateBudgetOptions,
} from './redis-rate-budget.js';
