-- scoping rules of blocks
local x = "outer"
do local x = "inner"; print(x) end
print(x)
local i = 0
repeat local x = i; i = i + 1 until x == 3
print(i, x)
for x = 1, 2 do end
print(x)
local function shadow(x) local x = x or "default"; return x end
print(shadow(), shadow("given"))
local a = 1
local a = a + 1
print(a)
