-- Lua 5.3 closure caching: the same function expression evaluated again
-- with the very same upvalues gives the same closure.

-- only _ENV as upvalue (closure.lua's first case)
local a = {}
for i = 1, 5 do a[i] = function (x) return x + a + _ENV end end
print("same _ENV only", a[3] == a[4] and a[4] == a[5])

-- a fresh loop variable per iteration: new upvalues, new closures
for i = 1, 5 do a[i] = function (x) return i + a + _ENV end end
print("loop variable", a[3] ~= a[4] and a[4] ~= a[5])

-- from a function called twice (closure.lua's second case)
local function f()
  return function (x) return math.sin(_ENV[x]) end
end
print("returned twice", f() == f())

-- no upvalues at all
local function g() return function () return 1 end end
print("no upvalues", g() == g())

-- over a local of the caller: the same open upvalue
local shared = 0
local function h() return function () shared = shared + 1; return shared end end
local h1, h2 = h(), h()
print("same outer local", h1 == h2, h1(), h2())

-- over a local of each call: closed upvalues, different each time
local function k(v) return function () return v end end
local k1, k2 = k(1), k(1)
print("local per call", k1 == k2, k1(), k2())

-- two locals of one frame: different upvalues, different closures
do
  local x, y = 10, 20
  local c = {}
  for n = 1, 2 do
    local v = (n == 1) and x or y
    c[n] = function () return v end
  end
  print("different locals", c[1] == c[2], c[1](), c[2]())
end

-- the same local captured in one frame, twice in a row
do
  local z = 5
  local c1 = function () return z end
  local c2
  for _ = 1, 2 do c2 = function () return z end end
  print("same local, loop", c1 == c2)
  local d = {}
  for n = 1, 3 do d[n] = function () return z end end
  print("same local, one expression", d[1] == d[2], d[2] == d[3])
  z = 6
  print("shared value", d[1](), d[3]())
end

-- two function expressions evaluated in turn: each keeps its own
local function two()
  return function () return 1 end, function () return 2 end
end
local a1, a2 = two()
local b1, b2 = two()
print("two expressions", a1 == b1, a2 == b2, a1 ~= a2)

-- a closure that escaped and closed its upvalue does not match a new frame
local function m() local u = {}; return function () return u end end
local m1, m2 = m(), m()
print("fresh table upvalue", m1 == m2, m1() ~= m2())

-- many cached closures with collections in between: only values are
-- checked here (lua5.3 does not cache into a proto the collector has
-- already marked, so its identities depend on the GC's timing; see
-- tests/gc/closure_cache.lua)
local keep = {}
local function maker(n)
  local function inner() return n end
  return function () return inner, function () return n * 2 end end
end
local sum = 0
for round = 1, 200 do
  local fn = maker(round)
  local i1, i2 = fn()
  local j1, j2 = fn()
  assert(i1() == round and j1() == round and i2() == 2 * round)
  assert(j2() == 2 * round)
  if round % 7 == 0 then collectgarbage() end
  if round % 3 == 0 then collectgarbage("step", 1) end
  if round % 10 == 0 then keep[#keep + 1] = fn end
  sum = sum + i1() + j2()
end
collectgarbage()
for n, fn in ipairs(keep) do
  local i1, i2 = fn()
  assert(i1() == n * 10 and i2() == n * 20)
end
print("stress", sum, #keep)

-- a cached closure that only the cache holds is collected
local weak = setmetatable({}, {__mode = "k"})
do
  local function w() return function () return 7 end end
  weak[w()] = true
end
collectgarbage()
collectgarbage()
print("cache is weak", next(weak) == nil)
