-- The standard libraries are read-only tables built at compile time
-- (lib_rom.h, tools/romgen.c): no RAM until written. A write goes to the
-- table's RAM overlay (overlay.c), and the table behaves as lua5.3's.
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

-- writes, whatever the way, are seen through every reference
for _, name in ipairs(libs) do
  local t = _G[name]
  local alias = package.loaded[name]
  print(name, pcall(function() t.foo = 1 end))
  print(name, rawequal(rawset(t, "bar", 2), t))
  print(name, rawget(t, "foo"), alias.bar, t.foo + t.bar)
  t.foo, t.bar = nil, nil
  print(name, rawget(t, "foo"), alias.bar)
end
local upper = string.upper
string.upper = nil
print(string.upper, ("x").upper, pcall(function() return ("x"):upper() end))
string.upper = function(s) return "<" .. upper(s) .. ">" end
print(("abc"):upper(), string.upper("d"))
string.upper = upper
print(("abc"):upper(), rawequal(string.upper, upper))
print(pcall(function() math[1] = 1 end), math[1], #math, rawlen(math))
math[1] = nil
print(math[1], #math)
print(rawequal(setmetatable(math, {__index = function(_, k) return k .. "?" end}), math))
print(math.nope, math.floor(2.5), getmetatable(math) ~= nil)
setmetatable(math, nil)
print(math.nope, getmetatable(math))
local mt = getmetatable("")
local index = mt.__index
mt.__index = function(s, k) return index[k] or k .. "!" end
print(("x"):upper(), ("x").nope)
mt.__index = index
print(pcall(function() return ("x").nope end))
print(pcall(function() table.insert = nil end), table.insert)
table.insert = nil
local n = 0
for k in pairs(table) do n = n + 1 end
print(n, table.insert)
function table.maxn(t)
  local m = 0
  for k in pairs(t) do if math.type(k) == "integer" and k > m then m = k end end
  return m
end
print(table.maxn({1, 2, nil, 7, [10] = 1}))
-- assigning to existing fields while traversing is allowed
for k, v in pairs(string) do string[k] = v end
for k, v in pairs(os) do os[k] = nil end
print(next(os))
-- pairs lists every function and constant
local function keys(t)
  local ks = {}
  for k, v in pairs(t) do ks[#ks + 1] = k .. ":" .. type(v) end
  table.sort(ks)
  return #ks .. " " .. table.concat(ks, " ")
end
-- (not math and io: Debian's lua5.3 has the 5.2 math functions, and
-- moonlet's io.stdin/stdout/stderr come through io's metatable)
for _, name in ipairs(libs) do
  if name ~= "math" and name ~= "io" then print(name, keys(_G[name])) end
end
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

-- bad keys are refused as for any table, even when nothing would change
print(pcall(rawset, string, nil, nil))
print(pcall(rawset, string, 0/0, 1))
print(pcall(function() string[nil] = 1 end))
