-- debug.getlocal / debug.setlocal: names, values, varargs, temporaries,
-- parameters of a function, threads, and the errors
local function dumplocals(level)
  local out = {}
  for i = 1, 20 do
    local name, value = debug.getlocal(level + 1, i)
    if name == nil then break end
    out[#out + 1] = name .. "=" .. tostring(value)
  end
  for i = -1, -10, -1 do
    local name, value = debug.getlocal(level + 1, i)
    if name == nil then break end
    out[#out + 1] = name .. "[" .. i .. "]=" .. tostring(value)
  end
  print(table.concat(out, " "))
end

local function f(a, b, ...)
  local c = a + b
  do local inner = "in" dumplocals(1) end
  dumplocals(1)
  return c
end
f(1, 2, "x", "y")
f(3, 4)

-- setlocal changes a live variable
local function g()
  local v = "old"
  local function change() return debug.setlocal(2, 1, "new") end
  print(change(), v)
  print(debug.setlocal(1, 100, 0))
  local w = 1
  print(debug.setlocal(1, -1, 0))
  return w
end
g()

local function h(...)
  print(debug.setlocal(1, -1, "changed"), ...)
end
h("orig", "second")

-- parameter names of a function value (no values)
local function params(p1, p2, p3, ...) local l1 end
for i = 1, 5 do io.write(tostring(debug.getlocal(params, i)), " ") end
print()
print(debug.getlocal(print, 1))

-- temporaries of a C function
print(pcall(function()
  return (debug.getlocal(2, 1))
end))

-- a suspended coroutine
local co = coroutine.create(function(x, y)
  local z = x + y
  coroutine.yield(z)
  return x, y, z
end)
coroutine.resume(co, 10, 20)
print(debug.getlocal(co, 1, 1), debug.getlocal(co, 1, 3))
print(debug.setlocal(co, 1, 3, 99), debug.setlocal(co, 1, 9, 0))
print(coroutine.resume(co))

-- errors
print(pcall(debug.getlocal, 50, 1))
print(pcall(debug.setlocal, 50, 1, 0))
print(pcall(debug.getlocal, co, 5, 1))
print(pcall(debug.getlocal, 1))
print(pcall(debug.setlocal, 1, 1))
print(pcall(debug.getlocal, "a", 1))
