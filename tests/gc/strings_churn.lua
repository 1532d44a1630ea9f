-- many temporary strings and tables: memory stays bounded
collectgarbage()
local base = collectgarbage("count")
local last
for i = 1, 200000 do
  last = "key" .. i
  local t = {last, i}
end
collectgarbage()
print(last, collectgarbage("count") - base < 100)
local parts = {}
for i = 1, 1000 do parts[#parts + 1] = tostring(i) end
local s = table.concat(parts)
print(#s, s:sub(1, 10))
