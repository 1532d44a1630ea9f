-- __call, __tostring, __name, __metatable, __pairs
local callable = setmetatable({}, {__call = function(self, a, b) return a + b, self end})
print((callable(2, 3)))
local named = setmetatable({}, {__tostring = function() return "I am named" end})
print(named, tostring(named))
local n2 = setmetatable({}, {__name = "MyType"})
print((tostring(n2):gsub("0x%x+", "ADDR"):gsub(": [%x]+$", ": ADDR")))
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot), pcall(setmetatable, prot, {}))
local pp = setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, "one" end end, t, nil end})
for k, v in pairs(pp) do print(k, v) end
print(getmetatable("abc").__index == string)
print(pcall(function() local t = setmetatable({}, {__tostring = function() return 1 end}); return tostring(t) end))
print(pcall(function() local t = setmetatable({}, {__index = function() error("inner") end}); return t.x end))
