-- debug.getmetatable / setmetatable on any value, getregistry,
-- getuservalue / setuservalue, traceback (message, level, thread)
local mt = {__index = function(_, k) return k .. "!" end}
print(debug.setmetatable(10, mt) == 10, (5).hello, debug.getmetatable(1) == mt)
print(debug.setmetatable(10, nil), debug.getmetatable(1))
print(debug.getmetatable("x").__index == string)
local guarded = setmetatable({}, {__metatable = "locked"})
print(getmetatable(guarded), type(debug.getmetatable(guarded)))
print(debug.setmetatable(nil, {__call = function() return "called nil" end}))
print(pcall(function() return (nil)() end))
debug.setmetatable(nil, nil)
print(pcall(debug.setmetatable, 1, 2))
print(pcall(debug.setmetatable, 1))
print(pcall(debug.getmetatable))

local reg = debug.getregistry()
print(type(reg), reg._LOADED == package.loaded, reg._LOADED.string == string)

-- user values of full userdata (an io file handle)
print(debug.getuservalue(io.stdout), debug.getuservalue(1), debug.getuservalue())
local t = {}
print(debug.setuservalue(io.stdout, t) == io.stdout, debug.getuservalue(io.stdout) == t)
debug.setuservalue(io.stdout, nil)
print(debug.getuservalue(io.stdout))
print(pcall(debug.setuservalue, {}, t))
print(pcall(debug.setuservalue, io.stdout))

-- traceback
local function lvl3() return debug.traceback("msg") end
local function lvl2() return lvl3() end
print(lvl2())
print(debug.traceback("from level 2", 2))
print(debug.traceback(nil, 1) == debug.traceback(nil))
print(debug.traceback())
print(debug.traceback(12))
local tab = {}
print(debug.traceback(tab) == tab, debug.traceback(print) == print)
print(debug.traceback(nil) == debug.traceback())
print(select('#', debug.traceback(nil)))

local co = coroutine.create(function()
  local function deep() coroutine.yield() end
  deep()
end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, "co msg", 1))
print(debug.traceback(co, nil, 5))
print(pcall(debug.traceback, co, "x", "y"))

-- the error handler of xpcall
print(xpcall(function() error("boom") end, debug.traceback))
