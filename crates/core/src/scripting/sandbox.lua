-- Builds the environment every script runs in, as Redis 7.2 builds it:
-- the `redis` API, the libraries, Redis's pcall and math.random, and the
-- locks that make globals and library tables read-only. Redis patches its
-- Lua with read-only tables; stock Lua gets the same behaviour from empty
-- proxy tables whose metatables refuse writes.
--
-- Called once with `native`, a table of the Rust functions; returns what
-- the Rust side keeps: the globals (and the real table behind them), how a
-- library function starts, and how a library is loaded.
local native = ...
local R = _G
local type, error, tostring, select, unpack = type, error, tostring, select, unpack
local rawget, rawset, setmetatable, getmetatable = rawget, rawset, setmetatable, getmetatable
local original_pcall = pcall

-- Not in Redis's sandbox.
R.dofile, R.loadfile, R.print = nil, nil, nil

-- The natives that can fail come as C functions that raise (raw_call.rs).
local redis = {}
redis.call = native.call
redis.pcall = native.pcall
for _, name in ipairs({ 'sha1hex', 'setresp', 'set_repl', 'log', 'acl_check_cmd' }) do
  redis[name] = native[name]
end
redis.error_reply = native.error_reply
redis.status_reply = native.status_reply
if native.eval_mode then
  -- EVAL's engine only. Effects replication is the only mode since 7.0, so
  -- asking for it succeeds; the debugger (redis-cli --ldb) is not there,
  -- so breakpoints never stop and debug lines go nowhere, as in Redis
  -- when no debugging session is on.
  redis.replicate_commands = function()
    return true
  end
  redis.breakpoint = function()
    return false
  end
  redis.debug = function() end
end
for name, value in pairs(native.constants) do
  redis[name] = value
end

R.redis = redis
R.cjson, R.cmsgpack, R.bit, R.struct = {}, {}, {}, {}
for _, lib in ipairs({ 'cjson', 'cmsgpack', 'bit', 'struct' }) do
  for name, f in pairs(native.libs[lib]) do
    R[lib][name] = f
  end
end
R.math.random = native.random
R.math.randomseed = native.randomseed

-- Redis's pcall: an error table caught by pcall is handed over as its text.
local function caught(ok, ...)
  if ok then
    return ok, ...
  end
  local e = ...
  if type(e) == 'table' then
    local text = e.err
    if type(text) == 'string' or type(text) == 'number' then
      e = text
    end
  end
  return false, e
end
R.pcall = function(...)
  return caught(original_pcall(...))
end

-- Read-only tables.
local locked = setmetatable({}, { __mode = 'k' })
local function refuse()
  error('Attempt to modify a readonly table', 2)
end
local function lock(t)
  local proxy = setmetatable({}, { __index = t, __newindex = refuse, __metatable = false })
  locked[proxy] = true
  return proxy
end
for _, lib in ipairs({ 'string', 'math', 'table', 'coroutine', 'cjson', 'cmsgpack', 'bit', 'struct', 'redis' }) do
  R[lib] = lock(R[lib])
end
getmetatable('').__index = R.string
R.rawset = function(t, k, v)
  if locked[t] then
    error('Attempt to modify a readonly table', 0)
  end
  return rawset(t, k, v)
end
R.setmetatable = function(t, m)
  if locked[t] then
    error('Attempt to modify a readonly table', 0)
  end
  return setmetatable(t, m)
end

local function missing(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end
setmetatable(R, { __index = missing })
local G = {}
local G_meta = { __index = R, __newindex = refuse, __metatable = false }
setmetatable(G, G_meta)
locked[G] = true
R._G = G

-- What a library sees while FUNCTION LOAD runs it: only a small `redis`.
local load_redis = { register_function = native.register_function }
load_redis.log = redis.log
for name, value in pairs(native.constants) do
  if name:sub(1, 4) == 'LOG_' or name:sub(1, 13) == 'REDIS_VERSION' then
    load_redis[name] = value
  end
end
setmetatable(load_redis, { __index = missing })
local load_env = setmetatable({ redis = lock(load_redis) }, { __index = missing })

-- A library function as a coroutine's body (see coroutine.rs).
local function bind(f, keys, args)
  return function()
    return f(keys, args)
  end
end
-- Library code runs with plain pcall (no handler), as Redis loads it.
local function run_load(f)
  G_meta.__index = load_env
  local ok, err = original_pcall(f)
  G_meta.__index = R
  return ok, err
end

return {
  globals = G,
  real_globals = R,
  bind = bind,
  run_load = run_load,
}
