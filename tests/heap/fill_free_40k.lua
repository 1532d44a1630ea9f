-- args: --heap 40k
-- moonlet-only: a 40 KB heap is filled up and freed many times over:
-- tables, strings, closures, coroutines; half the rounds end in "not
-- enough memory" (caught), and the state goes on working every time
local ooms, fills = 0, 0
local function fill(kind, n)
  local keep = {}
  for i = 1, n do
    if kind == 1 then keep[i] = {i, i * 2, {}}
    elseif kind == 2 then keep[i] = ("s"):rep(i % 64) .. i
    elseif kind == 3 then local v = i; keep[i] = function() return v end
    else keep[i] = coroutine.create(function(x) coroutine.yield(x) end); coroutine.resume(keep[i], i) end
  end
  return keep
end
for round = 1, 400 do
  local kind = round % 4 + 1
  if round % 2 == 0 then
    local ok, err = pcall(fill, kind, 1e7)
    if not ok then
      assert(err == "not enough memory", err)
      ooms = ooms + 1
    end
  else
    local n = kind == 4 and 8 or 60
    local t = fill(kind, n)
    assert(#t == n)
    fills = fills + 1
  end
  -- the state is still usable: a little real work
  local s = 0
  for i = 1, 100 do s = s + i end
  assert(s == 5050)
end
print("rounds", ooms + fills, "all filled", ooms == 200, fills == 200)
collectgarbage()
print("heap left small", collectgarbage("count") < 30)
