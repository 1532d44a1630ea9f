-- Values stored into a big table while the collector marks survive (the
-- write barrier marks the value rather than the table for big ones).
local big = {}
for i = 1, 300 do big[i] = "v" .. i end
local map = {}
for i = 1, 200 do map["k" .. i] = "w" .. i end
collectgarbage("setpause", 100)
collectgarbage("setstepmul", 100)
local seed = 7
for round = 1, 40 do
  for j = 1, 100 do
    seed = (seed * 1103515245 + 12345) % 2147483648
    local i = seed % 300 + 1
    big[i] = "v" .. i .. ":" .. round
    local k = seed % 200 + 1
    map["k" .. k] = "w" .. k .. ":" .. round
  end
  collectgarbage("step", 1)
end
collectgarbage()
local ok = 0
for i = 1, 300 do if big[i]:match("^v(%d+)") == tostring(i) then ok = ok + 1 end end
for i = 1, 200 do if map["k" .. i]:match("^w(%d+)") == tostring(i) then ok = ok + 1 end end
print(ok)
