-- debug.getinfo: every field, levels and functions, C functions, options
local keys = {"source", "short_src", "linedefined", "lastlinedefined", "what",
  "currentline", "nups", "nparams", "isvararg", "name", "namewhat",
  "istailcall"}

local function show(t)
  if t == nil then print("nil") return end
  local out = {}
  for _, k in ipairs(keys) do
    if t[k] ~= nil then out[#out + 1] = k .. "=" .. tostring(t[k]) end
  end
  print(table.concat(out, " "))
end

local up = 10
local function f(a, b, ...)
  local x = up
  return debug.getinfo(1), debug.getinfo(2, "Sl"), debug.getinfo(1, "f")
end
local i1, i2, i3 = f(1, 2)
show(i1)
show(i2)
print(i1.func == f, i3.func == f, i3.source)

-- a function rather than a level
show(debug.getinfo(f))
show(debug.getinfo(print))
show(debug.getinfo(f, "u"))
show(debug.getinfo(print, "Su"))
print(debug.getinfo(print, "L").activelines)

-- activelines: only lines with code
local function g()
  local a = 1

  return a
end
local lines = {}
for l in pairs(debug.getinfo(g, "L").activelines) do lines[#lines + 1] = l end
table.sort(lines)
print(table.concat(lines, " "))

-- names as seen by the caller
local t = {}
function t.field() return debug.getinfo(1, "n") end
function t:method() return debug.getinfo(1, "n") end
Global = function() return debug.getinfo(1, "n") end
show(t.field())
show(t:method())
show(Global())
show((function() return debug.getinfo(1, "n") end)())
for _ in function() show(debug.getinfo(1, "n")) end do end
local mt = {__index = function() show(debug.getinfo(1, "n")) end}
local _ = setmetatable({}, mt).x

-- tail calls
local function tail() return debug.getinfo(1, "tn") end
local function caller() return tail() end
show(caller())
show((function() local r = tail() return r end)())

-- main chunk and out of range levels
show(debug.getinfo(1, "S"))
local lvl = 1
while debug.getinfo(lvl) do lvl = lvl + 1 end
print("levels", lvl - 1, debug.getinfo(lvl), debug.getinfo(-1))

-- threads
local co = coroutine.create(function(x)
  local y = x
  coroutine.yield(y)
end)
coroutine.resume(co, 5)
show(debug.getinfo(co, 1, "Sln"))
show(debug.getinfo(co, 0, "Sn"))
print(debug.getinfo(co, 2))

-- bad options and arguments
print(pcall(debug.getinfo, 1, "X"))
print(pcall(debug.getinfo, print, "Sx"))
print(pcall(debug.getinfo, co, 1, "?"))
print(pcall(debug.getinfo))
print(pcall(debug.getinfo, "x"))
print(pcall(debug.getinfo, {}))
print(select('#', debug.getinfo(1, "")), next(debug.getinfo(1, "")))
