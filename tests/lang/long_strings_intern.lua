-- short strings are interned, long ones compare by content
local a = "short"
local b = "sho" .. "rt"
print(a == b, rawequal(a, b))
local l1 = ("long string "):rep(10)
local l2 = ("long string "):rep(10)
print(l1 == l2, #l1, l1 < l2 .. "x", ({[l1] = 1})[l2])
local t = {}
t[("k"):rep(50)] = "found"
print(t[("kk"):rep(25)])
print(("a"):rep(40) == ("a"):rep(20) .. ("a"):rep(20), ("a"):rep(41) == ("a"):rep(20) .. ("a"):rep(21))
