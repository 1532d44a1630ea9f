-- filter.lua: sensor filtering: moving average and median over a window,
-- exponential smoothing, a one-dimensional Kalman filter, outlier
-- rejection and alarms with hysteresis. Each filter is a small object
-- with update(x) -> filtered value.
local M = {}

local Window = {}
Window.__index = Window

function M.window(size)
  return setmetatable({size = size, items = {}, head = 0, count = 0, sum = 0}, Window)
end

function Window:push(x)
  self.head = self.head % self.size + 1
  local old = self.items[self.head]
  if old then self.sum = self.sum - old else self.count = self.count + 1 end
  self.items[self.head] = x
  self.sum = self.sum + x
end

function Window:mean()
  if self.count == 0 then return nil end
  return self.sum / self.count
end

function Window:median()
  if self.count == 0 then return nil end
  local sorted = {}
  for i = 1, self.count do sorted[i] = self.items[i] end
  table.sort(sorted)
  local mid = (self.count + 1) // 2
  if self.count % 2 == 1 then return sorted[mid] end
  return (sorted[mid] + sorted[mid + 1]) / 2
end

function M.moving_average(size)
  local w = M.window(size)
  return {update = function(x) w:push(x) return w:mean() end}
end

function M.median(size)
  local w = M.window(size)
  return {update = function(x) w:push(x) return w:median() end}
end

function M.smoothing(alpha)
  local value
  return {update = function(x)
    if value == nil then value = x else value = value + alpha * (x - value) end
    return value
  end}
end

-- q: process noise, r: measurement noise.
function M.kalman(q, r)
  local x, p = nil, 1.0
  return {update = function(z)
    if x == nil then x = z return x end
    p = p + q
    local k = p / (p + r)
    x = x + k * (z - x)
    p = (1 - k) * p
    return x
  end}
end

-- Drops readings further than 'limit' standard deviations from the mean of
-- the last 'size' accepted ones; returns nil for a dropped reading.
function M.outliers(size, limit)
  local w = M.window(size)
  return {update = function(x)
    if w.count >= 3 then
      local mean, var = w:mean(), 0
      for i = 1, w.count do var = var + (w.items[i] - mean) ^ 2 end
      local sd = math.sqrt(var / w.count)
      if sd > 0 and math.abs(x - mean) > limit * sd then return nil end
    end
    w:push(x)
    return x
  end}
end

-- An alarm that turns on above 'high' and off only below 'high - band'.
function M.hysteresis(high, band)
  local on = false
  return {update = function(x)
    if on and x < high - band then on = false
    elseif not on and x > high then on = true end
    return on
  end}
end

-- Filters in a row; a nil stops the chain.
function M.chain(...)
  local stages = {...}
  return {update = function(x)
    for _, f in ipairs(stages) do
      if x == nil then return nil end
      x = f.update(x)
    end
    return x
  end}
end

return M
