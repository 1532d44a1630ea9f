-- operator precedence and associativity, constant folding
print(2 + 3 * 4, (2 + 3) * 4, 2 ^ 3 ^ 2, -2 ^ 2, not 1 == 2)
print(1 .. 2 .. 3, "a" .. "b" == "ab", 1 < 2 == true, 2 * 3 % 4)
print(1 + 2 << 1, 1 | 2 & 3, 5 ~ 3 | 1, 1 << 2 + 1, -3 // 2 * 2)
print(3 - -3, - - 2, ~ ~ 5, #"abc" + 1, -"2" + 1)
print(2^-2, 1e308 * 10, -(-math.mininteger), 7 // 0.0, 0/0 ~= 0/0)
print(1 and 2 or 3, nil and 2 or 3, false or nil and 1, 1 or error("no"))
local x = 5
print(x > 3 and "big" or "small", x < 3 and "big" or "small")
print(pcall(load("return 1 // 0")))
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(3 % -0.0 ~= 3 % -0.0, 1.5 // 0)
