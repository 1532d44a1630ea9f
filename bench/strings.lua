-- string building and comparison
local parts = {}
for i = 1, 200000 do parts[#parts + 1] = "item" .. i end
local s = table.concat(parts, ",")
local n = 0
for i = 1, #parts - 1 do if parts[i] < parts[i + 1] then n = n + 1 end end
local b = ""
for i = 1, 20000 do b = b .. "x" end
local eq = 0
for i = 1, 2000000 do if parts[i % 1000 + 1] == "item500" then eq = eq + 1 end end
local up = 0
for i = 1, 100000 do up = up + #(("abc"):upper() .. i) end
print(#s, n, #b, eq, up)
