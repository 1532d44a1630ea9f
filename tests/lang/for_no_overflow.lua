-- moonlet-only: integer loops near the limits never overflow (lua5.3 wraps here; 5.4 does not)
for i = math.maxinteger - 2, math.maxinteger do io.write(i - math.maxinteger, " ") end print()
for i = math.mininteger + 2, math.mininteger, -1 do io.write(i - math.mininteger, " ") end print()
local c = 0
for i = math.maxinteger - 1, 1e100 do c = c + 1 end print(c)
c = 0
for i = math.mininteger + 1, -1e100, -1 do c = c + 1 end print(c)
c = 0
for i = 1, math.maxinteger, math.maxinteger // 2 do c = c + 1 end print(c)
