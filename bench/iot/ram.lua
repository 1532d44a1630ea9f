-- bench/iot/ram.lua: RAM added by requiring the whole IoT application,
-- from source or from the flash image (collectgarbage("count") after full
-- collections), then a minute of the application's simulated life.
--   moonlet bench/iot/ram.lua                      modules from bench/iot/
--   moonlet --image iot.img bench/iot/ram.lua      modules from flash
local from = node.LFS.get("app") and "image" or "source"
package.path = from == "source" and "bench/iot/?.lua" or ""
package.cpath = ""
collectgarbage()
collectgarbage()
local before = collectgarbage("count")
local App = require("app")
collectgarbage()
collectgarbage()
local added = math.floor((collectgarbage("count") - before) * 1024 + 0.5)
local app = App.new({device_id = "bench-1", filter_window = 6})
app:run(60000)
local status = app.web:handle("GET /status HTTP/1.0\r\n\r\n"):match("\r\n\r\n(.*)")
local temp = app.web:handle("GET /sensors/temperature HTTP/1.0\r\n\r\n"):match("\r\n\r\n(.*)")
print(string.format("%-6s %6d bytes added by require", from, added))
print(status)
print(temp)
