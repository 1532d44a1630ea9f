-- varargs, select and multiple results
local function f(...) return select('#', ...), ... end
print(f())
print(f(nil, nil))
print(f(1, 2, 3))
local function g(...) local a, b = ... return a, b end
print(g(1), g(1, 2, 3))
print(select(2, "a", "b", "c"), select(-1, "a", "b", "c"))
print(pcall(select, 0, 1))
local function pack(...) return {n = select('#', ...), ...} end
local p = pack(1, nil, 3, nil)
print(p.n, p[1], p[3], #{...})
print((f(1, 2)))
local t = {f(1, 2), f(3, 4)}
print(#t, t[1], t[2], t[3], t[4])
local function tail(...) return ... end
print(tail(1, nil, 3))
print(string.format("%s %s", tail("x", "y")))
