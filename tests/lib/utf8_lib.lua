-- utf8 library
print(utf8.char(72, 228, 8364, 128512), utf8.charpattern)
local s = "häll€"
print(utf8.len(s), #s, utf8.codepoint(s, 1, -1))
for p, c in utf8.codes(s) do io.write(p, ":", c, " ") end print()
print(utf8.offset(s, 3), utf8.offset(s, -1), utf8.len(s, 3), utf8.len("\xff"))
print(pcall(utf8.codepoint, "\xff"), pcall(utf8.offset, s, 1, 3))
