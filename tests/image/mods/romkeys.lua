-- Run from the flash image by tests/image/rom_strings.lua: its literals
-- that are the text of ROM strings must be those ROM strings.
local n = 0
for k in pairs(string) do
  if k == "format" then n = n + 1 end
end
print("format seen", n)

local found, fn
for k, v in pairs(string) do
  if k == "format" then found, fn = k, v end
end
print(rawequal(found, "format"), found == "for" .. "mat", fn == string.format)

-- a RAM table keyed by ROM strings, read with the image's literals
local t = {}
for k in pairs(string) do t[k] = k end
print(t.format, t.rep, t["gsub"], t.nosuch)

-- a table keyed by the image's literals, read with ROM strings
local names = {byte = 1, char = 1, dump = 1, find = 1, format = 1,
               gmatch = 1, gsub = 1, len = 1, lower = 1, match = 1,
               rep = 1, reverse = 1, sub = 1, upper = 1, pack = 1,
               packsize = 1, unpack = 1}
local hits, keys = 0, 0
for k in pairs(string) do
  keys = keys + 1
  if names[k] then hits = hits + 1 end
end
print("string keys", keys, "known", hits)
local u = {insert = 2, pi = 3, upper = 4}
local sum = 0
for _, lib in ipairs({string, table, math}) do
  for k in pairs(lib) do sum = sum + (u[k] or 0) end
end
print("sum", sum)

-- string.format and friends keep one identity
local f = string["format"]
print(f == string.format, rawequal(string.format, ("").format))
local made = ("FORMAT"):lower()
print(string[made] == string.format, rawget(string, made) == string.format)
print(rawequal(getmetatable("").__index, string))
print(string.format("%s=%d", "rep", 3), ("x"):rep(3))

-- ROM texts as names in debug information: locals and upvalues
local function g()
  local format = 5
  return debug.getlocal(1, 1)
end
local name, v = g()
print(name == "format", rawequal(name, "format"), v)
local rep = 1
local function h() return rep end
local uname = debug.getupvalue(h, 1)
print(uname == "rep", rawequal(uname, "rep"))
