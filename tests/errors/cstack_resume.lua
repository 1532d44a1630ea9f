-- Coroutines resuming coroutines end in "C stack overflow" at
-- LUAI_MAXCCALLS, never in a crash (see cstack_limit.lua); the state works
-- afterwards. Its own file: on the device each coroutine's stack counts.
local depth = 0
local function resume(n)
  depth = n
  local co = coroutine.create(function() return resume(n + 1) end)
  local ok, msg = coroutine.resume(co)
  if not ok then error(msg, 0) end -- as it is: no position added per level
  return msg
end
local ok, msg = pcall(resume, 0)
print(ok, msg:find("C stack overflow", 1, true) ~= nil, depth > 8 and depth < 300)
collectgarbage()
local co = coroutine.wrap(function(a) return a + coroutine.yield(a + 1) end)
print(co(1), co(10))
