-- A big table is marked in pieces across collector steps; values written
-- meanwhile, before and after the piece being marked, and entries moved by
-- resizes of the table all survive.
local t = {}
for i = 1, 520 do t[i] = "s" .. i end
collectgarbage()
collectgarbage("setpause", 100)
collectgarbage("setstepmul", 100)
local seed = 99
local function random(n)
  seed = (seed * 75 + 74) % 65537
  return seed % n + 1
end
for round = 1, 60 do
  for _ = 1, 20 do
    local i = random(520)
    t[i] = "r" .. round .. ":" .. i
  end
  t["k" .. round] = "key" .. round -- grows the hash part now and then
  if round % 7 == 0 then t["k" .. (round - 3)] = nil end
  collectgarbage("step", 0)
end
collectgarbage()
local good = 0
for i = 1, 520 do
  if tonumber(t[i]:match("(%d+)$")) == i then good = good + 1 end
end
local keys = 0
for round = 1, 60 do
  local v = t["k" .. round]
  if v == "key" .. round then keys = keys + 1 end
end
print(good, keys)
