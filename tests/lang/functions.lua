-- function definitions, recursion, higher order
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20), fact(21))
local function map(f, t) local r = {} for i, v in ipairs(t) do r[i] = f(v) end return r end
print(table.concat(map(function(x) return x * x end, {1, 2, 3}), " "))
local function compose(f, g) return function(...) return f(g(...)) end end
print(compose(tostring, function(a, b) return a + b end)(2, 3))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
print(type(print), type(fact), type(nil), type({}), type("s"), type(2), type(true), type(coroutine.create(fact)))
local a = {}
function a.b() return "a.b" end
print(a.b())
print((function(...) return select('#', ...) end)(1, 2, 3))
