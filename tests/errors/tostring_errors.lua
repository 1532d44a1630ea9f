-- tostring and error objects
print(pcall(error, setmetatable({}, {__tostring = function() return "custom" end})))
print(tostring(nil), tostring(1e15), tostring(-0.0), tostring(1/0))
print(pcall(tostring))
print(select("#", pcall(error)))
print(string.format("%s", setmetatable({}, {__tostring = function() return "fmt" end})))
print(pcall(string.format, "%d", setmetatable({}, {})))
