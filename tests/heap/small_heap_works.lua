-- args: --heap 40k
-- moonlet-only: real work fits in a 40 KB heap thanks to the collector
local sum = 0
for i = 1, 20000 do
  local t = {i, tostring(i), {i}}
  sum = sum + #t[2]
end
print(sum)
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
print(collectgarbage("count") < 40)
