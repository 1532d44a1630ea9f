-- the incremental collector's interface: step, stop/restart, setpause,
-- setstepmul, count
collectgarbage()
print(collectgarbage("isrunning"))
local p = collectgarbage("setpause", 150)
local m = collectgarbage("setstepmul", 300)
print(collectgarbage("setpause", p), collectgarbage("setstepmul", m))

-- steps of 0 KB: some finish a cycle, returning true
collectgarbage("stop")
local data = {}
for i = 1, 2000 do data[i] = {i, tostring(i)} end
data = nil
local steps, cycle = 0, false
repeat
  steps = steps + 1
  cycle = collectgarbage("step", 0)
until cycle or steps > 100000
print("a cycle ends after some steps", cycle, steps > 1)
print("still stopped", collectgarbage("isrunning"))

-- a big step is a whole cycle
print("big step", collectgarbage("step", 100000))
print("again", collectgarbage("step", 100000))

-- stopped: memory only grows, steps do not restart the collector
collectgarbage()
local before = collectgarbage("count")
for i = 1, 200 do local t = {} end
local grew = collectgarbage("count") > before
collectgarbage("step", 0)
print("grows when stopped", grew, collectgarbage("isrunning"))
collectgarbage("restart")
print(collectgarbage("isrunning"))

-- running: garbage made in a loop stays bounded
collectgarbage()
local base = collectgarbage("count")
local peak = 0
for i = 1, 100000 do
  local t = {i, i + 1, {}}
  if i % 1000 == 0 then
    local c = collectgarbage("count")
    if c > peak then peak = c end
  end
end
print("bounded", peak - base < 1000)

-- objects made during a cycle survive it when reachable
collectgarbage("stop")
collectgarbage()
local keep = {}
local ended = false
while not ended do
  keep[#keep + 1] = {#keep}
  ended = collectgarbage("step", 1)
end
for i = 1, 300 do keep[#keep + 1] = {#keep}; collectgarbage("step", 1) end
local ok = true
for i = 1, #keep do if keep[i][1] ~= i - 1 then ok = false end end
print("survivors", ok, #keep > 300)
collectgarbage("restart")
