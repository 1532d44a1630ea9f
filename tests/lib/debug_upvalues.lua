-- debug.getupvalue / setupvalue / upvalueid / upvaluejoin, and their errors
local a, b = 1, 2
local function f() return a + b end
local function g() return b end

print(debug.getupvalue(f, 1), debug.getupvalue(f, 2))
print(debug.getupvalue(f, 3), debug.getupvalue(f, 0))
print(debug.setupvalue(f, 1, 10), a, f())
print(debug.setupvalue(f, 5, 10))
print(select('#', debug.getupvalue(f, 3)), select('#', debug.setupvalue(f, 3, 1)))

-- C closures have upvalues with empty names
local wrapped = coroutine.wrap(function() end)
print(debug.getupvalue(wrapped, 1) == "", debug.getupvalue(print, 1))

-- upvalueid: equal exactly when the variable is shared
print(debug.upvalueid(f, 2) == debug.upvalueid(g, 1))
print(debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
print(type(debug.upvalueid(f, 1)))

-- upvaluejoin: f's first upvalue becomes g's first one
debug.upvaluejoin(f, 1, g, 1)
print(f(), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
b = 5
print(f(), g())

-- errors
print(pcall(debug.getupvalue, 1, 1))
print(pcall(debug.getupvalue, f))
print(pcall(debug.setupvalue, f, 1))
print(pcall(debug.upvalueid, f, 3))
print(pcall(debug.upvalueid, f, 0))
print(pcall(debug.upvalueid, print, 1))
print(pcall(debug.upvalueid, {}, 1))
print(pcall(debug.upvaluejoin, f, 3, g, 1))
print(pcall(debug.upvaluejoin, f, 1, g, 2))
print(pcall(debug.upvaluejoin, wrapped, 1, g, 1))
print(pcall(debug.upvaluejoin, f, 1, wrapped, 1))
print(pcall(debug.upvaluejoin, f, 1, 2, 1))
