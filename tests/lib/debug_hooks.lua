-- debug.sethook / gethook: call, return, line, count and tail call events,
-- hooks per thread, the mask string, turning hooks off
local events = {}
local function record(event, line)
  local info = debug.getinfo(2, "nS")
  events[#events + 1] = event .. ":" .. tostring(line) .. ":" ..
    tostring(info.name) .. ":" .. info.what
end
local function flush(title)
  print(title, table.concat(events, " "))
  events = {}
end

local function leaf(x) return x + 1 end
local function tailer(x) return leaf(x) end

debug.sethook(record, "cr")
local y = tailer(1)
debug.sethook()
flush("call/return")

debug.sethook(record, "l")
y = y + 1
y = y * 2
debug.sethook()
flush("line")

-- the line hook gets the new line; in a loop each iteration again
local lines = {}
debug.sethook(function(e, l) lines[#lines + 1] = l end, "l")
for i = 1, 3 do
  y = y + i
end
debug.sethook()
print("loop", table.concat(lines, " "))

-- count hook: every N instructions
local counts = 0
debug.sethook(function(e, l)
  assert(e == "count" and l == nil)
  counts = counts + 1
end, "", 1)
for i = 1, 100 do y = y + 1 end
debug.sethook()
print("count", counts > 100)

-- gethook: function, mask and count
local function hk() end
print(debug.gethook())
debug.sethook(hk, "crl", 7)
local h, m, c = debug.gethook()
debug.sethook()
print(h == hk, m, c)
debug.sethook(hk, "l")
h, m, c = debug.gethook()
debug.sethook()
print(h == hk, m, c)
debug.sethook(hk, "", 3)
h, m, c = debug.gethook()
debug.sethook()
print(h == hk, m, c)
debug.sethook(hk, "")
print(debug.gethook())
debug.sethook()

-- hooks belong to one thread
local co = coroutine.create(function(a)
  local b = a + 1
  coroutine.yield(b)
  return b * 2
end)
local colines = {}
debug.sethook(co, function(e, l) colines[#colines + 1] = e .. tostring(l) end, "lr")
print(debug.gethook() == nil, debug.gethook(co) ~= nil)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(table.concat(colines, " "))
debug.sethook(co)
print(debug.gethook(co))

-- errors in a hook propagate; hooks are not called inside a hook
print(pcall(function()
  debug.sethook(function() debug.sethook() error("from hook") end, "l")
  local z = 1
  return z
end))
local inside = 0
debug.sethook(function()
  inside = inside + 1
  local a = 1
  a = a + 1
end, "l")
y = 1
debug.sethook()
print("calls", inside)

-- argument errors
print(pcall(debug.sethook, print))
print(pcall(debug.sethook, 1, "l"))
print(pcall(debug.sethook, print, "l", "x"))
