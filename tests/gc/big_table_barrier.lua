-- Values stored into a big table while the collector marks survive (the
-- write barrier marks the value rather than the table for big ones).
local big = {}
for i = 1, 3000 do big[i] = {i} end
local map = {}
for i = 1, 600 do map["k" .. i] = {i} end
collectgarbage("setpause", 100)
collectgarbage("setstepmul", 100)
local seed = 7
for round = 1, 40 do
  for j = 1, 200 do
    seed = (seed * 1103515245 + 12345) % 2147483648
    local i = seed % 3000 + 1
    big[i] = {i, round}
    map["k" .. (seed % 600 + 1)] = {seed % 600 + 1, round}
  end
  collectgarbage("step", 1)
end
collectgarbage()
local ok = 0
for i = 1, 3000 do if big[i][1] == i then ok = ok + 1 end end
for i = 1, 600 do if map["k" .. i][1] == i then ok = ok + 1 end end
print(ok)
