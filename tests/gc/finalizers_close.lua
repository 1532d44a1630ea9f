-- finalizers at lua_close: every object still marked for finalization,
-- reachable or not, newest first; pending ones too; new marks are ignored
collectgarbage("stop")
local mt = {__gc = function(o) print("closing", o.name) end}
keep = {}
for i = 1, 3 do keep[i] = setmetatable({name = "kept" .. i}, mt) end
setmetatable({name = "garbage"}, mt)
local nmt = {}
nmt.__gc = function(o)
  print("closing", o.name, "marks a new object")
  setmetatable({name = "never"}, nmt)
end
keep.n = setmetatable({name = "marker"}, nmt)
setmetatable({name = "uncollected"}, mt)
print("end of script")
