-- __eq, __lt, __le (with the 5.3 fallback to not __lt)
local mt = {}
mt.__eq = function(a, b) return a.v == b.v end
mt.__lt = function(a, b) return a.v < b.v end
local function o(v) return setmetatable({v = v}, mt) end
local a, b, c = o(1), o(2), o(1)
print(a == c, a ~= b, a < b, b > a, a <= c, b >= a, a <= b)
local mt2 = {__le = function() return "yes" end}
local x, y = setmetatable({}, mt2), setmetatable({}, mt2)
print(x <= y, x >= y)
print(pcall(function() return x < y end))
print(setmetatable({}, {__eq = function() return 1 end}) == setmetatable({}, {}))
local t = {}
print(t == t)
print(pcall(function() return o(1) < 1 end))
