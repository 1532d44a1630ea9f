-- runtime errors carry the chunk name and line
local function f()
  local x = nil
  return x.field
end
print(pcall(f))
print(pcall(load("local a\nlocal b\nreturn a.b", "=chunk")))
print(pcall(load("return nil + 1", "@file.lua")))
print(pcall(load("error('msg')", "=(load)")))
print(pcall(load("error('msg', 2)", "=inner")))
print(pcall(string.rep))
print(pcall(setmetatable, 1, {}))
print(pcall(ipairs))
print(pcall(("x").rep, "x", {}))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(tostring))
print(pcall(math.floor, "a"))
