-- moonlet-only: a string the image holds is not made again in RAM
local src = "<<hello from the flash string table>>"
collectgarbage()
collectgarbage("stop")
local before = collectgarbage("count")
local s = src:sub(3, -3)
local after = collectgarbage("count")
print(s, after - before == 0)
local other = src:sub(2, -2) -- not in the image: a new RAM string
print(#other, collectgarbage("count") - after > 0)
collectgarbage("restart")
-- flash strings work as table keys, with RAM-made equals
local t = {["sensor/temperature"] = 21.5}
print(t[("sensor/"):rep(1) .. "temperature"])
