-- moonlet-only: the standard libraries are read-only tables built at
-- compile time (lib_rom.h, tools/romgen.c): no RAM, writes are errors.
local libs = {"string", "table", "math", "utf8", "coroutine", "os", "io",
              "debug"}

-- the string metatable is ROM too, and leads to the same table
print(rawequal(getmetatable("").__index, string))
print(rawequal(("x").upper, string.upper), ("abc"):upper(), ("%d"):format(7))

-- package.loaded points at the same tables
for _, name in ipairs(libs) do
  io.write(name, " ", tostring(rawequal(package.loaded[name], _G[name])), " ")
end
print()

-- writing into any of them raises the error, whatever the way
for _, name in ipairs(libs) do
  local t = _G[name]
  print(name, pcall(function() t.foo = 1 end))
  print(name, pcall(function() t.format = nil end))
  print(name, pcall(rawset, t, "bar", 2))
  print(name, rawget(t, "foo"), rawget(t, "bar"))
end
print(pcall(setmetatable, math, {}))
print(pcall(function() getmetatable("").__index = {} end))
print(pcall(function() math[1] = 1 end))

-- pairs lists every function and constant
local function keys(t)
  local ks = {}
  for k, v in pairs(t) do ks[#ks + 1] = k .. ":" .. type(v) end
  table.sort(ks)
  return #ks .. " " .. table.concat(ks, " ")
end
for _, name in ipairs(libs) do print(name, keys(_G[name])) end
print(next({}), type(next(string)))

-- the values: constants, strings
print(math.maxinteger + 1 == math.mininteger, math.huge > 0, -math.huge < 0)
print(math.pi > 3.14159 and math.pi < 3.1416, math.type(math.pi))
print(utf8.charpattern == "[\0-\x7F\xC2-\xF4]" .. "[\x80-\xBF]*")
print(#utf8.charpattern, ("héllo"):len(), utf8.len("héllo"))
for c in ("héllo"):gmatch(utf8.charpattern) do io.write(c, "|") end
print()

-- strings made at run time are the ROM keys
local k = "for" .. "mat"
print(rawequal(string[k], string.format), math["fl" .. "oor"](2.5))
local cnt = 0
for k in pairs(string) do
  if rawequal(string[k], string[k:sub(1)]) then cnt = cnt + 1 end
end
print(cnt)

-- io's standard files, per state, through the metatable of io
print(io.type(io.stdout), io.type(io.stdin), io.type(io.stderr), io.nope)
io.stdout:write("written\n")
print(getmetatable(io.stdout).__index == getmetatable(io.stdin).__index)
print(pcall(function() getmetatable(io.stdout).__index.write = nil end))

-- globals stay in RAM: a program can replace a library
local s = string
string = {upper = function() return "mine" end}
print(string.upper("x"), ("x"):upper())
string = s
print(string.upper("x"))
package.loaded.math = nil
print(package.loaded.math, math.floor(1.5))
package.loaded.math = math
