-- table library
local t = {3, 1, 2}
table.insert(t, 4) table.insert(t, 1, 0)
print(table.concat(t, ","), #t)
print(table.remove(t), table.remove(t, 1), table.concat(t, ","))
print(table.concat({}, "x"), table.concat({1, 2, 3}, ", ", 2, 3), table.concat({"a", "b"}))
table.sort(t) print(table.concat(t, " "))
local words = {"banana", "apple", "Cherry", "date"}
table.sort(words) print(table.concat(words, " "))
table.sort(words, function(a, b) return a:lower() > b:lower() end) print(table.concat(words, " "))
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])
print(table.unpack({1, 2, 3}), table.unpack({1, 2, 3}, 2), table.unpack({1, 2, 3}, 2, 3))
print(table.move({1, 2, 3}, 1, 3, 2)[3], table.concat(table.move({1, 2, 3}, 1, 3, 1, {}), ""))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.insert, {1}, 5, 2))
print(pcall(table.sort, {3, 2, 1}, function() return true end))
local big = {} for i = 1, 200 do big[i] = (i * 37) % 101 end
table.sort(big) local ok = true for i = 2, 200 do if big[i - 1] > big[i] then ok = false end end
print(ok, big[1], big[200])
print(table.remove({}), #{table.unpack({}, 1, 3)})
local proxy = setmetatable({}, {__index = function(_, i) return i <= 3 and i or nil end, __len = function() return 3 end})
print(table.concat(proxy, "+"), table.unpack(proxy))
