--[[
  Commits one micro-batch atomically: every state store's changes and the commit-log entry,
  unless that batch is already committed. Every key is in KEYS and shares one hash tag (the
  commit unit's), so the script runs on a Redis Cluster as on one server.

  KEYS[1]     commit-log hash (field = batch id)
  KEYS[2]     state version key (the last batch id whose state is stored)
  KEYS[2+s]   the state hash of store s, for s = 1..S (S = #KEYS - 2)
  ARGV[1]     batch id
  ARGV[2]     commit-log entry (already encoded, with its version tag)
  ARGV[3..]   for each store s in KEYS order: number of puts P, number of deletes D,
              P pairs (field, value), D fields
  Returns     1 when committed, 0 when the batch was already in the commit log.
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return 0
end
local i = 3
for s = 3, #KEYS do
  local hash = KEYS[s]
  local puts = tonumber(ARGV[i])
  local dels = tonumber(ARGV[i + 1])
  i = i + 2
  for _ = 1, puts do
    redis.call('HSET', hash, ARGV[i], ARGV[i + 1])
    i = i + 2
  end
  for _ = 1, dels do
    redis.call('HDEL', hash, ARGV[i])
    i = i + 1
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
return 1
