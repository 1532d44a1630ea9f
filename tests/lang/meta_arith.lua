-- arithmetic, bitwise, concat, unary and length metamethods
local V = {}
V.__index = V
local function v(x) return setmetatable({x = x}, V) end
V.__add = function(a, b) return v((type(a) == "table" and a.x or a) + (type(b) == "table" and b.x or b)) end
V.__sub = function(a, b) return v(a.x - b.x) end
V.__mul = function(a, b) return v(a.x * (type(b) == "number" and b or b.x)) end
V.__div = function(a, b) return "div" end
V.__mod = function(a, b) return "mod" end
V.__pow = function(a, b) return "pow" end
V.__unm = function(a) return v(-a.x) end
V.__idiv = function() return "idiv" end
V.__band = function() return "band" end
V.__bor = function() return "bor" end
V.__bxor = function() return "bxor" end
V.__shl = function() return "shl" end
V.__shr = function() return "shr" end
V.__bnot = function() return "bnot" end
V.__concat = function(a, b) return "cat(" .. tostring(type(a) == "table" and a.x or a) .. "," .. tostring(type(b) == "table" and b.x or b) .. ")" end
V.__len = function(a) return 42 end
local a, b = v(3), v(4)
print((a + b).x, (a + 1).x, (1 + a).x, (a - b).x, (a * 2).x, (-a).x)
print(a / b, a % b, a ^ b, a // b, a & b, a | 1, 1 ~ a, a << 1, a >> 1, ~a)
print(a .. "s", "s" .. a, 1 .. a, a .. b, #a)
print("x" .. "y" .. a .. "z")
print(#setmetatable({1, 2}, {}), #"abc")
