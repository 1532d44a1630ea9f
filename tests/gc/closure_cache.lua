-- moonlet-only
-- the closure cache under the collector. Moonlet's cache
-- keeps a live closure until another proto takes its slot, whatever the
-- GC is doing (lua5.3 may not cache while it marks), so a function
-- expression that is the only one evaluated in a loop keeps giving the
-- same closure while collections and steps run in between; and a closure
-- only the cache holds is collected, never handed out once freed.

-- one proto per loop, steps of every size between evaluations
local function g() return function () return 1 end end
local same, rounds = 0, 0
for round = 1, 400 do
  local g1 = g()
  collectgarbage("step", round % 4)
  if round % 50 == 0 then collectgarbage() end
  local g2 = g()
  rounds = rounds + 1
  if g1 == g2 and g1() == 1 then same = same + 1 end
end
print("same across steps", same == rounds)

-- closures over a local of one frame, rebuilt after each step
do
  local z = 0
  local first = function () return z end
  local mk = {}
  for i = 1, 300 do
    for k = 1, 2 do
      mk[k] = function () return z end
      collectgarbage("step", 1)
    end
    assert(mk[1] == mk[2])
    z = i
    assert(mk[1]() == i and first() == i)
  end
  print("same open upvalue across steps", mk[1] ~= first)
end

-- new protos all the time (load), many at addresses of freed ones: a
-- closure is only ever matched by its own proto
local src = [[
  local n = ...
  local function mk() return function () return n end end
  local a, b = mk(), mk()
  assert(a == b and a() == n)
  return mk
]]
local keep = {}
for round = 1, 1000 do
  local mk = assert(load(src))(round)
  local c1 = mk()
  assert(c1 == mk() and c1() == round)
  if round % 100 == 0 then keep[#keep + 1] = {mk, c1, round} end
  collectgarbage("step", round % 5)
  if round % 97 == 0 then collectgarbage() end
end
local ok = true
for _, k in ipairs(keep) do
  ok = ok and k[1]()() == k[3] and k[2]() == k[3]
end
print("load churn", ok, #keep)

-- coroutines: a closure over the coroutine's own local, across its yields
local cos = {}
for r = 1, 200 do
  local co = coroutine.wrap(function (x)
    local y = x
    while true do
      local t = {}
      for i = 1, 3 do t[i] = function () return y end end
      assert(t[1] == t[2] and t[2] == t[3])
      x = coroutine.yield(t[1])
      y = x
    end
  end)
  local a = co(r)
  collectgarbage("step", 2)
  local b = co(r + 1)
  assert(a == b and a() == r + 1)
  if r % 50 == 0 then cos[#cos + 1] = co end
end
cos = nil
collectgarbage()
print("coroutines", true)

-- weak: a closure only the cache holds is collected
local weak = setmetatable({}, {__mode = "k"})
local function w() return function () return 7 end end
local first = w()
for i = 1, 5 do weak[w()] = i end
local n = 0
for _ in pairs(weak) do n = n + 1 end
first = nil
collectgarbage()
print("cached closures", n, "after a collection", next(weak))
