"""The send budget shared by every process: token buckets kept in Redis.

One Lua script refills and charges all the buckets of a send atomically, on Redis's own clock,
so workers on several machines never exceed a provider's limit together. When Redis cannot be
reached the process falls back to its own buckets (a send is never held up by the cache being
down), and says so in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from frontdesk.core.sendbudget import Allowance, LocalSendBudget, affordable

log = logging.getLogger("frontdesk.channels.budget")

PREFIX = "frontdesk:budget:"

# KEYS: the buckets; ARGV: cost, then per_second and burst of each bucket in turn.
# Returns "0" when every bucket was charged, else the seconds to wait (nothing charged).
TAKE = """
local cost = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local have, wait = {}, 0
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'updated')
  local tokens = tonumber(state[1]) or burst
  local updated = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
  have[i] = tokens
  if tokens < cost then wait = math.max(wait, (cost - tokens) / rate) end
end
if wait > 0 then return tostring(wait) end
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  redis.call('HSET', KEYS[i], 'tokens', tostring(have[i] - cost), 'updated', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(burst / rate * 1000) + 1000)
end
return '0'
"""


class RedisSendBudget:
    def __init__(self, url: str) -> None:
        self._redis = aioredis.Redis.from_url(url, decode_responses=True)
        self._take = self._redis.register_script(TAKE)
        self._fallback = LocalSendBudget()
        self._warned = False

    async def take(self, allowances: Sequence[Allowance], cost: float = 1.0) -> float:
        if not allowances:
            return 0.0
        cost = affordable(allowances, cost)
        keys = [PREFIX + a.key for a in allowances]
        args: list[str] = [repr(cost)]
        for allowance in allowances:
            args += [repr(allowance.per_second), repr(allowance.burst)]
        try:
            answer = await self._take(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            if not self._warned:
                log.warning("send budget: Redis unreachable (%s); limiting per process", exc)
                self._warned = True
            return await self._fallback.take(allowances, cost)
        self._warned = False
        return float(answer)

    async def close(self) -> None:
        await self._redis.aclose()
