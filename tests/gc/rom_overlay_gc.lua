-- What a program writes into a ROM library lives in RAM and survives
-- collections; replaced values can be collected.
for i = 1, 200 do
  string["f" .. i] = function() return i end
  table[i] = {i}
end
collectgarbage()
collectgarbage()
local sum = 0
for i = 1, 200 do sum = sum + string["f" .. i]() + table[i][1] end
print(sum, #table)
local weak = setmetatable({}, {__mode = "v"})
weak[1] = table[1]
for i = 1, 200 do string["f" .. i] = nil; table[i] = nil end
collectgarbage()
collectgarbage()
print(weak[1], #table, string.f1)
-- a metatable set on a library is kept alive by it
setmetatable(utf8, {__index = function(_, k) return "no " .. k end})
collectgarbage()
print(utf8.nothing, utf8.char(72))
-- the overlays are traversed incrementally like any table
collectgarbage("setpause", 100)
for round = 1, 20 do
  for i = 1, 50 do coroutine[i] = string.rep("x", i) .. round end
end
collectgarbage()
print(coroutine[50]:sub(-3), #coroutine)
