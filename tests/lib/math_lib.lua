-- math library
print(math.abs(-3), math.abs(-3.5), math.abs(math.mininteger), math.ceil(3.2), math.floor(-3.2), math.floor(5))
print(math.type(math.floor(3.7)), math.type(math.ceil(1e100)), math.max(1, 5, 3), math.min(2.5, -1), math.max(1, 2.0))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(7.5, 2), pcall(math.fmod, 1, 0))
print(math.modf(3.7), math.modf(-3.7), math.modf(5), math.modf(math.huge))
print(math.sqrt(16), math.exp(0), math.log(1), math.log(8, 2), math.log(100, 10), math.log(27, 3))
print(math.sin(0), math.cos(0), math.tan(0), math.asin(1) * 2 == math.pi, math.acos(1), math.atan(1, 1) * 4 == math.pi)
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("x"), math.tointeger(2^63))
print(math.type(1), math.type(1.0), math.type("1"), math.ult(1, -1), math.ult(-1, 1))
print(math.huge > 0, math.pi, math.maxinteger, math.mininteger)
math.randomseed(42)
local ok = true
for i = 1, 1000 do
  local a, b, c = math.random(), math.random(10), math.random(-5, 5)
  if a < 0 or a >= 1 or b < 1 or b > 10 or c < -5 or c > 5 or math.type(b) ~= "integer" then ok = false end
end
print(ok, pcall(math.random, 2, 1), pcall(math.random, 1, 2, 3))
print(pcall(math.max))
print(math.floor(-0.0), 1/math.floor(-0.0) < 0, math.ceil(-0.5))
