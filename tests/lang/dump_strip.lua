-- string.dump(f, true) drops the debug information as 5.3 does: no source,
-- no lines ("?" and -1 in messages), no local or upvalue names
local function rt(f, strip)
  return assert(load(string.dump(f, strip), "=rt", "b"))
end

local function bad(a) local t = nil; return t.x + a end
local function named() local up = bad; return up end

for _, strip in ipairs{false, true} do
  print("strip", strip)
  local f = rt(bad, strip)
  print(pcall(f, 1))
  local ok, msg = pcall(rt(function() error("boom") end, strip))
  print(ok, msg)
  ok, msg = pcall(rt(function() error("boom", 2) end, strip))
  print(ok, msg)
  local info = debug.getinfo(f, "Sl")
  print(info.source, info.short_src, info.what, info.currentline)
  print(info.linedefined, info.lastlinedefined)
  local lines = {}
  for l in pairs(debug.getinfo(f, "L").activelines) do lines[#lines + 1] = l end
  table.sort(lines)
  print(#lines, table.concat(lines, " "))
  print(debug.getlocal(f, 1))
  print((debug.getupvalue(rt(named, strip), 1)))
  -- a local name in an error message comes from the debug information
  ok, msg = pcall(rt(function() local zz; return zz.field end, strip))
  print(ok, msg)
  -- the current line of a running function
  local g = rt(function() return debug.getinfo(1, "l").currentline end, strip)
  print(g())
end

-- nested functions share the chunk's source, stripped or not
local prog = [[
  return function (x)
    return function (y)
      return x + y
    end
  end
]]
local p = assert(load(prog, "=prog"))
for _, strip in ipairs{false, true} do
  local f = assert(load(string.dump(p, strip)))
  local g = f()
  local h = g(3)
  print(h(5), debug.getinfo(f).source, debug.getinfo(g).source,
        debug.getinfo(h).source)
end

-- a long source name is written once, not once per function
local name = string.rep("x", 1000)
local q = assert(load(prog, name))
local c = string.dump(q)
print(#c > 1000 and #c < 2000, #string.dump(q, true) < 500)
local g = assert(load(c))()
print(debug.getinfo(g).source == name)
