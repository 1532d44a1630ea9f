-- finalizers (__gc): order, resurrection, once only, errors, marking rules
-- (the collector is stopped so that only the explicit collections find the
-- objects dead: what one cycle finds is finalized in reverse marking order)
collectgarbage("stop")
local log = {}
local function note(s) log[#log + 1] = s end
local function flush(title)
  print(title, table.concat(log, " "))
  log = {}
end

-- reverse order of marking, among the objects collected in one cycle
local mt = {__gc = function(o) note(o.name) end}
local function make(names)
  for _, n in ipairs(names) do setmetatable({name = n}, mt) end
end
make{"a", "b", "c", "d"}
collectgarbage()
flush("order")

-- the order is that of setmetatable, not of creation
local function marklate()
  local p, q = {name = "first-made"}, {name = "second-made"}
  setmetatable(q, mt)
  setmetatable(p, mt)
end
marklate()
collectgarbage()
flush("marking order")

-- __gc must be in the metatable when it is set
local late = {}
local lmt = {}
setmetatable(late, lmt)
lmt.__gc = function() note("late") end
late = nil
collectgarbage()
flush("added later:")

-- a __gc removed before collection is not called; one changed is looked up then
local changing = {}
local cmt = {__gc = function() note("old") end}
setmetatable(changing, cmt)
cmt.__gc = function() note("new") end
changing = nil
collectgarbage()
flush("changed")
local removed = setmetatable({}, {__gc = function() note("removed") end})
getmetatable(removed).__gc = nil
removed = nil
collectgarbage()
flush("removed:")

-- resurrection: the object lives on, and is not finalized again
local saved
local rmt = {__gc = function(o) saved = o; note("finalized " .. o.v) end}
setmetatable({v = 1}, rmt)
collectgarbage()
flush("resurrect")
print("saved", saved.v, getmetatable(saved) == rmt)
saved = nil
collectgarbage()
collectgarbage()
flush("second time:")

-- what a finalized object refers to is still there
local inner = {}
local function withchild()
  setmetatable({child = {1, 2, 3}}, {__gc = function(o) inner = o.child end})
end
withchild()
collectgarbage()
print("child", #inner, inner[3])

-- setting the metatable again in the finalizer marks it again (as 5.3)
local again = 0
local amt = {}
amt.__gc = function(o) again = again + 1; if again < 3 then setmetatable(o, amt) end end
setmetatable({}, amt)
for i = 1, 5 do collectgarbage() end
print("marked again", again)

-- an error in a finalizer: collectgarbage raises it, the rest run later
local emt = {__gc = function(o)
  note(o.n)
  if o.n == 2 then error("boom") end
end}
local function maketwo()
  for i = 1, 3 do setmetatable({n = i}, emt) end
end
maketwo()
local ok, err = pcall(collectgarbage)
print("error", ok, err)
flush("before error")
collectgarbage()
flush("after error")

-- a non-string error value
setmetatable({}, {__gc = function() error({}) end})
ok, err = pcall(collectgarbage)
print("table error", ok, err)

-- userdata finalizers: files are closed by the collector
local f = io.tmpfile()
local fmt = getmetatable(f)
print("file has __gc", type(fmt.__gc))
f = nil
collectgarbage()

-- finalizers run inside automatic steps too
collectgarbage("restart")
local done = false
setmetatable({}, {__gc = function() done = true end})
local n = 0
repeat local t = {n}; n = n + 1 until done or n > 10000000
print("automatic", done)
collectgarbage("stop")

-- weak tables and finalized objects: values cleared before, keys after
local wv = setmetatable({}, {__mode = "v"})
local wk = setmetatable({}, {__mode = "k"})
local function weakcase()
  local o = {}
  wv[1] = o
  wk[o] = true
  setmetatable(o, {__gc = function(x) note(tostring(wv[1] == nil) .. "," .. tostring(wk[x])) end})
end
weakcase()
collectgarbage()
flush("weak in finalizer")
collectgarbage()
print("weak after", next(wv), next(wk))
