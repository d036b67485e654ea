namespace MtaSts.Functional.Resolver.Redis;

/// <summary>
/// The Lua scripts. Each runs atomically on the server and touches only keys of one hash tag
/// (<see cref="RedisKeys"/>), so it is Redis Cluster-safe.
/// </summary>
internal static class Scripts
{
    /// <summary>
    /// Put if newer. KEYS: entry, due index, all index. ARGV 1..10: the encoded entry (<see cref="EntryCodec.Fields"/>),
    /// 11: refresh due (unix ms) for the incoming policy, 12: retention (ms), 13: notice text, 14: domain,
    /// 15: now (unix ms), 16: notice channel, 17: empty, or the stored fields joined by NUL that the caller found invalid
    /// (only checks in .NET can tell, e.g. a policy text that does not parse): when they are still there, they are replaced.
    /// <para>
    /// The stored entry becomes the join of the stored and the incoming one, so the newest fetch wins whatever
    /// order writers arrive in (the law "put-if-newer is commutative"): the policy with the later fetched-at
    /// (ties broken by id, text, expiry), the failure with the later time (ties broken by id, kind, detail) unless
    /// the kept policy was fetched at or after it (C-02: a successful fetch ends the back-off), the later last use.
    /// A value that is not a hash of format <see cref="EntryCodec.Version"/> is foreign and replaced.
    /// The key expires at the later of policy expiry and last failure, plus the retention; the due index gets the
    /// incoming refresh time when the incoming policy was kept; a change other than the last use is published.
    /// </para>
    /// Returns {changed, foreign, the stored entry's ten fields}.
    /// </summary>
    public static readonly string PutIfNewer = """
        local key, due, all = KEYS[1], KEYS[2], KEYS[3]
        local a = ARGV
        local foreign, existed = 0, 0
        local cur = {}
        local t = redis.call('TYPE', key)['ok']
        if t == 'hash' then
          cur = redis.call('HMGET', key, FIELDS)
          existed = 1
          if cur[1] ~= a[1] then foreign = 1 end
          for _, i in ipairs({2, 5, 6, 10}) do
            if cur[i] and cur[i] ~= '' and not tonumber(cur[i]) then foreign = 1 end
          end
          if a[17] ~= '' then
            local seen = {}
            for i = 1, 10 do
              if cur[i] then seen[i] = cur[i] else seen[i] = '' end
            end
            if table.concat(seen, '\0') == a[17] then foreign = 1 end
          end
        elseif t ~= 'none' then
          foreign = 1
        end
        if foreign == 1 then
          redis.call('DEL', key)
          cur = {}
          existed = 0
        end
        local c = {}
        for i = 1, 10 do
          if cur[i] then c[i] = cur[i] else c[i] = '' end
        end
        -- Is the tuple x greater than y? x[1], y[1] are times ('' = absent, the least); the rest compare as strings.
        local function greater(x, y)
          if x[1] == '' then return false end
          if y[1] == '' then return true end
          local p, q = tonumber(x[1]), tonumber(y[1])
          if p ~= q then return p > q end
          for i = 2, #x do
            if x[i] ~= y[i] then return x[i] > y[i] end
          end
          return false
        end
        local n = {}
        for i = 1, 10 do n[i] = c[i] end
        n[1] = a[1]
        local policyKept = greater({a[2], a[3], a[4], a[5]}, {c[2], c[3], c[4], c[5]})
        if policyKept then n[2], n[3], n[4], n[5] = a[2], a[3], a[4], a[5] end
        if greater({a[6], a[7], a[8], a[9]}, {c[6], c[7], c[8], c[9]}) then n[6], n[7], n[8], n[9] = a[6], a[7], a[8], a[9] end
        if n[2] ~= '' and n[6] ~= '' and tonumber(n[2]) >= tonumber(n[6]) then n[6], n[7], n[8], n[9] = '', '', '', '' end
        if c[10] == '' or tonumber(a[10]) > tonumber(c[10]) then n[10] = a[10] end
        local changed = existed == 0
        for i = 2, 9 do
          if n[i] ~= c[i] then changed = true end
        end
        redis.call('HSET', key, 'v', n[1], 'pf', n[2], 'pid', n[3], 'pt', n[4], 'pe', n[5], 'fa', n[6], 'fid', n[7], 'fk', n[8], 'fd', n[9], 'u', n[10])
        local base = -1
        if n[5] ~= '' then base = tonumber(n[5]) end
        if n[6] ~= '' and tonumber(n[6]) > base then base = tonumber(n[6]) end
        if base < 0 then base = tonumber(n[10]) end
        local expireAt = base + tonumber(a[12])
        redis.call('PEXPIREAT', key, expireAt)
        redis.call('ZADD', all, expireAt, a[14])
        if n[2] == '' then
          redis.call('ZREM', due, a[14])
        elseif policyKept then
          redis.call('ZADD', due, a[11], a[14])
        end
        local gone = redis.call('ZRANGEBYSCORE', all, '-inf', a[15], 'LIMIT', 0, 64)
        for _, m in ipairs(gone) do
          if m ~= a[14] then
            redis.call('ZREM', due, m)
            redis.call('ZREM', all, m)
          end
        end
        if changed then redis.call('PUBLISH', a[16], a[13]) end
        local r = {0, foreign}
        if changed then r[1] = 1 end
        for i = 1, 10 do r[i + 2] = n[i] end
        return r
        """.Replace("FIELDS", EntryCodec.LuaFields, StringComparison.Ordinal);

    /// <summary>
    /// Take the refresh lease and read the entry. KEYS: lease, entry, due index. ARGV: node, lease time (ms), domain.
    /// A domain whose entry is gone (expired past its retention) leaves the due index. Returns the entry's ten fields
    /// when this node took the lease, else nil.
    /// </summary>
    public static readonly string LeaseAndRead = """
        if redis.call('TYPE', KEYS[2])['ok'] ~= 'hash' then
          redis.call('ZREM', KEYS[3], ARGV[3])
          return false
        end
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
        return redis.call('HMGET', KEYS[2], FIELDS)
        """.Replace("FIELDS", EntryCodec.LuaFields, StringComparison.Ordinal);

    /// <summary>Touch: move the last use forward. KEYS: entry. ARGV: format version, last use (unix ms). A missing or foreign value is left alone.</summary>
    public static readonly string Touch = """
        if redis.call('TYPE', KEYS[1])['ok'] ~= 'hash' or redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
        local u = tonumber(redis.call('HGET', KEYS[1], 'u'))
        if u and u >= tonumber(ARGV[2]) then return 0 end
        redis.call('HSET', KEYS[1], 'u', ARGV[2])
        return 1
        """;

    /// <summary>Remove. KEYS: entry, due index, all index. ARGV: domain, notice channel, notice text. Returns 1 when there was an entry.</summary>
    public static readonly string Remove = """
        local n = redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        if n > 0 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
        return n
        """;
}
