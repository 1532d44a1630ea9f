-- float arithmetic and formatting of results
print(0.1 + 0.2, 1.5 * 2, 3.0, -0.0, 1e100, 1e-100, 123456789012345.0)
print(2^63, -2^63, 1e15, 1e16, 100 / 3, 2^0.5)
print(math.huge, -math.huge, math.pi, -math.pi)
print(3 | 0, 3.0 == 3, 1/3 * 3 == 1, 255 // 1.0)
print(8 % 3.5, -2^63 == math.mininteger, 2^63 == math.maxinteger + 1.0)
print(string.format("%.3f", 2/3), 1e300 * 1e10, -1e300 * 1e10)
print(5.0 // 2, 5 // 2.0, 5.0 % 2, 2^2, 10 // 3.0)
