-- closures and shared upvalues (open and closed)
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc()
print(get())
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
local a = 1
local function seta(v) a = v end
seta(5) print(a)
local function outer()
  local x = 0
  local function mid() return function() x = x + 1; return x end end
  local f = mid()
  f(); f()
  return x
end
print(outer())
local ws = {}
local j = 1
while j <= 3 do local k = j; ws[j] = function() return k end; j = j + 1 end
print(ws[1](), ws[3]())
local function mk() local v = {} return function() return v end end
print(mk()() ~= mk()())
