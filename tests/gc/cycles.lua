-- the collector frees unreachable data, cycles included
collectgarbage()
local base = collectgarbage("count")
do
  for i = 1, 2000 do
    local a, b = {}, {}
    a.other, b.other = b, a
    a.self = a
    a.f = function() return a, b end
  end
end
collectgarbage()
local after = collectgarbage("count")
print(after - base < 50)
local keep = {}
for i = 1, 100 do keep[i] = {i} end
collectgarbage()
print(#keep, keep[50][1])
local s = {}
for i = 1, 1000 do s[i] = ("x"):rep(100) .. i end
s = nil
collectgarbage()
print(collectgarbage("count") - base < 50)
print(collectgarbage("step", 0) ~= nil, collectgarbage("isrunning"))
collectgarbage("stop") print(collectgarbage("isrunning")) collectgarbage("restart") print(collectgarbage("isrunning"))
local p1 = collectgarbage("setpause", 150) local p2 = collectgarbage("setpause", p1)
print(p2)
