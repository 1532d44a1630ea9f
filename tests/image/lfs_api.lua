-- moonlet-only: node.LFS, node.flashindex, require/loadfile/dofile fallback
local list = node.LFS.list()
print(#list, table.concat(list, " "))
print(type(node.LFS.get("greet")), node.LFS.get("nope"), node.LFS.nope)
local greet = node.LFS.greet()
print(greet.hello("flash"))
print(node.LFS.time)
local c = node.LFS.config
print(math.type(c.lfs_base), c.lfs_base == c.lfs_mapped, c.lfs_size,
      c.lfs_used > 0 and c.lfs_used <= c.lfs_size)
-- the legacy interface
print(type(node.flashindex("counter")))
local t, base, mapped, used, names = node.flashindex()
print(t, base == c.lfs_base, mapped == base, used == c.lfs_used,
      table.concat(names, ","))
-- require looks in the file system, then in the flash store
package.path = "./tests/image/nowhere/?.lua"
local counter = require("counter")
print(counter.next(), counter.next(), require("counter") == counter)
-- loadfile and dofile: a file that is not there comes from flash
print(dofile("some/dir/greet.lua").hello("dofile"))
print(type(loadfile("greet.lua")), type(loadfile("counter.lc")))
print(loadfile("tests/image/nowhere/nope.lua"))
-- a file that is there overrides its flash copy
print(loadfile("tests/image/mods/greet.lua") ~= nil, dofile("tests/image/mods/second.lua")())
-- errors and debug information of flash functions
print(pcall(greet.fail))
local info = debug.getinfo(greet.hello, "S")
print(info.source, info.short_src, info.linedefined, info.what)
-- a refused image returns the reason; the mounted image stays
print(node.LFS.reload("tests/image/nowhere/x.img"))
print(node.flashreload("tests/image/lfs_api.lua"))
local tmp = os.tmpname()
local fh = io.open(tmp, "wb")
fh:write("\27MLFS\r\n\26 truncated")
fh:close()
print(node.LFS.reload(tmp))
os.remove(tmp)
print(node.LFS.greet().hello("the image still mounted"))
-- each get makes a new closure in RAM over the same flash code, which
-- string.dump reads like any other
print(node.LFS.greet == node.LFS.greet,
      load(string.dump(node.LFS.greet))().hello("dumped"))
