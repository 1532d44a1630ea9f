-- moonlet-only: collectgarbage("step") runs a step even when the collector
-- is stopped; when a finalizer raises an error in that step, the error
-- reaches the caller and the collector stays stopped (lua5.3 leaves it
-- running: its lua_gc does not restore the state on an error)
collectgarbage("stop")
print("stopped", collectgarbage("isrunning"))

local function garbage(n)
  for i = 1, n do setmetatable({}, {__gc = function() error("boom " .. i) end}) end
end

-- a basic step (data 0) and a step of a larger debt than the heap (a full
-- collection): both run the finalizers, both must leave the state as it was
for _, kb in ipairs({0, 100000}) do
  garbage(3)
  local errors = 0
  for _ = 1, 1000 do
    local ok, err = pcall(collectgarbage, "step", kb)
    if not ok then
      errors = errors + 1
      if errors == 1 then print(kb, (string.gsub(err, "boom %d", "boom N"))) end
    end
    if collectgarbage("isrunning") then print("running after a step", kb) break end
    if errors == 3 then break end
  end
  print(kb, "errors", errors, "isrunning", collectgarbage("isrunning"))
end

-- a running collector stays running after a finalizer's error too
collectgarbage("restart")
garbage(1)
local ok = pcall(collectgarbage, "step", 100000)
print("restarted", ok, collectgarbage("isrunning"))

-- and a step without errors still works while stopped
collectgarbage("stop")
print("step ok", (pcall(collectgarbage, "step", 0)))
print("still stopped", collectgarbage("isrunning"))
