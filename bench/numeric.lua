-- numeric loops, integer and float
local s = 0
for i = 1, 20000000 do s = s + i % 7 * 3 - (i & 15) end
local f = 0.0
for i = 1, 10000000 do f = f + i * 0.5 / 3.0 end
print(s, string.format("%.6e", f))
