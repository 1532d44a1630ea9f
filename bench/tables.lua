-- table array and hash reads and writes
local a = {}
for i = 1, 1000000 do a[i] = i end
local s = 0
for r = 1, 10 do for i = 1, #a do s = s + a[i] end end
local h = {}
for i = 1, 200000 do h["k" .. (i % 1000)] = i end
local keys = {}
for i = 1, 1000 do keys[i] = "k" .. (i - 1) end
local t = 0
for r = 1, 300 do for i = 1, 1000 do t = t + h[keys[i]] end end
local p = {x = 1, y = 2, z = 3}
for i = 1, 3000000 do p.x = p.y + p.z; p.y = p.x - p.z end
print(s, t, p.x, p.y)
