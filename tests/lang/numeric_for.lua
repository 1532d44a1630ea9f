-- numeric for: integer and float loops, no overflow, errors
for i = 1, 3 do io.write(i, " ") end print()
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 2, 0.5 do io.write(i, " ") end print()
for i = 1.0, 3 do io.write(i, " ") end print()
for i = 0.1, 0.35, 0.1 do io.write(string.format("%.1f ", i)) end print()
for i = math.mininteger, math.mininteger + 2 do io.write(i, " ") end print()
for i = 1, 0 do print("never") end
for i = 1, 3.7 do io.write(i, " ") end print()
for i = 1, math.huge do if i > 3 then break end io.write(i, " ") end print()
for i = 3, -math.huge, -1 do if i < 1 then break end io.write(i, " ") end print()
local c = 0
print(pcall(function() for i = "a", 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, nil do end end))
for i = 1, 3 do local j = i; i = 10; io.write(j, " ") end print()
