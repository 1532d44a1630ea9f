-- while, repeat (until sees body locals), if/elseif, break
local i, s = 0, 0
while i < 10 do i = i + 1; if i % 2 == 0 then s = s + i end end
print(i, s)
local n = 0
repeat local k = n * 2; n = n + 1 until k >= 6
print(n)
for j = 1, 10 do if j > 3 then break end io.write(j, " ") end print()
local function sign(x) if x > 0 then return 1 elseif x < 0 then return -1 else return 0 end end
print(sign(5), sign(-2), sign(0))
while true do n = n + 1; if n > 20 then break end end
print(n)
print(nil and 1, false or "x", 1 and 2, nil or false, not nil, not 0)
