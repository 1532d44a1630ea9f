-- integer and float keys, array part growth, holes
local t = {}
t[1] = "a"; t[2.0] = "b"; t[3] = "c"
print(#t, t[2], t[1.0], math.type(next(t, nil)))
t[1.5] = "x"; print(t[1.5], #t)
local u = {}
for i = 10, 1, -1 do u[i] = i end
print(#u, u[10])
local h = {[1] = 1, [2] = 2, [4] = 4}
print(h[3], h[4])
local m = {}
m[math.maxinteger] = "max"; m[math.mininteger] = "min"; m[-1] = "neg"; m[0] = "zero"
print(m[math.maxinteger], m[math.mininteger], m[-1], m[0], m[-0.0])
local s = {}
s["1"] = "string one"; s[1] = "int one"
print(s["1"], s[1])
