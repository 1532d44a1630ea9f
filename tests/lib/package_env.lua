-- package.path and package.cpath from LUA_PATH_5_3 / LUA_PATH (and the
-- CPATH ones): ";;" stands for the default path; -E ignores them
local i = 0
while arg[i - 1] do i = i - 1 end
local interp = arg[i]

local function run(env, opts)
  local cmd = string.format("env -u LUA_PATH -u LUA_PATH_5_3 -u LUA_CPATH " ..
    "-u LUA_CPATH_5_3 -u LUA_INIT -u LUA_INIT_5_3 %s %s %s -e %s", env, interp,
    opts or "", "'print(package.path) print(package.cpath)'")
  local p = io.popen(cmd)
  local path, cpath = p:read("l", "l")
  p:close()
  return path, cpath
end

local defpath, defcpath = run("")
print(run("", "-E") == defpath)

local function show(env, opts)
  local path, cpath = run(env, opts)
  -- the defaults differ between installations: name them
  path = path:gsub(defpath:gsub("%p", "%%%0"), "<default>")
  -- the default cpath may be empty: recognise whole values only
  if cpath == defcpath then
    cpath = "<default>"
  elseif cpath == "d/?.so;" .. defcpath .. ";" then
    cpath = "d/?.so;<default>;"
  end
  print(env, opts or "", "path=" .. path, "cpath=" .. cpath)
end

show("LUA_PATH='a/?.lua'")
show("LUA_PATH_5_3='b/?.lua' LUA_PATH='a/?.lua'")
show("LUA_PATH_5_3='x/?.lua;;y/?.lua'")
show("LUA_PATH=';;z/?.lua'")
show("LUA_PATH='z/?.lua;;'")
show("LUA_PATH='z/?.lua;;' LUA_CPATH='c/?.so'")
show("LUA_CPATH_5_3='d/?.so;;' LUA_CPATH='c/?.so'")
show("LUA_PATH='z/?.lua;;' LUA_CPATH='c/?.so'", "-E")
