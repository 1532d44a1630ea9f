-- Deep C recursion, through the parser and through C functions that call
-- Lua, ends in a Lua error ("C stack overflow", "too many C levels") at
-- LUAI_MAXCCALLS, never in a crash: on the device (tests/mcu/run.sh) the
-- limit is set so that the deepest of these fits its C stack (mcu/mcu.mk).
-- Coroutines: cstack_resume.lua.
local N = 300 -- past any limit (200 in lua5.3)

local function kind(msg)
  msg = tostring(msg)
  if msg:find("C stack overflow", 1, true) then return "C stack overflow" end
  if msg:find("too many C levels", 1, true) then return "too many C levels" end
  if msg:find("stack overflow", 1, true) then return "stack overflow" end
  return "other: " .. msg
end

local depth
local function report(name, ok, msg, max)
  print(name, ok, kind(msg), depth > 8 and depth < (max or N))
  collectgarbage() -- each case starts with the heap as it was
end

-- the parser: nested parentheses, tables, function bodies, concatenations,
-- n deep (a function body is two levels: statement and expression)
local function parse(name, n, open, middle, close)
  local f, msg = load("return " .. open:rep(n) .. middle .. close:rep(n))
  -- how deep it can go: the largest nesting that still compiles
  local lo, hi = 1, n
  while hi - lo > 1 do
    local mid = (lo + hi) // 2
    if load("return " .. open:rep(mid) .. middle .. close:rep(mid)) then lo = mid else hi = mid end
  end
  depth = lo
  report(name, f ~= nil, msg, n)
end
parse("parens", N, "(", "1", ")")
parse("tables", N, "{", "", "}")
parse("functions", N // 2, "function() return ", "1", " end")
parse("concat", N, "'x' .. ", "'y'", "")

-- string.gsub calling a Lua function that calls pcall(string.gsub, ...)
local function gsub_pcall(n)
  depth = n
  local ok, r = pcall(string.gsub, "x", "x", function() return gsub_pcall(n + 1) end)
  if not ok then error(r, 0) end
  return r
end
report("gsub+pcall", pcall(gsub_pcall, 0))

-- string.gsub with a Lua callback, without pcall in between
local function gsub_direct(n)
  depth = n
  return (string.gsub("x", "x", function() return gsub_direct(n + 1) end))
end
report("gsub", pcall(gsub_direct, 0))

-- the same, with a deep pattern match at every level (the deepest too)
local s, p = ("a"):rep(99), (".?"):rep(99)
local function gsub_match(n)
  depth = n
  assert(#s:match(p) == 99)
  return (string.gsub("x", "x", function() return gsub_match(n + 1) end))
end
report("gsub+match", pcall(gsub_match, 0))

-- table.sort whose comparator sorts again
local function sort(n)
  depth = n
  table.sort({3, 1, 2}, function(a, b) sort(n + 1) return a < b end)
end
report("sort", pcall(sort, 0))

-- a chain of __index functions, each indexing the next table (made as
-- needed, so that memory does not run out first)
local function chain(n)
  return setmetatable({}, {__index = function(_, k)
    depth = n
    return chain(n + 1)[k]
  end})
end
report("__index", pcall(function() return chain(0).x end))

-- __tostring through tostring and string.format
local function tostr(n, fmt)
  return setmetatable({}, {__tostring = function()
    depth = n
    local inner = tostr(n + 1, fmt)
    return fmt and string.format("%s", inner) or tostring(inner)
  end})
end
report("tostring", pcall(tostring, tostr(0, false)))
report("format", pcall(string.format, "%s", tostr(0, true)))

-- table.concat reading through __index functions
local function concat(n)
  return setmetatable({}, {__index = function()
    depth = n
    return table.concat(concat(n + 1), "", 1, 1)
  end})
end
report("table.concat", pcall(table.concat, concat(0), "", 1, 1))

-- and the state is still fine afterwards
print(select("#", string.gsub("abc", "%w", function(c) return c:upper() end)),
      (string.gsub("abc", "%w", string.upper)))
