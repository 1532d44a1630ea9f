-- _ENV: globals are fields of the _ENV upvalue
x = 10
print(_ENV.x, _G.x)
local function withenv()
  local _ENV = {print = print, y = 5}
  print(y, x)
  z = 1
  return _ENV
end
print(withenv().z, z)
local f = load("a = 7; return a")
print(f(), a)
local env = setmetatable({}, {__index = _G})
load("b = 8", "b", "t", env)()
print(env.b, b)
