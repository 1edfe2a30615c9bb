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
 * One reservation at every level at once: the key, and its team when it has one (docs/accounts.md "Teams").
 * KEYS: acct day mon res resv rpm tpm epoch rebuild | team: acct day mon res resv rpm tpm
 * ARGV: id amount tokens leaseMs rpm tpm maxConc budgetDay budgetMon budgetTotal dayTtlMs monTtlMs epoch
 *       | hasTeam('1'/'0') teamRpm teamTpm teamMaxConc teamBudgetDay teamBudgetMon teamBudgetTotal  (0 / '' = none)
 *       | hasEndUser('1'/'0') euRpm euBudgetDay euBudgetMon euBudgetTotal euTtlMs
 *       | end user: acct day mon res resv rpm tpm (KEYS after the team's, or after the key's without a team)
 * → {1, rpmLevel, tpmLevel, payer('key'|'team'|'')} | {0, reason, retryAfterMs, rpmLevel, tpmLevel}
 *   | {-1} key account not loaded | {-2} team account not loaded | {-3} end-user account not loaded
 *   | {-4} redis lost its data (no epoch) | {-5} a newer epoch than this replica's | {-6} rebuilding (redis-leases.ts)
 * Each level's budgets count all its open reservations. The payer is the key when its own balance covers the whole
 * amount, else the team's pool; with a balance at either level and neither covering it: insufficient_credits.
 * An end user (docs/accounts.md "End-user budgets") has budgets and RPM, no balance; its keys expire euTtlMs after
 * their last use (an idle end user reloads from postgres), so a tenant naming endless end users cannot fill redis.
 */
export const RESERVE = `${NOW}
${REAP}
${BUCKET}
${EPOCH_CHECK}
if redis.call('HEXISTS', KEYS[1], 'init') == 0 then return {-1} end
local team = ARGV[14] == '1'
if team and redis.call('HEXISTS', KEYS[10], 'init') == 0 then return {-2} end
local eu = ARGV[21] == '1'
local eo = team and 16 or 9
if eu and redis.call('HEXISTS', KEYS[eo+1], 'init') == 0 then return {-3} end
local amount = tonumber(ARGV[2]); local tokens = tonumber(ARGV[3])
-- the day / month counters' TTLs run a day past the period's end; a refusal waits only for the end
local DAY = 86400000
-- o: offset of the level's KEYS (0 key, 9 team, eo end user); p: reason prefix
local function check(o, rpm, tpm, conc, bd, bm, bt, p)
  local acct, day, mon, res, resv, rpmk, tpmk = KEYS[o+1], KEYS[o+2], KEYS[o+3], KEYS[o+4], KEYS[o+5], KEYS[o+6], KEYS[o+7]
  reap(acct, res, resv, now)
  local rl = rpm > 0 and bucket(rpmk, rpm, now) or -1
  local tl = tpm > 0 and bucket(tpmk, tpm, now) or -1
  local a = redis.call('HMGET', acct, 'bal', 'reserved', 'spent')
  local lv = {rl = rl, tl = tl, bal = a[1], reserved = tonumber(a[2] or '0')}
  if conc > 0 and redis.call('ZCARD', res) >= conc then return lv, p .. 'concurrency', 1000 end
  if rpm > 0 then local w = wait(rl, rpm, 1); if w > 0 then return lv, p .. 'rpm', w end end
  if tpm > 0 then local w = wait(tl, tpm, tokens); if w > 0 then return lv, p .. 'tpm', w end end
  local committed = lv.reserved + amount
  if bd ~= '' and tonumber(redis.call('GET', day) or '0') + committed > tonumber(bd) then return lv, p .. 'budget_daily', tonumber(ARGV[11]) - DAY end
  if bm ~= '' and tonumber(redis.call('GET', mon) or '0') + committed > tonumber(bm) then return lv, p .. 'budget_monthly', tonumber(ARGV[12]) - DAY end
  if bt ~= '' and tonumber(a[3] or '0') + committed > tonumber(bt) then return lv, p .. 'budget_total', -1 end
  return lv
end
local function take(o, lv, rpm, tpm)
  local acct, res, resv, rpmk, tpmk = KEYS[o+1], KEYS[o+4], KEYS[o+5], KEYS[o+6], KEYS[o+7]
  if rpm > 0 then lv.rl = lv.rl - 1; redis.call('HSET', rpmk, 'level', tostring(lv.rl), 'at', now); redis.call('PEXPIRE', rpmk, 120000) end
  if tpm > 0 then lv.tl = lv.tl - tokens; redis.call('HSET', tpmk, 'level', tostring(lv.tl), 'at', now); redis.call('PEXPIRE', tpmk, 120000) end
  redis.call('ZADD', res, now + tonumber(ARGV[4]), ARGV[1])
  redis.call('HSET', resv, ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
  redis.call('HINCRBY', acct, 'reserved', ARGV[2])
end
local rpm = tonumber(ARGV[5]); local tpm = tonumber(ARGV[6])
local k, reason, after = check(0, rpm, tpm, tonumber(ARGV[7]), ARGV[8], ARGV[9], ARGV[10], '')
local function no(why, wait_ms) return {0, why, wait_ms, tostring(k.rl), tostring(k.tl)} end
if reason then return no(reason, after) end
local t, trpm, ttpm
if team then
  trpm = tonumber(ARGV[15]); ttpm = tonumber(ARGV[16])
  t, reason, after = check(9, trpm, ttpm, tonumber(ARGV[17]), ARGV[18], ARGV[19], ARGV[20], 'team_')
  if reason then return no(reason, after) end
end
local e, erpm
if eu then
  erpm = tonumber(ARGV[22])
  e, reason, after = check(eo, erpm, 0, 0, ARGV[23], ARGV[24], ARGV[25], 'end_user_')
  if reason then return no(reason, after) end
end
local payer = ''
if k.bal and tonumber(k.bal) - k.reserved >= amount then payer = 'key'
elseif t and t.bal and tonumber(t.bal) - t.reserved >= amount then payer = 'team'
elseif k.bal or (t and t.bal) then return no('insufficient_credits', -1) end
take(0, k, rpm, tpm)
if team then take(9, t, trpm, ttpm) end
if eu then
  take(eo, e, erpm, 0)
  for _, x in ipairs({KEYS[eo+1], KEYS[eo+4], KEYS[eo+5]}) do redis.call('PEXPIRE', x, tonumber(ARGV[26])) end
end
return {1, tostring(k.rl), tostring(k.tl), payer}`;

/**
 * Settle or release, at the key, its team and its end user (when the flags say so).
 * KEYS: acct day mon res resv tpm | team: same | end user: same
 * ARGV: id debit cost tokenRefund tpm dayTtlMs monTtlMs payer('key'|'team'|'') teamTpm hasTeam hasEndUser euTtlMs
 * (release: debit = cost = '0', refund = all tokens). The debit leaves the payer's balance only; the cost counts
 * in every level's spend. The charge applies even when the reservation already expired: money is never lost.
 * An end-user account that is gone (idle past its TTL) is left alone: it reloads from the ledger when next used.
 */
export const SETTLE = `${NOW}
${SUB}
${BUCKET}
local function one(o, pays, tpm)
  local acct, day, mon, res, resv, tpmk = KEYS[o+1], KEYS[o+2], KEYS[o+3], KEYS[o+4], KEYS[o+5], KEYS[o+6]
  local v = redis.call('HGET', resv, ARGV[1])
  if v then
    sub(acct, 'reserved', string.match(v, '^(%S+)'))
    redis.call('HDEL', resv, ARGV[1])
    redis.call('ZREM', res, ARGV[1])
  end
  if pays and redis.call('HEXISTS', acct, 'bal') == 1 then sub(acct, 'bal', ARGV[2]) end
  if ARGV[3] ~= '0' then
    redis.call('HINCRBY', acct, 'spent', ARGV[3])
    redis.call('INCRBY', day, ARGV[3]); redis.call('PEXPIRE', day, tonumber(ARGV[6]))
    redis.call('INCRBY', mon, ARGV[3]); redis.call('PEXPIRE', mon, tonumber(ARGV[7]))
  end
  local refund = tonumber(ARGV[4])
  if tpm > 0 and refund ~= 0 then
    local l = bucket(tpmk, tpm, now) + refund
    if l > tpm then l = tpm end
    redis.call('HSET', tpmk, 'level', tostring(l), 'at', now); redis.call('PEXPIRE', tpmk, 120000)
  end
  return v and 1 or 0
end
local r = one(0, ARGV[8] == 'key', tonumber(ARGV[5]))
local o = 6
if ARGV[10] == '1' then one(6, ARGV[8] == 'team', tonumber(ARGV[9])); o = 12 end
if ARGV[11] == '1' and redis.call('HEXISTS', KEYS[o+1], 'init') == 1 then
  one(o, false, 0)
  redis.call('PEXPIRE', KEYS[o+1], tonumber(ARGV[12]))
end
return r`;

/** KEYS: acct credits  ARGV: idempotencyKey amount → 1 applied, 0 replay */
export const CREDIT = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'bal', ARGV[2])
return 1`;

/**
 * First use of a key in redis (new key, or redis lost its data): load state from postgres, unless present.
 * KEYS: acct day mon  ARGV: bal('' = none) spent spentDay spentMonth dayTtlMs monTtlMs [acctTtlMs: end users]
 */
export const INIT = `
if redis.call('HEXISTS', KEYS[1], 'init') == 1 then return 0 end
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'bal', ARGV[1]) end
redis.call('HSET', KEYS[1], 'reserved', '0', 'spent', ARGV[2], 'init', '1')
if ARGV[7] then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[7])) end
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
