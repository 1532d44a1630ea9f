-- args: --heap 40k
-- moonlet-only: in a 40 KB heap, running out of memory is a catchable error
local t = {}
local ok, err = pcall(function()
  for i = 1, 1e6 do t[i] = {i} end
end)
print(ok, err)
t = nil
collectgarbage()
local ok2, err2 = pcall(function() return ("x"):rep(100000) end)
print(ok2, err2)
local after = {}
for i = 1, 100 do after[i] = i end
print("still running", #after)
