-- args: --rom-readonly
-- moonlet-only: with --rom-readonly (moonlet_setromreadonly), writes into
-- the ROM libraries raise; _G, package and package.loaded still take them.
print(pcall(function() string.foo = 1 end))
print(pcall(function() table.insert = nil end), type(table.insert))
print(pcall(rawset, math, "x", 1))
print(pcall(setmetatable, os, {}))
print(pcall(function() getmetatable("").__index = {} end))
print(pcall(function() node.egc.extra = true end))
print(rawget(string, "foo"), math.x, getmetatable(os))
x = 1
function f() return x end
package.path = "./?.lua"
package.loaded.mymod = {}
package.preload.other = function() return "other" end
print(f(), package.path, type(package.loaded.mymod), require("other"))
print = nil
print_ = io.write
print_(tostring(print), "\n")
