-- integer division and modulo by zero
print(pcall(function() local a, b = 1, 0 return a // b end))
print(pcall(function() local a, b = 1, 0 return a % b end))
print(1 // 0.0, -1 // 0.0, 1 % 0.0 ~= 1 % 0.0, 1.0 // 0)
print(math.mininteger // -1, math.mininteger % -1)
print(pcall(function() return 5 // 0 end))
