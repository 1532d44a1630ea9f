-- errors raised inside metamethods and library calls keep their position
local mt = {__index = function(t, k) error("no field " .. k) end}
print(pcall(function() return setmetatable({}, mt).foo end))
print(pcall(function() return setmetatable({}, {__add = function() error("bad add", 2) end}) + 1 end))
print(pcall(string.rep, "x", 1e10))
print(pcall(function() return ("x"):bad() end))
print(pcall(function() local t = setmetatable({}, {__newindex = "oops"}); t.x = 1 end))
print(pcall(function() return setmetatable({}, {__index = 5}).x end))
print(pcall(next, {}, "nokey"))
print(pcall(function() local a; a.b.c = 1 end))
print(pcall(rawset, {}, nil, 1))
print(pcall(setmetatable({}, {__call = 1})))
