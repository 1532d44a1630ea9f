-- the package table: config, loaded, preload, searchers, searchpath
print((package.config:gsub("\n", "|")))
print(package.loaded == debug.getregistry()._LOADED)
print(package.preload == debug.getregistry()._PRELOAD)
print(package.loaded._G == _G, package.loaded.package == package)
for _, name in ipairs{"coroutine", "table", "io", "os", "string", "math",
                      "utf8", "debug"} do
  io.write(name, "=", tostring(package.loaded[name] == _G[name]), " ")
end
print()
print(type(package.searchers), type(package.path), type(package.cpath))
print(type(package.loadlib), type(package.searchpath))

-- searchpath: the first readable file, or every file tried
local dir = "tests/lib/package_mods/"
print(package.searchpath("modA", dir .. "?.lua"))
print(package.searchpath("sub.inner", "nowhere/?.x;;" .. dir .. "?.lua"))
print(package.searchpath("pkg", dir .. "?.lua;" .. dir .. "?/init.lua"))
print(package.searchpath("a.b.c", "x/?.lua;y/?/?.lua"))
print(package.searchpath("a.b.c", "x/?.lua", "", "/"))
print(package.searchpath("a_b_c", "x/?.lua", "_", "-"))
print(package.searchpath("a.b", "x/?.lua", ".", "::"))
print(package.searchpath("m", ""))
print(package.searchpath("m", ";;;"))
print(pcall(package.searchpath, "m"))
print(pcall(package.searchpath, nil, "x"))
