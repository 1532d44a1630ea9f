-- utf8.codes' step function called directly with any control value
-- (found by fuzzing: mininteger - 1 overflowed).
local step, s = utf8.codes("h\u{E9}llo")
for _, i in ipairs{math.mininteger, math.mininteger + 1, -1, 0, 1, 2, 3,
                   6, 7, math.maxinteger - 1, math.maxinteger} do
  print(i, pcall(step, s, i))
end
for p, c in utf8.codes("h\u{E9}llo") do io.write(p, ":", c, " ") end
print()
