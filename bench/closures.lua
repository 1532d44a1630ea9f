-- closures and upvalues
local function counter()
  local c = 0
  return function(n) c = c + n; return c end
end
local total = 0
for i = 1, 300000 do
  local f = counter()
  f(i); total = total + f(1)
end
local acc = counter()
for i = 1, 5000000 do acc(1) end
local function apply(f, x) return f(x) end
local s = 0
for i = 1, 2000000 do s = s + apply(function(v) return v + i end, 1) end
print(total, acc(0), s)
