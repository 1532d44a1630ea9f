-- bitwise operators, float conversion and errors
print(5 & 3, 5 | 3, 5 ~ 3, ~5, 1 << 4, 256 >> 4, -1 >> 60, 1 << 63, 1 << 64, 1 >> -1)
print(3.0 & 1, "7" | 0, 0xFF ~ 0x0F, -1 << 1, 2 >> 1.0)
print(pcall(function() return 1.5 & 1 end))
print(pcall(function() return "1.5" | 0 end))
print(pcall(function() return {} & 1 end))
print(pcall(function() return 2^64 | 0 end))
print(math.mininteger >> 63, math.maxinteger << 1, ~0)
