-- sched.lua: a cooperative scheduler on a simulated millisecond clock:
-- one-shot and periodic timers in a binary heap ordered by due time (then
-- by creation), and tasks as coroutines that sleep.
local M = {}
M.__index = M

function M.new()
  return setmetatable({now = 0, heap = {}, seq = 0, fired = 0, tasks = 0}, M)
end

local function before(a, b)
  return a.due < b.due or (a.due == b.due and a.seq < b.seq)
end

local function push(heap, item)
  heap[#heap + 1] = item
  local i = #heap
  while i > 1 do
    local parent = i // 2
    if not before(heap[i], heap[parent]) then break end
    heap[i], heap[parent] = heap[parent], heap[i]
    i = parent
  end
end

local function pop(heap)
  local top, n = heap[1], #heap
  heap[1] = heap[n]
  heap[n] = nil
  local i = 1
  while true do
    local l, r, small = 2 * i, 2 * i + 1, i
    if l < n and before(heap[l], heap[small]) then small = l end
    if r < n and before(heap[r], heap[small]) then small = r end
    if small == i then break end
    heap[i], heap[small] = heap[small], heap[i]
    i = small
  end
  return top
end

function M:after(ms, fn)
  self.seq = self.seq + 1
  local timer = {due = self.now + ms, seq = self.seq, fn = fn}
  push(self.heap, timer)
  return timer
end

function M:every(ms, fn)
  local timer
  local function tick()
    if timer.cancelled then return end
    fn()
    local nexttimer = self:after(ms, tick)
    nexttimer.cancelled = timer.cancelled
    timer = setmetatable(nexttimer, {__index = timer})
  end
  timer = self:after(ms, tick)
  return {cancel = function() timer.cancelled = true end}
end

function M.cancel(timer)
  timer.cancelled = true
end

-- A task is a function run as a coroutine; it calls sleep(ms) to yield.
function M:spawn(fn, ...)
  local co = coroutine.create(fn)
  local args = table.pack(...)
  self.tasks = self.tasks + 1
  local function resume()
    local ok, ms = coroutine.resume(co, table.unpack(args, 1, args.n))
    args = {n = 0}
    if not ok then error("task failed: " .. tostring(ms), 0) end
    if coroutine.status(co) == "dead" then
      self.tasks = self.tasks - 1
    else
      self:after(ms or 0, resume)
    end
  end
  self:after(0, resume)
end

M.sleep = coroutine.yield

-- Runs every timer due up to 'untilms'; returns how many fired.
function M:run(untilms)
  local count = 0
  while self.heap[1] and self.heap[1].due <= untilms do
    local timer = pop(self.heap)
    self.now = timer.due
    if not timer.cancelled then
      timer.fn()
      count = count + 1
    end
  end
  self.now = untilms
  self.fired = self.fired + count
  return count
end

function M:pending()
  return #self.heap
end

return M
