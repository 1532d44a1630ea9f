-- nested functions, upvalues several levels deep, recursion through locals
local function make(n)
  local function a() return n end
  local function b() return a() + 1 end
  return function() return b() * 2 end
end
print(make(4)())
local x = 1
local function l1() local y = 2; return function() local z = 3; return function() return x + y + z end end end
print(l1()()())
x = 10
print(l1()()())
local function rec(n) if n == 0 then return "base" end return rec(n - 1) end
print(rec(5))
local t = {}
function t.outer() local function inner(v) return v * 3 end return inner(t.k or 1) end
print(t.outer())
