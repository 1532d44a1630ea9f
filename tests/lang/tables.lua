-- tables: constructors, borders, key normalisation, errors
local t = {1, 2, 3, [10] = 10, x = "x", ["y"] = "y", [1.0 + 1] = "two?"}
print(#t, t[2], t.x, t.y, t[10])
local f = {}
f[1.0] = "a"; f[2] = "b"; f[2^53] = "big"
print(f[1], math.type(next(f)), f[2.0], f[2^53])
print(pcall(function() local x = {}; x[nil] = 1 end))
print(pcall(function() local x = {}; x[0/0] = 1 end))
print(({})[nil], ({})[0/0])
local big = {}
for i = 1, 1000 do big[i] = i end
print(#big, big[500])
for i = 1000, 501, -1 do big[i] = nil end
print(#big)
local h = {}
for i = 1, 100 do h["k" .. i] = i end
local c = 0 for _ in pairs(h) do c = c + 1 end
print(c, h.k77)
for k in pairs(h) do h[k] = nil end
print(next(h))
local m = {n = 1, [true] = "t", [false] = "f", [print] = "fn"}
print(m[true], m[false], m[print])
local cnt = 0
local g = {a = 1, b = 2, c = 3, d = 4}
for k, v in pairs(g) do g[k] = v * 2; cnt = cnt + 1 end
print(cnt, g.a + g.b + g.c + g.d)
print(#{1, 2, nil}, #{nil}, #{n = 1})
local nested = {{1, {2, {3}}}}
print(nested[1][2][2][1])
