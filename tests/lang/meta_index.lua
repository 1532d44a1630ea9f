-- __index and __newindex: tables, functions, chains, rawget/rawset
local base = {x = 1}
local mid = setmetatable({y = 2}, {__index = base})
local top = setmetatable({}, {__index = mid})
print(top.x, top.y, top.z, rawget(top, "x"))
local log = {}
local p = setmetatable({}, {__index = function(t, k) return k .. "!" end,
  __newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 2) end})
print(p.hello, p[1])
p.a = 5; p.a = 7
print(p.a, #log, log[1])
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.k = "v"
print(rawget(proxy, "k"), store.k)
local arr = setmetatable({}, {__index = function(t, i) return i * i end})
print(arr[4], arr[1.0])
print(pcall(function() local n = nil; return n.x end))
