-- weak tables: weak keys, weak values, both, and ephemerons
local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- weak keys: entries whose key is only in the table go away
local wk = setmetatable({}, {__mode = "k"})
local keep = {}
local function fillk()
  for i = 1, 10 do wk[{}] = i end
  for i = 1, 5 do local k = {}; keep[i] = k; wk[k] = -i end
  for i = 1, 5 do wk[i] = i; wk["s" .. i] = i end -- not collectable keys
end
fillk()
collectgarbage()
print("weak keys", count(wk))
keep = nil
collectgarbage()
print("weak keys after", count(wk))

-- weak values: strings are values, never removed
local wv = setmetatable({}, {__mode = "v"})
local anchor = {}
local function fillv()
  for i = 1, 10 do wv[i] = {} end
  for i = 11, 15 do wv[i] = anchor end
  wv.s = ("x"):rep(50)
  wv.n = 42
  wv[{}] = {}
end
fillv()
collectgarbage()
print("weak values", count(wv), wv[11] == anchor, wv.s == ("x"):rep(50), wv.n)
for i = 1, 10 do assert(wv[i] == nil) end

-- both weak
local wkv = setmetatable({}, {__mode = "kv"})
local x, y = {}, {}
local function fillkv()
  wkv[x] = 1; wkv[1] = y; wkv[x] = y
  for i = 1, 10 do wkv[{}] = {}; wkv[i + 10] = {} end
  wkv.str = "stays"
end
fillkv()
collectgarbage()
print("weak kv", count(wkv), wkv[x] == y, wkv[1] == y, wkv.str)
x, y = nil, nil
collectgarbage()
print("weak kv after", count(wkv), wkv.str)

-- ephemerons: a value that refers to its own key does not keep it
local eph = setmetatable({}, {__mode = "k"})
local function filleph()
  for i = 1, 20 do local k = {}; eph[k] = {k, i} end
end
filleph()
collectgarbage()
print("ephemeron cycles", count(eph))

-- a chain through ephemerons: each key kept only by the previous value
local live = {}
local function chain(n)
  local first = {}
  local k = first
  for i = 1, n do local nk = {}; eph[k] = {next = nk, i = i}; k = nk end
  return first
end
live.head = chain(50)
collectgarbage()
local n, k = 0, live.head
while eph[k] do n = n + 1; k = eph[k].next end
print("chain kept", n)
live.head = nil
collectgarbage()
print("chain gone", count(eph))

-- a weak table reached only from a collected object is cleared with it
local holder = setmetatable({}, {__mode = "v"})
holder[1] = setmetatable({}, {__mode = "k"})
collectgarbage()
print("weak table itself collected", holder[1] == nil)

-- weak values in the array part
local arr = setmetatable({}, {__mode = "v"})
for i = 1, 100 do arr[i] = (i % 2 == 0) and anchor or {} end
collectgarbage()
local kept = 0
for i = 1, 100 do if arr[i] then kept = kept + 1 end end
print("array part", kept)
