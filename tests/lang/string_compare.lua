-- string comparison and concatenation details
print("a" < "aa", "aa" < "b", "" == "", "abc" <= "abc", "b" >= "a")
print(("\0"):len(), "a\0" > "a", "a\0a" < "a\0b")
local s = ""
for i = 1, 10 do s = s .. i end
print(s, #s)
print(1 .. 2 == "12", 1.5 .. "" == "1.5", -1 .. "" == "-1")
print(("x"):rep(3, ","), "a" .. "b" .. "c" .. "d" .. "e" .. "f")
local big = ("ab"):rep(1000)
print(#(big .. big), (big .. "z"):sub(-2))
