--[[
  Commits one micro-batch atomically: every state store's changes and the commit-log entry,
  unless that batch is already committed.

  KEYS[1]  commit-log hash (field = batch id)
  KEYS[2]  state version key (the last batch id whose state is stored)
  ARGV[1]  batch id
  ARGV[2]  commit-log entry (already encoded, with its version tag)
  ARGV[3]  number of stores S; then for each store:
           hash key, number of puts P, number of deletes D, P pairs (field, value), D fields
  Returns  1 when committed, 0 when the batch was already in the commit log.
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return 0
end
local i = 4
local stores = tonumber(ARGV[3])
for _ = 1, stores do
  local hash = ARGV[i]
  local puts = tonumber(ARGV[i + 1])
  local dels = tonumber(ARGV[i + 2])
  i = i + 3
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
