-- number formatting exactly as lua5.3 prints
print(1, -1, 1.0, -1.0, 0.5, 100.0, 1e100, 1e+15, 1e16, 2^24, 2^31, 2^32)
print(math.maxinteger, math.mininteger, 12345678901234567890)
print(3.14159265358979, 1/3, -1/3, 1e-5, 123e-7, 5e-324)
print(tostring(0/0):gsub("-", ""), math.huge, -math.huge)
print(0x10, 0xA.8p0, 0x.1p4, 1e2, .5, 3., 0x1P-2)
print(string.format("%d %5.2f %g %g", 42, 3.14159, 1e20, 0.1))
