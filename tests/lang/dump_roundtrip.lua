-- string.dump + load: functions come back with the same behaviour, upvalues
-- (fresh ones, as in 5.3), constants of every type and nested closures

local function rt(f, strip)
  return assert(load(string.dump(f, strip), "=rt", "b"))
end

-- constants of every type
local function consts()
  return nil, true, false, 0, -1, 42, 1 << 30, -(1 << 30), 1.5, -0.25,
         1e100, 1/0, -1/0, "", "short", "with\0zero",
         string.rep("long string ", 10), math.maxinteger, math.mininteger
end
local a = table.pack(consts())
local b = table.pack(rt(consts)())
print(a.n == b.n)
for i = 1, a.n do
  if a[i] ~= b[i] or math.type(a[i]) ~= math.type(b[i]) then
    print("constant differs", i, a[i], b[i])
  end
end
print(1 / rt(function() return -0.0 end)() < 0)      -- sign of zero kept
local nan = rt(function() return 0/0 end)()
print(nan ~= nan)

-- parameters and varargs
local function va(x, y, ...)
  local n = select("#", ...)
  return x, y, n, ...
end
print(rt(va)(1, 2, 3, nil, 5))
print(rt(va)())
print(select("#", rt(va)(1, 2, nil, nil)))

-- upvalues: the loaded function gets fresh ones, named as before
local u1, u2 = 10, 20
local function useup() u1 = u1 + 1; return u1, u2 end
local g = rt(useup)
print(debug.getupvalue(g, 1), debug.getupvalue(g, 2))
print(type(select(2, debug.getupvalue(g, 1))), select(2, debug.getupvalue(g, 2)))
-- (load set the first one to the globals table)
debug.setupvalue(g, 1, 100)
debug.setupvalue(g, 2, "x")
print(g())
print(g())
print(u1, u2)   -- the original ones are untouched

-- nested closures
local function maker(base)
  local count = 0
  return function(step)
    count = count + step
    return function() return base + count end
  end
end
local m = rt(maker)
local inc = m(100)
print(inc(1)(), inc(2)(), inc(10)())

-- recursion through an upvalue, loops, string methods, tables
local function prog()
  local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
  local t = {}
  for i = 1, 10 do t[#t + 1] = fib(i) end
  local s = {}
  for k, v in ipairs(t) do s[k] = ("%d"):format(v) end
  local words = {}
  for w in ("one two three"):gmatch("%a+") do words[#words + 1] = w:upper() end
  local total = 0
  for i = 10, 1, -3 do total = total + i end
  local j = 0
  while j < 5 do j = j + 1 end
  repeat j = j - 2 until j < 0
  return table.concat(s, ","), table.concat(words, " "), total, j, {x = 1, [2] = "two", 3}
end
local r1 = table.pack(prog())
local r2 = table.pack(rt(prog)())
for i = 1, 4 do print(r1[i] == r2[i], r2[i]) end
print(r2[5].x, r2[5][1], r2[5][2])

-- goto, and/or chains, comparisons, integer and float arithmetic
local function misc(x)
  local out = {}
  for i = 1, 3 do
    if i == 2 then goto continue end
    out[#out + 1] = i
    ::continue::
  end
  local y = x and x > 2 and "big" or "small"
  return #out, y, x // 2, x / 2, x % 3, 2^x, x & 6, x | 1, x ~ 5, x << 2, x >> 1, -x, ~x
end
print(rt(misc)(7))
print(rt(misc)(1))

-- a main chunk from source text, dumped and loaded (its _ENV is the globals)
X = 5
local chunk = load("X = X + 1; local a = ... or 0; return X + a")
local c2 = assert(load(string.dump(chunk)))
print(c2(), c2(10), X)

-- load with an environment: its first upvalue
local env = {print = print, tostring = tostring}
local c3 = assert(load(string.dump(load("y = 7; return tostring(y)")), "c3", "b", env))
print(c3(), env.y, y)

-- a chunk whose first upvalue is not _ENV (as calls.lua)
local x
local function h() local y = x; return XX end
XX = 123
local hl = load(string.dump(h), "", "b")
print(debug.getupvalue(hl, 1), debug.getupvalue(hl, 2))
debug.setupvalue(hl, 2, _G)
print(hl())

-- the same function dumps to the same bytes
print(string.dump(prog) == string.dump(prog))
print(string.dump(prog, true) == string.dump(rt(prog), true))
print(#string.dump(prog, true) < #string.dump(prog))

-- a dumped chunk is also accepted from a reader function, byte by byte
local d = string.dump(maker)
local pos = 0
local f = assert(load(function()
  pos = pos + 1
  return d:sub(pos, pos)
end))
print(f(1)(2)())

-- dumping a C function fails; a Lua function with no upvalues works anywhere
print(pcall(string.dump, print))
print(pcall(string.dump))
print(load(string.dump(function() return 1 end), nil, "b", {})())
