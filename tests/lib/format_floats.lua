-- floats as text: string.format's e, f, g (flags, widths, precisions up to
-- 99, ties, extremes, inf and nan) and tostring's "%.14g" with its ".0"
local fmt = string.format

-- conversions at several precisions
local values = {0.0, -0.0, 1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 1/3, 2/3, 123.456,
  -9.999, 99.5, 1e10, 1e15, 1e16, 1e17, 1e22, 1e23, 2^53, 2^63, 2^64,
  1e100, 1e-5, 1e-4, 0.00012345, 5e-324, 2.2250738585072014e-308,
  1.7976931348623157e308, -1e300, 3.4028234663852886e38, 1.17549435e-38,
  1.401298464324817e-45, 6.02214076e23, 0.3, 0.7, 9.5, 0.05, 0.125}
for _, v in ipairs(values) do
  print(fmt("%e|%.0e|%.3e|%.10E|%f|%.0f|%.2f|%.10f|%g|%.1g|%.3g|%.10G|%.14g",
    v, v, v, v, v, v, v, v, v, v, v, v, v))
end

-- flags and widths
local specs = {"%+e", "% e", "%-12.3e|", "%012.3e", "%+012.3e", "%#.0e",
  "%#.0f", "%#g", "%#.3g", "%-+10f|", "% 010.2f", "%020.5g", "%-20G|",
  "%+.0f", "% .3g", "%#10.0f", "%-#10.0e|", "%99.2f", "%-99.2e|"}
for _, s in ipairs(specs) do
  print(s, fmt(s, 3.14159), fmt(s, -0.000123), fmt(s, 0.0), fmt(s, 1e20))
end

-- long precisions (exact expansions)
print(fmt("%.99f", 0.1))
print(fmt("%.99e", 1/3))
print(fmt("%.99g", 2^-30))
print(fmt("%.60f", 1e-40))
print(fmt("%.50e", 5e-324))
print(#fmt("%.99f", 1e308), fmt("%.99f", 1e308):sub(1, 40))
print(fmt("%.0f", 2^100), fmt("%.3f", -2^70))

-- ties: the binary value decides, and exact ties go to even
print(fmt("%.0f %.0f %.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5, -0.5, -1.5))
print(fmt("%.1f %.1f %.1f %.2f %.2f %.2f", 0.25, 0.35, 0.45, 1.005, 2.675, 1.125))
print(fmt("%.2e %.2e %.0e %.0e %.3g %.3g", 1125, 1135, 25, 35, 2.5, 0.0012345))
print(fmt("%.0f %.0f %.1f %.15g %.17g", 0.49999999999999994, 4503599627370497.0,
  0.95, 0.1, 0.1))

-- carries that add a digit or change the exponent
print(fmt("%.2f %.0f %.1e %.2g %.3g %g %g", 9.999, 9.5, 9.96, 99.9, 999.5,
  999999.5, 0.000099999995))
print(fmt("%g %g %g %g %g %g", 100000, 1000000, 1e-4, 1e-5, 123456789, 0.0001234))

-- inf and nan
local inf, nan = math.huge, 0/0
print(fmt("%e %f %g %E %G", inf, inf, inf, inf, inf))
print(fmt("%e %f %g %E %G", -inf, -inf, -inf, -inf, -inf))
print(pcall(fmt, "%F", 1.5)) -- 5.3 has no %F
print(fmt("%+f|% f|%10f|%-10f|%010f|%+010E", inf, inf, -inf, inf, inf, -inf))
local n1, n2 = fmt("%f %G %5.1e", nan, nan, nan), fmt("%f %G %5.1e", -nan, -nan, -nan)
if n1 > n2 then n1, n2 = n2, n1 end
print(n1, n2)

-- tostring and friends: "%.14g", and ".0" when it looks like an integer
local t = {0.0, -0.0, 1.0, -1.0, 100.0, 1e14, 1e15, 1e16, 2^53, 2^63, -2^63,
  1e100, 0.1, 1/3, -2/3, 123456789012345.0, 12345678901234.5, 3.14159265358979,
  5e-324, 1.7976931348623157e308, 1e-7, 0.00001, 255/256, 1e300 * 1e10,
  -1e300 * 1e10, 2^24, 2^24 + 1, 16777217.0, 0.1 + 0.2, 100 / 3, 7.0 // 2}
for i, v in ipairs(t) do
  io.write(tostring(v), " ", v .. "", " ", fmt("%s", v), " ")
  io.write(v, "\n")
end
local s1, s2 = tostring(nan), tostring(-nan)
if s1 > s2 then s1, s2 = s2, s1 end
print(s1, s2, math.type(1e15), 1e15 == 10^15)
print(1e15, 2^53, -0.0, 1e308 * 10, 3 / 2, 10 / 2, math.pi, -math.pi)
