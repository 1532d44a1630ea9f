-- local declarations and multiple assignment
local a, b, c = 1, 2
print(a, b, c)
local x, y = 1, 2, 3
print(x, y)
a, b = b, a
print(a, b)
local t = {1, 2, 3}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local function f() return 1, 2, 3 end
local p, q, r, s = f()
print(p, q, r, s)
local u, v = f(), 10
print(u, v)
local w = (f())
print(w)
do local a = 5; print(a) end
print(a)
