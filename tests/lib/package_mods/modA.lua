-- a module that reports the arguments its loader got
local name, file = ...
Loads = (Loads or 0) + 1
return {name = name, file = file}
