-- deep recursion: stack overflow is a catchable error (-- skip-torture: too slow with a collection per allocation)
local function rec(n) return 1 + rec(n + 1) end
local ok, msg = pcall(rec, 1)
print(ok, (string.gsub(msg, "^.-:%d+: ", "")))
local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
print(deep(10000))
local mt = {} mt.__index = function(t, k) return t[k] end
local ok2, msg2 = pcall(function() return setmetatable({}, mt).x end)
print(ok2, msg2:match("stack overflow") ~= nil)
local co = coroutine.wrap(function() return pcall(rec, 1) end)
print((co()))
