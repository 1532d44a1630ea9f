-- require: package.loaded, package.preload, Lua files on package.path (the
-- loader gets the file name), dotted names, return values, errors
package.path = "tests/lib/package_mods/?.lua;tests/lib/package_mods/?/init.lua"
package.cpath = "tests/lib/package_mods/?.so"

-- a line that only moonlet has (its flash store) goes out of the messages
local function clean(msg)
  return (string.gsub(msg, "\n\tno module '[^']*' in the flash store", ""))
end

local m = require("modA")
print(m.name, m.file, Loads)
print(require("modA") == m, Loads, package.loaded.modA == m)

print(require("modnil"), NilLoaded, package.loaded.modnil)
print(require("modset"), package.loaded.modset)
print(require("modfalse"), require("modfalse"), FalseLoads)
print(require("sub.inner"))
print(require("pkg"))

-- already loaded values, whatever they are
package.loaded.fake = 42
print(require("fake"))
print(require("string") == string, require("_G") == _G)

-- preload comes first, and its loader gets the name (and no file name)
package.preload.modA2 = function(...) return {n = select('#', ...), ...} end
local p = require("modA2")
print(p.n, p[1], p[2])
package.preload.modA = function() return "preloaded" end
package.loaded.modA = nil
print(require("modA"))

-- not found: every place tried
local ok, msg = pcall(require, "nosuch")
print(ok, clean(msg))
ok, msg = pcall(require, "no.such.mod")
print(ok, clean(msg))

-- errors while loading or running a module
ok, msg = pcall(require, "modsyntax")
print(ok, msg)
print(pcall(require, "moderr"))
print(package.loaded.moderr)
print(pcall(require))
print(pcall(require, {}))

-- broken package fields
local path = package.path
package.path = nil
print(pcall(require, "x1"))
package.path = path
local searchers = package.searchers
package.searchers = "no"
print(pcall(require, "x2"))
package.searchers = searchers

-- a searcher of our own, and searcher messages
table.insert(package.searchers, 2, function(name)
  if name == "virtual" then
    return function(n, extra) return n .. "+" .. extra end, "extra data"
  end
  return "\n\tno virtual module '" .. name .. "'"
end)
print(require("virtual"))
ok, msg = pcall(require, "nothere")
print(ok, clean(msg))
table.remove(package.searchers, 2)
print(#package.searchers >= 4, type(package.searchers[1]))
