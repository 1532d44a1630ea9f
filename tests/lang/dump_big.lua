-- a function with more than 2^18 constants (LOADKX) and a constructor of
-- more than 511 * 50 items (SETLIST with EXTRAARG) survives dump and load (-- skip-torture)
local parts = {}
for i = 1, 262200 do parts[i] = tostring(i) end
local src = "local t = {" .. table.concat(parts, ",") .. "} return t, 'last'"
local f = assert(load(src))
for _, strip in ipairs{false, true} do
  local g = assert(load(string.dump(f, strip)))
  local t, s = g()
  print(#t, t[1], t[25551], t[262144], t[262200], s)
end
-- many upvalues in a dumped main chunk (as calls.lua)
local nup = 200
local prog = {"local a1"}
for i = 2, nup do prog[#prog + 1] = ", a" .. i end
prog[#prog + 1] = " = 1"
for i = 2, nup do prog[#prog + 1] = ", " .. i end
prog[#prog + 1] = "; return function () return a1"
for i = 2, nup do prog[#prog + 1] = " + a" .. i end
prog[#prog + 1] = " end"
local h = assert(load(table.concat(prog)))()
print(h())
h = load(string.dump(h))
local a = 10
local k = function () return a end
for i = 1, nup do debug.upvaluejoin(h, i, k, 1) end
print(h())
