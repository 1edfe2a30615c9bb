// Atomic Lua for the shared admission state. Time comes from redis TIME so every gateway instance uses one clock.
// Per key (hash-tagged {id} so a cluster keeps them on one slot):
//   acct   HASH  bal (absent = no prepaid balance), reserved, spent, init
//   day:<yyyymmdd>, mon:<yyyymm>   spend counters with TTL
//   res    ZSET  reservation id -> expiry ms;   resv  HASH  reservation id -> "amount tokens"
//   rpm, tpm HASH level, at  (token buckets; same arithmetic as token-bucket.ts)
//   credits SET  applied idempotency keys (top-ups are idempotent in redis as well as in postgres)
// Money values travel as decimal strings and are changed with INCRBY (exact 64-bit); comparisons use Lua doubles,
// exact below 2^53 nano-USD (~$9M per key). One redis (not Redis Cluster): RESERVE also reads the global epoch.
import { EPOCH_CHECK } from './redis-leases.js';

const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// HINCRBY rejects "-0", so subtracting goes through this helper.
const SUB = `
local function sub(k, f, s) if s ~= '0' then redis.call('HINCRBY', k, f, '-' .. s) end end`;

const REAP = `${SUB}
local function reap(acct, res, resv, now)
  local ids = redis.call('ZRANGEBYSCORE', res, '-inf', now)
  for _, id in ipairs(ids) do
    local v = redis.call('HGET', resv, id)
    if v then
      sub(acct, 'reserved', string.match(v, '^(%S+)'))
      redis.call('HDEL', resv, id)
    end
  end
  if #ids > 0 then redis.call('ZREMRANGEBYSCORE', res, '-inf', now) end
  return #ids
end`;

const BUCKET = `
local function bucket(k, limit, now)
  local v = redis.call('HMGET', k, 'level', 'at')
  if not v[1] then return limit end
  local level = tonumber(v[1]) + math.max(0, now - tonumber(v[2])) * limit / 60000
  if level > limit then level = limit end
  return level
end
local function wait(level, limit, need)
  if need > limit then return 60000 end
  if level >= need then return 0 end
  return math.ceil((need - level) * 60000 / limit)
end`;

/**
 * KEYS: acct day mon res resv rpm tpm epoch rebuild
 * ARGV: id amount tokens leaseMs rpm tpm maxConc budgetDay budgetMon budgetTotal dayTtlMs monTtlMs epoch
 *       (0 / '' = none)
 * → {1, rpmLevel, tpmLevel} | {0, reason, retryAfterMs, rpmLevel, tpmLevel} | {-1} (account not loaded)
 *   | {-4} redis lost its data (no epoch) | {-5} a newer epoch than this replica's | {-6} rebuilding (redis-leases.ts)
 */
export const RESERVE = `${NOW}
${REAP}
${BUCKET}
local acct, day, mon, res, resv, rpmk, tpmk = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
${EPOCH_CHECK}
-- redis lost this account (restart without persistence, eviction): the caller reloads it from postgres
if redis.call('HEXISTS', acct, 'init') == 0 then return {-1} end
local amount = tonumber(ARGV[2]); local tokens = tonumber(ARGV[3])
local rpm = tonumber(ARGV[5]); local tpm = tonumber(ARGV[6]); local conc = tonumber(ARGV[7])
reap(acct, res, resv, now)
local rl = rpm > 0 and bucket(rpmk, rpm, now) or -1
local tl = tpm > 0 and bucket(tpmk, tpm, now) or -1
local function no(reason, after) return {0, reason, after, tostring(rl), tostring(tl)} end
if conc > 0 and redis.call('ZCARD', res) >= conc then return no('concurrency', 1000) end
if rpm > 0 then local w = wait(rl, rpm, 1); if w > 0 then return no('rpm', w) end end
if tpm > 0 then local w = wait(tl, tpm, tokens); if w > 0 then return no('tpm', w) end end
local a = redis.call('HMGET', acct, 'bal', 'reserved', 'spent')
local reserved = tonumber(a[2] or '0')
if a[1] and tonumber(a[1]) - reserved < amount then return no('insufficient_credits', -1) end
local committed = reserved + amount
if ARGV[8] ~= '' and tonumber(redis.call('GET', day) or '0') + committed > tonumber(ARGV[8]) then return no('budget_daily', tonumber(ARGV[11])) end
if ARGV[9] ~= '' and tonumber(redis.call('GET', mon) or '0') + committed > tonumber(ARGV[9]) then return no('budget_monthly', tonumber(ARGV[12])) end
if ARGV[10] ~= '' and tonumber(a[3] or '0') + committed > tonumber(ARGV[10]) then return no('budget_total', -1) end
if rpm > 0 then rl = rl - 1; redis.call('HSET', rpmk, 'level', tostring(rl), 'at', now); redis.call('PEXPIRE', rpmk, 120000) end
if tpm > 0 then tl = tl - tokens; redis.call('HSET', tpmk, 'level', tostring(tl), 'at', now); redis.call('PEXPIRE', tpmk, 120000) end
redis.call('ZADD', res, now + tonumber(ARGV[4]), ARGV[1])
redis.call('HSET', resv, ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
redis.call('HINCRBY', acct, 'reserved', ARGV[2])
return {1, tostring(rl), tostring(tl)}`;

/**
 * Settle or release. KEYS: acct day mon res resv tpm
 * ARGV: id debit cost tokenRefund tpm dayTtlMs monTtlMs   (release: debit = cost = '0', refund = all tokens)
 * The charge applies even when the reservation already expired and was reaped: money is never lost.
 */
export const SETTLE = `${NOW}
${SUB}
${BUCKET}
local acct, day, mon, res, resv, tpmk = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local v = redis.call('HGET', resv, ARGV[1])
if v then
  sub(acct, 'reserved', string.match(v, '^(%S+)'))
  redis.call('HDEL', resv, ARGV[1])
  redis.call('ZREM', res, ARGV[1])
end
if redis.call('HEXISTS', acct, 'bal') == 1 then sub(acct, 'bal', ARGV[2]) end
if ARGV[3] ~= '0' then
  redis.call('HINCRBY', acct, 'spent', ARGV[3])
  redis.call('INCRBY', day, ARGV[3]); redis.call('PEXPIRE', day, tonumber(ARGV[6]))
  redis.call('INCRBY', mon, ARGV[3]); redis.call('PEXPIRE', mon, tonumber(ARGV[7]))
end
local tpm = tonumber(ARGV[5]); local refund = tonumber(ARGV[4])
if tpm > 0 and refund ~= 0 then
  local l = bucket(tpmk, tpm, now) + refund
  if l > tpm then l = tpm end
  redis.call('HSET', tpmk, 'level', tostring(l), 'at', now); redis.call('PEXPIRE', tpmk, 120000)
end
return v and 1 or 0`;

/** KEYS: acct credits  ARGV: idempotencyKey amount → 1 applied, 0 replay */
export const CREDIT = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'bal', ARGV[2])
return 1`;

/**
 * First use of a key in redis (new key, or redis lost its data): load state from postgres, unless present.
 * KEYS: acct day mon  ARGV: bal('' = none) spent spentDay spentMonth dayTtlMs monTtlMs
 */
export const INIT = `
if redis.call('HEXISTS', KEYS[1], 'init') == 1 then return 0 end
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'bal', ARGV[1]) end
redis.call('HSET', KEYS[1], 'reserved', '0', 'spent', ARGV[2], 'init', '1')
redis.call('SET', KEYS[2], ARGV[3], 'PX', tonumber(ARGV[5]), 'NX')
redis.call('SET', KEYS[3], ARGV[4], 'PX', tonumber(ARGV[6]), 'NX')
return 1`;

/** KEYS: acct res resv → {bal|'', reserved, spent, openReservations} after reaping | {-1} (account not loaded) */
export const USAGE = `${NOW}
${REAP}
if redis.call('HEXISTS', KEYS[1], 'init') == 0 then return {-1} end
reap(KEYS[1], KEYS[2], KEYS[3], now)
local a = redis.call('HMGET', KEYS[1], 'bal', 'reserved', 'spent')
return {a[1] or '', a[2] or '0', a[3] or '0', redis.call('ZCARD', KEYS[2])}`;
