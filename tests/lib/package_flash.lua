-- moonlet-only
-- require falls back on the flash store after the files (the
-- loader data is ":flash:name"), the "not found" message names the store,
-- and C libraries are reported as not loadable
local i = 0
while arg[i - 1] do i = i - 1 end
local interp = arg[i]
local moonletc = os.getenv("MOONLETC") or "build/moonletc"
local dir = "tests/lib/package_mods/"
local img = os.tmpname()

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  p:close()
  return out
end

io.write(sh(string.format("%s -f -o %s %sflashonly.lua %smodA.lua", moonletc,
  img, dir, dir)))

local child = [[
package.path = "nowhere/?.lua"
package.cpath = ""
local m = require("flashonly")
print(m.name, m.data, m.from)
m = require("modA")
print(m.name, m.file)
package.loaded.modA = nil
package.path = "tests/lib/package_mods/?.lua"
m = require("modA")
print(m.name, m.file)
package.path = "nowhere/?.lua"
print(pcall(require, "absent"))
local loader, data = package.searchers[3]("flashonly")
print(#package.searchers, type(loader), data)
print(package.searchers[3]("absent"))
]]
local f = io.open(img .. ".lua", "w")
f:write(child)
f:close()
io.write(sh(string.format("%s --image %s %s.lua", interp, img, img)))
os.remove(img .. ".lua")
os.remove(img)

-- no image: the store line is there all the same
package.path = "nowhere/?.lua"
package.cpath = ""
print(pcall(require, "absent"))

-- dynamic libraries
print(package.loadlib("libc.so.6", "printf"))
print(package.loadlib("libc.so.6", "*"))
print(pcall(package.loadlib, "x"))
package.cpath = dir .. "?.lua"
print(pcall(require, "modA"))
print(pcall(require, "modnil.part"))
package.cpath = ""
print(pcall(require, "modnil.part"))
