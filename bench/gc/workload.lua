-- bench/gc/workload.lua SIZE: a steady-state workload for the collector: a
-- ring of live records (tables, strings, closures) replaced at random, plus
-- temporary garbage. SIZE "small" keeps about 12 KB live (for a 40 KB heap),
-- "large" about 2 MB (for a 4 MB heap).
local size = arg and arg[1] or "small"
local n, iters = 10, 200000
if size == "large" then n, iters = 5000, 400000 end
local ring = {}
local seed = 12345
local function rand(m)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % m + 1
end
local function record(i)
  local r = {id = i, name = "rec" .. i, data = {i, i + 1, i + 2}}
  r.get = function() return r.id end
  return r
end
for i = 1, n do ring[i] = record(i) end
local sum = 0
for i = 1, iters do
  local k = rand(n)
  ring[k] = record(i)
  local tmp = tostring(i) .. ":" .. ring[rand(n)].name
  sum = sum + #tmp + ring[k].get()
end
print(sum)
